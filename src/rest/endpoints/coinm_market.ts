/**
 * COIN-M futures market data (`/dapi/v1` on `dapi.binance.com` — the Python suite sent these to
 * the USDⓈ-M host).
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
import type {
  AggTradesOptions,
  DepthOptions,
  KlinesOptions,
  SymbolOptions,
  TradesOptions,
} from "./market.ts";
import {
  type ContinuousKlinesOptions,
  type FundingRateOptions,
  FuturesMarketClient,
  type OpenInterestHistOptions,
  type OptionalSymbolOptions,
} from "./futures_market.ts";

/** COIN-M market data. */
export class CoinFuturesMarketClient extends FuturesMarketClient {
  #get<T>(path: string, options: object | undefined, weight = 1): Promise<T> {
    return this.call<T>(ep("GET", "dapi", "/dapi/v1" + path, "NONE", weight), options);
  }

  /**
   * COIN-M connectivity test (`GET /dapi/v1/ping`). Python: `futures_coin_ping`.
   *
   * @param options Abort signal.
   * @returns An empty object.
   */
  futuresCoinPing(options?: CallOptions): Promise<Record<string, never>> {
    return this.#get("/ping", options);
  }

  /**
   * COIN-M server time (`GET /dapi/v1/time`). Python: `futures_coin_time`.
   *
   * @param options Abort signal.
   * @returns `{ serverTime }`.
   */
  futuresCoinTime(options?: CallOptions): Promise<ServerTime> {
    return this.#get("/time", options);
  }

  /**
   * COIN-M exchange information (`GET /dapi/v1/exchangeInfo`). Python: `futures_coin_exchange_info`.
   *
   * @param options Abort signal.
   * @returns Rules and symbols.
   */
  futuresCoinExchangeInfo(options?: CallOptions): Promise<ExchangeInfo> {
    return this.#get("/exchangeInfo", options);
  }

  /**
   * COIN-M order book (`GET /dapi/v1/depth`). Python: `futures_coin_order_book`.
   *
   * @param options `symbol` (e.g. `BTCUSD_PERP`), `limit`.
   * @returns The book.
   */
  futuresCoinOrderBook(options: DepthOptions): Promise<OrderBook> {
    return this.#get("/depth", options, futuresDepthWeight(options.limit));
  }

  /**
   * COIN-M recent trades (`GET /dapi/v1/trades`). Python: `futures_coin_recent_trades`.
   *
   * @param options `symbol`, `limit`.
   * @returns Trades.
   */
  futuresCoinRecentTrades(options: TradesOptions): Promise<Trade[]> {
    return this.#get("/trades", options, 5);
  }

  /**
   * COIN-M aggregate trades (`GET /dapi/v1/aggTrades`). Python: `futures_coin_aggregate_trades`.
   *
   * @param options `symbol`, `fromId`, times, `limit`.
   * @returns Aggregate trades.
   */
  futuresCoinAggregateTrades(options: AggTradesOptions): Promise<AggTrade[]> {
    return this.#get("/aggTrades", options, 20);
  }

  /**
   * COIN-M klines (`GET /dapi/v1/klines`). Python: `futures_coin_klines`.
   *
   * @param options `symbol`, `interval`, times, `limit`.
   * @returns Klines.
   */
  futuresCoinKlines(options: KlinesOptions): Promise<Kline[]> {
    return this.#get("/klines", options, 5);
  }

  /**
   * COIN-M mark price and funding (`GET /dapi/v1/premiumIndex`). Python: `futures_coin_mark_price`.
   *
   * @param options `symbol` or `pair` (all when omitted).
   * @returns Mark price data (always a list on COIN-M).
   */
  futuresCoinMarkPrice(options?: OptionalSymbolOptions & { readonly pair?: string }): Promise<MarkPrice[]> {
    return this.#get("/premiumIndex", options, 10);
  }

  /**
   * COIN-M funding-rate history (`GET /dapi/v1/fundingRate`). Python: `futures_coin_funding_rate`.
   *
   * @param options `symbol`, times, `limit`.
   * @returns Funding rates.
   */
  futuresCoinFundingRate(options: FundingRateOptions & { readonly symbol: string }): Promise<FundingRate[]> {
    return this.#get("/fundingRate", options);
  }

  /**
   * COIN-M 24-hour statistics (`GET /dapi/v1/ticker/24hr`). Python: `futures_coin_ticker`.
   *
   * @param options `symbol` or `pair`.
   * @returns Tickers (always a list on COIN-M).
   */
  futuresCoinTicker(options?: OptionalSymbolOptions & { readonly pair?: string }): Promise<Ticker24hr[]> {
    return this.#get("/ticker/24hr", options, options?.symbol ? 1 : 40);
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
    return this.#get("/ticker/price", options, options?.symbol ? 1 : 2);
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
    return this.#get("/ticker/bookTicker", options, options?.symbol ? 2 : 5);
  }

  /**
   * COIN-M open interest (`GET /dapi/v1/openInterest`). Python: `futures_coin_open_interest`.
   *
   * @param options `symbol`.
   * @returns Open interest.
   */
  futuresCoinOpenInterest(options: SymbolOptions): Promise<OpenInterest> {
    return this.#get("/openInterest", options);
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

  /**
   * COIN-M older trades (`GET /dapi/v1/historicalTrades`, API key sent when configured).
   * Python: `futures_coin_historical_trades`.
   *
   * @param options `symbol`, `limit`, `fromId`.
   * @returns Trades.
   */
  futuresCoinHistoricalTrades(options: TradesOptions): Promise<Trade[]> {
    return this.call(ep("GET", "dapi", "/dapi/v1/historicalTrades", "MARKET_DATA", 20), options);
  }

  /**
   * COIN-M continuous-contract klines (`GET /dapi/v1/continuousKlines`). Python: `futures_coin_continous_klines`.
   *
   * @param options `pair`, `contractType`, `interval`, times, `limit`.
   * @returns Klines.
   */
  futuresCoinContinuousKlines(options: ContinuousKlinesOptions): Promise<Kline[]> {
    return this.#get("/continuousKlines", options, 5);
  }

  /**
   * COIN-M index-price klines (`GET /dapi/v1/indexPriceKlines`). Python: `futures_coin_index_price_klines`.
   *
   * @param options `pair`, `interval`, times, `limit`.
   * @returns Klines (volume fields are 0).
   */
  futuresCoinIndexPriceKlines(options: Omit<ContinuousKlinesOptions, "contractType">): Promise<Kline[]> {
    return this.#get("/indexPriceKlines", options, 5);
  }

  /**
   * COIN-M mark-price klines (`GET /dapi/v1/markPriceKlines`). Python: `futures_coin_mark_price_klines`.
   *
   * @param options `symbol`, `interval`, times, `limit`.
   * @returns Klines (volume fields are 0).
   */
  futuresCoinMarkPriceKlines(options: KlinesOptions): Promise<Kline[]> {
    return this.#get("/markPriceKlines", options, 5);
  }
}
