/**
 * Time helpers shared by REST and WebSocket code: an abortable {@link sleep} and
 * {@link ServerClock}, which holds the offset between the local clock and a Binance server.
 *
 * Binance rejects a signed request whose `timestamp` is ≥ 1000 ms ahead of its clock or older than
 * `recvWindow` (`-1021`), so signing needs the server's time, not the local one. `ServerClock`
 * estimates it NTP-style (server time minus the midpoint of the request) and afterwards advances
 * it with a monotonic clock, so a jump of the local wall clock (NTP step, VM resume, manual change)
 * does not corrupt timestamps until the next synchronisation.
 *
 * @module
 */
import { checkOptions, type OptionKeys, optionKeys, showValue } from "./_options.ts";

/**
 * Waits `ms` milliseconds; rejects early when `signal` aborts. The timer is cleared and the abort
 * listener removed either way, so nothing keeps the runtime alive afterwards.
 *
 * @param ms Milliseconds to wait (finite, >= 0).
 * @param signal Optional abort signal.
 * @returns A promise that resolves after `ms`.
 * @throws {RangeError} If `ms` is negative or not finite (synchronously).
 * @throws The signal's `reason` (a `DOMException` named `"AbortError"` by default) if it aborts
 *   before or during the wait (as a rejection).
 *
 * @example
 * ```ts
 * import { sleep } from "./clock.ts";
 * import { assertRejects } from "@std/assert";
 *
 * await sleep(1);
 * const ctl = new AbortController();
 * const p = sleep(60_000, ctl.signal);
 * ctl.abort();
 * await assertRejects(() => p, DOMException);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`Invalid ms: expected a finite number >= 0, got ${showValue(ms)}`);
  }
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Options of {@link ServerClock}. */
export interface ServerClockOptions {
  /** Local wall clock in epoch ms; defaults to `Date.now`. */
  readonly wallClock?: () => number;
  /** Monotonic clock in ms (any origin); defaults to `performance.now`. */
  readonly monotonic?: () => number;
}

const CLOCK_KEYS: OptionKeys = optionKeys<ServerClockOptions>({ wallClock: true, monotonic: true });

/** One measurement for {@link ServerClock.update}. */
export interface ServerTimeSample {
  /** `serverTime` from `GET /api/v3/time` (or the venue's equivalent), epoch ms. */
  readonly serverTime: number;
  /** Monotonic time when the request was sent (from the same `monotonic` clock). */
  readonly sentAt: number;
  /** Monotonic time when the response arrived. */
  readonly receivedAt: number;
}

/**
 * Holds the offset between the local clock and a Binance server and tells the server's time.
 *
 * Before the first {@link ServerClock.update} it reports the local wall clock (offset 0).
 *
 * @example
 * ```ts
 * import { ServerClock } from "./clock.ts";
 * import { assertEquals } from "@std/assert";
 *
 * let mono = 1_000;
 * const clock = new ServerClock({ wallClock: () => 1_700_000_000_000, monotonic: () => mono });
 * // request sent at mono 1000, answered at mono 1040; the server said 1_700_000_000_500
 * clock.update({ serverTime: 1_700_000_000_500, sentAt: 1_000, receivedAt: 1_040 });
 * mono = 1_040;
 * assertEquals(clock.now(), 1_700_000_000_520); // server time at the midpoint + 20 ms elapsed since
 * assertEquals(clock.roundTripMs, 40);
 * ```
 */
export class ServerClock {
  readonly #wall: () => number;
  readonly #mono: () => number;
  /** Server time (epoch ms) at monotonic instant #monoAtSync; undefined before the first sync. */
  #serverAtSync: number | undefined;
  #monoAtSync = 0;
  #roundTrip: number | undefined;

  /**
   * Creates a clock; `wallClock` / `monotonic` may be injected for tests.
   *
   * @param options Clock sources.
   */
  constructor(options: ServerClockOptions = {}) {
    checkOptions(options, "ServerClock options", CLOCK_KEYS);
    this.#wall = options.wallClock ?? (() => Date.now());
    this.#mono = options.monotonic ?? (() => performance.now());
  }

  /** Monotonic time in ms from this clock's source; use it for {@link ServerTimeSample} `sentAt`/`receivedAt`. */
  monotonicNow(): number {
    return this.#mono();
  }

  /**
   * Records a measurement: the server time is taken to be `serverTime` at the midpoint of the
   * round trip.
   *
   * @param sample `serverTime` plus the monotonic send and receive instants.
   * @throws {RangeError} If a field is not finite or `receivedAt` is before `sentAt`.
   */
  update(sample: ServerTimeSample): void {
    const { serverTime, sentAt, receivedAt } = sample;
    for (
      const [name, v] of [["serverTime", serverTime], ["sentAt", sentAt], ["receivedAt", receivedAt]] as const
    ) {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(`Invalid ${name}: expected a finite number, got ${v}`);
      }
    }
    if (receivedAt < sentAt) {
      throw new RangeError(`Invalid receivedAt: ${receivedAt} is before sentAt ${sentAt}`);
    }
    this.#serverAtSync = serverTime;
    this.#monoAtSync = (sentAt + receivedAt) / 2;
    this.#roundTrip = receivedAt - sentAt;
  }

  /** `true` once {@link ServerClock.update} has been called. */
  get synced(): boolean {
    return this.#serverAtSync !== undefined;
  }

  /** Round trip of the last measurement in ms (its error bound is half of it), or `undefined`. */
  get roundTripMs(): number | undefined {
    return this.#roundTrip;
  }

  /**
   * Estimated server time now, in integer epoch ms (the local wall clock before the first sync).
   *
   * @returns Epoch milliseconds.
   */
  now(): number {
    if (this.#serverAtSync === undefined) return Math.round(this.#wall());
    return Math.round(this.#serverAtSync + (this.#mono() - this.#monoAtSync));
  }

  /** Current offset `server − local wall clock` in ms (0 before the first sync). */
  get offsetMs(): number {
    return this.#serverAtSync === undefined ? 0 : this.now() - Math.round(this.#wall());
  }

  /**
   * Milliseconds since the last measurement (on the monotonic clock), `Infinity` before the first.
   * Re-synchronise when it exceeds your policy (e.g. 5–15 min) and after a `-1021`.
   *
   * @returns Age of the last measurement.
   */
  ageMs(): number {
    return this.#serverAtSync === undefined ? Infinity : this.#mono() - this.#monoAtSync;
  }
}
