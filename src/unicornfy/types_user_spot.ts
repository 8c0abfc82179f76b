/**
 * Output types of the spot-family user-data events (WS-API `{subscriptionId, event}` envelopes or raw
 * listen-key frames). `streamType` is `!userData@arr` (listStatus: `<symbol>@listStatus`), as in Python.
 *
 * @module
 */
import type { Int64 } from "../core/json.ts";
import type { UnicornfiedBase } from "./types_base.ts";

/** One asset of an account update. */
export interface AccountBalance {
  /** `a` */
  readonly asset: string;
  /** `f` */
  readonly free: string;
  /** `l` */
  readonly locked: string;
}

/** `outboundAccountPosition`. */
export interface OutboundAccountPositionEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "outboundAccountPosition";
  /** `E` */
  readonly eventTime: number;
  /** `u` */
  readonly lastUpdateTime: number;
  /** `B` */
  readonly balances: readonly AccountBalance[];
}

/** `outboundAccountInfo` (legacy, before 2021). */
export interface OutboundAccountInfoEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "outboundAccountInfo";
  /** `E` */
  readonly eventTime: number;
  /** `m` */
  readonly makerCommissionRate: number;
  /** `t` */
  readonly takerCommissionRate: number;
  /** `b` */
  readonly buyerCommissionRate: number;
  /** `s` */
  readonly sellerCommissionRate: number;
  /** `T` */
  readonly canTrade: boolean;
  /** `W` */
  readonly canWithdraw: boolean;
  /** `D` */
  readonly canDeposit: boolean;
  /** `B` */
  readonly balances: readonly AccountBalance[];
  /** `P` */
  readonly accountPermissions?: readonly string[];
}

/** `balanceUpdate`. */
export interface BalanceUpdateEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "balanceUpdate";
  /** `E` */
  readonly eventTime: number;
  /** `a` */
  readonly asset: string;
  /** `d` */
  readonly balanceDelta: string;
  /** `T` */
  readonly clearTime: number;
}

/** `executionReport`. Optional fields appear only for the order types and cases Binance sends them. */
export interface ExecutionReportEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "executionReport";
  /** `E` */ readonly eventTime: number;
  /** `s` */ readonly symbol: string;
  /** `c` */ readonly clientOrderId: string;
  /** `S` */ readonly side: string;
  /** `o` */ readonly orderType: string;
  /** `f` */ readonly timeInForce: string;
  /** `q` */ readonly orderQuantity: string;
  /** `p` */ readonly orderPrice: string;
  /** `P` */ readonly stopPrice: string;
  /** `F` */ readonly icebergQuantity: string;
  /** `g` (Python: `ignore_g`) */ readonly orderListId: Int64;
  /** `C` */ readonly originalClientOrderId: string;
  /** `x` */ readonly currentExecutionType: string;
  /** `X` */ readonly currentOrderStatus: string;
  /** `r` */ readonly orderRejectReason: string;
  /** `i` */ readonly orderId: Int64;
  /** `l` */ readonly lastExecutedQuantity: string;
  /** `z` */ readonly cumulativeFilledQuantity: string;
  /** `L` */ readonly lastExecutedPrice: string;
  /** `n` */ readonly commissionAmount: string;
  /** `N` */ readonly commissionAsset: string | null;
  /** `T` */ readonly transactionTime: number;
  /** `t` */ readonly tradeId: Int64;
  /** `I` (Python: `ignore_I`) */ readonly executionId: Int64;
  /** `w` */ readonly isOrderWorking: boolean;
  /** `m` */ readonly isTradeMakerSide: boolean;
  /** `M` */ readonly ignoreM: boolean;
  /** `O` */ readonly orderCreationTime: number;
  /** `Z` */ readonly cumulativeQuoteAssetTransactedQuantity: string;
  /** `Y` */ readonly lastQuoteAssetTransactedQuantity: string;
  /** `Q` */ readonly quoteOrderQuantity?: string;
  /** `W` */ readonly workingTime?: number;
  /** `V` */ readonly selfTradePreventionMode?: string;
  /** `v` */ readonly preventedMatchId?: Int64;
  /** `A` */ readonly preventedQuantity?: string;
  /** `B` */ readonly lastPreventedQuantity?: string;
  /** `u` */ readonly tradeGroupId?: Int64;
  /** `U` */ readonly counterOrderId?: Int64;
  /** `Cs` */ readonly counterSymbol?: string;
  /** `pl` */ readonly preventedExecutionQuantity?: string;
  /** `pL` */ readonly preventedExecutionPrice?: string;
  /** `pY` */ readonly preventedExecutionQuoteQuantity?: string;
  /** `d` */ readonly trailingDelta?: number;
  /** `D` */ readonly trailingTime?: number;
  /** `j` */ readonly strategyId?: Int64;
  /** `J` */ readonly strategyType?: number;
  /** `b` */ readonly matchType?: string;
  /** `a` */ readonly allocationId?: Int64;
  /** `k` */ readonly workingFloor?: string;
  /** `uS` */ readonly usedSor?: boolean;
  /** `eR` */ readonly expiryReason?: string;
  /** `gP` */ readonly pegPriceType?: string;
  /** `gOO` */ readonly pegOffsetType?: string;
  /** `gOV` */ readonly pegOffsetValue?: number;
  /** `gp` */ readonly peggedPrice?: string;
}

/** One order of a `listStatus` event. */
export interface ListStatusObject {
  /** `s` */
  readonly symbol: string;
  /** `i` */
  readonly orderId: Int64;
  /** `c` */
  readonly clientOrderId: string;
}

/** `listStatus` (order lists: OCO, OTO, OTOCO, OPO). */
export interface ListStatusEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "listStatus";
  /** `E` */ readonly eventTime: number;
  /** `s` */ readonly symbol: string;
  /** `g` */ readonly orderListId: Int64;
  /** `c` */ readonly contingencyType: string;
  /** `l` */ readonly listStatusType: string;
  /** `L` */ readonly listOrderStatus: string;
  /** `r` */ readonly listRejectReason: string;
  /** `C` */ readonly listClientOrderId: string;
  /** `T` */ readonly transactionTime: number;
  /** `O` */ readonly objects: readonly ListStatusObject[];
}

/** `listenKeyExpired` (spot family and futures). The listen key is not copied: it is a secret. */
export interface ListenKeyExpiredEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "listenKeyExpired";
  /** `E` */
  readonly eventTime: number;
}

/** `eventStreamTerminated` (WS-API user-data subscription ended). */
export interface EventStreamTerminatedEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "eventStreamTerminated";
  /** `E` */
  readonly eventTime: number;
}

/** `externalLockUpdate` (part of a balance locked or unlocked externally, e.g. as margin collateral). */
export interface ExternalLockUpdateEvent extends UnicornfiedBase {
  /** Discriminant. */
  readonly eventType: "externalLockUpdate";
  /** `E` */
  readonly eventTime: number;
  /** `a` */
  readonly asset: string;
  /** `d` */
  readonly balanceDelta: string;
  /** `T` */
  readonly transactionTime: number;
}
