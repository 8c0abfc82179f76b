/**
 * Output types of the European-options market events that spot and futures do not have (the
 * options ticker, kline, depth and bookTicker events have the spot/futures shapes).
 *
 * @module
 */
import type { Int64 } from "../core/json.ts";
import type { UnicornfiedBase } from "./types_base.ts";

/** `trade` of an option (`<s>@optionTrade`). */
export interface OptionTradeEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "trade";
  /** `E` */ readonly eventTime: number;
  /** `T` */ readonly tradeTime: number;
  /** `s` */ readonly symbol: string;
  /** `t` */ readonly tradeId: Int64;
  /** `p` */ readonly price: string;
  /** `q` */ readonly quantity: string;
  /** `X`: `MARKET` or `BLOCK`. */ readonly tradeType: string;
  /** `S`: the taker's side. */ readonly side: string;
  /** `m` */ readonly isMarketMaker: boolean;
}

/** One option's mark of an `optionMarkPrice` frame. */
export interface OptionMark {
  /** Stream name (or `optionMarkPrice`). */ readonly streamType: string;
  /** Item kind. */ readonly eventType: "markPrice";
  /** `E` */ readonly eventTime: number;
  /** `s` */ readonly symbol: string;
  /** `mp` */ readonly markPrice: string;
  /** `i` */ readonly indexPrice?: string;
  /** `P` */ readonly estimatedSettlePrice?: string;
  /** `bo` */ readonly bestBidPrice?: string;
  /** `ao` */ readonly bestAskPrice?: string;
  /** `bq` */ readonly bestBidQuantity?: string;
  /** `aq` */ readonly bestAskQuantity?: string;
  /** `b` */ readonly bidImpliedVolatility?: string;
  /** `a` */ readonly askImpliedVolatility?: string;
  /** `vo` */ readonly markImpliedVolatility?: string;
  /** `hl` */ readonly highPriceLimit?: string;
  /** `ll` */ readonly lowPriceLimit?: string;
  /** `rf` */ readonly riskFreeRate?: string;
  /** `d` */ readonly delta?: string;
  /** `t` */ readonly theta?: string;
  /** `g` */ readonly gamma?: string;
  /** `v` */ readonly vega?: string;
}

/** `markPrice` (`<underlying>@optionMarkPrice`), items in `data`. */
export interface OptionMarkPriceEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "markPrice";
  /** The marks of the underlying's options. */
  readonly data: readonly OptionMark[];
}

/** One underlying's index of an `!index@arr` frame. */
export interface OptionIndex {
  /** Stream name (or `!index@arr`). */ readonly streamType: string;
  /** Item kind. */ readonly eventType: "index";
  /** `E` */ readonly eventTime: number;
  /** `s` */ readonly underlying: string;
  /** `p` */ readonly indexPrice: string;
}

/** `index` (`!index@arr`), items in `data`. */
export interface OptionIndexEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "index";
  /** The index prices. */
  readonly data: readonly OptionIndex[];
}
