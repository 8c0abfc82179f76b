/**
 * Exact integer price ticks from Binance's decimal strings.
 *
 * A market's price scale is a number of decimals `d`; a price string `p` becomes the integer
 * `p * 10^d`, computed digit by digit without floating-point rounding (every intermediate value is
 * an integer below 2^53, which a double holds exactly). The scale comes from the symbol's
 * `tickSize` ({@link scaleOfStep}) or is detected from the strings ({@link detectScale}).
 * Because `tick / 10^d` is one correctly rounded division of two exact doubles, it equals
 * `parseFloat(p)` bit for bit, so numeric outputs match what a float-based client computes.
 *
 * @example Parsing and formatting
 * ```ts
 * import { formatTicks, parseTicks, scaleOfStep } from "./ticks.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const scale = scaleOfStep("0.01000000");
 * assertEquals(scale, 2);
 * assertEquals(parseTicks("99999.99000000", scale), 9999999);
 * assertEquals(formatTicks(10000000, scale), "100000.00");
 * ```
 *
 * @module
 */

/** Largest supported scale: 10^22 is the largest power of ten a double holds exactly. */
export const MAX_PRICE_SCALE = 22;

const POW10: readonly number[] = Array.from({ length: MAX_PRICE_SCALE + 1 }, (_, i) => 10 ** i);

/**
 * `10^scale` as an exact double.
 *
 * @param scale Number of decimals (0..22).
 * @returns The divisor that turns ticks into prices.
 * @throws {RangeError} When `scale` is not an integer in 0..22.
 */
export function scaleDivisor(scale: number): number {
  checkScale(scale);
  return POW10[scale];
}

function checkScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_PRICE_SCALE) {
    throw new RangeError(`Invalid price scale ${scale}: must be an integer from 0 to ${MAX_PRICE_SCALE}`);
  }
}

/**
 * Parses a non-negative decimal string into integer ticks at `scale` decimals. Trailing zeros
 * beyond the scale are accepted (`"0.35210000"` at scale 4 is 3521); a non-zero digit beyond it
 * is an error, never silently rounded.
 *
 * @param text A decimal string such as `"0.00205050"` (no sign, no exponent).
 * @param scale Number of decimals of the market's prices.
 * @returns The exact integer `text * 10^scale`.
 * @throws {SyntaxError} When `text` is not a plain decimal number.
 * @throws {RangeError} When `text` has significant digits beyond `scale`, or the result is not
 *   below 2^53.
 */
export function parseTicks(text: string, scale: number): number {
  if (!(scale >= 0 && scale <= MAX_PRICE_SCALE && (scale | 0) === scale)) checkScale(scale);
  let value = 0;
  let decimals = -1; // -1: before the decimal point
  let digits = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (decimals !== -1) throw syntax(text);
      decimals = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) throw syntax(text);
    digits++;
    if (decimals === -1) {
      value = value * 10 + d;
    } else if (decimals < scale) {
      value = value * 10 + d;
      decimals++;
    } else if (d !== 0) {
      throw new RangeError(`Cannot parse price ${text}: more than ${scale} significant decimals`);
    }
  }
  if (digits === 0) throw syntax(text);
  if (decimals < scale) value *= POW10[scale - (decimals === -1 ? 0 : decimals)];
  if (value > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`Cannot parse price ${text}: ${scale} decimals exceed 2^53 ticks`);
  }
  return value;
}

function syntax(text: string): SyntaxError {
  return new SyntaxError(`Cannot parse price ${JSON.stringify(text)}: not a plain decimal number`);
}

/**
 * Formats integer ticks as a decimal string with exactly `scale` decimals.
 *
 * @param ticks Non-negative integer ticks.
 * @param scale Number of decimals.
 * @returns E.g. `formatTicks(3521, 4)` is `"0.3521"`.
 * @throws {RangeError} When `ticks` is not a non-negative safe integer or `scale` is invalid.
 */
export function formatTicks(ticks: number, scale: number): string {
  checkScale(scale);
  if (!Number.isSafeInteger(ticks) || ticks < 0) {
    throw new RangeError(`Invalid ticks ${ticks}: must be a non-negative safe integer`);
  }
  const s = String(ticks);
  if (scale === 0) return s;
  const padded = s.length <= scale ? "0".repeat(scale - s.length + 1) + s : s;
  return `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
}

/**
 * Number of decimals of a step such as a `tickSize` or `stepSize` (trailing zeros ignored).
 *
 * @param step A decimal string, e.g. `"0.00010000"`.
 * @returns E.g. 4 for `"0.00010000"`, 0 for `"1.00000000"`.
 * @throws {SyntaxError} When `step` is not a plain decimal number.
 */
export function scaleOfStep(step: string): number {
  if (!/^\d+(\.\d+)?$/.test(step)) {
    throw new SyntaxError(`Cannot read step ${JSON.stringify(step)}: not a plain decimal number`);
  }
  const dot = step.indexOf(".");
  if (dot === -1) return 0;
  let end = step.length;
  while (end > dot + 1 && step.charCodeAt(end - 1) === 48) end--;
  return end - dot - 1;
}

/**
 * Detects a price scale from price strings: the largest number of significant decimals seen
 * (trailing zeros ignored), so every given price parses exactly.
 *
 * @param prices Price strings of a snapshot or stream.
 * @returns The scale, 0 for an empty list.
 * @throws {SyntaxError} When a string is not a plain decimal number.
 */
export function detectScale(prices: Iterable<string>): number {
  let scale = 0;
  for (const p of prices) scale = Math.max(scale, scaleOfStep(p));
  return scale;
}

/**
 * Number of decimals written in a price string, trailing zeros included (spot sends 8). Using it as
 * the scale is always safe for a venue whose strings have a fixed width, unlike the `tickSize`:
 * levels placed before a tick-size change can be finer than the current tick (the NKNUSDT spot
 * recording has tickSize 0.0001 and a level at 0.25974).
 *
 * @param price A decimal string such as `"0.35210000"`.
 * @returns E.g. 8 for `"0.35210000"`, 0 for `"42"`.
 * @throws {SyntaxError} When `price` is not a plain decimal number.
 */
export function wireDecimals(price: string): number {
  if (!/^\d+(\.\d+)?$/.test(price)) {
    throw new SyntaxError(`Cannot read price ${JSON.stringify(price)}: not a plain decimal number`);
  }
  const dot = price.indexOf(".");
  return dot === -1 ? 0 : price.length - dot - 1;
}

/**
 * Formats a float quantity with a known number of decimals (a quantity stored as f64 prints back
 * as the original Binance string when `decimals` is the market's step decimals).
 *
 * @param value The quantity.
 * @param decimals Decimals of the market's `stepSize` (0..100).
 * @returns E.g. `formatQuantity(39.05, 8)` is `"39.05000000"`.
 * @throws {RangeError} When `decimals` is out of range.
 */
export function formatQuantity(value: number, decimals: number): string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 100) {
    throw new RangeError(`Invalid decimals ${decimals}: must be an integer from 0 to 100`);
  }
  return value.toFixed(decimals);
}
