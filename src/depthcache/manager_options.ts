/**
 * Options of the depth-cache manager (`BinanceLocalDepthCacheManager`), its `createDepthCache`
 * and its `getBook`.
 *
 * @module
 */
import type { RestClientCore, RestClientOptions } from "../rest/mod.ts";
import type { BinanceWebSocketManager, BinanceWebSocketManagerOptions } from "../ws/mod.ts";
import type { DepthCacheStateEvent } from "./cache_types.ts";

/** Options of `BinanceLocalDepthCacheManager`. */
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

/** Options of `BinanceLocalDepthCacheManager.createDepthCache`. */
export interface CreateDepthCacheOptions {
  /** Refresh interval of these caches in ms (overrides the manager's). */
  readonly refreshInterval?: number;
}

/** Options of `getBook`. */
export interface BookReadOptions {
  /** At most this many levels per side (default all). */
  readonly limitCount?: number;
}
