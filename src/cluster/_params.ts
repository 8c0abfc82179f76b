/**
 * Request-parameter handling shared by the API layers: UBDCC's loose values (query strings,
 * `"None"`, JSON `null`) to typed values, and zod results to one refused field with its rule.
 *
 * @module
 */
import type { z } from "zod";
import type { ExchangeName } from "../core/exchanges.ts";
import { DEPTH_EXCHANGES, type ReadParams } from "./protocol.ts";

const EXCHANGES = new Set<string>(DEPTH_EXCHANGES);
const MARKET = /^[A-Za-z0-9_-]{1,40}$/;
const UINT = /^\d{1,9}$/;
const UNUM = /^\d{1,15}(\.\d{1,15})?$/;

/**
 * The read hot path: plainly valid read parameters without going through zod (a few µs per read);
 * anything else returns null and takes the schema, which names the refused field.
 */
export function fastReadParams(
  exchange: unknown,
  market: unknown,
  limitCount: unknown,
  thresholdVolume: unknown,
): ReadParams | null {
  if (typeof exchange !== "string" || !EXCHANGES.has(exchange)) return null;
  if (typeof market !== "string" || !MARKET.test(market)) return null;
  const p: { exchange: ExchangeName; market: string; limitCount?: number; thresholdVolume?: number } = {
    exchange: exchange as ExchangeName,
    market: market.toUpperCase(),
  };
  if (!absent(limitCount)) {
    if (typeof limitCount !== "string" || !UINT.test(limitCount)) return null;
    p.limitCount = Number(limitCount);
  }
  if (!absent(thresholdVolume)) {
    if (typeof thresholdVolume !== "string" || !UNUM.test(thresholdVolume)) return null;
    p.thresholdVolume = Number(thresholdVolume);
  }
  return p;
}

/** A refused parameter: the field (in the caller's naming) and the rule it broke. */
export interface FieldProblem {
  /** Field name as the API names it. */
  readonly field: string;
  /** The rule, e.g. `expected an integer >= 1`. */
  readonly rule: string;
}

/** UBDCC's "not given": absent, JSON null, empty, or the Python client's `"None"`. */
export function absent(v: unknown): boolean {
  return v === undefined || v === null || v === "" || v === "None" || v === "null";
}

/** A number from a JSON number or a numeric string; the input unchanged when it is neither (zod then names the rule). */
export function num(v: unknown): unknown {
  if (absent(v)) return undefined;
  if (typeof v === "string" && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v.trim())) return Number(v);
  return v;
}

/** Like {@link num} but absent → null (nullable fields). */
export function numOrNull(v: unknown): unknown {
  return absent(v) ? null : num(v);
}

/** A string, or undefined when absent. */
export function str(v: unknown): unknown {
  return absent(v) ? undefined : v;
}

/**
 * Parses with a schema; the first issue becomes a {@link FieldProblem} with the field renamed.
 *
 * @param schema The schema.
 * @param input The input.
 * @param names Schema field → API field name.
 * @returns The data or the problem.
 */
export function parseFields<T>(
  schema: z.ZodType<T, unknown>,
  input: unknown,
  names: Readonly<Record<string, string>> = {},
): { ok: true; data: T } | { ok: false; problem: FieldProblem } {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, data: r.data };
  const issue = r.error.issues[0];
  const path = issue.path.map(String);
  const head = path[0] ?? "body";
  const field = [names[head] ?? head, ...path.slice(1)].join(".");
  let rule = issue.message;
  if (issue.code === "unrecognized_keys") {
    const keys = (issue as { keys?: string[] }).keys ?? [];
    return {
      ok: false,
      problem: { field: keys.map((k) => names[k] ?? k).join(", "), rule: "unknown field" },
    };
  }
  if (
    issue.code === "invalid_value" || issue.code === "invalid_type" || issue.code === "too_small" ||
    issue.code === "too_big"
  ) {
    rule = issue.message.replace(/^Invalid input: /, "");
  }
  return { ok: false, problem: { field, rule } };
}

/** `Invalid <field>: <rule>`. */
export function problemMessage(p: FieldProblem): string {
  return `Invalid ${p.field}: ${p.rule}`;
}

/** Reads the query and (for POST with a JSON body) the body into one object; the body wins. */
export async function readInput(
  request: Request,
): Promise<{ params: Record<string, unknown>; body?: unknown; bad?: string }> {
  const params: Record<string, unknown> = Object.fromEntries(new URL(request.url).searchParams);
  if (request.method !== "POST") return { params };
  const text = await request.text();
  if (text.trim() === "") return { params };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { params, bad: "Invalid body: expected a JSON object" };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { params, bad: "Invalid body: expected a JSON object" };
  }
  return { params: { ...params, ...(body as Record<string, unknown>) }, body };
}
