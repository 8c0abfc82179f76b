/**
 * JSON parsing that never rounds 64-bit integers.
 *
 * Binance sends order ids, trade ids, update ids (`U`, `u`, `pu`, `lastUpdateId`) and WS control
 * ids as JSON integers of up to 64 bits; `JSON.parse` silently rounds those above
 * `Number.MAX_SAFE_INTEGER` (2^53 − 1), and a rounded order id fails later with `-2013`.
 *
 * Representation: {@link parseJson} returns exactly what `JSON.parse` returns, except that an
 * **integer literal** (no fraction, no exponent) outside ±(2^53 − 1) becomes a `bigint` holding
 * the exact value. Everything else is unchanged: safe integers stay `number` (so typical ids and
 * timestamps are plain numbers), numbers written with a fraction or exponent stay `number` (even
 * when large, e.g. `1e20`), strings stay strings whatever digits they contain, object keys stay
 * strings. A field that can carry a large id is therefore typed {@link Int64} (`number | bigint`).
 *
 * Hot path: this runs on every WebSocket frame. Text without a run of 16 or more decimal digits
 * cannot contain an unsafe integer (2^53 has 16 digits) and goes straight to `JSON.parse`; only
 * the rare frames with such a run (64-bit ids, long float fractions, long digit strings) take the
 * exact path, a small strict parser. Measured with `tests/core/json_bench.ts`.
 *
 * @module
 */

import { parseJsonExact, stringifyJsonFallback } from "./_json_exact.ts";

/**
 * A 64-bit integer as {@link parseJson} returns it: a `number` when it is a safe integer,
 * otherwise a `bigint`.
 */
export type Int64 = number | bigint;

/**
 * Tells whether `text` holds a run of 16 or more ASCII digits — the only way an integer outside
 * ±(2^53 − 1) can appear in JSON text; {@link parseJson} takes its fast path when it does not.
 *
 * @param text Any text.
 * @returns `true` when some 16 consecutive characters are all `0`–`9`.
 */
export function hasLongDigitRun(text: string): boolean {
  // A run of 16 digits covers exactly one index i with i % 16 == 15, so sampling every 16th
  // character finds every candidate; only sampled digits are expanded. About 8x cheaper on V8
  // than /\d{16}/, which retries at each digit of the many price digits in a frame.
  const n = text.length;
  for (let i = 15; i < n; i += 16) {
    let c = text.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    let a = i;
    while (a > 0 && (c = text.charCodeAt(a - 1)) >= 48 && c <= 57) a--;
    let b = i + 1;
    while (b < n && (c = text.charCodeAt(b)) >= 48 && c <= 57) b++;
    if (b - a >= 16) return true; // else the run ended before the next sample (b <= i + 15)
  }
  return false;
}

/**
 * Parses JSON text like `JSON.parse`, but integer literals outside ±(2^53 − 1) become `bigint`
 * (never rounded).
 *
 * @typeParam T The expected shape (not checked; validate with zod where it matters).
 * @param text JSON text, e.g. one WebSocket frame or a REST response body.
 * @returns The parsed value.
 * @throws {SyntaxError} If `text` is not valid JSON.
 * @throws {TypeError} If `text` is not a string.
 *
 * @example Order ids above 2^53 survive
 * ```ts
 * import { parseJson } from "./json.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const r = parseJson<{ orderId: bigint; price: string; time: number }>(
 *   '{"orderId":9007199254740993,"price":"0.1","time":1499827319559}',
 * );
 * assertEquals(r.orderId, 9007199254740993n);
 * assertEquals(r.time, 1499827319559);
 * ```
 */
export function parseJson<T = unknown>(text: string): T {
  if (typeof text !== "string") {
    throw new TypeError(`Invalid text: expected a string, got ${text === null ? "null" : typeof text}`);
  }
  if (!hasLongDigitRun(text)) return JSON.parse(text) as T;
  return parseJsonExact(text) as T;
}

/**
 * Serialises a value like `JSON.stringify` (no indentation), writing `bigint` values as bare
 * integers, so `stringifyJson(parseJson(text))` round-trips 64-bit ids.
 *
 * @param value A JSON-compatible value; `bigint` allowed anywhere a number is.
 * @returns The JSON text.
 * @throws {TypeError} If `value` has no JSON representation (`undefined`, a function, a symbol)
 *   or contains a cycle.
 *
 * @example
 * ```ts
 * import { stringifyJson } from "./json.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(stringifyJson({ id: 18446744073709551615n, qty: "1.5" }), '{"id":18446744073709551615,"qty":"1.5"}');
 * ```
 */
export function stringifyJson(value: unknown): string {
  const rawJSON = (JSON as { rawJSON?: (text: string) => unknown }).rawJSON;
  let out: string | undefined;
  if (typeof rawJSON === "function") {
    out = JSON.stringify(value, (_k, v) => typeof v === "bigint" ? rawJSON(v.toString()) : v);
  } else {
    out = stringifyJsonFallback(value);
  }
  if (out === undefined) {
    throw new TypeError(`Cannot serialise ${typeof value} to JSON: it has no JSON representation`);
  }
  return out;
}
