/**
 * European options market data (`/eapi/v1`, public).
 *
 * @module
 */
import { ep } from "../_spec.ts";
import type { CallOptions } from "../client_core.ts";
import type { OrderBook, ServerTime } from "../types_market.ts";
import type { DepthOptions, KlinesOptions, TradesOptions } from "./market.ts";
import { CoinFuturesMarketClient } from "./coinm_market.ts";
import type { OptionalSymbolOptions } from "./futures_market.ts";

/** Options market data. */
export class OptionsMarketClient extends CoinFuturesMarketClient {
  #get<T>(path: string, options: object | undefined, weight = 1): Promise<T> {
    return this.call<T>(ep("GET", "eapi", "/eapi/v1" + path, "NONE", weight), options);
  }

  /**
   * Options connectivity test (`GET /eapi/v1/ping`). Python: `options_ping`.
   *
   * @param options Abort signal.
   * @returns An empty object.
   */
  optionsPing(options?: CallOptions): Promise<Record<string, never>> {
    return this.#get("/ping", options);
  }

  /**
   * Options server time (`GET /eapi/v1/time`). Python: `options_time`.
   *
   * @param options Abort signal.
   * @returns `{ serverTime }`.
   */
  optionsTime(options?: CallOptions): Promise<ServerTime> {
    return this.#get("/time", options);
  }

  /**
   * Options exchange information (`GET /eapi/v1/exchangeInfo`). Python: `options_exchange_info`.
   *
   * @param options Abort signal.
   * @returns Rules, option contracts and symbols (`optionSymbols`).
   */
  optionsExchangeInfo(options?: CallOptions): Promise<Record<string, unknown>> {
    return this.#get("/exchangeInfo", options);
  }

  /**
   * Options order book (`GET /eapi/v1/depth`). Python: `options_order_book`.
   *
   * @param options `symbol` (e.g. `BTC-261225-100000-C`), `limit`.
   * @returns The book.
   */
  optionsOrderBook(options: DepthOptions): Promise<OrderBook> {
    return this.#get("/depth", options, 5);
  }

  /**
   * Options recent trades (`GET /eapi/v1/trades`). Python: `options_recent_trades`.
   *
   * @param options `symbol`, `limit`.
   * @returns Trades.
   */
  optionsRecentTrades(options: TradesOptions): Promise<Record<string, unknown>[]> {
    return this.#get("/trades", options, 5);
  }

  /**
   * Options klines (`GET /eapi/v1/klines`). Python: `options_klines`.
   *
   * @param options `symbol`, `interval`, times, `limit`.
   * @returns Klines (objects on eapi).
   */
  optionsKlines(options: KlinesOptions): Promise<Record<string, unknown>[]> {
    return this.#get("/klines", options);
  }

  /**
   * Options mark price and greeks (`GET /eapi/v1/mark`). Python: `options_mark_price`.
   *
   * @param options `symbol` (all when omitted).
   * @returns Mark data.
   */
  optionsMarkPrice(options?: OptionalSymbolOptions): Promise<Record<string, unknown>[]> {
    return this.#get("/mark", options, 5);
  }

  /**
   * Options 24-hour statistics (`GET /eapi/v1/ticker`). Python: `options_ticker`.
   *
   * @param options `symbol` (all when omitted).
   * @returns Tickers.
   */
  optionsTicker(options?: OptionalSymbolOptions): Promise<Record<string, unknown>[]> {
    return this.#get("/ticker", options, 5);
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
    return this.#get("/index", options);
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
    return this.#get("/openInterest", options);
  }

  /**
   * Options older trades (`GET /eapi/v1/historicalTrades`, API key sent when configured).
   *
   * @param options `symbol`, `limit`, `fromId`.
   * @returns Trades.
   */
  optionsHistoricalTrades(options: TradesOptions): Promise<Record<string, unknown>[]> {
    return this.call(ep("GET", "eapi", "/eapi/v1/historicalTrades", "MARKET_DATA", 20), options);
  }
}
