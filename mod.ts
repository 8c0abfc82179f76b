/**
 * unicorn-binance: a Binance toolkit for bots that run as services, on Deno, Bun, Node (>= 22) and,
 * for REST-only use, edge runtimes.
 *
 * This entry re-exports the everyday API by name; each sub-path export
 * (`@unicorn/binance/rest`, `/ws`, `/unicornfy`, `/depthcache`, `/testing`) has the rest. The
 * emulator stays in `/testing` only, so this entry pulls in no server code.
 *
 * @example The venue catalog and exact tick rounding
 * ```ts
 * import { getExchange, roundToStep } from "./mod.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(getExchange("binance.com-coin_futures").rest.dapi, "https://dapi.binance.com");
 * assertEquals(roundToStep("27123.456", "0.01", "floor"), "27123.45");
 * ```
 *
 * @module
 */
export {
  Backoff,
  backoffDelay,
  type BackoffOptions,
  BinanceApiError,
  BinanceError,
  compareDecimal,
  decimalsOf,
  type Exchange,
  EXCHANGE_NAMES,
  type ExchangeName,
  getExchange,
  type Int64,
  IpBannedError,
  isBinanceApiError,
  isBinanceError,
  isIpBannedError,
  isMultipleOfStep,
  isRateLimitError,
  parseJson,
  RateLimitError,
  type RoundingMode,
  roundToStep,
  ServerClock,
  type ServerClockOptions,
  type ServerTimeSample,
  sleep,
  stringifyJson,
  toPlainString,
} from "./src/core/mod.ts";
export {
  BinanceRestClient,
  type BinanceRestClientOptions,
  type HistoricalKlinesOptions,
  isOrderStatusUnknownError,
  type OrderReference,
  type OrderShortcutOptions,
  OrderStatusUnknownError,
  type UsageSnapshot,
} from "./src/rest/mod.ts";
export {
  createUnicornfy,
  isUnknownEvent,
  type Unicornfier,
  unicornfy,
  type UnicornfyEvent,
  type UnicornfyEventType,
  type UnicornfyMessage,
  type UnicornfyOptions,
  UnicornfyParseError,
  type UnknownEvent,
} from "./src/unicornfy/mod.ts";
export {
  BinanceWebSocketManager,
  type BinanceWebSocketManagerOptions,
  type StreamMessage,
  type StreamSignal,
  StreamUnrepairableError,
  WebSocketRequestError,
  type WsApiResponse,
} from "./src/ws/mod.ts";
export {
  BinanceLocalDepthCacheManager,
  DepthCacheAlreadyStoppedError,
  type DepthCacheManagerOptions,
  DepthCacheNotFoundError,
  DepthCacheOutOfSyncError,
  type DepthCacheState,
  init as initDepthCacheWasm,
} from "./src/depthcache/mod.ts";
