/**
 * Derivatives market data: USDⓈ-M futures (`fapi`), COIN-M futures (`dapi`, on its own host —
 * the Python suite sent these to `fapi`) and European options (`eapi`).
 *
 * @module
 */
import type { RestFamily } from "../../core/exchanges.ts";
import { ep, futuresDepthWeight } from "../_spec.ts";
import type { CallOptions } from "../client_core.ts";
import type {
  AggTrade,
  BookTicker,
  ExchangeInfo,
  FundingRate,
  Kline,
  MarkPrice,
  OpenInterest,
  OpenInterestHist,
  OrderBook,
  ServerTime,
  Ticker24hr,
  TickerPrice,
  Trade,
} from "../types_market.ts";
import {
  type AggTradesOptions,
  type DepthOptions,
  type KlineInterval,
  type KlinesOptions,
  MarketDataClient,
  type SymbolOptions,
  type TradesOptions,
} from "./market.ts";

/** Optional-symbol parameter. */
export interface OptionalSymbolOptions extends CallOptions {
  /** Symbol; all symbols when omitted. */
  readonly symbol?: string;
}

/** Funding-rate history parameters. */
export interface FundingRateOptions extends OptionalSymbolOptions {
  /** Start time (ms). */
  readonly startTime?: number;
  /** End time (ms). */
  readonly endTime?: number;
  /** Number of entries (default 100, max 1000). */
  readonly limit?: number;
}

/** Continuous-contract kline parameters. */
export interface ContinuousKlinesOptions extends CallOptions {
  /** Pair, e.g. `BTCUSDT`. */
  readonly pair: string;
  /** `PERPETUAL`, `CURRENT_QUARTER`, `NEXT_QUARTER`. */
  readonly contractType: string;
  /** Interval. */
  readonly interval: KlineInterval;
  /** Start time (ms). */
  readonly startTime?: number;
  /** End time (ms). */
  readonly endTime?: number;
  /** Number of klines (max 1500). */
  readonly limit?: number;
}

/** Open-interest statistics parameters (`/futures/data/openInterestHist`). */
export interface OpenInterestHistOptions extends CallOptions {
  /** USDⓈ-M: symbol. */
  readonly symbol?: string;
  /** COIN-M: pair, e.g. `BTCUSD`. */
  readonly pair?: string;
  /** COIN-M: contract type. */
  readonly contractType?: string;
  /** `5m`, `15m`, `30m`, `1h`, `2h`, `4h`, `6h`, `12h`, `1d`. */
  readonly period: string;
  /** Number of entries (default 30, max 500). */
  readonly limit?: number;
  /** Start time (ms). */
  readonly startTime?: number;
  /** End time (ms). */
  readonly endTime?: number;
}

const V1: Readonly<Record<"fapi" | "dapi" | "eapi", string>> = {
  fapi: "/fapi/v1",
  dapi: "/dapi/v1",
  eapi: "/eapi/v1",
};

/** Derivatives market data on top of the spot market data. */
export class DerivativesMarketClient extends MarketDataClient {
  #get<T>(
    family: "fapi" | "dapi" | "eapi",
    path: string,
    options: object | undefined,
    weight = 1,
  ): Promise<T> {
    return this.call<T>(ep("GET", family as RestFamily, V1[family] + path, "NONE", weight), options);
  }

  // --- USDⓈ-M ---------------------------------------------------------------------------------

  /**
   * USDⓈ-M connectivity test (`GET /fapi/v1/ping`). Python: `futures_ping`.
   *
   * @param options Abort signal.
   * @returns An empty object.
   */
  futuresPing(options?: CallOptions): Promise<Record<string, never>> {
    return this.#get("fapi", "/ping", options);
  }

  /**
   * USDⓈ-M server time (`GET /fapi/v1/time`). Python: `futures_time`.
   *
   * @param options Abort signal.
   * @returns `{ serverTime }`.
   */
  futuresTime(options?: CallOptions): Promise<ServerTime> {
    return this.#get("fapi", "/time", options);
  }

  /**
   * USDⓈ-M exchange information (`GET /fapi/v1/exchangeInfo`). Python: `futures_exchange_info`.
   *
   * @param options Abort signal.
   * @returns Rules and symbols.
   */
  futuresExchangeInfo(options?: CallOptions): Promise<ExchangeInfo> {
    return this.#get("fapi", "/exchangeInfo", options);
  }

  /**
   * USDⓈ-M order book (`GET /fapi/v1/depth`, weight 2–20). Python: `futures_order_book`.
   *
   * @param options `symbol`, `limit`.
   * @returns The book.
   */
  futuresOrderBook(options: DepthOptions): Promise<OrderBook> {
    return this.#get("fapi", "/depth", options, futuresDepthWeight(options.limit));
  }

  /**
   * USDⓈ-M book including RPI orders (`GET /fapi/v1/rpiDepth`).
   *
   * @param options `symbol`, `limit` (1000).
   * @returns The book.
   */
  futuresRpiDepth(options: DepthOptions): Promise<OrderBook> {
    return this.#get("fapi", "/rpiDepth", options, 20);
  }

  /**
   * USDⓈ-M recent trades (`GET /fapi/v1/trades`). Python: `futures_recent_trades`.
   *
   * @param options `symbol`, `limit`.
   * @returns Trades.
   */
  futuresRecentTrades(options: TradesOptions): Promise<Trade[]> {
    return this.#get("fapi", "/trades", options, 5);
  }

  /**
   * USDⓈ-M older trades (`GET /fapi/v1/historicalTrades`). Python: `futures_historical_trades`.
   *
   * @param options `symbol`, `limit`, `fromId`.
   * @returns Trades.
   */
  futuresHistoricalTrades(options: TradesOptions): Promise<Trade[]> {
    return this.#get("fapi", "/historicalTrades", options, 20);
  }

  /**
   * USDⓈ-M aggregate trades (`GET /fapi/v1/aggTrades`). Python: `futures_aggregate_trades`.
   *
   * @param options `symbol`, `fromId`, `startTime`, `endTime`, `limit`.
   * @returns Aggregate trades.
   */
  futuresAggregateTrades(options: AggTradesOptions): Promise<AggTrade[]> {
    return this.#get("fapi", "/aggTrades", options, 20);
  }

  /**
   * USDⓈ-M klines (`GET /fapi/v1/klines`). Python: `futures_klines`.
   *
   * @param options `symbol`, `interval`, `startTime`, `endTime`, `limit`.
   * @returns Klines.
   */
  futuresKlines(options: KlinesOptions): Promise<Kline[]> {
    return this.#get("fapi", "/klines", options, 5);
  }

  /**
   * USDⓈ-M continuous-contract klines (`GET /fapi/v1/continuousKlines`). Python: `futures_continous_klines`.
   *
   * @param options `pair`, `contractType`, `interval`, times, `limit`.
   * @returns Klines.
   */
  futuresContinuousKlines(options: ContinuousKlinesOptions): Promise<Kline[]> {
    return this.#get("fapi", "/continuousKlines", options, 5);
  }

  /**
   * USDⓈ-M mark-price klines (`GET /fapi/v1/markPriceKlines`).
   *
   * @param options `symbol`, `interval`, times, `limit`.
   * @returns Klines (volume fields are 0).
   */
  futuresMarkPriceKlines(options: KlinesOptions): Promise<Kline[]> {
    return this.#get("fapi", "/markPriceKlines", options, 5);
  }

  /**
   * USDⓈ-M mark price and funding (`GET /fapi/v1/premiumIndex`). Python: `futures_mark_price`.
   *
   * @param options `symbol`.
   * @returns Mark price data.
   */
  futuresMarkPrice(options: SymbolOptions): Promise<MarkPrice>;
  /**
   * USDⓈ-M mark price and funding of all symbols.
   *
   * @param options Abort signal.
   * @returns Mark price data.
   */
  futuresMarkPrice(options?: CallOptions): Promise<MarkPrice[]>;
  futuresMarkPrice(options?: OptionalSymbolOptions): Promise<MarkPrice | MarkPrice[]> {
    return this.#get("fapi", "/premiumIndex", options);
  }

  /**
   * USDⓈ-M funding-rate history (`GET /fapi/v1/fundingRate`). Python: `futures_funding_rate`.
   *
   * @param options `symbol`, `startTime`, `endTime`, `limit`.
   * @returns Funding rates.
   */
  futuresFundingRate(options?: FundingRateOptions): Promise<FundingRate[]> {
    return this.#get("fapi", "/fundingRate", options);
  }

  /**
   * USDⓈ-M 24-hour statistics (`GET /fapi/v1/ticker/24hr`). Python: `futures_ticker`.
   *
   * @param options `symbol` (all when omitted).
   * @returns One ticker or a list.
   */
  futuresTicker(options?: OptionalSymbolOptions): Promise<Ticker24hr | Ticker24hr[]> {
    return this.#get("fapi", "/ticker/24hr", options, options?.symbol ? 1 : 40);
  }

  /**
   * USDⓈ-M latest price (`GET /fapi/v1/ticker/price`). Python: `futures_symbol_ticker`.
   *
   * @param options `symbol` (all when omitted).
   * @returns One price or a list.
   */
  futuresSymbolTicker(options?: OptionalSymbolOptions): Promise<TickerPrice | TickerPrice[]> {
    return this.#get("fapi", "/ticker/price", options, options?.symbol ? 1 : 2);
  }

  /**
   * USDⓈ-M best bid/ask (`GET /fapi/v1/ticker/bookTicker`). Python: `futures_orderbook_ticker`.
   *
   * @param options `symbol` (all when omitted).
   * @returns One book ticker or a list.
   */
  futuresOrderbookTicker(options?: OptionalSymbolOptions): Promise<BookTicker | BookTicker[]> {
    return this.#get("fapi", "/ticker/bookTicker", options, options?.symbol ? 2 : 5);
  }

  /**
   * USDⓈ-M open interest (`GET /fapi/v1/openInterest`; the Python suite used a wrong path).
   *
   * @param options `symbol`.
   * @returns Open interest.
   */
  futuresOpenInterest(options: SymbolOptions): Promise<OpenInterest> {
    return this.#get("fapi", "/openInterest", options);
  }

  /**
   * USDⓈ-M open-interest statistics (`GET /futures/data/openInterestHist`). Python: `futures_open_interest_hist`.
   *
   * @param options `symbol`, `period`, `limit`, times.
   * @returns Statistics.
   */
  futuresOpenInterestHist(options: OpenInterestHistOptions): Promise<OpenInterestHist[]> {
    return this.call(ep("GET", "fapi", "/futures/data/openInterestHist"), options);
  }

  /**
   * USDⓈ-M auto-deleverage risk per symbol (`GET /fapi/v1/symbolAdlRisk`).
   *
   * @param options `symbol` (all when omitted).
   * @returns ADL risk entries.
   */
  futuresSymbolAdlRisk(
    options?: OptionalSymbolOptions,
  ): Promise<Record<string, unknown> | Record<string, unknown>[]> {
    return this.#get("fapi", "/symbolAdlRisk", options);
  }

  // --- COIN-M ---------------------------------------------------------------------------------

  /**
   * COIN-M connectivity test (`GET /dapi/v1/ping`). Python: `futures_coin_ping`.
   *
   * @param options Abort signal.
   * @returns An empty object.
   */
  futuresCoinPing(options?: CallOptions): Promise<Record<string, never>> {
    return this.#get("dapi", "/ping", options);
  }

  /**
   * COIN-M server time (`GET /dapi/v1/time`). Python: `futures_coin_time`.
   *
   * @param options Abort signal.
   * @returns `{ serverTime }`.
   */
  futuresCoinTime(options?: CallOptions): Promise<ServerTime> {
    return this.#get("dapi", "/time", options);
  }

  /**
   * COIN-M exchange information (`GET /dapi/v1/exchangeInfo`). Python: `futures_coin_exchange_info`.
   *
   * @param options Abort signal.
   * @returns Rules and symbols.
   */
  futuresCoinExchangeInfo(options?: CallOptions): Promise<ExchangeInfo> {
    return this.#get("dapi", "/exchangeInfo", options);
  }

  /**
   * COIN-M order book (`GET /dapi/v1/depth`). Python: `futures_coin_order_book`.
   *
   * @param options `symbol` (e.g. `BTCUSD_PERP`), `limit`.
   * @returns The book.
   */
  futuresCoinOrderBook(options: DepthOptions): Promise<OrderBook> {
    return this.#get("dapi", "/depth", options, futuresDepthWeight(options.limit));
  }

  /**
   * COIN-M recent trades (`GET /dapi/v1/trades`). Python: `futures_coin_recent_trades`.
   *
   * @param options `symbol`, `limit`.
   * @returns Trades.
   */
  futuresCoinRecentTrades(options: TradesOptions): Promise<Trade[]> {
    return this.#get("dapi", "/trades", options, 5);
  }

  /**
   * COIN-M aggregate trades (`GET /dapi/v1/aggTrades`). Python: `futures_coin_aggregate_trades`.
   *
   * @param options `symbol`, `fromId`, times, `limit`.
   * @returns Aggregate trades.
   */
  futuresCoinAggregateTrades(options: AggTradesOptions): Promise<AggTrade[]> {
    return this.#get("dapi", "/aggTrades", options, 20);
  }

  /**
   * COIN-M klines (`GET /dapi/v1/klines`). Python: `futures_coin_klines`.
   *
   * @param options `symbol`, `interval`, times, `limit`.
   * @returns Klines.
   */
  futuresCoinKlines(options: KlinesOptions): Promise<Kline[]> {
    return this.#get("dapi", "/klines", options, 5);
  }

  /**
   * COIN-M mark price and funding (`GET /dapi/v1/premiumIndex`). Python: `futures_coin_mark_price`.
   *
   * @param options `symbol` or `pair` (all when omitted).
   * @returns Mark price data (always a list on COIN-M).
   */
  futuresCoinMarkPrice(options?: OptionalSymbolOptions & { readonly pair?: string }): Promise<MarkPrice[]> {
    return this.#get("dapi", "/premiumIndex", options, 10);
  }

  /**
   * COIN-M funding-rate history (`GET /dapi/v1/fundingRate`). Python: `futures_coin_funding_rate`.
   *
   * @param options `symbol`, times, `limit`.
   * @returns Funding rates.
   */
  futuresCoinFundingRate(options: FundingRateOptions & { readonly symbol: string }): Promise<FundingRate[]> {
    return this.#get("dapi", "/fundingRate", options);
  }

  /**
   * COIN-M 24-hour statistics (`GET /dapi/v1/ticker/24hr`). Python: `futures_coin_ticker`.
   *
   * @param options `symbol` or `pair`.
   * @returns Tickers (always a list on COIN-M).
   */
  futuresCoinTicker(options?: OptionalSymbolOptions & { readonly pair?: string }): Promise<Ticker24hr[]> {
    return this.#get("dapi", "/ticker/24hr", options, options?.symbol ? 1 : 40);
  }

  /**
   * COIN-M latest price (`GET /dapi/v1/ticker/price`). Python: `futures_coin_symbol_ticker`.
   *
   * @param options `symbol` or `pair`.
   * @returns Prices (always a list on COIN-M).
   */
  futuresCoinSymbolTicker(
    options?: OptionalSymbolOptions & { readonly pair?: string },
  ): Promise<TickerPrice[]> {
    return this.#get("dapi", "/ticker/price", options, options?.symbol ? 1 : 2);
  }

  /**
   * COIN-M best bid/ask (`GET /dapi/v1/ticker/bookTicker`). Python: `futures_coin_orderbook_ticker`.
   *
   * @param options `symbol` or `pair`.
   * @returns Book tickers (always a list on COIN-M).
   */
  futuresCoinOrderbookTicker(
    options?: OptionalSymbolOptions & { readonly pair?: string },
  ): Promise<BookTicker[]> {
    return this.#get("dapi", "/ticker/bookTicker", options, options?.symbol ? 2 : 5);
  }

  /**
   * COIN-M open interest (`GET /dapi/v1/openInterest`). Python: `futures_coin_open_interest`.
   *
   * @param options `symbol`.
   * @returns Open interest.
   */
  futuresCoinOpenInterest(options: SymbolOptions): Promise<OpenInterest> {
    return this.#get("dapi", "/openInterest", options);
  }

  /**
   * COIN-M open-interest statistics (`GET /futures/data/openInterestHist` on the COIN-M host,
   * without the `/v1` the Python suite inserted).
   *
   * @param options `pair`, `contractType`, `period`, `limit`, times.
   * @returns Statistics.
   */
  futuresCoinOpenInterestHist(options: OpenInterestHistOptions): Promise<OpenInterestHist[]> {
    return this.call(ep("GET", "dapi", "/futures/data/openInterestHist"), options);
  }

  // --- options --------------------------------------------------------------------------------

  /**
   * Options connectivity test (`GET /eapi/v1/ping`). Python: `options_ping`.
   *
   * @param options Abort signal.
   * @returns An empty object.
   */
  optionsPing(options?: CallOptions): Promise<Record<string, never>> {
    return this.#get("eapi", "/ping", options);
  }

  /**
   * Options server time (`GET /eapi/v1/time`). Python: `options_time`.
   *
   * @param options Abort signal.
   * @returns `{ serverTime }`.
   */
  optionsTime(options?: CallOptions): Promise<ServerTime> {
    return this.#get("eapi", "/time", options);
  }

  /**
   * Options exchange information (`GET /eapi/v1/exchangeInfo`). Python: `options_exchange_info`.
   *
   * @param options Abort signal.
   * @returns Rules, option contracts and symbols (`optionSymbols`).
   */
  optionsExchangeInfo(options?: CallOptions): Promise<Record<string, unknown>> {
    return this.#get("eapi", "/exchangeInfo", options);
  }

  /**
   * Options order book (`GET /eapi/v1/depth`). Python: `options_order_book`.
   *
   * @param options `symbol` (e.g. `BTC-261225-100000-C`), `limit`.
   * @returns The book.
   */
  optionsOrderBook(options: DepthOptions): Promise<OrderBook> {
    return this.#get("eapi", "/depth", options, 5);
  }

  /**
   * Options recent trades (`GET /eapi/v1/trades`). Python: `options_recent_trades`.
   *
   * @param options `symbol`, `limit`.
   * @returns Trades.
   */
  optionsRecentTrades(options: TradesOptions): Promise<Record<string, unknown>[]> {
    return this.#get("eapi", "/trades", options, 5);
  }

  /**
   * Options klines (`GET /eapi/v1/klines`). Python: `options_klines`.
   *
   * @param options `symbol`, `interval`, times, `limit`.
   * @returns Klines (objects on eapi).
   */
  optionsKlines(options: KlinesOptions): Promise<Record<string, unknown>[]> {
    return this.#get("eapi", "/klines", options);
  }

  /**
   * Options mark price and greeks (`GET /eapi/v1/mark`). Python: `options_mark_price`.
   *
   * @param options `symbol` (all when omitted).
   * @returns Mark data.
   */
  optionsMarkPrice(options?: OptionalSymbolOptions): Promise<Record<string, unknown>[]> {
    return this.#get("eapi", "/mark", options, 5);
  }

  /**
   * Options 24-hour statistics (`GET /eapi/v1/ticker`). Python: `options_ticker`.
   *
   * @param options `symbol` (all when omitted).
   * @returns Tickers.
   */
  optionsTicker(options?: OptionalSymbolOptions): Promise<Record<string, unknown>[]> {
    return this.#get("eapi", "/ticker", options, 5);
  }

  /**
   * Options underlying index price (`GET /eapi/v1/index`). Python: `options_index_price`.
   *
   * @param options `underlying`, e.g. `BTCUSDT`.
   * @returns `{ time, indexPrice }`.
   */
  optionsIndexPrice(
    options: CallOptions & { readonly underlying: string },
  ): Promise<Record<string, unknown>> {
    return this.#get("eapi", "/index", options);
  }

  /**
   * Options open interest (`GET /eapi/v1/openInterest`). Python: `options_open_interest`.
   *
   * @param options `underlyingAsset`, `expiration` (e.g. `261225`).
   * @returns Open interest per contract.
   */
  optionsOpenInterest(
    options: CallOptions & { readonly underlyingAsset: string; readonly expiration: string },
  ): Promise<Record<string, unknown>[]> {
    return this.#get("eapi", "/openInterest", options);
  }
}
