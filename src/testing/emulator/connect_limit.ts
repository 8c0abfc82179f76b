/**
 * Binance's connection-attempt limit of the market-stream hosts (300 connections per 5 minutes
 * per IP): a sliding window per host. Pure: the caller passes the clock.
 *
 * @module
 */

/** The verdict on one connection attempt. */
export type AttemptVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly retryAfterMs: number; readonly count: number };

/**
 * Counts accepted connection attempts per key (stream host) in a sliding window.
 *
 * @example
 * ```ts
 * import { AttemptWindow } from "./connect_limit.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const w = new AttemptWindow(2, 1000);
 * assertEquals(w.admit("spot", 0).ok, true);
 * assertEquals(w.admit("spot", 10).ok, true);
 * assertEquals(w.admit("spot", 20), { ok: false, retryAfterMs: 980, count: 2 });
 * assertEquals(w.admit("usdm", 20).ok, true); // another host has its own window
 * assertEquals(w.admit("spot", 1000).ok, true); // the first attempt left the window
 * ```
 */
export class AttemptWindow {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #times: Map<string, number[]> = new Map();

  /**
   * @param limit attempts allowed per window (Binance: 300)
   * @param windowMs the window (Binance: 5 minutes)
   * @throws {RangeError} when either is not a positive integer
   */
  constructor(limit: number, windowMs: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError(`Invalid limit: expected a positive integer, got ${limit}`);
    }
    if (!Number.isSafeInteger(windowMs) || windowMs < 1) {
      throw new RangeError(`Invalid windowMs: expected a positive integer, got ${windowMs}`);
    }
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /**
   * Admits an attempt at `now` (and counts it), or refuses it with the time until the oldest
   * counted attempt leaves the window. Refused attempts are not counted: they open nothing.
   */
  admit(key: string, now: number): AttemptVerdict {
    let list = this.#times.get(key);
    if (!list) this.#times.set(key, list = []);
    while (list.length > 0 && list[0] <= now - this.#windowMs) list.shift();
    if (list.length >= this.#limit) {
      return { ok: false, retryAfterMs: list[0] + this.#windowMs - now, count: list.length };
    }
    list.push(now);
    return { ok: true };
  }
}
