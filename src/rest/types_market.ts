/**
 * Response types of the market-data endpoints (spot, USDⓈ-M, COIN-M, options).
 *
 * Prices and quantities stay the decimal strings Binance sends; ids and times are numbers, or
 * `bigint` when above 2^53 − 1 (see `Int64`).
 *
 * @module
 */
import type { Int64 } from "../core/json.ts";

/** `GET …/time`. */
export interface ServerTime {
  /** Server epoch milliseconds. */
  readonly serverTime: number;
}

/** One `rateLimits` entry of exchangeInfo. */
export interface RateLimitInfo {
  /** `REQUEST_WEIGHT`, `ORDERS` or `RAW_REQUESTS`. */
  readonly rateLimitType: string;
  /** `SECOND`, `MINUTE`, `HOUR` or `DAY`. */
  readonly interval: string;
  /** Number of intervals. */
  readonly intervalNum: number;
  /** The limit. */
  readonly limit: number;
}

/** A symbol filter of exchangeInfo; the fields depend on `filterType`. */
export interface SymbolFilter {
  /** `PRICE_FILTER`, `LOT_SIZE`, `MARKET_LOT_SIZE`, `MIN_NOTIONAL`, `NOTIONAL`, … */
  readonly filterType: string;
  /** PRICE_FILTER. */
  readonly minPrice?: string;
  /** PRICE_FILTER. */
  readonly maxPrice?: string;
  /** PRICE_FILTER. */
  readonly tickSize?: string;
  /** LOT_SIZE / MARKET_LOT_SIZE. */
  readonly minQty?: string;
  /** LOT_SIZE / MARKET_LOT_SIZE. */
  readonly maxQty?: string;
  /** LOT_SIZE / MARKET_LOT_SIZE. */
  readonly stepSize?: string;
  /** MIN_NOTIONAL / NOTIONAL (futures MIN_NOTIONAL uses `notional`). */
  readonly minNotional?: string;
  /** NOTIONAL. */
  readonly maxNotional?: string;
  /** USDⓈ-M MIN_NOTIONAL. */
  readonly notional?: string;
  /** MIN_NOTIONAL. */
  readonly applyToMarket?: boolean;
  /** NOTIONAL. */
  readonly applyMinToMarket?: boolean;
  /** NOTIONAL. */
  readonly applyMaxToMarket?: boolean;
  /** Other filter fields. */
  readonly [field: string]: unknown;
}

/** One symbol of exchangeInfo. */
export interface SymbolInfo {
  /** Symbol, e.g. `BTCUSDT`. */
  readonly symbol: string;
  /** `TRADING`, `HALT`, `BREAK`, `CANCEL_ONLY` (futures: `status` / `contractStatus`). */
  readonly status?: string;
  /** Base asset. */
  readonly baseAsset: string;
  /** Quote asset. */
  readonly quoteAsset: string;
  /** Allowed order types. */
  readonly orderTypes?: readonly string[];
  /** Filters used to validate orders. */
  readonly filters: readonly SymbolFilter[];
  /** Other fields (precisions, permissions, contract data). */
  readonly [field: string]: unknown;
}

/** `GET …/exchangeInfo`. */
export interface ExchangeInfo {
  /** Time zone, `UTC`. */
  readonly timezone: string;
  /** Server time. */
  readonly serverTime: number;
  /** Rate limits. */
  readonly rateLimits: readonly RateLimitInfo[];
  /** Symbols. */
  readonly symbols: readonly SymbolInfo[];
  /** Other fields. */
  readonly [field: string]: unknown;
}

/** A `[price, quantity]` level. */
export type PriceLevel = readonly [price: string, quantity: string];

/** `GET …/depth`. */
export interface OrderBook {
  /** Update id of the snapshot. */
  readonly lastUpdateId: Int64;
  /** Bids, best first. */
  readonly bids: readonly PriceLevel[];
  /** Asks, best first. */
  readonly asks: readonly PriceLevel[];
  /** Futures: message output time. */
  readonly E?: number;
  /** Futures: transaction time. */
  readonly T?: number;
}

/** `GET …/trades`, `…/historicalTrades`. */
export interface Trade {
  /** Trade id. */
  readonly id: Int64;
  /** Price. */
  readonly price: string;
  /** Quantity. */
  readonly qty: string;
  /** Quote quantity. */
  readonly quoteQty: string;
  /** Trade time. */
  readonly time: number;
  /** Buyer was the maker. */
  readonly isBuyerMaker: boolean;
  /** Spot: best price match. */
  readonly isBestMatch?: boolean;
}

/** `GET …/aggTrades`. */
export interface AggTrade {
  /** Aggregate trade id. */
  readonly a: Int64;
  /** Price. */
  readonly p: string;
  /** Quantity. */
  readonly q: string;
  /** First trade id. */
  readonly f: Int64;
  /** Last trade id. */
  readonly l: Int64;
  /** Timestamp. */
  readonly T: number;
  /** Buyer was the maker. */
  readonly m: boolean;
  /** Spot: best price match. */
  readonly M?: boolean;
}

/**
 * A kline: open time, open, high, low, close, volume, close time, quote volume, trades,
 * taker-buy base volume, taker-buy quote volume, ignore.
 */
export type Kline = readonly [
  openTime: number,
  open: string,
  high: string,
  low: string,
  close: string,
  volume: string,
  closeTime: number,
  quoteVolume: string,
  trades: number,
  takerBuyBaseVolume: string,
  takerBuyQuoteVolume: string,
  ignore: string,
];

/** `GET /api/v3/avgPrice`. */
export interface AvgPrice {
  /** Minutes the average covers. */
  readonly mins: number;
  /** Average price. */
  readonly price: string;
  /** Last trade time. */
  readonly closeTime?: number;
}

/** `GET …/ticker/24hr` (FULL). */
export interface Ticker24hr {
  /** Symbol. */
  readonly symbol: string;
  /** Price change. */
  readonly priceChange: string;
  /** Price change percent. */
  readonly priceChangePercent: string;
  /** Weighted average price. */
  readonly weightedAvgPrice: string;
  /** Last price. */
  readonly lastPrice: string;
  /** Open price. */
  readonly openPrice: string;
  /** High price. */
  readonly highPrice: string;
  /** Low price. */
  readonly lowPrice: string;
  /** Base volume. */
  readonly volume: string;
  /** Quote volume. */
  readonly quoteVolume: string;
  /** Statistics open time. */
  readonly openTime: number;
  /** Statistics close time. */
  readonly closeTime: number;
  /** First trade id. */
  readonly firstId: Int64;
  /** Last trade id. */
  readonly lastId: Int64;
  /** Number of trades. */
  readonly count: number;
  /** Spot: best bid price. */
  readonly bidPrice?: string;
  /** Spot: best ask price. */
  readonly askPrice?: string;
  /** Other fields (`prevClosePrice`, `lastQty`, …). */
  readonly [field: string]: unknown;
}

/** `GET …/ticker/price`. */
export interface TickerPrice {
  /** Symbol. */
  readonly symbol: string;
  /** Last price. */
  readonly price: string;
  /** Futures: transaction time. */
  readonly time?: number;
}

/** `GET …/ticker/bookTicker`. */
export interface BookTicker {
  /** Symbol. */
  readonly symbol: string;
  /** Best bid price. */
  readonly bidPrice: string;
  /** Best bid quantity. */
  readonly bidQty: string;
  /** Best ask price. */
  readonly askPrice: string;
  /** Best ask quantity. */
  readonly askQty: string;
  /** Futures: transaction time. */
  readonly time?: number;
}

/** USDⓈ-M / COIN-M `GET …/premiumIndex` (mark price and funding). */
export interface MarkPrice {
  /** Symbol. */
  readonly symbol: string;
  /** Mark price. */
  readonly markPrice: string;
  /** Index price. */
  readonly indexPrice: string;
  /** Estimated settle price. */
  readonly estimatedSettlePrice: string;
  /** Last funding rate. */
  readonly lastFundingRate: string;
  /** Next funding time. */
  readonly nextFundingTime: number;
  /** Interest rate. */
  readonly interestRate: string;
  /** Time. */
  readonly time: number;
  /** COIN-M: pair. */
  readonly pair?: string;
}

/** `GET …/fundingRate`. */
export interface FundingRate {
  /** Symbol. */
  readonly symbol: string;
  /** Funding rate. */
  readonly fundingRate: string;
  /** Funding time. */
  readonly fundingTime: number;
  /** Mark price at funding time. */
  readonly markPrice?: string;
}

/** `GET …/openInterest`. */
export interface OpenInterest {
  /** Symbol. */
  readonly symbol: string;
  /** Open interest (contracts / base). */
  readonly openInterest: string;
  /** Time. */
  readonly time: number;
  /** COIN-M: pair. */
  readonly pair?: string;
  /** COIN-M: contract type. */
  readonly contractType?: string;
}

/** `GET /futures/data/openInterestHist`. */
export interface OpenInterestHist {
  /** Symbol (COIN-M: `pair`). */
  readonly symbol?: string;
  /** Sum of open interest. */
  readonly sumOpenInterest: string;
  /** Sum of open interest value. */
  readonly sumOpenInterestValue: string;
  /** Time. */
  readonly timestamp: number;
}
