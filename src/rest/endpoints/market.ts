/**
 * Spot market-data endpoints (`/api/v3`, public).
 *
 * @module
 */
import { ep, spotDepthWeight } from "../_spec.ts";
import { type CallOptions, RestClientCore } from "../client_core.ts";
import type {
  AggTrade,
  AvgPrice,
  BookTicker,
  ExchangeInfo,
  Kline,
  OrderBook,
  ServerTime,
  Ticker24hr,
  TickerPrice,
  Trade,
} from "../types_market.ts";

/** Kline intervals Binance accepts. */
export type KlineInterval =
  | "1s"
  | "1m"
  | "3m"
  | "5m"
  | "15m"
  | "30m"
  | "1h"
  | "2h"
  | "4h"
  | "6h"
  | "8h"
  | "12h"
  | "1d"
  | "3d"
  | "1w"
  | "1M";

/** A symbol parameter. */
export interface SymbolOptions extends CallOptions {
  /** Symbol, e.g. `BTCUSDT`. */
  readonly symbol: string;
}

/** Several symbols (sent as a JSON array). */
export interface SymbolsOptions extends CallOptions {
  /** Symbols, e.g. `["BTCUSDT", "ETHUSDT"]`; all symbols when omitted. */
  readonly symbols?: readonly string[];
}

/** Depth parameters. */
export interface DepthOptions extends SymbolOptions {
  /** Levels (spot 1–5000, default 100; futures 5/10/20/50/100/500/1000, default 500). */
  readonly limit?: number;
}

/** Trade-list parameters. */
export interface TradesOptions extends SymbolOptions {
  /** Number of trades (default 500, max 1000). */
  readonly limit?: number;
  /** Trade id to start from (historical trades). */
  readonly fromId?: number | bigint;
}

/** Aggregate-trade parameters. */
export interface AggTradesOptions extends SymbolOptions {
  /** Aggregate id to start from. */
  readonly fromId?: number | bigint;
  /** Start time (ms). */
  readonly startTime?: number;
  /** End time (ms). */
  readonly endTime?: number;
  /** Number of trades (default 500, max 1000). */
  readonly limit?: number;
}

/** Kline parameters. */
export interface KlinesOptions extends SymbolOptions {
  /** Interval. */
  readonly interval: KlineInterval;
  /** Start time (ms). */
  readonly startTime?: number;
  /** End time (ms). */
  readonly endTime?: number;
  /** Spot: time zone for interval boundaries, e.g. `"+08:00"`. */
  readonly timeZone?: string;
  /** Number of klines (spot default 500, max 1000; futures max 1500). */
  readonly limit?: number;
}

/** exchangeInfo parameters (spot). */
export interface ExchangeInfoOptions extends CallOptions {
  /** One symbol. */
  readonly symbol?: string;
  /** Several symbols. */
  readonly symbols?: readonly string[];
  /** Permissions filter, e.g. `["SPOT"]`. */
  readonly permissions?: readonly string[];
  /** Only symbols in this status (`TRADING`, `HALT`, `BREAK`, `CANCEL_ONLY`). */
  readonly symbolStatus?: string;
}

/** Rolling-window ticker parameters. */
export interface RollingTickerOptions extends CallOptions {
  /** One symbol. */
  readonly symbol?: string;
  /** Several symbols. */
  readonly symbols?: readonly string[];
  /** `1m`…`59m`, `1h`…`23h`, `1d`…`7d` (default `1d`). */
  readonly windowSize?: string;
  /** `FULL` or `MINI`. */
  readonly type?: "FULL" | "MINI";
}

const PING = ep("GET", "api", "/api/v3/ping");
const TIME = ep("GET", "api", "/api/v3/time");
const EXCHANGE_INFO = ep("GET", "api", "/api/v3/exchangeInfo", "NONE", 20);
const TRADES = ep("GET", "api", "/api/v3/trades", "NONE", 25);
const HISTORICAL_TRADES = ep("GET", "api", "/api/v3/historicalTrades", "NONE", 25);
const AGG_TRADES = ep("GET", "api", "/api/v3/aggTrades", "NONE", 4);
const KLINES = ep("GET", "api", "/api/v3/klines", "NONE", 2);
const UI_KLINES = ep("GET", "api", "/api/v3/uiKlines", "NONE", 2);
const AVG_PRICE = ep("GET", "api", "/api/v3/avgPrice", "NONE", 2);

function tickerWeight(one: number, symbols: readonly string[] | undefined, all: number): number {
  if (!symbols) return all;
  return symbols.length <= 20 ? one : symbols.length <= 100 ? one * 20 : all;
}

/** Spot market data on top of the transport. */
export class MarketDataClient extends RestClientCore {
  /**
   * Tests connectivity (`GET /api/v3/ping`). Python: `ping`.
   *
   * @param options Abort signal.
   * @returns An empty object.
   */
  ping(options?: CallOptions): Promise<Record<string, never>> {
    return this.call(PING, options);
  }

  /**
   * Server time (`GET /api/v3/time`). Python: `get_server_time`.
   *
   * @param options Abort signal.
   * @returns `{ serverTime }`.
   */
  getServerTime(options?: CallOptions): Promise<ServerTime> {
    return this.call(TIME, options);
  }

  /**
   * Trading rules and symbols (`GET /api/v3/exchangeInfo`, weight 20). Python: `get_exchange_info`.
   *
   * @param options Optional symbol(s), permissions, status filter.
   * @returns The exchange information.
   */
  getExchangeInfo(options?: ExchangeInfoOptions): Promise<ExchangeInfo> {
    return this.call(EXCHANGE_INFO, options);
  }

  /**
   * Order book snapshot (`GET /api/v3/depth`, weight 5–250 by limit). Python: `get_order_book`.
   *
   * @param options `symbol`, `limit`.
   * @returns Bids and asks with `lastUpdateId`.
   */
  getOrderBook(options: DepthOptions): Promise<OrderBook> {
    return this.call(
      { ...ep("GET", "api", "/api/v3/depth"), weight: spotDepthWeight(options.limit) },
      options,
    );
  }

  /**
   * Recent trades (`GET /api/v3/trades`, weight 25). Python: `get_recent_trades` (which still
   * called the retired `/api/v1/trades`).
   *
   * @param options `symbol`, `limit`.
   * @returns Trades, oldest first.
   */
  getRecentTrades(options: TradesOptions): Promise<Trade[]> {
    return this.call(TRADES, options);
  }

  /**
   * Older trades (`GET /api/v3/historicalTrades`, weight 25). Python: `get_historical_trades`.
   *
   * @param options `symbol`, `limit`, `fromId`.
   * @returns Trades.
   */
  getHistoricalTrades(options: TradesOptions): Promise<Trade[]> {
    return this.call(HISTORICAL_TRADES, options);
  }

  /**
   * Compressed/aggregate trades (`GET /api/v3/aggTrades`, weight 4). Python: `get_aggregate_trades`.
   *
   * @param options `symbol`, `fromId`, `startTime`, `endTime`, `limit`.
   * @returns Aggregate trades.
   */
  getAggregateTrades(options: AggTradesOptions): Promise<AggTrade[]> {
    return this.call(AGG_TRADES, options);
  }

  /**
   * Klines (`GET /api/v3/klines`, weight 2). Python: `get_klines`.
   *
   * @param options `symbol`, `interval`, `startTime`, `endTime`, `timeZone`, `limit`.
   * @returns Klines, oldest first.
   */
  getKlines(options: KlinesOptions): Promise<Kline[]> {
    return this.call(KLINES, options);
  }

  /**
   * Klines optimised for charts (`GET /api/v3/uiKlines`, weight 2).
   *
   * @param options As {@link MarketDataClient.getKlines}.
   * @returns Klines, oldest first.
   */
  getUiKlines(options: KlinesOptions): Promise<Kline[]> {
    return this.call(UI_KLINES, options);
  }

  /**
   * Current average price (`GET /api/v3/avgPrice`, weight 2). Python: `get_avg_price`.
   *
   * @param options `symbol`.
   * @returns Average price and its window.
   */
  getAvgPrice(options: SymbolOptions): Promise<AvgPrice> {
    return this.call(AVG_PRICE, options);
  }

  /**
   * 24-hour statistics (`GET /api/v3/ticker/24hr`, weight 2 / 40 / 80). Python: `get_ticker`.
   *
   * @param options `symbol` for one symbol; `symbols` or nothing for a list.
   * @returns One ticker for `symbol`, else a list.
   */
  getTicker(options: SymbolOptions): Promise<Ticker24hr>;
  /**
   * 24-hour statistics of several or all symbols.
   *
   * @param options `symbols` (all when omitted).
   * @returns Tickers.
   */
  getTicker(options?: SymbolsOptions): Promise<Ticker24hr[]>;
  getTicker(options?: SymbolOptions | SymbolsOptions): Promise<Ticker24hr | Ticker24hr[]> {
    const symbols = (options as SymbolsOptions | undefined)?.symbols;
    const weight = options && "symbol" in options ? 2 : tickerWeight(2, symbols, 80);
    return this.call({ ...ep("GET", "api", "/api/v3/ticker/24hr"), weight }, options);
  }

  /**
   * Latest price (`GET /api/v3/ticker/price`, weight 2 / 4). Python: `get_symbol_ticker`.
   *
   * @param options `symbol`.
   * @returns The price.
   */
  getSymbolTicker(options: SymbolOptions): Promise<TickerPrice>;
  /**
   * Latest prices of several or all symbols.
   *
   * @param options `symbols` (all when omitted).
   * @returns Prices.
   */
  getSymbolTicker(options?: SymbolsOptions): Promise<TickerPrice[]>;
  getSymbolTicker(options?: SymbolOptions | SymbolsOptions): Promise<TickerPrice | TickerPrice[]> {
    const weight = options && "symbol" in options ? 2 : 4;
    return this.call({ ...ep("GET", "api", "/api/v3/ticker/price"), weight }, options);
  }

  /**
   * Latest prices of all symbols (`GET /api/v3/ticker/price`, weight 4). Python: `get_all_tickers`.
   *
   * @param options Abort signal.
   * @returns Prices.
   */
  getAllTickers(options?: CallOptions): Promise<TickerPrice[]> {
    return this.getSymbolTicker(options);
  }

  /**
   * Best bid/ask (`GET /api/v3/ticker/bookTicker`, weight 2 / 4). Python: `get_orderbook_ticker`.
   *
   * @param options `symbol`.
   * @returns The book ticker.
   */
  getOrderbookTicker(options: SymbolOptions): Promise<BookTicker>;
  /**
   * Best bid/ask of several or all symbols.
   *
   * @param options `symbols` (all when omitted).
   * @returns Book tickers.
   */
  getOrderbookTicker(options?: SymbolsOptions): Promise<BookTicker[]>;
  getOrderbookTicker(options?: SymbolOptions | SymbolsOptions): Promise<BookTicker | BookTicker[]> {
    const weight = options && "symbol" in options ? 2 : 4;
    return this.call({ ...ep("GET", "api", "/api/v3/ticker/bookTicker"), weight }, options);
  }

  /**
   * Best bid/ask of all symbols. Python: `get_orderbook_tickers`.
   *
   * @param options Abort signal.
   * @returns Book tickers.
   */
  getOrderbookTickers(options?: CallOptions): Promise<BookTicker[]> {
    return this.getOrderbookTicker(options);
  }

  /**
   * Rolling-window statistics (`GET /api/v3/ticker`, weight 4 per symbol, max 200).
   *
   * @param options `symbol` or `symbols`, `windowSize`, `type`.
   * @returns One ticker for `symbol`, else a list.
   */
  getRollingWindowTicker(options: RollingTickerOptions): Promise<Ticker24hr | Ticker24hr[]> {
    const n = options.symbols?.length ?? 1;
    return this.call({ ...ep("GET", "api", "/api/v3/ticker"), weight: Math.min(4 * n, 200) }, options);
  }
}
