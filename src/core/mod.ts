/**
 * The shared, runtime-free foundation of unicorn-binance: the venue catalog, the error
 * hierarchy, 64-bit-safe JSON, exact decimal rounding to exchange filters, back-off and clock
 * helpers. Every other part builds on these; nothing here touches a runtime-specific API.
 *
 * @example Rounding an order to a symbol's filters
 * ```ts
 * import { getExchange, roundToStep } from "./mod.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(getExchange("binance.com").rest.api, "https://api.binance.com");
 * assertEquals(roundToStep("0.4234234234", "0.00100000", "floor"), "0.423");
 * ```
 *
 * @module
 */

export {
  BinanceApiError,
  type BinanceApiErrorOptions,
  BinanceError,
  IpBannedError,
  type IpBannedErrorOptions,
  isBinanceApiError,
  isBinanceError,
  isIpBannedError,
  isRateLimitError,
  parseBannedUntil,
  RateLimitError,
  type RateLimitErrorOptions,
} from "./errors.ts";
export {
  type Exchange,
  EXCHANGE_NAMES,
  type ExchangeName,
  FUTURES_USER_DATA_EVENTS,
  getExchange,
  isExchangeName,
  type Market,
  type RestFamily,
  type RestOrigins,
  type RestPath,
  streamCategory,
  userDataStreamUrl,
  type UserDataStreamUrlOptions,
} from "./exchanges.ts";
export { hasLongDigitRun, type Int64, parseJson, stringifyJson } from "./json.ts";
export {
  compareDecimal,
  type DecimalInput,
  decimalsOf,
  isMultipleOfStep,
  type RoundingMode,
  roundToStep,
  toPlainString,
} from "./decimal.ts";
export { Backoff, backoffDelay, type BackoffOptions } from "./backoff.ts";
export { ServerClock, type ServerClockOptions, type ServerTimeSample, sleep } from "./clock.ts";
