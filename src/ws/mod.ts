/**
 * `unicorn-binance/ws`: the WebSocket manager — market streams, user-data streams and the
 * WebSocket API for every Binance venue, with stream signals, reconnects, runtime
 * (un)subscribe, bounded buffers and async iterators. The TypeScript form of the Python suite's
 * `BinanceWebSocketApiManager` (UBWA).
 *
 * ```ts
 * import { BinanceWebSocketManager } from "./mod.ts";
 * import { assertEquals } from "@std/assert";
 *
 * // nothing connects until a stream is created
 * await using ws = new BinanceWebSocketManager({ exchange: "binance.com-futures" });
 * assertEquals(ws.exchange.maxStreamsPerConnection, 200);
 * ```
 *
 * @module
 */
export {
  type ApiStreamOptions,
  BinanceWebSocketManager,
  type BinanceWebSocketManagerOptions,
  type ConnectionInfo,
  type CreateStreamOptions,
  type OutputData,
  type OutputMode,
  type StreamDataCallback,
  type StreamId,
  type StreamInfo,
  type StreamMessage,
  type StreamStatistics,
  type UserDataStreamOptions,
  type WebSocketManagerBaseOptions,
} from "./manager.ts";
export type { StreamSignal, StreamSignalType } from "./signals.ts";
export { type RequestFailure, StreamUnrepairableError, WebSocketRequestError } from "./errors.ts";
export type { ConnectionTimings, WebSocketConstructor, WebSocketLike } from "./connection.ts";
export { BoundedQueue, type BoundedQueueOptions, type OverflowPolicy } from "./queue.ts";
export { ConnectAttemptBudget, type ConnectAttemptBudgetOptions } from "./attempt_budget.ts";
export { type ApiCall, type ApiCallOptions, FuturesApi, newClientOrderId, SpotApi } from "./api_methods.ts";
export type { ApiRequestOptions, UserDataMode, WsApiResponse } from "./api_session.ts";
export {
  buildStreamNames,
  DEPTH_LEVELS,
  DEPTH_SPEEDS_MS,
  depthChannel,
  KLINE_INTERVALS,
  klineChannel,
  normalizeMarket,
} from "./stream_names.ts";
export {
  buildStreamUrl,
  chunkControlMessages,
  type ConnectionPlan,
  type ControlMessage,
  type FuturesCategory,
  MAX_MESSAGE_CHARS,
  MAX_PARAMS_PER_MESSAGE,
  planConnections,
  type PlanOptions,
  URL_MAX_CHARS,
} from "./subscriptions.ts";
// types and errors of other modules that this entry's API uses
export { BinanceApiError, BinanceError, IpBannedError, RateLimitError } from "../core/errors.ts";
export type { Exchange, ExchangeName, Market, RestFamily, RestOrigins, RestPath } from "../core/exchanges.ts";
export type { Params, ParamValue } from "../rest/_format.ts";
// the UnicornFy types: the data of "unicornfy" streams
export type { Int64 } from "../core/json.ts";
export type { UnicornfyExchange } from "../unicornfy/exchanges.ts";
export type * from "../unicornfy/types.ts";
export type * from "../unicornfy/types_spot.ts";
export type * from "../unicornfy/types_user_spot.ts";
export type * from "../unicornfy/types_futures.ts";
