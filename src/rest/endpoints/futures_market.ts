/**
 * USDⓈ-M futures market data (`/fapi/v1`, public) and the futures statistics (`/futures/data`).
 *
 * @module
 */
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

/** USDⓈ-M market data on top of the spot market data. */
export class FuturesMarketClient extends MarketDataClient {
  #get<T>(path: string, options: object | undefined, weight = 1): Promise<T> {
    return this.call<T>(ep("GET", "fapi", "/fapi/v1" + path, "NONE", weight), options);
  }

  /**
   * USDⓈ-M connectivity test (`GET /fapi/v1/ping`). Python: `futures_ping`.
   *
   * @param options Abort signal.
   * @returns An empty object.
   */
  futuresPing(options?: CallOptions): Promise<Record<string, never>> {
    return this.#get("/ping", options);
  }

  /**
   * USDⓈ-M server time (`GET /fapi/v1/time`). Python: `futures_time`.
   *
   * @param options Abort signal.
   * @returns `{ serverTime }`.
   */
  futuresTime(options?: CallOptions): Promise<ServerTime> {
    return this.#get("/time", options);
  }

  /**
   * USDⓈ-M exchange information (`GET /fapi/v1/exchangeInfo`). Python: `futures_exchange_info`.
   *
   * @param options Abort signal.
   * @returns Rules and symbols.
   */
  futuresExchangeInfo(options?: CallOptions): Promise<ExchangeInfo> {
    return this.#get("/exchangeInfo", options);
  }

  /**
   * USDⓈ-M order book (`GET /fapi/v1/depth`, weight 2–20). Python: `futures_order_book`.
   *
   * @param options `symbol`, `limit`.
   * @returns The book.
   */
  futuresOrderBook(options: DepthOptions): Promise<OrderBook> {
    return this.#get("/depth", options, futuresDepthWeight(options.limit));
  }

  /**
   * USDⓈ-M book including RPI orders (`GET /fapi/v1/rpiDepth`).
   *
   * @param options `symbol`, `limit` (1000).
   * @returns The book.
   */
  futuresRpiDepth(options: DepthOptions): Promise<OrderBook> {
    return this.#get("/rpiDepth", options, 20);
  }

  /**
   * USDⓈ-M recent trades (`GET /fapi/v1/trades`). Python: `futures_recent_trades`.
   *
   * @param options `symbol`, `limit`.
   * @returns Trades.
   */
  futuresRecentTrades(options: TradesOptions): Promise<Trade[]> {
    return this.#get("/trades", options, 5);
  }

  /**
   * USDⓈ-M older trades (`GET /fapi/v1/historicalTrades`). Python: `futures_historical_trades`.
   *
   * @param options `symbol`, `limit`, `fromId`.
   * @returns Trades.
   */
  futuresHistoricalTrades(options: TradesOptions): Promise<Trade[]> {
    return this.call(ep("GET", "fapi", "/fapi/v1/historicalTrades", "MARKET_DATA", 20), options);
  }

  /**
   * USDⓈ-M aggregate trades (`GET /fapi/v1/aggTrades`). Python: `futures_aggregate_trades`.
   *
   * @param options `symbol`, `fromId`, `startTime`, `endTime`, `limit`.
   * @returns Aggregate trades.
   */
  futuresAggregateTrades(options: AggTradesOptions): Promise<AggTrade[]> {
    return this.#get("/aggTrades", options, 20);
  }

  /**
   * USDⓈ-M klines (`GET /fapi/v1/klines`). Python: `futures_klines`.
   *
   * @param options `symbol`, `interval`, `startTime`, `endTime`, `limit`.
   * @returns Klines.
   */
  futuresKlines(options: KlinesOptions): Promise<Kline[]> {
    return this.#get("/klines", options, 5);
  }

  /**
   * USDⓈ-M continuous-contract klines (`GET /fapi/v1/continuousKlines`). Python: `futures_continous_klines`.
   *
   * @param options `pair`, `contractType`, `interval`, times, `limit`.
   * @returns Klines.
   */
  futuresContinuousKlines(options: ContinuousKlinesOptions): Promise<Kline[]> {
    return this.#get("/continuousKlines", options, 5);
  }

  /**
   * USDⓈ-M mark-price klines (`GET /fapi/v1/markPriceKlines`).
   *
   * @param options `symbol`, `interval`, times, `limit`.
   * @returns Klines (volume fields are 0).
   */
  futuresMarkPriceKlines(options: KlinesOptions): Promise<Kline[]> {
    return this.#get("/markPriceKlines", options, 5);
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
    return this.#get("/premiumIndex", options);
  }

  /**
   * USDⓈ-M funding-rate history (`GET /fapi/v1/fundingRate`). Python: `futures_funding_rate`.
   *
   * @param options `symbol`, `startTime`, `endTime`, `limit`.
   * @returns Funding rates.
   */
  futuresFundingRate(options?: FundingRateOptions): Promise<FundingRate[]> {
    return this.#get("/fundingRate", options);
  }

  /**
   * USDⓈ-M 24-hour statistics (`GET /fapi/v1/ticker/24hr`). Python: `futures_ticker`.
   *
   * @param options `symbol` (all when omitted).
   * @returns One ticker or a list.
   */
  futuresTicker(options?: OptionalSymbolOptions): Promise<Ticker24hr | Ticker24hr[]> {
    return this.#get("/ticker/24hr", options, options?.symbol ? 1 : 40);
  }

  /**
   * USDⓈ-M latest price (`GET /fapi/v1/ticker/price`). Python: `futures_symbol_ticker`.
   *
   * @param options `symbol` (all when omitted).
   * @returns One price or a list.
   */
  futuresSymbolTicker(options?: OptionalSymbolOptions): Promise<TickerPrice | TickerPrice[]> {
    return this.#get("/ticker/price", options, options?.symbol ? 1 : 2);
  }

  /**
   * USDⓈ-M best bid/ask (`GET /fapi/v1/ticker/bookTicker`). Python: `futures_orderbook_ticker`.
   *
   * @param options `symbol` (all when omitted).
   * @returns One book ticker or a list.
   */
  futuresOrderbookTicker(options?: OptionalSymbolOptions): Promise<BookTicker | BookTicker[]> {
    return this.#get("/ticker/bookTicker", options, options?.symbol ? 2 : 5);
  }

  /**
   * USDⓈ-M open interest (`GET /fapi/v1/openInterest`; the Python suite used a wrong path).
   *
   * @param options `symbol`.
   * @returns Open interest.
   */
  futuresOpenInterest(options: SymbolOptions): Promise<OpenInterest> {
    return this.#get("/openInterest", options);
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
    return this.#get("/symbolAdlRisk", options);
  }
}
