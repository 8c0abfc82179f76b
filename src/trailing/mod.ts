/**
 * `unicorn-binance/trailing`: the trailing stop loss (Python UBTSL).
 *
 * - The pure engine ({@link initialTrail}, {@link onPrice}, {@link stopQuantity},
 *   {@link nativeTrail}, …): decisions on exact decimals, tick/step/filter aware, table-tested
 *   with the Python examples.
 * - `ubtsl_config.ini` / `ubtsl_profiles.ini` readers ({@link parseConfigIni},
 *   {@link parseProfilesIni}) and the shipped example files.
 * - The `ubtsl` command line ({@link parseArgs}, {@link resolveSettings}).
 * - Notification sinks: {@link telegramSink}, {@link webhookSink} (web-standard). Email over SMTP
 *   is CLI side (`src/trailing/notify_smtp.ts`, nodemailer), file lookup too
 *   (`src/trailing/cli_config.ts`); neither is part of this web-standard entry.
 *
 * @example A trail on exact decimals
 * ```ts
 * import { initialTrail, onPrice, symbolRules, trailConfig } from "./mod.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const rules = symbolRules({ symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT", filters: [
 *   { filterType: "PRICE_FILTER", minPrice: "0.01", maxPrice: "1000000", tickSize: "0.01" },
 *   { filterType: "LOT_SIZE", minQty: "0.00001", maxQty: "9000", stepSize: "0.00001" },
 * ] }, "spot");
 * const config = trailConfig({ side: "SELL", distance: "1.5%", triggerGap: "0.01" });
 * const start = initialTrail(config, rules, { price: "65000.00", time: 0, quantity: "0.12333" });
 * const next = onPrice(start.state, { price: "65100.00", time: 1000 }, config, rules);
 * assertEquals(next.action.kind === "replace" && next.action.order.limitPrice, "64123.50");
 * ```
 *
 * @module
 */
export {
  afterPartialFill,
  type Amount,
  averageFillPrice,
  checkStopOrder,
  classifyOrderError,
  computeStop,
  type Fill,
  type FillSummary,
  formatAmount,
  initialTrail,
  isOwnOrder,
  type NativeTrail,
  nativeTrail,
  type NativeTrailConfig,
  type NativeTrailResult,
  type NoneReason,
  onPrice,
  type OrderErrorClass,
  ownClientOrderId,
  parseAmount,
  type PercentBand,
  priceFromEvent,
  type PriceReading,
  type PriceSource,
  priceSource,
  type PriceSourceSpec,
  type PriceTick,
  type QuantityResult,
  type Rejection,
  type StopAdjustment,
  stopLevel,
  type StopOrder,
  type StopOrderType,
  type StopParameters,
  stopQuantity,
  type StopQuantityInput,
  type StopSide,
  type StopWireType,
  stopWireType,
  type SymbolRules,
  symbolRules,
  type TrailAction,
  type TrailConfig,
  trailConfig,
  type TrailDecision,
  type TrailingDeltaBounds,
  type TrailOptions,
  type TrailStart,
  type TrailState,
  type Venue,
} from "./engine.ts";
export { BinanceError } from "../core/errors.ts";
export type { SymbolFilter, SymbolInfo } from "../rest/types_market.ts";
export {
  closestName,
  ConfigFileError,
  parseConfigIni,
  parseProfilesIni,
  type UbtslConfig,
  type UbtslProfile,
  type UbtslProfiles,
} from "./config.ts";
export { EXAMPLE_CONFIG_INI, EXAMPLE_PROFILES_INI, EXAMPLES_LICENSE } from "./examples.ts";
export {
  type CliCommand,
  type CliOptions,
  CliUsageError,
  commandOf,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_REFUSED,
  EXIT_USAGE,
  helpText,
  parseArgs,
  UBTSL_VERSION,
} from "./cli_args.ts";
export { resolveSettings, type SettingSource, trailOptionsOf, type UbtslSettings } from "./cli_settings.ts";
export {
  escapeTelegramHtml,
  type HttpSinkOptions,
  NotificationError,
  type NotificationEvent,
  type NotificationSink,
  notifyAll,
  telegramSink,
  type TelegramSinkOptions,
  webhookSink,
  type WebhookSinkOptions,
} from "./notify.ts";
export {
  BinanceTrailingStopLossManager,
  type StopResult,
  type TrailCounts,
  type TrailingStatus,
} from "./manager.ts";
export {
  type DistanceInput,
  type TrailingStopLossOptions,
  type TrailMode,
  validateTrailingOptions,
} from "./manager_options.ts";
export type { StopMoveKind, StopOrderView, TrailingEvent, TrailingEventType } from "./events.ts";
export { MemoryStateStore, type TrailingState, type TrailingStateStore } from "./state_store.ts";
export { type FailureClass, TrailingStopError } from "./_errors.ts";
export type { VenueKind } from "./_venue.ts";
