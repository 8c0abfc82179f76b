/**
 * Rate-limit bookkeeping: the used weight and order counts Binance reports in response headers
 * (`X-MBX-USED-WEIGHT-1M`, `X-MBX-ORDER-COUNT-10S`, sapi's `X-SAPI-USED-IP-WEIGHT-1M` …) and an
 * optional client-side weight budget that delays a request until the calendar-aligned interval
 * resets instead of letting Binance answer 429.
 *
 * @module
 */
import { checkOptions, type OptionKeys, optionKeys, showValue } from "../core/_options.ts";

/** What the last response of one API family said about the used limits. */
export interface UsageSnapshot {
  /** Used request weight per interval, e.g. `{ "1M": 26 }` (sapi: `"IP-1M"`, `"UID-1M"`). */
  readonly weight: Readonly<Record<string, number>>;
  /** Unfilled-order counts per interval, e.g. `{ "10S": 1, "1D": 7 }` (order responses only). */
  readonly orderCount: Readonly<Record<string, number>>;
  /** Local epoch milliseconds of the response the numbers come from. */
  readonly updatedAt: number;
}

/**
 * Reads the usage headers of one response.
 *
 * @param headers Response headers.
 * @param at Local epoch milliseconds of the response.
 * @returns The snapshot, or `undefined` when the response carried no usage header.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { readUsageHeaders } from "./usage.ts";
 *
 * const h = new Headers({ "X-MBX-USED-WEIGHT-1M": "26", "X-MBX-ORDER-COUNT-10S": "1" });
 * assertEquals(readUsageHeaders(h, 5), { weight: { "1M": 26 }, orderCount: { "10S": 1 }, updatedAt: 5 });
 * ```
 */
export function readUsageHeaders(headers: Headers, at: number): UsageSnapshot | undefined {
  const weight: Record<string, number> = {};
  const orderCount: Record<string, number> = {};
  let seen = false;
  headers.forEach((value, rawName) => {
    const name = rawName.toLowerCase();
    const n = Number(value);
    if (!Number.isFinite(n)) return;
    let m = /^x-mbx-used-weight-(\d+[smhd])$/.exec(name);
    if (m) {
      weight[m[1].toUpperCase()] = n;
      seen = true;
      return;
    }
    m = /^x-sapi-used-(ip|uid)-weight-(\d+[smhd])$/.exec(name);
    if (m) {
      weight[`${m[1].toUpperCase()}-${m[2].toUpperCase()}`] = n;
      seen = true;
      return;
    }
    m = /^x-mbx-order-count-(\d+[smhd])$/.exec(name);
    if (m) {
      orderCount[m[1].toUpperCase()] = n;
      seen = true;
    }
  });
  return seen ? { weight, orderCount, updatedAt: at } : undefined;
}

/** Options of the client-side weight budget. */
export interface WeightBudgetOptions {
  /**
   * Weight the client allows itself per interval, below Binance's limit (spot 6000/min, USDⓈ-M
   * 2400/min) to leave room for other processes on the same IP.
   */
  readonly limit: number;
  /** Interval length in milliseconds; calendar-aligned like Binance's (default 60 000). */
  readonly intervalMs?: number;
}

const BUDGET_KEYS: OptionKeys = optionKeys<WeightBudgetOptions>({ limit: true, intervalMs: true });

/**
 * Tracks weight used in the current calendar-aligned interval and tells how long a request of a
 * given weight must wait so the interval's total stays within the limit.
 */
export class WeightBudget {
  /** Weight allowed per interval. */
  readonly limit: number;
  /** Interval length in milliseconds. */
  readonly intervalMs: number;
  #window = -1;
  #used = 0;

  /**
   * Creates a budget.
   *
   * @param options The limit and interval.
   * @throws {RangeError} When `limit` or `intervalMs` is not a positive number.
   * @throws {TypeError} On an unknown option key.
   */
  constructor(options: WeightBudgetOptions) {
    checkOptions(options, "weightBudget options", BUDGET_KEYS);
    const intervalMs = options.intervalMs ?? 60_000;
    if (!(options.limit > 0)) {
      throw new RangeError(`Invalid weightBudget.limit: expected > 0, got ${showValue(options.limit)}`);
    }
    if (!(intervalMs > 0)) {
      throw new RangeError(`Invalid weightBudget.intervalMs: expected > 0, got ${showValue(intervalMs)}`);
    }
    this.limit = options.limit;
    this.intervalMs = intervalMs;
  }

  #roll(now: number): void {
    const w = Math.floor(now / this.intervalMs);
    if (w !== this.#window) {
      this.#window = w;
      this.#used = 0;
    }
  }

  /**
   * Milliseconds to wait before a request of `weight` may be sent at server time `now`
   * (0 when it fits now). A request heavier than the whole limit waits for a fresh interval.
   *
   * @param weight The request's weight.
   * @param now Server-time epoch milliseconds.
   * @returns The delay in milliseconds.
   */
  delayFor(weight: number, now: number): number {
    this.#roll(now);
    if (this.#used === 0 || this.#used + weight <= this.limit) return 0;
    return (this.#window + 1) * this.intervalMs - now;
  }

  /**
   * Counts a request that is being sent.
   *
   * @param weight The request's weight.
   * @param now Server-time epoch milliseconds.
   */
  add(weight: number, now: number): void {
    this.#roll(now);
    this.#used += weight;
  }

  /**
   * Takes the used weight Binance reported (it also counts other clients on the same IP).
   *
   * @param used The header value for this interval.
   * @param now Server-time epoch milliseconds of the response.
   */
  observe(used: number, now: number): void {
    this.#roll(now);
    if (used > this.#used) this.#used = used;
  }

  /** Weight counted in the current interval. */
  get used(): number {
    return this.#used;
  }
}
