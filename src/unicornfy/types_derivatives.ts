/**
 * Event interfaces of the options and portfolio-margin user data (tables in `derivatives.ts`).
 *
 * @module
 */
import type { Int64 } from "../core/json.ts";
import type { UnicornfiedBase } from "./types_base.ts";
// deno-lint-ignore no-unused-vars
import type { AccountUpdateEvent, OrderTradeUpdateEvent } from "./types_futures.ts";

/** One balance of {@link BalancePositionUpdateEvent}. */
export interface OptionsBalance {
  /** `a` */ readonly asset: string;
  /** `b` */ readonly balance: string;
  /** `bc` */ readonly balanceChange?: string;
}

/** One position of {@link BalancePositionUpdateEvent}. */
export interface OptionsPosition {
  /** `s` */ readonly symbol: string;
  /** `c` */ readonly positionQuantity: string;
  /** `p` */ readonly positionValue?: string;
  /** `a` */ readonly averageEntryPrice?: string;
}

/** Options `BALANCE_POSITION_UPDATE`. */
export interface BalancePositionUpdateEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "BALANCE_POSITION_UPDATE";
  /** `E` */ readonly eventTime: number;
  /** `T` */ readonly transactionTime?: number;
  /** `m`: `DEPOSIT`, `WITHDRAW`, `ORDER` */ readonly eventReason?: string;
  /** `B` */ readonly balances: readonly OptionsBalance[];
  /** `P` */ readonly positions?: readonly OptionsPosition[];
}

/**
 * Options `ORDER_TRADE_UPDATE` (the `o` object is hoisted): the futures order update's names
 * without its conditional and position fields. Shares `eventType` with the futures
 * {@link OrderTradeUpdateEvent}; `"positionSide" in msg` tells them apart.
 */
export interface OptionsOrderTradeUpdateEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "ORDER_TRADE_UPDATE";
  /** `E` */ readonly eventTime: number;
  /** `T` */ readonly transactionTime: number;
  /** `o.s` */ readonly symbol: string;
  /** `o.c` */ readonly clientOrderId: string;
  /** `o.S` */ readonly side: string;
  /** `o.o` */ readonly orderType: string;
  /** `o.f` */ readonly timeInForce: string;
  /** `o.q` */ readonly orderQuantity: string;
  /** `o.p` */ readonly orderPrice: string;
  /** `o.ap` */ readonly orderAvgPrice: string;
  /** `o.x`: `NEW`, `TRADE`, `CANCELED`, `EXPIRED` */ readonly currentExecutionType: string;
  /** `o.X` */ readonly currentOrderStatus: string;
  /** `o.i` */ readonly orderId: Int64;
  /** `o.l` */ readonly lastExecutedQuantity: string;
  /** `o.z` */ readonly cumulativeFilledQuantity: string;
  /** `o.L` */ readonly lastExecutedPrice: string;
  /** `o.N` */ readonly commissionAsset?: string;
  /** `o.n` */ readonly commission?: string;
  /** `o.T` */ readonly orderTradeTime: number;
  /** `o.t` */ readonly tradeId: Int64;
  /** `o.b`: open bid notional */ readonly netPay?: string;
  /** `o.a`: open ask notional */ readonly netSellingOrderValue?: string;
  /** `o.m` */ readonly isTradeMakerSide: boolean;
  /** `o.R` */ readonly reduceOnly: boolean;
  /** `o.ot` */ readonly orderPriceType?: string;
  /** `o.rp` */ readonly orderRealizedProfit?: string;
  /** `o.V` */ readonly selfTradePreventionMode?: string;
}

/**
 * Options `ACCOUNT_UPDATE` (flat, in USDT). Shares `eventType` with the futures
 * {@link AccountUpdateEvent}; `"equity" in msg` tells them apart.
 */
export interface OptionsAccountUpdateEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "ACCOUNT_UPDATE";
  /** `E` */ readonly eventTime: number;
  /** `T` */ readonly transactionTime?: number;
  /** `eq` */ readonly equity: string;
  /** `aeq` */ readonly adjustedEquity?: string;
  /** `b` */ readonly walletBalance: string;
  /** `m` */ readonly positionValue?: string;
  /** `u` */ readonly unrealizedPnl?: string;
  /** `i` */ readonly initialMargin?: string;
  /** `M` */ readonly maintenanceMargin?: string;
}

/** Options `RISK_LEVEL_CHANGE`. */
export interface OptionsRiskLevelChangeEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "RISK_LEVEL_CHANGE";
  /** `E` */ readonly eventTime: number;
  /** `s`: `NORMAL`, `REDUCE_ONLY`, … */ readonly riskLevel: string;
  /** `mb` */ readonly marginBalance?: string;
  /** `mm` */ readonly maintenanceMargin?: string;
}

/** Portfolio-margin `riskLevelChange`. */
export interface RiskLevelChangeEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "riskLevelChange";
  /** `E` */ readonly eventTime: number;
  /** `u` */ readonly uniMmr: string;
  /** `s`: `MARGIN_CALL`, `SUPPLY_MARGIN`, `REDUCE_ONLY`, `FORCE_LIQUIDATION` */ readonly riskLevel: string;
  /** `eq` */ readonly accountEquity?: string;
  /** `ae` */ readonly actualEquity?: string;
  /** `m` */ readonly maintenanceMargin?: string;
}

/** Portfolio-margin `liabilityChange`. */
export interface LiabilityChangeEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "liabilityChange";
  /** `E` */ readonly eventTime: number;
  /** `a` */ readonly asset: string;
  /** `t`: `BORROW`, `REPAY`, … */ readonly liabilityType: string;
  /** `T` (64-bit) */ readonly transactionId: Int64;
  /** `p` */ readonly principal: string;
  /** `i` */ readonly interest: string;
  /** `l` */ readonly totalLiability: string;
}

/** Portfolio-margin `openOrderLoss`. */
export interface OpenOrderLossEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "openOrderLoss";
  /** `E` */ readonly eventTime: number;
  /** `O` */ readonly losses: readonly {
    /** `a` */ readonly asset: string; /** `o` */
    readonly amount: string;
  }[];
}
