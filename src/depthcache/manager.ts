/**
 * `BinanceLocalDepthCacheManager`: local order books of many markets, synchronized with Binance's
 * documented procedure per venue and served only while they can be vouched for — the TypeScript
 * form of the Python suite's UBLDC, without its defects (see docs/depthcache.md).
 *
 * - Streams: markets share WebSocket-manager streams (one connection each, up to the venue's
 *   streams per connection); markets created in the same tick go out as one batch (a stream URL
 *   or SUBSCRIBE messages paced by the WebSocket manager).
 * - Sync: {@link DepthSync} per book (buffer from the subscription on, snapshot, re-fetch while the
 *   snapshot is older than the stream keeping the buffer, drop old events, gap → resync, futures
 *   `pu` chaining, crossed book → resync). A lost connection or an unreadable frame makes the book
 *   unverified: reads raise until the next event chains onto it (no snapshot needed when nothing
 *   was missed) or, after `reconnectGraceMs`, a resync starts.
 * - Snapshots: one {@link SnapshotScheduler} per manager keeps REST weight within a budget.
 * - Refresh: with `refreshInterval` a new book is built behind the served one and swapped in
 *   atomically once live; the old book keeps serving meanwhile.
 * - Reads: `getAsks` / `getBids` / `getBook` read the sorted book without sorting, as numbers or
 *   exact decimal strings; every read of a cache that is not LIVE raises
 *   {@link DepthCacheOutOfSyncError}.
 *
 * @module
 */
import { backoffDelay } from "../core/backoff.ts";
import { type Exchange, getExchange } from "../core/exchanges.ts";
import { BinanceRestClient, type RestClientCore, type RestClientOptions } from "../rest/mod.ts";
import { BinanceWebSocketManager, type BinanceWebSocketManagerOptions, BoundedQueue } from "../ws/mod.ts";
import type { DepthSnapshot, OrderBook, PriceLevel } from "./book_types.ts";
import type {
  DepthCacheBook,
  DepthCacheState,
  DepthCacheStateEvent,
  DepthCacheStats,
  LevelFormat,
  LevelReadOptions,
  NumberLevel,
  StringLevel,
} from "./cache_types.ts";
import {
  DepthCacheAlreadyStoppedError,
  DepthCacheNotFoundError,
  DepthCacheOutOfSyncError,
} from "./errors.ts";
import { type CacheHooks, MarketCache, type Slot } from "./_market_cache.ts";
import { StreamGroups } from "./_stream_groups.ts";
import {
  defaultWeightBudget,
  SnapshotScheduler,
  type SnapshotSchedulerStats,
  snapshotWeight,
} from "./scheduler.ts";

export type {
  DepthCacheBook,
  DepthCacheState,
  DepthCacheStateEvent,
  DepthCacheStats,
  LevelFormat,
  LevelReadOptions,
  NumberLevel,
  StringLevel,
};

/** Options of {@link BinanceLocalDepthCacheManager}. */
export interface DepthCacheManagerOptions {
  /** Exchange string (`"binance.com"`, `"binance.com-futures"`, …). Default `"binance.com"`. */
  readonly exchange?: string;
  /** REST client for snapshots (shared with the application); else one is made from `restOptions`. */
  readonly restClient?: RestClientCore;
  /** Options of the REST client the manager makes (e.g. `{ baseUrl: emu.restUrl }`). */
  readonly restOptions?: RestClientOptions;
  /** WebSocket manager to use (not closed by the manager); else one is made from `wsOptions`. */
  readonly wsManager?: BinanceWebSocketManager;
  /** Options of the WebSocket manager the manager makes (e.g. `{ streamBase: emu.wsUrl }`). */
  readonly wsOptions?: BinanceWebSocketManagerOptions;
  /** Diff stream period in ms: `depth@<n>ms` (default 100; options 500); 1000 on spot is `depth`. */
  readonly updateInterval?: number;
  /** Levels kept per side (default 1000). */
  readonly depth?: number;
  /** Snapshot `limit` (default the venue's, e.g. 1000). */
  readonly snapshotLimit?: number;
  /** Default refresh interval of the caches in ms (none by default). */
  readonly refreshInterval?: number;
  /** REST weight the snapshots may use per interval (default half of the venue's per-minute limit). */
  readonly weightBudget?: number;
  /**
   * Budget interval in ms (default 60 000, Binance's). The used-weight header is read only with
   * the default: it counts Binance's 1-minute interval.
   */
  readonly budgetIntervalMs?: number;
  /** Snapshots in flight at once (default 4). */
  readonly snapshotConcurrency?: number;
  /** Markets per stream / connection (default the venue's streams per connection). */
  readonly marketsPerStream?: number;
  /** How long a book stays unverified after a disconnect before a resync starts (default 10 000 ms). */
  readonly reconnectGraceMs?: number;
  /** Called on every state change of every cache. */
  readonly onStateChange?: (event: DepthCacheStateEvent) => void;
}

/** Options of {@link BinanceLocalDepthCacheManager.createDepthCache}. */
export interface CreateDepthCacheOptions {
  /** Refresh interval of these caches in ms (overrides the manager's). */
  readonly refreshInterval?: number;
}

/** Options of `getBook`. */
export interface BookReadOptions {
  /** At most this many levels per side (default all). */
  readonly limitCount?: number;
}

function normalize(market: unknown): string {
  if (typeof market !== "string" || !/^[A-Za-z0-9_-]{1,40}$/.test(market)) {
    throw new TypeError(`Invalid market ${JSON.stringify(market)}: expected a symbol such as "BTCUSDT"`);
  }
  return market.toUpperCase();
}

function toSnapshot(body: unknown): DepthSnapshot {
  const b = body as { lastUpdateId?: unknown; bids?: unknown; asks?: unknown };
  if (!b || !Array.isArray(b.bids) || !Array.isArray(b.asks) || b.lastUpdateId === undefined) {
    throw new SyntaxError("Invalid depth snapshot: lastUpdateId, bids and asks are required");
  }
  return { lastUpdateId: Number(b.lastUpdateId), bids: b.bids as PriceLevel[], asks: b.asks as PriceLevel[] };
}

/**
 * Local depth caches of many markets (see the module docs).
 *
 * @example Lifecycle without network (nothing connects until a cache is created)
 * ```ts
 * import { BinanceLocalDepthCacheManager } from "./manager.ts";
 * import { DepthCacheNotFoundError } from "./errors.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * await using dcm = new BinanceLocalDepthCacheManager({ exchange: "binance.com" });
 * assertEquals(dcm.getList(), []);
 * assertThrows(() => dcm.getAsks("BTCUSDT"), DepthCacheNotFoundError);
 * ```
 */
export class BinanceLocalDepthCacheManager implements AsyncDisposable {
  /** The venue. */
  readonly exchange: Exchange;
  /** The snapshot scheduler shared by every cache of this manager. */
  readonly scheduler: SnapshotScheduler;
  readonly #rest: RestClientCore;
  readonly #ws: BinanceWebSocketManager;
  readonly #ownWs: boolean;
  readonly #caches = new Map<string, MarketCache>();
  readonly #groups: StreamGroups;
  readonly #o: DepthCacheManagerOptions;
  readonly #depth: number;
  readonly #limit: number;
  readonly #weight: number;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #events = new Set<BoundedQueue<DepthCacheStateEvent>>();
  readonly #hooks: CacheHooks;
  #refreshTimer: ReturnType<typeof setInterval> | undefined;
  #refreshPeriod = Infinity;
  #closed = false;

  /**
   * Creates a manager; nothing connects until {@link createDepthCache}.
   *
   * @param options Exchange, clients (or their options), intervals, budget, callbacks.
   * @throws {RangeError} On an unknown exchange, a venue without depth snapshots or streams, or an
   *   option out of range.
   */
  constructor(options: DepthCacheManagerOptions = {}) {
    this.#o = options;
    this.exchange = getExchange(options.exchange ?? "binance.com");
    const ex = this.exchange;
    if (ex.depthSnapshot === null || !ex.marketStreams) {
      throw new RangeError(`Invalid exchange ${ex.name}: it has no market data for depth caches`);
    }
    this.#depth = positiveInt(options.depth ?? 1000, "depth");
    this.#limit = positiveInt(options.snapshotLimit ?? ex.snapshotLimit, "snapshotLimit");
    if (this.#limit > ex.maxSnapshotLimit) {
      throw new RangeError(
        `Invalid snapshotLimit ${this.#limit}: ${ex.name} allows at most ${ex.maxSnapshotLimit}`,
      );
    }
    this.#weight = snapshotWeight(ex, this.#limit);
    this.#rest = options.restClient ??
      new BinanceRestClient({ exchange: ex.name, maxRateLimitRetries: 0, ...options.restOptions });
    this.#ownWs = options.wsManager === undefined;
    this.#ws = options.wsManager ?? new BinanceWebSocketManager({ exchange: ex.name, ...options.wsOptions });
    const family = ex.depthSnapshot.family;
    const intervalMs = options.budgetIntervalMs ?? 60_000;
    this.scheduler = new SnapshotScheduler({
      weightLimit: options.weightBudget ?? defaultWeightBudget(ex),
      intervalMs,
      concurrency: options.snapshotConcurrency,
      // the header counts Binance's 1-minute interval: it only applies to a 1-minute budget
      readUsedWeight: intervalMs !== 60_000 ? undefined : () => {
        const u = this.#rest.usage[family];
        const used = u?.weight["1M"] ?? u?.weight["IP-1M"];
        return u && used !== undefined ? { used, at: u.updatedAt } : undefined;
      },
    });
    const interval = options.updateInterval ?? (ex.market === "options" ? 500 : 100);
    const channel = interval === 1000 && ex.depthSync === "spot" ? "depth" : `depth@${interval}ms`;
    this.#groups = new StreamGroups(this.#ws, {
      channel,
      perStream: options.marketsPerStream ?? ex.maxStreamsPerConnection,
      graceMs: options.reconnectGraceMs ?? 10_000,
      cache: (key) => this.#caches.get(key),
      onDiff: (cache, diff, eventTime, receivedAt) => cache.onDiff(diff, eventTime, receivedAt),
      timer: (fn, ms) => this.#timer(fn, ms),
    });
    this.#hooks = {
      fetch: (cache, slot) => this.#fetch(cache, slot),
      changed: (cache, previous, reason) => this.#emit(cache, previous, reason),
    };
  }

  // ------------------------------------------------------------------ caches

  /**
   * Creates depth caches (an existing running cache is left as it is; a stopped one starts again).
   *
   * @param markets One symbol or a list (`"BTCUSDT"`; case-insensitive).
   * @param options `refreshInterval` in ms for these caches.
   * @returns The markets (uppercase) now in the manager's list.
   * @throws {TypeError} On a malformed symbol or a closed manager.
   * @throws {RangeError} On a refresh interval that is not positive.
   */
  createDepthCache(markets: string | readonly string[], options: CreateDepthCacheOptions = {}): string[] {
    if (this.#closed) throw new TypeError("Cannot create a depth cache: the manager is closed");
    const list = (typeof markets === "string" ? [markets] : [...markets]).map(normalize);
    const refresh = options.refreshInterval ?? this.#o.refreshInterval;
    if (refresh !== undefined && !(refresh > 0)) {
      throw new RangeError(`Invalid refreshInterval ${refresh}: must be a positive number of ms`);
    }
    for (const market of list) {
      const old = this.#caches.get(market);
      if (old && !old.stopped) continue;
      const cache = new MarketCache(market, {
        family: this.exchange.depthSync,
        depth: this.#depth,
        refreshInterval: refresh,
      }, this.#hooks);
      this.#caches.set(market, cache);
      this.#groups.add(market);
      this.#emit(cache, old ? "STOPPED" : "SYNCING", "created", true);
    }
    if (refresh !== undefined) this.#startRefreshTimer();
    return list;
  }

  /**
   * Stops depth caches: unsubscribed, books dropped, state `STOPPED` (reads then raise
   * {@link DepthCacheAlreadyStoppedError}).
   *
   * @param markets One symbol or a list.
   * @throws {DepthCacheNotFoundError} For a market without a cache.
   */
  stopDepthCache(markets: string | readonly string[]): void {
    const list = (typeof markets === "string" ? [markets] : [...markets]).map((m) => this.#get(m));
    for (const cache of list) {
      if (cache.stopped) continue;
      this.#groups.remove(cache.market);
      this.scheduler.cancel(cache.market);
      cache.stop();
    }
  }

  /**
   * Starts a resync from a new snapshot (reads raise until it is live again).
   *
   * @param market The market.
   * @throws {DepthCacheNotFoundError} For a market without a cache.
   * @throws {DepthCacheAlreadyStoppedError} For a stopped cache.
   */
  setResyncRequest(market: string): void {
    const cache = this.#get(market);
    if (cache.stopped) throw new DepthCacheAlreadyStoppedError(cache.market);
    cache.resync("resync request");
  }

  /**
   * Builds a fresh book from a new snapshot behind the served one and swaps it in once live
   * (UBLDC `set_refresh_request`, without going dark). No-op unless the cache is `LIVE` and not
   * refreshing already.
   *
   * @param market The market.
   * @returns True when a refresh started.
   * @throws {DepthCacheNotFoundError} For a market without a cache.
   * @throws {DepthCacheAlreadyStoppedError} For a stopped cache.
   */
  setRefreshRequest(market: string): boolean {
    const cache = this.#get(market);
    if (cache.stopped) throw new DepthCacheAlreadyStoppedError(cache.market);
    if (cache.state !== "LIVE" || cache.refreshing) return false;
    cache.startRefresh();
    return true;
  }

  /** @returns The markets whose caches are not stopped, in creation order. */
  getList(): string[] {
    return [...this.#caches.values()].filter((c) => !c.stopped).map((c) => c.market);
  }

  /**
   * @param market The market.
   * @returns The cache's state.
   * @throws {DepthCacheNotFoundError} For a market without a cache.
   */
  getState(market: string): DepthCacheState {
    return this.#get(market).state;
  }

  /**
   * @param market The market.
   * @returns True when the cache is `LIVE` (reads are served).
   * @throws {DepthCacheNotFoundError} For a market without a cache.
   */
  isSynchronized(market: string): boolean {
    return this.#get(market).state === "LIVE";
  }

  /**
   * @param market The market.
   * @returns Counters of the cache.
   * @throws {DepthCacheNotFoundError} For a market without a cache.
   */
  getStats(market: string): DepthCacheStats {
    return this.#get(market).snapshotStats();
  }

  /** @returns Counters of the snapshot scheduler (weight sent, waits, 429/418 seen). */
  getSchedulerStats(): SnapshotSchedulerStats {
    return this.scheduler.stats;
  }

  // ------------------------------------------------------------------ reads

  /**
   * Asks, best (lowest) first — UBLDC `get_asks`.
   *
   * @param market The market.
   * @param options `limitCount`, `thresholdVolume` (quote notional), `format` (`"number"` default, or `"string"`).
   * @returns `[price, quantity]` levels.
   * @throws {DepthCacheNotFoundError} For a market without a cache.
   * @throws {DepthCacheAlreadyStoppedError} For a stopped cache.
   * @throws {DepthCacheOutOfSyncError} While the cache is not `LIVE`.
   */
  getAsks(market: string, options?: LevelReadOptions & { readonly format?: "number" }): NumberLevel[];
  getAsks(market: string, options: LevelReadOptions & { readonly format: "string" }): StringLevel[];
  getAsks(
    market: string,
    options: LevelReadOptions & { readonly format?: LevelFormat } = {},
  ): NumberLevel[] | StringLevel[] {
    return this.#side(market, "asks", options);
  }

  /**
   * Bids, best (highest) first — UBLDC `get_bids`.
   *
   * @param market The market.
   * @param options `limitCount`, `thresholdVolume` (quote notional), `format` (`"number"` default, or `"string"`).
   * @returns `[price, quantity]` levels.
   * @throws {DepthCacheNotFoundError} For a market without a cache.
   * @throws {DepthCacheAlreadyStoppedError} For a stopped cache.
   * @throws {DepthCacheOutOfSyncError} While the cache is not `LIVE`.
   */
  getBids(market: string, options?: LevelReadOptions & { readonly format?: "number" }): NumberLevel[];
  getBids(market: string, options: LevelReadOptions & { readonly format: "string" }): StringLevel[];
  getBids(
    market: string,
    options: LevelReadOptions & { readonly format?: LevelFormat } = {},
  ): NumberLevel[] | StringLevel[] {
    return this.#side(market, "bids", options);
  }

  /**
   * Both sides at one update id with the book's metadata, in one atomic read.
   *
   * @param market The market.
   * @param options `limitCount` per side, `format`.
   * @returns The book.
   * @throws {DepthCacheNotFoundError} For a market without a cache.
   * @throws {DepthCacheAlreadyStoppedError} For a stopped cache.
   * @throws {DepthCacheOutOfSyncError} While the cache is not `LIVE`.
   */
  getBook(
    market: string,
    options?: BookReadOptions & { readonly format?: "number" },
  ): DepthCacheBook<NumberLevel>;
  getBook(
    market: string,
    options: BookReadOptions & { readonly format: "string" },
  ): DepthCacheBook<StringLevel>;
  getBook(
    market: string,
    options: BookReadOptions & { readonly format?: LevelFormat } = {},
  ): DepthCacheBook<NumberLevel> | DepthCacheBook<StringLevel> {
    const [cache, book] = this.#live(market);
    const limit = readLimit(options.limitCount);
    const read = options.format === "string"
      ? (side: "bids" | "asks") => cache.readStrings(book, side, limit)
      : (side: "bids" | "asks") => cache.readNumbers(book, side, limit);
    return {
      market: cache.market,
      state: cache.state,
      lastUpdateId: book.lastUpdateId,
      eventTime: cache.eventTime,
      receivedAt: cache.receivedAt,
      refreshing: cache.refreshing,
      bids: read("bids"),
      asks: read("asks"),
    } as DepthCacheBook<NumberLevel> | DepthCacheBook<StringLevel>;
  }

  #side(
    market: string,
    side: "bids" | "asks",
    options: LevelReadOptions & { readonly format?: LevelFormat },
  ): NumberLevel[] | StringLevel[] {
    const [cache, book] = this.#live(market);
    const limit = readLimit(options.limitCount);
    const t = options.thresholdVolume;
    if (t !== undefined && !(t >= 0)) {
      throw new RangeError(`Invalid thresholdVolume ${t}: must be a number >= 0`);
    }
    return options.format === "string"
      ? cache.readStrings(book, side, limit, t)
      : cache.readNumbers(book, side, limit, t);
  }

  #get(market: string): MarketCache {
    const key = normalize(market);
    const cache = this.#caches.get(key);
    if (!cache) throw new DepthCacheNotFoundError(key);
    return cache;
  }

  #live(market: string): [MarketCache, OrderBook] {
    const cache = this.#get(market);
    if (cache.stopped) throw new DepthCacheAlreadyStoppedError(cache.market);
    const book = cache.book;
    if (cache.state !== "LIVE" || !book) throw new DepthCacheOutOfSyncError(cache.market, cache.state);
    return [cache, book];
  }

  // ------------------------------------------------------------------ events

  /**
   * Async iterator over state changes from now on (bounded: the oldest are dropped beyond 10 000);
   * ends when the manager closes.
   *
   * @returns An async iterable; `break` detaches it.
   */
  stateChanges(): AsyncIterable<DepthCacheStateEvent> {
    const q = new BoundedQueue<DepthCacheStateEvent>({ capacity: 10_000 });
    if (this.#closed) q.close();
    else this.#events.add(q);
    return q;
  }

  #emit(cache: MarketCache, previous: DepthCacheState, reason: string, force = false): void {
    if (!force && previous === cache.state) return;
    const event: DepthCacheStateEvent = {
      market: cache.market,
      state: cache.state,
      previous,
      reason,
      lastUpdateId: cache.book?.lastUpdateId ?? -1,
      time: Date.now(),
    };
    for (const q of this.#events) q.push(event);
    try {
      this.#o.onStateChange?.(event);
    } catch {
      // a failing user callback must not break the cache
    }
  }

  // ------------------------------------------------------------------ snapshots and timers

  #fetch(cache: MarketCache, slot: Slot): void {
    const go = (): void => {
      if (slot.closed || cache.stopped) return void (slot.fetching = false);
      const ds = this.exchange.depthSnapshot!;
      this.scheduler.schedule({
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
        (e) => cache.onSnapshotFailed(slot, e instanceof Error ? e.message : String(e)),
      );
    };
    if (slot.failures === 0) go();
    else this.#timer(go, backoffDelay(Math.min(slot.failures - 1, 10), { baseMs: 250, maxMs: 30_000 }));
  }

  #timer(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      if (!this.#closed) fn();
    }, ms);
    this.#timers.add(t);
  }

  #startRefreshTimer(): void {
    if (this.#closed) return;
    let min = Infinity;
    for (const c of this.#caches.values()) if (c.refreshInterval) min = Math.min(min, c.refreshInterval);
    const period = Math.max(20, Math.min(1000, Math.floor(min / 10)));
    if (this.#refreshTimer !== undefined) {
      if (period >= this.#refreshPeriod) return;
      clearInterval(this.#refreshTimer);
    }
    this.#refreshPeriod = period;
    this.#refreshTimer = setInterval(() => {
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

  // ------------------------------------------------------------------ lifecycle

  /** Stops every cache, the scheduler and the streams (and the WebSocket manager it made). */
  async close(): Promise<void> {
    if (this.#closed) return;
    for (const cache of this.#caches.values()) cache.stop();
    this.#closed = true;
    if (this.#refreshTimer !== undefined) clearInterval(this.#refreshTimer);
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.scheduler.close();
    this.#groups.close();
    if (this.#ownWs) await this.#ws.close();
    for (const q of this.#events) q.close();
    this.#events.clear();
  }

  /** `await using` support: {@link close}. @returns When closed. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function positiveInt(v: number, field: string): number {
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`Invalid ${field} ${v}: must be a positive integer`);
  }
  return v;
}

function readLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`Invalid limitCount ${limit}: must be an integer >= 0`);
  }
  return limit;
}
