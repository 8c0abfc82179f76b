/**
 * Public shapes of the depth-cache manager: states, state events, read options and the atomic
 * book snapshot returned by `getBook`.
 *
 * @module
 */

/**
 * State of one depth cache, as told to the user:
 * - `"SYNCING"`: created, buffering diffs and waiting for the first sync (reads raise);
 * - `"LIVE"`: synchronized, reads are served (also while a refresh builds a new book behind it);
 * - `"RESYNCING"`: was live, lost sync (gap, crossed book, lost connection, malformed frame,
 *   `setResyncRequest`), reads raise until it is live again;
 * - `"STOPPED"`: stopped by `stopDepthCache` or the manager's close, or on its own because Binance
 *   does not know the symbol (the event's reason and `getStats().failure` say so).
 */
export type DepthCacheState = "SYNCING" | "LIVE" | "RESYNCING" | "STOPPED";

/** One state change of a depth cache. */
export interface DepthCacheStateEvent {
  /** The market (uppercase symbol). */
  readonly market: string;
  /** New state. */
  readonly state: DepthCacheState;
  /**
   * State before the change: `null` for the first event of a new cache (`null → SYNCING`,
   * reason `"created"`); `"STOPPED"` when a stopped cache is created again.
   */
  readonly previous: DepthCacheState | null;
  /**
   * Why: `"created"`, `"synced"`, `"gap"`, `"stale snapshot"`, `"crossed book"`, `"disconnect"`,
   * `"malformed frame"`, `"malformed level"`, `"resync request"`, `"reconnect grace expired"`,
   * `"stopped"`, `"invalid symbol: …"` (Binance answered -1121: the cache stops), `"error: …"` (a
   * snapshot that failed and is retried, a price finer than the book's scale).
   */
  readonly reason: string;
  /** Update id of the served book after the change (-1 when none). */
  readonly lastUpdateId: number;
  /** Epoch ms of the change. */
  readonly time: number;
}

/** Options of `getAsks` / `getBids` (UBLDC `limit_count`, `threshold_volume`). */
export interface LevelReadOptions {
  /** At most this many levels (default all; 0 returns none). */
  readonly limitCount?: number;
  /**
   * Stop before the level that would push the cumulative quote notional (price × quantity)
   * above this value; the best level is always included (UBLDC semantics).
   */
  readonly thresholdVolume?: number;
}

/** Numbers (`[price, quantity]` as doubles, the UBLDC shape) or exact decimal strings. */
export type LevelFormat = "number" | "string";

/** A level as numbers. */
export type NumberLevel = [price: number, quantity: number];

/** A level as decimal strings (price exact from integer ticks, quantity with the market's decimals). */
export type StringLevel = [price: string, quantity: string];

/** One atomic read of a cache: both sides at one update id, with its metadata. */
export interface DepthCacheBook<L> {
  /** The market. */
  readonly market: string;
  /** Always `"LIVE"` (other states raise). */
  readonly state: DepthCacheState;
  /** Update id of the book (`u` of the last applied event, or the snapshot's `lastUpdateId`). */
  readonly lastUpdateId: number;
  /** Event time `E` of the last applied event (epoch ms; 0 when only the snapshot was applied). */
  readonly eventTime: number;
  /** Local epoch ms when that event arrived. */
  readonly receivedAt: number;
  /** True while a refresh builds a new book in the background (this one keeps serving). */
  readonly refreshing: boolean;
  /** Bids, best (highest) first. */
  readonly bids: L[];
  /** Asks, best (lowest) first. */
  readonly asks: L[];
}

/** Counters of one cache, its state and why it stopped on its own. */
export interface DepthCacheStats {
  /** The state when the counters were read. */
  readonly state: DepthCacheState;
  /**
   * Why the cache stopped on its own, e.g. `"invalid symbol: Binance rejected GET /api/v3/depth:
   * Invalid symbol. (code -1121)"`; undefined while it runs or after `stopDepthCache` / `close`.
   */
  readonly failure?: string;
  /** Times the cache became live after not being live. */
  readonly syncs: number;
  /** Times the cache left LIVE (gap, crossed book, lost connection, unreadable frame, request). */
  readonly resyncs: number;
  /** Refreshes completed (new book swapped in). */
  readonly refreshes: number;
  /** Snapshots loaded into this cache's books. */
  readonly snapshots: number;
  /** Snapshot requests that failed. */
  readonly snapshotFailures: number;
  /** Diff events applied to the served book. */
  readonly applied: number;
  /** Frames for this market that could not be read. */
  readonly malformed: number;
  /** Frames the WASM core parsed itself (no `JSON.parse`): the fast path of a live book. */
  readonly wasmFrames: number;
}
