/**
 * Shared REST plumbing: request parsing, fault gates, weight charging, latency, and turning
 * failures into Binance's `{"code", "msg"}` bodies. No handler failure ever escapes.
 *
 * @module
 */
import type { Context } from "hono";
import { ApiError } from "./api_error.ts";
import { type Core, faultVenue, type RestVenue } from "./core.ts";
import { banError } from "./weights.ts";

/** The parsed request handed to handlers. */
export interface RestRequest {
  readonly method: string;
  /** Raw query string without `?` (exactly as sent, for signature checks). */
  readonly query: string;
  /** Raw x-www-form-urlencoded body ("" when none). */
  readonly body: string;
  /** Query and body parameters merged (body wins). */
  readonly params: URLSearchParams;
  readonly apiKey: string | null;
  readonly venue: RestVenue;
  readonly now: number;
}

/** What a handler returns: a JSON value plus optional extra headers. */
export interface RestResult {
  readonly body: unknown;
  /** Verbatim JSON text to send instead of serializing `body` (replayed responses). */
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Weight to charge after the fact (failed order calls). */
  readonly status?: number;
}

/** Binance's code and message of each injected 5xx status. */
export const SERVER_ERRORS: Record<number, [number, string]> = {
  500: [-1001, "Internal error; unable to process your request. Please try again."],
  502: [-1001, "Internal error; unable to process your request. Please try again."],
  503: [-1008, "Server is currently overloaded with other requests. Please try again in a few minutes."],
  504: [
    -1007,
    "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
  ],
};

/** Whether an `application/x-www-form-urlencoded` text names a parameter twice. */
export function hasDuplicate(text: string): boolean {
  const seen = new Set<string>();
  for (const [k] of new URLSearchParams(text)) {
    if (seen.has(k)) return true;
    seen.add(k);
  }
  return false;
}

function json(body: unknown, status: number, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json;charset=UTF-8", ...headers },
  });
}

/**
 * Runs a REST handler with Binance's gates: faults, weight, latency, error bodies.
 *
 * @param weight request weight, or a function of the parameters
 */
export async function runRest(
  core: Core,
  c: Context,
  venue: RestVenue,
  weight: number | ((p: URLSearchParams) => number),
  handler: (req: RestRequest) => RestResult | Promise<RestResult>,
): Promise<Response> {
  const fv = faultVenue(venue);
  const latency = core.faults.sumMs("latency", fv);
  if (latency > 0) await new Promise((r) => setTimeout(r, latency));
  const counter = core.weights[venue];
  const now = core.now(venue);
  const usedHeaders = (): Record<string, string> => {
    const used = String(counter.used(core.realNow()));
    // /sapi reports its own IP pool under its own header
    if (venue === "sapi") return { "X-SAPI-USED-IP-WEIGHT-1M": used };
    if (venue === "sapiUid") return { "X-SAPI-USED-UID-WEIGHT-1M": used };
    return { "X-MBX-USED-WEIGHT-1M": used, "X-MBX-USED-WEIGHT": used };
  };
  try {
    const url = new URL(c.req.url);
    const query = url.search.startsWith("?") ? url.search.slice(1) : url.search;
    let body = "";
    if (c.req.method !== "GET") {
      const ct = c.req.header("content-type") ?? "";
      const text = await c.req.text();
      if (text !== "" && !ct.includes("json")) body = text;
    }
    const params = new URLSearchParams(query);
    for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
    const ban = core.faults.active("ban", fv);
    if (ban) throw banError(core.realNow() + (ban.durationMs ?? 120_000), core.realNow());
    if (core.faults.take("rateLimit", fv)) throw counter.rateLimitError(core.realNow());
    const se = core.faults.take("serverError", fv);
    const status = se?.fault.status ?? 503;
    if (se && !se.fault.afterExecution) {
      const [code, msg] = SERVER_ERRORS[status];
      return json({ code, msg }, status, {});
    }
    counter.charge(typeof weight === "number" ? weight : weight(params), core.realNow());
    // a parameter sent twice in the query string or twice in the body (query + body is allowed:
    // the query string wins on Binance)
    if (hasDuplicate(query) || hasDuplicate(body)) {
      throw new ApiError(-1101, "Duplicate values for a parameter detected.");
    }
    const req: RestRequest = {
      method: c.req.method,
      query,
      body,
      params,
      apiKey: c.req.header("x-mbx-apikey") ?? null,
      venue,
      now,
    };
    const res = await handler(req);
    if (se) {
      // afterExecution: the request took effect, the client sees the 5xx
      const [code, msg] = SERVER_ERRORS[status];
      return json({ code, msg }, status, {});
    }
    if (res.raw !== undefined) {
      return new Response(res.raw, {
        status: res.status ?? 200,
        headers: { "content-type": "application/json;charset=UTF-8", ...usedHeaders(), ...res.headers },
      });
    }
    return json(res.body, res.status ?? 200, { ...usedHeaders(), ...res.headers });
  } catch (e) {
    if (e instanceof ApiError) {
      return json({ code: e.code, msg: e.message }, e.status, { ...usedHeaders(), ...e.headers });
    }
    return json(
      { code: -1000, msg: "An unknown error occurred while processing the request." },
      500,
      usedHeaders(),
    );
  }
}
