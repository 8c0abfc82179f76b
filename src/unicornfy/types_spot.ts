/**
 * Output types of the spot-family events (and of the market events futures share with spot).
 * Field comments name the raw Binance key. Prices and quantities are decimal strings, times are
 * epoch numbers, ids are {@link Int64} (a `bigint` above 2^53 − 1, never rounded). A field Binance
 * leaves out is left out (never an exception); optional fields are the ones Binance sends only on
 * some venues or in some cases.
 *
 * @module
 */
import type { Int64 } from "../core/json.ts";
import type { UnicornfiedBase } from "./types_base.ts";

/** One order book level: `[price, quantity]`, both decimal strings. */
export type PriceLevel = readonly [price: string, quantity: string];

/** `aggTrade` (spot and futures; futures have no `ignore`). */
export interface AggTradeEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "aggTrade";
  /** `E` */
  readonly eventTime: number;
  /** `s` */
  readonly symbol: string;
  /** `a` */
  readonly aggregateTradeId: Int64;
  /** `p` */
  readonly price: string;
  /** `q` */
  readonly quantity: string;
  /** `f` */
  readonly firstTradeId: Int64;
  /** `l` */
  readonly lastTradeId: Int64;
  /** `T` */
  readonly tradeTime: number;
  /** `m`: the buyer is the maker. */
  readonly isMarketMaker: boolean;
  /** `M` (spot only) */
  readonly ignore?: boolean;
}

/** `trade` (spot; futures `trade` uses the same table). */
export interface TradeEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "trade";
  /** `E` */
  readonly eventTime: number;
  /** `s` */
  readonly symbol: string;
  /** `t` */
  readonly tradeId: Int64;
  /** `p` */
  readonly price: string;
  /** `q` */
  readonly quantity: string;
  /** `b`: only in payloads from before 2024-06-18. */
  readonly buyerOrderId?: Int64;
  /** `a`: only in payloads from before 2024-06-18. */
  readonly sellerOrderId?: Int64;
  /** `T` */
  readonly tradeTime: number;
  /** `m` */
  readonly isMarketMaker: boolean;
  /** `M` */
  readonly ignore?: boolean;
}

/** `blockTrade` (spot, since 2026-05). */
export interface BlockTradeEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "blockTrade";
  /** `E` */
  readonly eventTime: number;
  /** `s` */
  readonly symbol: string;
  /** `t` */
  readonly tradeId: Int64;
  /** `p` */
  readonly price: string;
  /** `q` */
  readonly quantity: string;
  /** `T` */
  readonly tradeTime: number;
  /** `m` */
  readonly isMarketMaker: boolean;
}

/** The `k` object of a kline event. */
export interface Kline {
  /** `k.t` */
  readonly klineStartTime: number;
  /** `k.T` */
  readonly klineCloseTime: number;
  /** `k.s` (absent in continuous klines) */
  readonly symbol?: string;
  /** `k.i` */
  readonly interval: string;
  /** `k.f` (Python: always `false`) */
  readonly firstTradeId: Int64;
  /** `k.L` (Python: always `false`) */
  readonly lastTradeId: Int64;
  /** `k.o` */
  readonly openPrice: string;
  /** `k.c` */
  readonly closePrice: string;
  /** `k.h` */
  readonly highPrice: string;
  /** `k.l` */
  readonly lowPrice: string;
  /** `k.v` */
  readonly baseVolume: string;
  /** `k.n` */
  readonly numberOfTrades: number;
  /** `k.x` */
  readonly isClosed: boolean;
  /** `k.q`: quote volume. */
  readonly quote: string;
  /** `k.V`: taker buy base volume. */
  readonly takerByBaseAssetVolume: string;
  /** `k.Q`: taker buy quote volume. */
  readonly takerByQuoteAssetVolume: string;
  /** `k.B` (spot only) */
  readonly ignore?: string;
}

/** `kline` (spot and futures). */
export interface KlineEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "kline";
  /** `E` */
  readonly eventTime: number;
  /** `s` */
  readonly symbol: string;
  /** `k` */
  readonly kline: Kline;
}

/** One item of a `24hrMiniTicker` event. */
export interface MiniTicker {
  /** Stream name (or `!miniTicker@arr`). */
  readonly streamType: string;
  /** Item kind. */
  readonly eventType: "24hrMiniTicker";
  /** `E` */
  readonly eventTime: number;
  /** `s` */
  readonly symbol: string;
  /** `c` */
  readonly closePrice: string;
  /** `o` */
  readonly openPrice: string;
  /** `h` */
  readonly highPrice: string;
  /** `l` */
  readonly lowPrice: string;
  /** `v` (Python spot: `taker_by_base_asset_volume`) */
  readonly totalTradedBaseAssetVolume: string;
  /** `q` (Python spot: `taker_by_quote_asset_volume`) */
  readonly totalTradedQuoteAssetVolume: string;
  /** `ps` (COIN-M) */
  readonly pair?: string;
}

/** `24hrMiniTicker`: single stream or `!miniTicker@arr`, items in `data`. */
export interface MiniTickerEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "24hrMiniTicker";
  /** The tickers (one for a single-symbol stream). */
  readonly data: readonly MiniTicker[];
}

/** One item of a `24hrTicker` or rolling-window ticker event. */
export interface Ticker<E extends string = "24hrTicker"> {
  /** Stream name (or `!ticker@arr`, `!ticker_1h@arr` …). */
  readonly streamType: string;
  /** Item kind. */
  readonly eventType: E;
  /** `E` */
  readonly eventTime: number;
  /** `s` */
  readonly symbol: string;
  /** `p` */
  readonly priceChange: string;
  /** `P` */
  readonly priceChangePercent: string;
  /** `w` */
  readonly weightedAveragePrice: string;
  /** `x` (spot 24 h ticker only) */
  readonly tradeBefore24hWindow?: string;
  /** `c` */
  readonly lastPrice: string;
  /** `Q` (24 h tickers) */
  readonly lastQuantity?: string;
  /** `b` (spot 24 h ticker only) */
  readonly bestBidPrice?: string;
  /** `B` (spot 24 h ticker only) */
  readonly bestBidQuantity?: string;
  /** `a` (spot 24 h ticker only) */
  readonly bestAskPrice?: string;
  /** `A` (spot 24 h ticker only) */
  readonly bestAskQuantity?: string;
  /** `o` */
  readonly openPrice: string;
  /** `h` */
  readonly highPrice: string;
  /** `l` */
  readonly lowPrice: string;
  /** `v` */
  readonly totalTradedBaseAssetVolume: string;
  /** `q` */
  readonly totalTradedQuoteAssetVolume: string;
  /** `O` */
  readonly statisticsOpenTime: number;
  /** `C` */
  readonly statisticsCloseTime: number;
  /** `F` */
  readonly firstTradeId: Int64;
  /** `L` */
  readonly lastTradeId: Int64;
  /** `n` */
  readonly totalNrOfTrades: number;
  /** `ps` (COIN-M) */
  readonly pair?: string;
}

/** `24hrTicker`: single stream or `!ticker@arr`, items in `data`. */
export interface TickerEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "24hrTicker";
  /** The tickers (one for a single-symbol stream). */
  readonly data: readonly Ticker[];
}

/** Rolling-window ticker names. */
export type RollingWindowTickerType = "1hTicker" | "4hTicker" | "1dTicker";

/** Rolling-window tickers (`<s>@ticker_1h`, `!ticker_4h@arr` …), items in `data`. */
export interface RollingWindowTickerEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: RollingWindowTickerType;
  /** The tickers (one for a single-symbol stream). */
  readonly data: readonly Ticker<RollingWindowTickerType>[];
}

/** `bookTicker` (spot frames carry no `e`: the name comes from the stream or the payload shape). */
export interface BookTickerEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "bookTicker";
  /** `u` */
  readonly orderBookUpdateId: Int64;
  /** `s` */
  readonly symbol: string;
  /** `b` */
  readonly bestBidPrice: string;
  /** `B` */
  readonly bestBidQuantity: string;
  /** `a` */
  readonly bestAskPrice: string;
  /** `A` */
  readonly bestAskQuantity: string;
  /** `E` (futures) */
  readonly eventTime?: number;
  /** `T` (futures) */
  readonly transactionTime?: number;
  /** `ps` (COIN-M) */
  readonly pair?: string;
}

/** Spot partial book `<s>@depth5|10|20[@100ms]` (a full replace of the top N levels). */
export interface PartialDepthEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "depth";
  /** Upper-cased symbol of the stream name (absent on raw single-stream frames). */
  readonly symbol?: string;
  /** 5, 10 or 20 from the stream name (absent on raw single-stream frames). */
  readonly depthLevel?: 5 | 10 | 20;
  /** `lastUpdateId` */
  readonly lastUpdateId: Int64;
  /** `bids` */
  readonly bids: readonly PriceLevel[];
  /** `asks` */
  readonly asks: readonly PriceLevel[];
}

/** `depthUpdate`: spot diff depth; futures diff and partial depth. */
export interface DepthUpdateEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "depthUpdate";
  /** `E` */
  readonly eventTime: number;
  /** `T` (futures) */
  readonly transactionTime?: number;
  /** `s` */
  readonly symbol: string;
  /** Futures: 5, 10, 20 from the stream name, else `false` (as in Python). */
  readonly depthLevel?: 5 | 10 | 20 | false;
  /** `U` */
  readonly firstUpdateIdInEvent: Int64;
  /** `u` */
  readonly finalUpdateIdInEvent: Int64;
  /** `pu` (futures) */
  readonly finalUpdateIdInPreviousEvent?: Int64;
  /** `b` */
  readonly bids: readonly PriceLevel[];
  /** `a` */
  readonly asks: readonly PriceLevel[];
  /** `ps` (COIN-M) */
  readonly pair?: string;
}

/** `avgPrice` (`<s>@avgPrice`). */
export interface AvgPriceEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "avgPrice";
  /** `E` */
  readonly eventTime: number;
  /** `s` */
  readonly symbol: string;
  /** `i` */
  readonly interval: string;
  /** `w` */
  readonly averagePrice: string;
  /** `T` */
  readonly lastTradeTime: number;
}

/** `referencePrice` (`<s>@referencePrice`). */
export interface ReferencePriceEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "referencePrice";
  /** `s` */
  readonly symbol: string;
  /** `r` (null when there is none) */
  readonly referencePrice: string | null;
  /** `t` */
  readonly engineTime: number;
}

/** `serverShutdown`. */
export interface ServerShutdownEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "serverShutdown";
  /** `E` */
  readonly eventTime: number;
}
