/**
 * Options of the depth-cache manager (`BinanceLocalDepthCacheManager`), its `createDepthCache`
 * and its `getBook`.
 *
 * @module
 */
import type { RestFamily } from "../core/exchanges.ts";
import type { RestClientOptions } from "../rest/mod.ts";
import type { WebSocketManagerBaseOptions } from "../ws/mod.ts";
import type { DepthCacheStateEvent } from "./cache_types.ts";

/** The depth-snapshot request the manager sends through a {@link DepthSnapshotClient}. */
export interface SnapshotRequestSpec {
  /** Always `"GET"`. */
  readonly method: "GET";
  /** API family of the venue's depth endpoint (`"api"`, `"fapi"`, …). */
  readonly family: RestFamily;
  /** Path of the depth endpoint (`/api/v3/depth`, …). */
  readonly path: string;
  /** Always `"NONE"` (public). */
  readonly security: "NONE";
  /** Request weight. */
  readonly weight: number;
}

/** What the manager needs from a REST client; a `BinanceRestClient` (`unicorn-binance/rest`) fits. */
export interface DepthSnapshotClient {
  /** The used weight Binance last reported, per API family (`X-MBX-USED-WEIGHT-1M` → `weight["1M"]`). */
  readonly usage: Readonly<
    Partial<Record<string, { readonly weight: Readonly<Record<string, number>>; readonly updatedAt: number }>>
  >;
  /** Sends a request and returns the parsed body. */
  request(spec: SnapshotRequestSpec, params: { symbol: string; limit: number }): Promise<unknown>;
}

/** A frame handed to the manager by its {@link DepthStreamSource}. */
export interface DepthStreamMessage {
  /** Combined-stream name (`btcusdt@depth@100ms`), if the frame came from a combined stream. */
  readonly stream?: string;
  /** The raw frame text. */
  readonly data: unknown;
  /** Local epoch ms when the frame arrived. */
  readonly receivedAt: number;
}

/** What the manager needs from a WebSocket manager; a `BinanceWebSocketManager` (`unicorn-binance/ws`) fits. */
export interface DepthStreamSource {
  /** Creates a stream of channels × markets; returns its id. */
  createStream(
    channels: readonly string[],
    markets: readonly string[],
    options: {
      readonly label?: string;
      readonly output?: "raw";
      readonly singleConnection?: boolean;
      readonly onData?: (message: DepthStreamMessage) => void;
    },
  ): string;
  /** Adds markets to a running stream. */
  subscribe(streamId: string, add: { readonly markets?: readonly string[] }): unknown;
  /** Removes markets from a running stream. */
  unsubscribe(streamId: string, remove: { readonly markets?: readonly string[] }): unknown;
  /** Stops a stream. */
  stopStream(streamId: string): unknown;
  /** Stream signals from now on (`CONNECT`, `DISCONNECT`, `STOP`, …). */
  signals(): AsyncIterable<{ readonly type: string; readonly streamId: string }>;
  /** Closes the manager. */
  close(): Promise<void>;
}

/** Options of `BinanceLocalDepthCacheManager`. */
export interface DepthCacheManagerOptions {
  /** Exchange string (`"binance.com"`, `"binance.com-futures"`, …). Default `"binance.com"`. */
  readonly exchange?: string;
  /** REST client for snapshots (shared with the application); else one is made from `restOptions`. */
  readonly restClient?: DepthSnapshotClient;
  /** Options of the REST client the manager makes (e.g. `{ baseUrl: emu.restUrl }`). */
  readonly restOptions?: RestClientOptions;
  /** WebSocket manager to use (not closed by the manager); else one is made from `wsOptions`. */
  readonly wsManager?: DepthStreamSource;
  /** Options of the WebSocket manager the manager makes (e.g. `{ streamBase: emu.wsUrl }`). */
  readonly wsOptions?: WebSocketManagerBaseOptions;
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
  /**
   * A market that sends no diff within this many ms of its creation has its snapshot requested
   * anyway (default 3 000): a quiet market then waits with the snapshot in hand, and a symbol
   * Binance does not know (-1121) stops the cache with that reason instead of leaving it SYNCING.
   */
  readonly firstEventTimeoutMs?: number;
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
