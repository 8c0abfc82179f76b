/**
 * A connection-attempt budget shared by the connections of a WebSocket manager (or of several
 * managers on one IP): Binance allows 300 connection attempts per 5 minutes per IP, and each
 * connection's own back-off cannot see the others — after a 60 s outage 200 streams would try
 * about 1 200 times in 5 minutes. Every attempt reserves a slot; when the window is full the
 * attempt waits until the oldest one leaves it.
 *
 * @module
 */
import { checkOptions, type OptionKeys, optionKeys, showValue } from "../core/_options.ts";

/** Options of {@link ConnectAttemptBudget}. */
export interface ConnectAttemptBudgetOptions {
  /** Attempts per window. Default 250 (Binance's 300, less a margin for other clients on the IP). */
  readonly limit?: number;
  /** The window in ms. Default 300 000 (5 minutes). */
  readonly windowMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

const BUDGET_KEYS: OptionKeys = optionKeys<ConnectAttemptBudgetOptions>({
  limit: true,
  windowMs: true,
  now: true,
});

/**
 * Reserves connection-attempt slots in a sliding window.
 *
 * @example Usage
 * ```ts
 * import { ConnectAttemptBudget } from "./attempt_budget.ts";
 * import { assertEquals } from "@std/assert";
 *
 * let t = 0;
 * const budget = new ConnectAttemptBudget({ limit: 2, windowMs: 1000, now: () => t });
 * assertEquals([budget.reserve(), budget.reserve()], [0, 0]);
 * assertEquals(budget.reserve(), 1000); // the third waits until the first leaves the window
 * t = 500;
 * assertEquals(budget.reserve(), 500); // the fourth also goes at 1000: two in any 1000 ms
 * ```
 */
export class ConnectAttemptBudget {
  /** Connection attempts allowed per window. */
  readonly limit: number;
  /** The window (ms). */
  readonly windowMs: number;
  readonly #now: () => number;
  /** Reserved attempt times, ascending (past ones and future ones). */
  #slots: number[] = [];
  /** When attempts were really made, ascending (timers fire late on a loaded machine). */
  #made: number[] = [];

  /**
   * Creates a budget.
   *
   * @param options Limit, window and clock.
   * @throws {RangeError} When `limit` or `windowMs` is not a positive integer.
   * @throws {TypeError} On an unknown option key.
   */
  constructor(options: ConnectAttemptBudgetOptions = {}) {
    checkOptions(options, "ConnectAttemptBudget options", BUDGET_KEYS);
    const limit = options.limit ?? 250;
    const windowMs = options.windowMs ?? 300_000;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError(`Invalid limit ${showValue(limit)}: must be a positive integer`);
    }
    if (!Number.isSafeInteger(windowMs) || windowMs < 1) {
      throw new RangeError(`Invalid windowMs ${showValue(windowMs)}: must be a positive integer`);
    }
    this.limit = limit;
    this.windowMs = windowMs;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Reserves the earliest free slot.
   *
   * @returns The ms to wait before the attempt (0: go now).
   */
  reserve(): number {
    const now = this.#now();
    while (this.#slots.length > 0 && this.#slots[0] <= now - this.windowMs) this.#slots.shift();
    // the new attempt may go once `limit` attempts before it are all older than the window
    const at = this.#slots.length < this.limit
      ? now
      : Math.max(now, this.#slots[this.#slots.length - this.limit] + this.windowMs);
    this.#slots.push(at);
    return at - now;
  }

  /**
   * Records an attempt made now, unless the attempts really made within the window already reach
   * the limit: a reservation's timer that fired late can bring its attempt into the window of
   * later ones, so the time of each attempt decides as well as its slot.
   *
   * @example Usage
   * ```ts
   * import { ConnectAttemptBudget } from "./attempt_budget.ts";
   * import { assertEquals } from "@std/assert";
   *
   * let t = 0;
   * const budget = new ConnectAttemptBudget({ limit: 2, windowMs: 1000, now: () => t });
   * assertEquals([budget.attempt(), budget.attempt()], [0, 0]); // two made at 0
   * t = 300;
   * assertEquals(budget.attempt(), 701); // a third waits until the first is more than a window old
   * assertEquals(budget.attempt(true), 0); // forced (a rotation's attempt): recorded anyway
   * ```
   *
   * @param force Record it even when the window is full (an attempt that does not wait).
   * @returns The ms to wait before asking again; 0 when the attempt was recorded (go now).
   */
  attempt(force = false): number {
    const now = this.#now();
    // an attempt exactly one window old still counts: a millisecond of margin against clocks read
    // a moment apart (the attempt itself is made right after this call)
    while (this.#made.length > 0 && this.#made[0] < now - this.windowMs) this.#made.shift();
    if (!force && this.#made.length >= this.limit) {
      return this.#made[this.#made.length - this.limit] + this.windowMs + 1 - now;
    }
    this.#made.push(now);
    return 0;
  }
}
