/**
 * Snapshot requests of the depth-cache manager: one REST depth snapshot per request of a cache's
 * book, sent through the manager's {@link SnapshotScheduler}, retried with jittered back-off
 * after a failure, dropped unsent when the book that asked is gone; and the manager's timers,
 * all cleared on close.
 *
 * @module
 */
import { backoffDelay } from "../core/backoff.ts";
import { isBinanceApiError } from "../core/errors.ts";
import type { Exchange } from "../core/exchanges.ts";
import type { DepthSnapshot, PriceLevel } from "./book_types.ts";
import type { MarketCache, Slot } from "./_market_cache.ts";
import type { SnapshotScheduler } from "./scheduler.ts";
import type { DepthSnapshotClient } from "./manager_options.ts";

/** Timers that all end with {@link Timers.clear}. */
export class Timers {
  readonly #set = new Set<ReturnType<typeof setTimeout>>();
  #cleared = false;

  /** Runs `fn` after `ms` unless cleared before. */
  set(fn: () => void, ms: number): void {
    if (this.#cleared) return;
    const t = setTimeout(() => {
      this.#set.delete(t);
      if (!this.#cleared) fn();
    }, ms);
    this.#set.add(t);
  }

  /** Clears every pending timer; later `set` calls do nothing. */
  clear(): void {
    this.#cleared = true;
    for (const t of this.#set) clearTimeout(t);
    this.#set.clear();
  }
}

/**
 * Reads a depth-snapshot response body: `lastUpdateId` (spot, futures) or `u` (options
 * `/eapi/v1/depth`, which answers `{ T, u, bids, asks }`).
 */
export function toSnapshot(body: unknown): DepthSnapshot {
  const b = body as { lastUpdateId?: unknown; u?: unknown; bids?: unknown; asks?: unknown };
  const id = b?.lastUpdateId ?? b?.u;
  if (!b || !Array.isArray(b.bids) || !Array.isArray(b.asks) || id === undefined) {
    throw new SyntaxError("Invalid depth snapshot: lastUpdateId (options: u), bids and asks are required");
  }
  return { lastUpdateId: Number(id), bids: b.bids as PriceLevel[], asks: b.asks as PriceLevel[] };
}

/** Sends the snapshot requests of a manager's caches (see the module docs). */
export class SnapshotFetcher {
  readonly #exchange: Exchange;
  readonly #rest: DepthSnapshotClient;
  readonly #scheduler: SnapshotScheduler;
  readonly #timers: Timers;
  readonly #limit: number;
  readonly #weight: number;

  constructor(
    o: {
      exchange: Exchange;
      rest: DepthSnapshotClient;
      scheduler: SnapshotScheduler;
      timers: Timers;
      limit: number;
      weight: number;
    },
  ) {
    this.#exchange = o.exchange;
    this.#rest = o.rest;
    this.#scheduler = o.scheduler;
    this.#timers = o.timers;
    this.#limit = o.limit;
    this.#weight = o.weight;
  }

  /** Requests a snapshot for `slot` of `cache` (after a back-off when its last one failed). */
  fetch(cache: MarketCache, slot: Slot): void {
    const go = (): void => {
      if (slot.closed || cache.stopped) return void (slot.fetching = false);
      const ds = this.#exchange.depthSnapshot!;
      this.#scheduler.schedule({
        key: cache.market,
        weight: this.#weight,
        priority: slot.priority,
        skip: () => slot.closed || cache.stopped,
        run: () =>
          this.#rest.request(
            { method: "GET", family: ds.family, path: ds.path, security: "NONE", weight: this.#weight },
            { symbol: cache.market, limit: this.#limit },
          ),
      }).then(
        (body) => {
          if (body === undefined) return void (slot.fetching = false); // skipped: the slot is gone
          let snap: DepthSnapshot;
          try {
            snap = toSnapshot(body);
          } catch (e) {
            return cache.onSnapshotFailed(slot, (e as Error).message);
          }
          cache.onSnapshot(slot, snap);
        },
        (e) => {
          // Binance does not know the symbol: retrying cannot help, the cache stops with the reason
          if (isBinanceApiError(e) && e.code === -1121) {
            return cache.fail(slot, `invalid symbol: ${e.message}`);
          }
          cache.onSnapshotFailed(slot, e instanceof Error ? e.message : String(e));
        },
      );
    };
    if (slot.failures === 0) go();
    else this.#timers.set(go, backoffDelay(Math.min(slot.failures - 1, 10), { baseMs: 250, maxMs: 30_000 }));
  }
}
