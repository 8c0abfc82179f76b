/**
 * Small parts of the depth-cache manager: argument checks, the state-event fan-out (callback and
 * async iterators) and the refresh timer.
 *
 * @module
 */
import { showValue } from "../core/_options.ts";
import { BoundedQueue } from "../ws/mod.ts";
import type { DepthCacheState, DepthCacheStateEvent } from "./cache_types.ts";
import type { MarketCache } from "./_market_cache.ts";
import { checkOptions, type OptionKeys } from "../core/_options.ts";
import { checkCredentials } from "../rest/_credentials.ts";
import { DepthCacheAlreadyStoppedError, DepthCacheInvalidSymbolError } from "./errors.ts";
import { MANAGER_KEYS } from "./_option_keys.ts";
import type { DepthCacheManagerOptions } from "./manager_options.ts";

const keysOf = (list: readonly string[]): OptionKeys => ({ list, set: new Set(list) });

/**
 * Refuses unknown keys of the manager's options — naming where a key of `restOptions` /
 * `wsOptions` put at the top level belongs — and of both nested objects, and bad credentials in
 * them, before any client is made (so the messages name the manager's options).
 */
export function checkManagerOptions(
  options: DepthCacheManagerOptions,
  restKeys: readonly string[],
  wsKeys: readonly string[],
): void {
  const where = "BinanceLocalDepthCacheManager options";
  const nested = { restOptions: keysOf(restKeys), wsOptions: keysOf(wsKeys) };
  checkOptions(options, where, MANAGER_KEYS, nested);
  checkOptions(options.restOptions, `${where}.restOptions`, nested.restOptions);
  checkOptions(options.wsOptions, `${where}.wsOptions`, nested.wsOptions);
  checkCredentials(options.restOptions ?? {}, `${where}.restOptions`);
  checkCredentials(options.wsOptions ?? {}, `${where}.wsOptions`);
}

/** Why a stopped cache cannot be used: stopped by the caller, or on its own (an invalid symbol). */
export function stoppedError(cache: MarketCache): DepthCacheAlreadyStoppedError {
  return cache.failure === undefined
    ? new DepthCacheAlreadyStoppedError(cache.market)
    : new DepthCacheInvalidSymbolError(cache.market, cache.failure);
}

/** Uppercase symbol, or a TypeError naming the rule. */
export function normalize(market: unknown): string {
  if (typeof market !== "string" || !/^[A-Za-z0-9_-]{1,40}$/.test(market)) {
    throw new TypeError(`Invalid market ${JSON.stringify(market)}: expected a symbol such as "BTCUSDT"`);
  }
  return market.toUpperCase();
}

/** A positive integer option, or a RangeError naming it. */
export function positiveInt(v: number, field: string): number {
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`Invalid ${field} ${showValue(v)}: must be a positive integer`);
  }
  return v;
}

/** A `limitCount` (integer >= 0) or undefined. */
export function readLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`Invalid limitCount ${showValue(limit)}: must be an integer >= 0`);
  }
  return limit;
}

/** State changes to the user: the `onStateChange` callback and every `stateChanges()` iterator. */
export class StateEvents {
  readonly #callback: ((event: DepthCacheStateEvent) => void) | undefined;
  readonly #queues = new Set<BoundedQueue<DepthCacheStateEvent>>();
  #closed = false;

  constructor(callback: ((event: DepthCacheStateEvent) => void) | undefined) {
    this.#callback = callback;
  }

  /** A bounded iterator over the events from now on (drops the oldest beyond 10 000). */
  iterate(): AsyncIterable<DepthCacheStateEvent> {
    const q = new BoundedQueue<DepthCacheStateEvent>({ capacity: 10_000 });
    if (this.#closed) q.close();
    else this.#queues.add(q);
    return q;
  }

  /** Tells a change of `cache` from `previous` (only a real change unless `force`; `null`: created). */
  emit(cache: MarketCache, previous: DepthCacheState | null, reason: string, force = false): void {
    if (!force && previous === cache.state) return;
    const event: DepthCacheStateEvent = {
      market: cache.market,
      state: cache.state,
      previous,
      reason,
      lastUpdateId: cache.book?.lastUpdateId ?? -1,
      time: Date.now(),
    };
    for (const q of this.#queues) q.push(event);
    try {
      this.#callback?.(event);
    } catch {
      // a failing user callback must not break the cache
    }
  }

  /** Ends every iterator. */
  close(): void {
    this.#closed = true;
    for (const q of this.#queues) q.close();
    this.#queues.clear();
  }
}

/** Starts the refresh of every live cache whose `refreshInterval` has passed since it synced. */
export class RefreshTimer {
  readonly #caches: ReadonlyMap<string, MarketCache>;
  #timer: ReturnType<typeof setInterval> | undefined;
  #period = Infinity;
  #closed = false;

  constructor(caches: ReadonlyMap<string, MarketCache>) {
    this.#caches = caches;
  }

  /** Starts (or speeds up) the timer: a tenth of the smallest interval, 20 ms to 1 s. */
  start(): void {
    if (this.#closed) return;
    let min = Infinity;
    for (const c of this.#caches.values()) if (c.refreshInterval) min = Math.min(min, c.refreshInterval);
    const period = Math.max(20, Math.min(1000, Math.floor(min / 10)));
    if (this.#timer !== undefined) {
      if (period >= this.#period) return;
      clearInterval(this.#timer);
    }
    this.#period = period;
    this.#timer = setInterval(() => {
      const now = Date.now();
      for (const c of this.#caches.values()) {
        if (
          c.refreshInterval && c.state === "LIVE" && !c.refreshing && now - c.lastSyncAt >= c.refreshInterval
        ) {
          c.startRefresh();
        }
      }
    }, period);
  }

  /** Stops the timer for good. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
  }
}
