/**
 * `unicorn-binance/depthcache`: local Binance order books, synchronized with the documented
 * procedure per venue, kept in a WASM core (or the TypeScript reference book), and served only
 * while they can be vouched for.
 *
 * ```ts
 * import { BinanceLocalDepthCacheManager, DepthCacheOutOfSyncError } from "./mod.ts";
 * import { assertEquals } from "@std/assert";
 *
 * await using dcm = new BinanceLocalDepthCacheManager({ exchange: "binance.com-futures" });
 * assertEquals(dcm.exchange.depthSync, "futures");
 * assertEquals(new DepthCacheOutOfSyncError("BTCUSDT", "SYNCING").state, "SYNCING");
 * ```
 *
 * @module
 */
export {
  BinanceLocalDepthCacheManager,
  type BookReadOptions,
  type CreateDepthCacheOptions,
  type DepthCacheManagerOptions,
} from "./manager.ts";
export type {
  DepthCacheBook,
  DepthCacheState,
  DepthCacheStateEvent,
  DepthCacheStats,
  LevelFormat,
  LevelReadOptions,
  NumberLevel,
  StringLevel,
} from "./cache_types.ts";
export {
  DepthCacheAlreadyStoppedError,
  DepthCacheError,
  DepthCacheInvalidSymbolError,
  DepthCacheNotFoundError,
  DepthCacheOutOfSyncError,
} from "./errors.ts";
export {
  defaultWeightBudget,
  SnapshotScheduler,
  type SnapshotSchedulerOptions,
  type SnapshotSchedulerStats,
  type SnapshotTask,
  snapshotWeight,
  venueWeightLimit,
} from "./scheduler.ts";
export {
  type BookOptions,
  type BookSide,
  type BookState,
  createOrderBook,
  type DepthDiff,
  type DepthSnapshot,
  type DiffVerdict,
  init,
  type OrderBook,
  type PriceLevel,
  type ReadOptions,
  ReferenceBook,
  type SideView,
  type SyncFamily,
  WasmBook,
  type WasmBytes,
  type WasmModule,
} from "./book.ts";
export {
  DepthSync,
  type DepthSyncOptions,
  type SyncResult,
  type SyncStats,
  type SyncStatus,
} from "./sync.ts";
export { detectScale, formatTicks, parseTicks, scaleOfStep } from "./ticks.ts";
export type {
  DepthSnapshotClient,
  DepthStreamMessage,
  DepthStreamSource,
  SnapshotRequestSpec,
} from "./manager_options.ts";
// types and errors of other modules that this entry's API uses
export { BinanceError } from "../core/errors.ts";
export type { Exchange, ExchangeName, Market, RestFamily, RestOrigins, RestPath } from "../core/exchanges.ts";
export type { RestClientOptions, RestClock, WebCryptoKey, WeightBudgetOptions } from "../rest/mod.ts";
export type {
  ConnectionTimings,
  OutputMode,
  OverflowPolicy,
  StreamDataCallback,
  StreamMessage,
  StreamSignal,
  StreamSignalType,
  WebSocketConstructor,
  WebSocketLike,
  WebSocketManagerBaseOptions,
} from "../ws/mod.ts";
