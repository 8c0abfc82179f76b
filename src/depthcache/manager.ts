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
import { type Exchange, getExchange } from "../core/exchanges.ts";
import { BinanceRestClient } from "../rest/mod.ts";
import { BinanceWebSocketManager } from "../ws/mod.ts";
import type { OrderBook } from "./book_types.ts";
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
import { DepthCacheNotFoundError, DepthCacheOutOfSyncError } from "./errors.ts";
import { type CacheHooks, MarketCache } from "./_market_cache.ts";
import type {
  BookReadOptions,
  CreateDepthCacheOptions,
  DepthCacheManagerOptions,
  DepthStreamSource,
} from "./manager_options.ts";
import { SnapshotFetcher, Timers } from "./_snapshot_fetcher.ts";
import {
  checkManagerOptions,
  normalize,
  positiveInt,
  readLimit,
  RefreshTimer,
  StateEvents,
  stoppedError,
} from "./_manager_parts.ts";
import { StreamGroups } from "./_stream_groups.ts";
import { checkOptions, showValue } from "../core/_options.ts";
import { BOOK_READ_KEYS, CREATE_KEYS, LEVEL_READ_KEYS } from "./_option_keys.ts";
import {
  defaultWeightBudget,
  SnapshotScheduler,
  type SnapshotSchedulerStats,
  snapshotWeight,
} from "./scheduler.ts";

export type {
  BookReadOptions,
  CreateDepthCacheOptions,
  DepthCacheBook,
  DepthCacheManagerOptions,
  DepthCacheState,
  DepthCacheStateEvent,
  DepthCacheStats,
  LevelFormat,
  LevelReadOptions,
  NumberLevel,
  StringLevel,
};

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
  readonly #ws: DepthStreamSource;
  readonly #ownWs: boolean;
  readonly #caches = new Map<string, MarketCache>();
  readonly #groups: StreamGroups;
  readonly #o: DepthCacheManagerOptions;
  readonly #depth: number;
  readonly #timers = new Timers();
  readonly #fetcher: SnapshotFetcher;
  readonly #events: StateEvents;
  readonly #refresh: RefreshTimer;
  readonly #hooks: CacheHooks;
  readonly #firstEventTimeout: number;
  #closed = false;

  /**
   * Creates a manager; nothing connects until {@link createDepthCache}.
   *
   * @param options Exchange, clients (or their options), intervals, budget, callbacks.
   * @throws {RangeError} On an unknown exchange, a venue without depth snapshots or streams, or an
   *   option out of range.
   * @throws {TypeError} On an unknown option key (also in `restOptions` / `wsOptions`; the message
   *   says where a misplaced key belongs) or invalid credentials.
   */
  constructor(options: DepthCacheManagerOptions = {}) {
    checkManagerOptions(options, BinanceRestClient.optionKeys, BinanceWebSocketManager.optionKeys);
    this.#o = options;
    this.exchange = getExchange(options.exchange ?? "binance.com");
    const ex = this.exchange;
    if (ex.depthSnapshot === null || !ex.marketStreams) {
      throw new RangeError(`Invalid exchange ${ex.name}: it has no market data for depth caches`);
    }
    this.#depth = positiveInt(options.depth ?? 1000, "depth");
    const limit = positiveInt(options.snapshotLimit ?? ex.snapshotLimit, "snapshotLimit");
    if (limit > ex.maxSnapshotLimit) {
      throw new RangeError(
        `Invalid snapshotLimit ${limit}: ${ex.name} allows at most ${ex.maxSnapshotLimit}`,
      );
    }
    const rest = options.restClient ??
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
        const u = rest.usage[family];
        const used = u?.weight["1M"] ?? u?.weight["IP-1M"];
        return u && used !== undefined ? { used, at: u.updatedAt } : undefined;
      },
    });
    this.#fetcher = new SnapshotFetcher({
      exchange: ex,
      rest,
      scheduler: this.scheduler,
      timers: this.#timers,
      limit,
      weight: snapshotWeight(ex, limit),
    });
    const interval = options.updateInterval ?? (ex.market === "options" ? 500 : 100);
    const channel = interval === 1000 && ex.depthSync === "spot" ? "depth" : `depth@${interval}ms`;
    this.#groups = new StreamGroups(this.#ws, {
      channel,
      perStream: options.marketsPerStream ?? ex.maxStreamsPerConnection,
      graceMs: options.reconnectGraceMs ?? 10_000,
      cache: (key) => this.#caches.get(key),
      onDiff: (cache, diff, eventTime, receivedAt) => cache.onDiff(diff, eventTime, receivedAt),
      timer: (fn, ms) => this.#timers.set(fn, ms),
    });
    this.#events = new StateEvents(options.onStateChange);
    this.#refresh = new RefreshTimer(this.#caches);
    this.#hooks = {
      fetch: (cache, slot) => this.#fetcher.fetch(cache, slot),
      changed: (cache, previous, reason) => this.#events.emit(cache, previous, reason),
      failed: (cache) => {
        this.#groups.remove(cache.market);
        this.scheduler.cancel(cache.market);
      },
    };
    this.#firstEventTimeout = positiveInt(options.firstEventTimeoutMs ?? 3_000, "firstEventTimeoutMs");
  }

  // ------------------------------------------------------------------ caches

  /**
   * Creates depth caches (an existing running cache is left as it is; a stopped one starts again).
   *
   * @param markets One symbol or a list (`"BTCUSDT"`; case-insensitive).
   * @param options `refreshInterval` in ms for these caches.
   * @returns The markets (uppercase) now in the manager's list.
   * @throws {TypeError} On a malformed symbol, an unknown option key or a closed manager.
   * @throws {RangeError} On a refresh interval that is not positive.
   */
  createDepthCache(markets: string | readonly string[], options: CreateDepthCacheOptions = {}): string[] {
    if (this.#closed) throw new TypeError("Cannot create a depth cache: the manager is closed");
    checkOptions(options, "createDepthCache options", CREATE_KEYS);
    const list = (typeof markets === "string" ? [markets] : [...markets]).map(normalize);
    const refresh = options.refreshInterval ?? this.#o.refreshInterval;
    if (refresh !== undefined && !(refresh > 0)) {
      throw new RangeError(`Invalid refreshInterval ${showValue(refresh)}: must be a positive number of ms`);
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
      // a symbol Binance does not know sends no diff, and the first diff asks for the snapshot
      this.#timers.set(() => cache.probe(), this.#firstEventTimeout);
      this.#events.emit(cache, old ? "STOPPED" : null, "created", true);
    }
    if (refresh !== undefined) this.#refresh.start();
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
    if (cache.stopped) throw stoppedError(cache);
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
    if (cache.stopped) throw stoppedError(cache);
    if (cache.state !== "LIVE" || cache.refreshing) return false;
    cache.startRefresh();
    return true;
  }

  /**
   * The markets with a cache — UBLDC `get_list_of_depthcaches`.
   *
   * @returns The markets whose caches are not stopped, in creation order.
   */
  getList(): string[] {
    return [...this.#caches.values()].filter((c) => !c.stopped).map((c) => c.market);
  }

  /**
   * The state of a cache.
   *
   * @param market The market.
   * @returns The cache's state.
   * @throws {DepthCacheNotFoundError} For a market without a cache.
   */
  getState(market: string): DepthCacheState {
    return this.#get(market).state;
  }

  /**
   * Whether reads are served — UBLDC `is_depth_cache_synchronized`.
   *
   * @param market The market.
   * @returns True when the cache is `LIVE` (reads are served).
   * @throws {DepthCacheNotFoundError} For a market without a cache.
   */
  isSynchronized(market: string): boolean {
    return this.#get(market).state === "LIVE";
  }

  /**
   * Counters of a cache (syncs, resyncs, refreshes, snapshots, applied events, bad frames).
   *
   * @param market The market.
   * @returns Counters of the cache.
   * @throws {DepthCacheNotFoundError} For a market without a cache.
   */
  getStats(market: string): DepthCacheStats {
    return this.#get(market).snapshotStats();
  }

  /**
   * Counters of the snapshot scheduler shared by the caches.
   *
   * @returns Weight sent, waits for the next interval, 429/418 seen.
   */
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
  /** Asks as exact decimal strings (see above). @param market The market. @param options With `format: "string"`. @returns Levels. @throws {DepthCacheOutOfSyncError} While not `LIVE`. */
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
  /** Bids as exact decimal strings (see above). @param market The market. @param options With `format: "string"`. @returns Levels. @throws {DepthCacheOutOfSyncError} While not `LIVE`. */
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
  /** The book as exact decimal strings (see above). @param market The market. @param options With `format: "string"`. @returns The book. @throws {DepthCacheOutOfSyncError} While not `LIVE`. */
  getBook(
    market: string,
    options: BookReadOptions & { readonly format: "string" },
  ): DepthCacheBook<StringLevel>;
  getBook(
    market: string,
    options: BookReadOptions & { readonly format?: LevelFormat } = {},
  ): DepthCacheBook<NumberLevel> | DepthCacheBook<StringLevel> {
    checkOptions(options, "getBook options", BOOK_READ_KEYS);
    const [cache, book] = this.#live(market);
    const read = cache.readBook(book, readLimit(options.limitCount), options.format === "string");
    return read as DepthCacheBook<NumberLevel> | DepthCacheBook<StringLevel>;
  }

  #side(
    market: string,
    side: "bids" | "asks",
    options: LevelReadOptions & { readonly format?: LevelFormat },
  ): NumberLevel[] | StringLevel[] {
    checkOptions(options, `get${side === "asks" ? "Asks" : "Bids"} options`, LEVEL_READ_KEYS);
    const [cache, book] = this.#live(market);
    const limit = readLimit(options.limitCount);
    const t = options.thresholdVolume;
    if (t !== undefined && !(t >= 0)) {
      throw new RangeError(`Invalid thresholdVolume ${showValue(t)}: must be a number >= 0`);
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
    if (cache.stopped) throw stoppedError(cache);
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
    return this.#events.iterate();
  }

  // ------------------------------------------------------------------ lifecycle

  /** Stops every cache, the scheduler and the streams (and the WebSocket manager it made). */
  async close(): Promise<void> {
    if (this.#closed) return;
    for (const cache of this.#caches.values()) cache.stop();
    this.#closed = true;
    this.#refresh.close();
    this.#timers.clear();
    this.scheduler.close();
    this.#groups.close();
    if (this.#ownWs) await this.#ws.close();
    this.#events.close();
  }

  /** `await using` support: {@link close}. @returns When closed. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
