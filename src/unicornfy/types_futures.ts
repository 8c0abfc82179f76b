/**
 * Output types of the USD-M / COIN-M futures events that spot does not have. User-data events have
 * `streamType` equal to the event name, as in Python.
 *
 * @module
 */
import type { Int64 } from "../core/json.ts";
import type { UnicornfiedBase } from "./types_base.ts";
import type { Kline } from "./types_spot.ts";

/** `continuous_kline` (`<pair>_<contractType>@continuousKline_<interval>`). */
export interface ContinuousKlineEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "continuous_kline";
  /** `E` */ readonly eventTime: number;
  /** `ps` */ readonly pair: string;
  /** `ct` */ readonly contractType: string;
  /** `k` (without `symbol`) */ readonly kline: Kline;
}

/** The `k` object of index/mark price klines. */
export interface PriceKline {
  /** `k.t` */ readonly klineStartTime: number;
  /** `k.T` */ readonly klineCloseTime: number;
  /** `k.i` */ readonly interval: string;
  /** `k.o` */ readonly openPrice: string;
  /** `k.c` */ readonly closePrice: string;
  /** `k.h` */ readonly highPrice: string;
  /** `k.l` */ readonly lowPrice: string;
  /** `k.n` */ readonly numberOfBasicData: number;
  /** `k.x` */ readonly isClosed: boolean;
  /** `k.s` (mark price klines) */ readonly symbol?: string;
}

/** `indexPrice_kline` / `markPrice_kline`. */
export interface PriceKlineEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "indexPrice_kline" | "markPrice_kline";
  /** `E` */ readonly eventTime: number;
  /** `ps` */ readonly pair: string;
  /** `k` */ readonly kline: PriceKline;
}

/** One item of a `markPriceUpdate` event. */
export interface MarkPrice {
  /** Stream name (or `!markPrice@arr`). */ readonly streamType: string;
  /** Item kind. */ readonly eventType: "markPriceUpdate";
  /** `E` */ readonly eventTime: number;
  /** `s` */ readonly symbol: string;
  /** `p` */ readonly markPrice: string;
  /** `P` */ readonly estimatedSettlePrice: string;
  /** `r` */ readonly fundingRate: string;
  /** `T` */ readonly nextFundingTime: number;
  /** `i` */ readonly indexPrice?: string;
  /** `ps` */ readonly pair?: string;
}

/** `markPriceUpdate`: `<s>@markPrice[@1s]` or `!markPrice@arr[@1s]`, items in `data`. */
export interface MarkPriceEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "markPriceUpdate";
  /** The mark prices. */
  readonly data: readonly MarkPrice[];
}

/** One item of an `indexPriceUpdate` event. */
export interface IndexPrice {
  /** Stream name (or `!indexPrice@arr`). */ readonly streamType: string;
  /** Item kind. */ readonly eventType: "indexPriceUpdate";
  /** `E` */ readonly eventTime: number;
  /** `i` */ readonly pair: string;
  /** `p` */ readonly indexPrice: string;
}

/** `indexPriceUpdate` (COIN-M), items in `data`. */
export interface IndexPriceEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "indexPriceUpdate";
  /** The index prices. */
  readonly data: readonly IndexPrice[];
}

/** `forceOrder` (liquidation order; the `o` object is hoisted). */
export interface ForceOrderEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "forceOrder";
  /** `E` */ readonly eventTime: number;
  /** `o.s` */ readonly symbol: string;
  /** `o.S` */ readonly side: string;
  /** `o.o` */ readonly orderType: string;
  /** `o.f` */ readonly timeInForce: string;
  /** `o.q` */ readonly originalQuantity: string;
  /** `o.p` */ readonly price: string;
  /** `o.ap` */ readonly avgPrice: string;
  /** `o.X` */ readonly orderStatus: string;
  /** `o.l` */ readonly lastExecutedQuantity: string;
  /** `o.z` */ readonly cumulativeFilledQuantity: string;
  /** `o.T` */ readonly transactionTime: number;
  /** `o.ps` (COIN-M) */ readonly pair?: string;
}

/** One component of a composite index. */
export interface CompositeIndexComponent {
  /** `b` */ readonly baseAsset: string;
  /** `q` */ readonly quoteAsset: string;
  /** `w` */ readonly weightQuantity: string;
  /** `W` */ readonly weightPercentage: string;
  /** `i` */ readonly indexPrice: string;
}

/** `compositeIndex`. */
export interface CompositeIndexEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "compositeIndex";
  /** `E` */ readonly eventTime: number;
  /** `s` */ readonly symbol: string;
  /** `p` */ readonly price: string;
  /** `c` */ readonly composition: readonly CompositeIndexComponent[];
}

/** One notional bracket of a `contractInfo` event. */
export interface ContractBracket {
  /** `bs` */ readonly notionalBracket: number;
  /** `bnf` */ readonly floorNotional: number;
  /** `bnc` */ readonly capNotional: number;
  /** `mmr` */ readonly maintenanceRatio: number;
  /** `cf` */ readonly auxiliaryNumber: number;
  /** `mi` */ readonly minLeverage: number;
  /** `ma` */ readonly maxLeverage: number;
}

/** `contractInfo` (`!contractInfo`). */
export interface ContractInfoEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "contractInfo";
  /** `E` */ readonly eventTime: number;
  /** `s` */ readonly symbol: string;
  /** `ps` */ readonly pair: string;
  /** `ct` */ readonly contractType: string;
  /** `dt` */ readonly deliveryDate: number;
  /** `ot` */ readonly onboardDate: number;
  /** `cs` */ readonly contractStatus: string;
  /** `bks` (only when brackets changed) */ readonly brackets?: readonly ContractBracket[];
}

/** One item of an `assetIndexUpdate` event. */
export interface AssetIndex {
  /** Stream name (or `!assetIndex@arr`). */ readonly streamType: string;
  /** Item kind. */ readonly eventType: "assetIndexUpdate";
  /** `E` */ readonly eventTime: number;
  /** `s` */ readonly symbol: string;
  /** `i` */ readonly indexPrice: string;
  /** `b` */ readonly bidBuffer: string;
  /** `a` */ readonly askBuffer: string;
  /** `B` */ readonly bidRate: string;
  /** `A` */ readonly askRate: string;
  /** `q` */ readonly autoExchangeBidBuffer: string;
  /** `g` */ readonly autoExchangeAskBuffer: string;
  /** `Q` */ readonly autoExchangeBidRate: string;
  /** `G` */ readonly autoExchangeAskRate: string;
}

/** `assetIndexUpdate` (multi-assets mode index), items in `data`. */
export interface AssetIndexEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "assetIndexUpdate";
  /** The asset indexes. */
  readonly data: readonly AssetIndex[];
}

/** `ORDER_TRADE_UPDATE` (the `o` object is hoisted). */
export interface OrderTradeUpdateEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "ORDER_TRADE_UPDATE";
  /** `E` */ readonly eventTime: number;
  /** `T` (Python: from `o.T`) */ readonly transactionTime: number;
  /** `i` */ readonly accountAlias?: string;
  /** `fs`: `UM` or `CM` (portfolio margin only) */ readonly businessUnit?: "UM" | "CM";
  /** `o.s` */ readonly symbol: string;
  /** `o.c` */ readonly clientOrderId: string;
  /** `o.S` */ readonly side: string;
  /** `o.o` */ readonly orderType: string;
  /** `o.f` */ readonly timeInForce: string;
  /** `o.q` */ readonly orderQuantity: string;
  /** `o.p` */ readonly orderPrice: string;
  /** `o.ap` */ readonly orderAvgPrice: string;
  /** `o.sp` */ readonly orderStopPrice: string;
  /** `o.x` */ readonly currentExecutionType: string;
  /** `o.X` */ readonly currentOrderStatus: string;
  /** `o.i` */ readonly orderId: Int64;
  /** `o.l` */ readonly lastExecutedQuantity: string;
  /** `o.z` */ readonly cumulativeFilledQuantity: string;
  /** `o.L` */ readonly lastExecutedPrice: string;
  /** `o.T` */ readonly orderTradeTime: number;
  /** `o.t` */ readonly tradeId: Int64;
  /** `o.b` */ readonly netPay: string;
  /** `o.a` */ readonly netSellingOrderValue: string;
  /** `o.m` */ readonly isTradeMakerSide: boolean;
  /** `o.R` */ readonly reduceOnly: boolean;
  /** `o.wt` */ readonly triggerPriceType: string;
  /** `o.ot` */ readonly orderPriceType: string;
  /** `o.ps` */ readonly positionSide: string;
  /** `o.rp` */ readonly orderRealizedProfit: string;
  /** `o.ma` */ readonly marginAsset?: string;
  /** `o.N` */ readonly commissionAsset?: string;
  /** `o.n` */ readonly commission?: string;
  /** `o.cp` */ readonly closeAll?: boolean;
  /** `o.AP` */ readonly activationPrice?: string;
  /** `o.cr` */ readonly callbackRate?: string;
  /** `o.pP` */ readonly priceProtect?: boolean;
  /** `o.V` */ readonly selfTradePreventionMode?: string;
  /** `o.pm` */ readonly priceMatchMode?: string;
  /** `o.gtd` */ readonly goodTillDate?: number;
  /** `o.er` */ readonly expiryReason?: string;
}

/** One balance of an `ACCOUNT_UPDATE`. */
export interface FuturesBalance {
  /** `a` */ readonly asset: string;
  /** `wb` */ readonly walletBalance: string;
  /** `cw` */ readonly crossWalletBalance: string;
  /** `bc` */ readonly balanceChange?: string;
}

/** One position of an `ACCOUNT_UPDATE`. */
export interface FuturesPosition {
  /** `s` */ readonly symbol: string;
  /** `pa` */ readonly positionAmount: string;
  /** `ep` */ readonly entryPrice: string;
  /** `bep` */ readonly breakEvenPrice?: string;
  /** `cr` */ readonly accumulatedRealized: string;
  /** `up` */ readonly upnl: string;
  /** `mt` */ readonly marginType: string;
  /** `iw` */ readonly isolatedWallet: string;
  /** `ps` */ readonly positionSide: string;
  /** `ma` */ readonly marginAsset?: string;
}

/** `ACCOUNT_UPDATE` (the `a` object is hoisted). */
export interface AccountUpdateEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "ACCOUNT_UPDATE";
  /** `E` */ readonly eventTime: number;
  /** `T` (transaction time; Python's name) */ readonly transaction: number;
  /** `i` */ readonly accountAlias?: string;
  /** `fs`: `UM` or `CM` (portfolio margin only) */ readonly businessUnit?: "UM" | "CM";
  /** `a.m` */ readonly eventReason: string;
  /** `a.B` */ readonly balances: readonly FuturesBalance[];
  /** `a.P` */ readonly positions: readonly FuturesPosition[];
}

/** One position of a `MARGIN_CALL`. */
export interface MarginCallPosition {
  /** `s` */ readonly symbol: string;
  /** `ps` */ readonly side: string;
  /** `pa` */ readonly amount: string;
  /** `mt` */ readonly type: string;
  /** `iw` (Python moves the last one to the top level) */ readonly isolatedWallet?: string;
  /** `mp` */ readonly price: string;
  /** `up` */ readonly pnl: string;
  /** `mm` */ readonly margin: string;
}

/** `MARGIN_CALL`. */
export interface MarginCallEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "MARGIN_CALL";
  /** `E` */ readonly eventTime: number;
  /** `i` */ readonly accountAlias?: string;
  /** `cw` */ readonly crossWallet?: string;
  /** `p` */ readonly positions: readonly MarginCallPosition[];
}

/** `ACCOUNT_CONFIG_UPDATE`: leverage (`symbol`, `leverage`) or multi-assets mode. */
export interface AccountConfigUpdateEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "ACCOUNT_CONFIG_UPDATE";
  /** `E` */ readonly eventTime: number;
  /** `T` */ readonly transactionTime?: number;
  /** `ac.s` */ readonly symbol?: string;
  /** `ac.l` */ readonly leverage?: number;
  /** `ai.j` */ readonly multiAssetsMode?: boolean;
}

/** `TRADE_LITE`. */
export interface TradeLiteEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "TRADE_LITE";
  /** `E` */ readonly eventTime: number;
  /** `T` */ readonly transactionTime: number;
  /** `s` */ readonly symbol: string;
  /** `c` */ readonly clientOrderId: string;
  /** `S` */ readonly side: string;
  /** `q` */ readonly orderQuantity: string;
  /** `p` */ readonly orderPrice: string;
  /** `l` */ readonly lastExecutedQuantity: string;
  /** `L` */ readonly lastExecutedPrice: string;
  /** `t` */ readonly tradeId: Int64;
  /** `i` */ readonly orderId: Int64;
  /** `m` */ readonly isTradeMakerSide: boolean;
}

/** `STRATEGY_UPDATE` (the `su` object is hoisted). */
export interface StrategyUpdateEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "STRATEGY_UPDATE";
  /** `E` */ readonly eventTime: number;
  /** `T` */ readonly transactionTime: number;
  /** `su.si` */ readonly strategyId: Int64;
  /** `su.st` */ readonly strategyType: string;
  /** `su.ss` */ readonly strategyStatus: string;
  /** `su.s` */ readonly symbol: string;
  /** `su.ut` */ readonly updateTime: number;
  /** `su.c` */ readonly opCode: number;
}

/** `GRID_UPDATE` (the `gu` object is hoisted). */
export interface GridUpdateEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "GRID_UPDATE";
  /** `E` */ readonly eventTime: number;
  /** `T` */ readonly transactionTime: number;
  /** `gu.si` */ readonly strategyId: Int64;
  /** `gu.st` */ readonly strategyType: string;
  /** `gu.ss` */ readonly strategyStatus: string;
  /** `gu.s` */ readonly symbol: string;
  /** `gu.r` */ readonly realizedPnl: string;
  /** `gu.up` */ readonly unmatchedAveragePrice: string;
  /** `gu.uq` */ readonly unmatchedQuantity: string;
  /** `gu.uf` */ readonly unmatchedFee: string;
  /** `gu.mp` */ readonly matchedPnl: string;
  /** `gu.ut` */ readonly updateTime: number;
}

/** `CONDITIONAL_ORDER_TRIGGER_REJECT` (the `or` object is hoisted). */
export interface ConditionalOrderTriggerRejectEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "CONDITIONAL_ORDER_TRIGGER_REJECT";
  /** `E` */ readonly eventTime: number;
  /** `T` */ readonly transactionTime: number;
  /** `or.s` */ readonly symbol: string;
  /** `or.i` */ readonly orderId: Int64;
  /** `or.r` */ readonly rejectReason: string;
}

/** `ALGO_UPDATE` (Binance's name) / `ALGO_ORDER_UPDATE` (the `o` object is hoisted). */
export interface AlgoOrderUpdateEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "ALGO_UPDATE" | "ALGO_ORDER_UPDATE";
  /** `E` */ readonly eventTime: number;
  /** `T` */ readonly transactionTime: number;
  /** `o.caid` */ readonly clientAlgoId: string;
  /** `o.aid` */ readonly algoId: Int64;
  /** `o.at` */ readonly algoType: string;
  /** `o.o` */ readonly orderType: string;
  /** `o.s` */ readonly symbol: string;
  /** `o.S` */ readonly side: string;
  /** `o.ps` */ readonly positionSide: string;
  /** `o.f` */ readonly timeInForce: string;
  /** `o.q` */ readonly quantity: string;
  /** `o.X` */ readonly algoStatus: string;
  /** `o.ai` */ readonly actualOrderId?: string;
  /** `o.ap` */ readonly actualAvgPrice?: string;
  /** `o.aq` */ readonly actualFilledQuantity?: string;
  /** `o.act` */ readonly actualOrderType?: string;
  /** `o.tp` */ readonly triggerPrice: string;
  /** `o.p` */ readonly price: string;
  /** `o.V` */ readonly selfTradePreventionMode?: string;
  /** `o.wt` */ readonly workingType: string;
  /** `o.pm` */ readonly priceMatchMode?: string;
  /** `o.cp` */ readonly closePosition?: boolean;
  /** `o.pP` */ readonly priceProtect?: boolean;
  /** `o.R` */ readonly reduceOnly?: boolean;
  /** `o.tt` */ readonly triggerTime?: number;
  /** `o.gtd` */ readonly goodTillDate?: number;
  /** `o.rm` */ readonly rejectReason?: string;
}
