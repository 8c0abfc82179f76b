/**
 * `unicorn-binance/rest`: the Binance REST client — the TypeScript form of the Python suite's
 * `BinanceRestApiManager` (UBRA) for spot, margin, USDⓈ-M, COIN-M, options and wallet endpoints,
 * plus sub-accounts, Simple Earn, convert, portfolio margin (`papi`) and options trading, on every
 * venue of the catalog (testnets included).
 *
 * - Signing with `crypto.subtle` only: HMAC-SHA256, RSA (PKCS#1 v1.5, SHA-256) and Ed25519, the
 *   key type detected from the key; the payload percent-encoded before signing.
 * - Server-time offset measured on the first signed call and after a `-1021` (retried once).
 * - `client.usage` from `X-MBX-USED-WEIGHT-*` / `X-MBX-ORDER-COUNT-*`; an optional weight budget;
 *   429 waits `Retry-After` (bounded); 418 raises `IpBannedError` with `until`.
 * - Idempotent GETs retry network errors and 5xx with jittered backoff; order placement is never
 *   retried blindly (`OrderStatusUnknownError` + `client.reconcileOrder()`).
 * - 64-bit ids stay exact (`bigint` above 2^53 − 1).
 *
 * This entry imports web standards and `src/core` only, so it bundles for edge runtimes.
 *
 * @example Public call against a fake fetch
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BinanceRestClient } from "./mod.ts";
 *
 * const client = new BinanceRestClient({
 *   exchange: "binance.com-futures",
 *   fetch: () => Promise.resolve(new Response('{"serverTime":1700000000000}')),
 * });
 * assertEquals(await client.futuresTime(), { serverTime: 1700000000000 });
 * ```
 *
 * @module
 */
export { BinanceRestClient } from "./client.ts";
// core types and errors that appear in this entry's API, so rest-only users need no second import
export {
  BinanceApiError,
  BinanceError,
  IpBannedError,
  isBinanceApiError,
  isBinanceError,
  isIpBannedError,
  isRateLimitError,
  RateLimitError,
} from "../core/errors.ts";
export type { Exchange, ExchangeName, Market, RestFamily, RestOrigins, RestPath } from "../core/exchanges.ts";
export type { Int64 } from "../core/json.ts";
export type { DecimalInput } from "../core/decimal.ts";
export type {
  BinanceRestClientOptions,
  HistoricalKlinesOptions,
  OrderReference,
  OrderShortcutOptions,
} from "./client.ts";
export { RestClientCore } from "./client_core.ts";
export type {
  CallOptions,
  EndpointSpec,
  HttpMethod,
  RestClientOptions,
  RestClock,
  Security,
  WebCryptoKey,
} from "./client_core.ts";
export { isOrderStatusUnknownError, OrderStatusUnknownError } from "./errors.ts";
export type { OrderStatusUnknownErrorOptions } from "./errors.ts";
export {
  createSigner,
  detectKeyType,
  encodeRestParams,
  percentEncode,
  signRestPayload,
  signWsApiParams,
  wsApiSignaturePayload,
} from "./sign.ts";
export type { KeyType, Signer } from "./sign.ts";
export { formatNumber, formatParamValue } from "./_format.ts";
export type { Params, ParamValue } from "./_format.ts";
export { readUsageHeaders, WeightBudget } from "./usage.ts";
export type { UsageSnapshot, WeightBudgetOptions } from "./usage.ts";
export { applyOrderFilters } from "./order_filters.ts";
export type { FilteredOrder, OrderFilterInput, RoundingMode } from "./order_filters.ts";
export { MarketDataClient } from "./endpoints/market.ts";
export type {
  AggTradesOptions,
  DepthOptions,
  ExchangeInfoOptions,
  KlineInterval,
  KlinesOptions,
  RollingTickerOptions,
  SymbolOptions,
  SymbolsOptions,
  TradesOptions,
} from "./endpoints/market.ts";
export { FuturesMarketClient } from "./endpoints/futures_market.ts";
export { CoinFuturesMarketClient } from "./endpoints/coinm_market.ts";
export { OptionsMarketClient } from "./endpoints/options_market.ts";
export type {
  ContinuousKlinesOptions,
  FundingRateOptions,
  OpenInterestHistOptions,
  OptionalSymbolOptions,
} from "./endpoints/futures_market.ts";
export { SpotTradingClient } from "./endpoints/spot_trading.ts";
export type {
  CancelOrderOptions,
  CancelReplaceOptions,
  Decimal,
  ExtraParams,
  HistoryOptions,
  NewOrderOptions,
  OrderListOptions,
  OrderRefOptions,
} from "./endpoints/spot_trading.ts";
export { MarginClient } from "./endpoints/margin.ts";
export type {
  BorrowRepayOptions,
  IsolatedOption,
  MarginHistoryOptions,
  MarginOrderOptions,
  MarginOrderRefOptions,
} from "./endpoints/margin.ts";
export { FuturesClient } from "./endpoints/futures.ts";
export { FuturesAccountClient } from "./endpoints/futures_account.ts";
export type { PositionMarginOptions } from "./endpoints/futures_account.ts";
export { CoinFuturesClient } from "./endpoints/coin_futures.ts";
export type {
  FuturesHistoryOptions,
  FuturesOrderOptions,
  FuturesOrderRefOptions,
  IncomeOptions,
} from "./endpoints/futures.ts";
export { WalletClient } from "./endpoints/wallet.ts";
export type { UniversalTransferOptions, WalletHistoryOptions } from "./endpoints/wallet.ts";
export { SubAccountClient } from "./endpoints/sub_account.ts";
export { SimpleEarnClient } from "./endpoints/simple_earn.ts";
export { ConvertClient } from "./endpoints/convert.ts";
export type { ConvertOrder, ConvertPair, ConvertQuote, ConvertQuoteOptions } from "./endpoints/convert.ts";
export { PortfolioMarginClient } from "./endpoints/portfolio_margin.ts";
export type {
  LoanOptions,
  PortfolioMarginAccount,
  PortfolioMarginBalance,
} from "./endpoints/portfolio_margin.ts";
export { OptionsTradingClient } from "./endpoints/options_trading.ts";
export type {
  OptionsMarginAccount,
  OptionsOrder,
  OptionsOrderOptions,
  OptionsOrderRefOptions,
  OptionsPosition,
} from "./endpoints/options_trading.ts";
export type {
  EarnPage,
  EarnPageOptions,
  EarnSourceAccount,
  FlexiblePosition,
  FlexibleProduct,
  LockedPosition,
  LockedProduct,
  SimpleEarnAccount,
} from "./endpoints/simple_earn.ts";
export type {
  ApiIpRestriction,
  ApiKeyPermissions,
  SubAccountBalance,
  SubAccountInfo,
  SubAccountTransfer,
  SubAccountTransferOptions,
  SubAccountType,
  SubKeyOptions,
} from "./endpoints/sub_account.ts";
export type * from "./types_market.ts";
export type * from "./types_account.ts";
export type * from "./types_futures.ts";
