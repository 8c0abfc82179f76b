/**
 * Jittered, capped exponential back-off for reconnects and retries (REST 5xx/-1007 retries,
 * WebSocket reconnects). Pure: the random source is injectable, so tests and simulations are
 * deterministic.
 *
 * The exponential value of attempt `n` is `min(maxMs, baseMs · 2^n)`; the jitter spreads clients
 * that failed together (a `serverShutdown`, a planned stream upgrade) so they do not reconnect in
 * the same instant and run into Binance's 300 connections / 5 min per IP limit:
 *
 * | jitter | delay |
 * |---|---|
 * | `"full"` (default) | uniform in `[0, exp)` |
 * | `"equal"` | uniform in `[exp/2, exp)` — never shorter than half the exponential value |
 * | `"none"` | `exp` |
 *
 * @module
 */
import { checkOptions, type OptionKeys, optionKeys, showValue } from "./_options.ts";

/** Options of {@link backoffDelay}. */
export interface BackoffOptions {
  /** Delay of attempt 0 before jitter, in ms (> 0). */
  readonly baseMs: number;
  /** Upper bound of the exponential value, in ms (>= `baseMs`). */
  readonly maxMs: number;
  /** Random source returning a number in `[0, 1)`; defaults to `Math.random`. */
  readonly random?: () => number;
  /** Jitter kind; defaults to `"full"`. */
  readonly jitter?: "full" | "equal" | "none";
}

const BACKOFF_KEYS: OptionKeys = optionKeys<BackoffOptions>({
  baseMs: true,
  maxMs: true,
  random: true,
  jitter: true,
});

/**
 * Delay before retry number `attempt` (0 = the first retry).
 *
 * @param attempt Number of failed attempts so far minus one: 0, 1, 2, … (an integer >= 0).
 * @param options `baseMs`, `maxMs`, optional `random` and `jitter`.
 * @returns Milliseconds to wait, an integer in `[0, maxMs]`.
 * @throws {RangeError} If `attempt` is not an integer >= 0, `baseMs` is not > 0, `maxMs` is below
 *   `baseMs`, or `random()` returns a value outside `[0, 1)`.
 * @throws {TypeError} If `jitter` is unknown, or `options` has an unknown key.
 *
 * @example
 * ```ts
 * import { backoffDelay } from "./backoff.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const noJitter = { baseMs: 500, maxMs: 8_000, jitter: "none" } as const;
 * assertEquals([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, noJitter)), [500, 1000, 2000, 4000, 8000, 8000, 8000]);
 * assertEquals(backoffDelay(3, { baseMs: 500, maxMs: 8_000, random: () => 0.5 }), 2000);
 * ```
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  checkOptions(options, "backoff options", BACKOFF_KEYS);
  if (!Number.isSafeInteger(attempt) || attempt < 0) {
    throw new RangeError(`Invalid attempt: expected an integer >= 0, got ${showValue(attempt)}`);
  }
  const { baseMs, maxMs } = options;
  if (typeof baseMs !== "number" || !Number.isFinite(baseMs) || baseMs <= 0) {
    throw new RangeError(`Invalid baseMs: expected a finite number > 0, got ${showValue(baseMs)}`);
  }
  if (typeof maxMs !== "number" || !Number.isFinite(maxMs) || maxMs < baseMs) {
    throw new RangeError(
      `Invalid maxMs: expected a finite number >= baseMs (${showValue(baseMs)}), got ${showValue(maxMs)}`,
    );
  }
  // 2^1100 overflows to Infinity; min() then yields maxMs, as intended
  const exp = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 1100));
  const jitter = options.jitter ?? "full";
  if (jitter === "none") return Math.round(exp);
  if (jitter !== "full" && jitter !== "equal") {
    throw new TypeError(`Invalid jitter: expected "full", "equal" or "none", got ${JSON.stringify(jitter)}`);
  }
  const r = (options.random ?? Math.random)();
  if (!(r >= 0 && r < 1)) throw new RangeError(`Invalid random(): expected a number in [0, 1), got ${r}`);
  return Math.floor(jitter === "full" ? r * exp : exp / 2 + r * (exp / 2));
}

/**
 * A retry counter around {@link backoffDelay}: `next()` returns the delay of the next attempt,
 * `reset()` after a success (or after a connection stayed healthy long enough).
 *
 * @example
 * ```ts
 * import { Backoff } from "./backoff.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const b = new Backoff({ baseMs: 100, maxMs: 1000, jitter: "none" });
 * assertEquals([b.next(), b.next(), b.next()], [100, 200, 400]);
 * b.reset();
 * assertEquals(b.next(), 100);
 * ```
 */
export class Backoff {
  readonly #options: BackoffOptions;
  #attempt = 0;

  /**
   * Creates the counter.
   *
   * @param options As for {@link backoffDelay}; validated now.
   * @throws {RangeError} On invalid `baseMs` / `maxMs`.
   * @throws {TypeError} On an unknown `jitter`.
   */
  constructor(options: BackoffOptions) {
    backoffDelay(0, { ...options, random: () => 0 });
    this.#options = { ...options };
  }

  /** Attempts made since the last {@link Backoff.reset}. */
  get attempt(): number {
    return this.#attempt;
  }

  /**
   * Delay before the next attempt; advances the counter.
   *
   * @returns Milliseconds to wait.
   */
  next(): number {
    return backoffDelay(this.#attempt++, this.#options);
  }

  /** Starts over at attempt 0. */
  reset(): void {
    this.#attempt = 0;
  }
}
