/**
 * Response types of the USDⓈ-M (`fapi`) and COIN-M (`dapi`) account and trading endpoints.
 *
 * @module
 */
import type { Int64 } from "../core/json.ts";

/** A futures order (placement answer or query result). */
export interface FuturesOrder {
  /** Symbol. */
  readonly symbol: string;
  /** Order id (64-bit). */
  readonly orderId: Int64;
  /** Client order id. */
  readonly clientOrderId: string;
  /** Price. */
  readonly price: string;
  /** Average fill price. */
  readonly avgPrice?: string;
  /** Original quantity. */
  readonly origQty: string;
  /** Executed quantity. */
  readonly executedQty: string;
  /** `NEW`, `PARTIALLY_FILLED`, `FILLED`, `CANCELED`, `EXPIRED`, … */
  readonly status: string;
  /** Time in force. */
  readonly timeInForce: string;
  /** Order type. */
  readonly type: string;
  /** Side. */
  readonly side: string;
  /** `BOTH`, `LONG`, `SHORT`. */
  readonly positionSide?: string;
  /** Reduce-only. */
  readonly reduceOnly?: boolean;
  /** Update time. */
  readonly updateTime: number;
  /** Other fields (`cumQuote`, `stopPrice`, `workingType`, `priceMatch`, COIN-M `cumBase` …). */
  readonly [field: string]: unknown;
}

/** A USDⓈ-M algo (conditional) order answer. */
export interface FuturesAlgoOrder {
  /** Algo id (64-bit). */
  readonly algoId: Int64;
  /** Client algo id. */
  readonly clientAlgoId: string;
  /** `CONDITIONAL`. */
  readonly algoType?: string;
  /** Symbol. */
  readonly symbol?: string;
  /** Other fields. */
  readonly [field: string]: unknown;
}

/** One batch-order result: the order, or the error Binance gave for that entry. */
export type BatchOrderResult = FuturesOrder | { readonly code: number; readonly msg: string };

/** `GET …/positionRisk`. */
export interface FuturesPosition {
  /** Symbol. */
  readonly symbol: string;
  /** Position amount (negative when short). */
  readonly positionAmt: string;
  /** Entry price. */
  readonly entryPrice: string;
  /** Mark price. */
  readonly markPrice: string;
  /** Unrealized PnL. */
  readonly unRealizedProfit: string;
  /** Liquidation price. */
  readonly liquidationPrice: string;
  /** Leverage. */
  readonly leverage: string;
  /** `cross` or `isolated`. */
  readonly marginType: string;
  /** `BOTH`, `LONG`, `SHORT`. */
  readonly positionSide: string;
  /** Other fields. */
  readonly [field: string]: unknown;
}

/** `GET …/balance`: one asset. */
export interface FuturesBalance {
  /** Asset. */
  readonly asset: string;
  /** Wallet balance. */
  readonly balance: string;
  /** Available balance. */
  readonly availableBalance: string;
  /** Cross wallet balance. */
  readonly crossWalletBalance: string;
  /** Other fields. */
  readonly [field: string]: unknown;
}

/** `GET …/account`. */
export interface FuturesAccount {
  /** Assets. */
  readonly assets: readonly Readonly<Record<string, unknown>>[];
  /** Positions. */
  readonly positions: readonly Readonly<Record<string, unknown>>[];
  /** Other fields (`totalWalletBalance`, `availableBalance`, `canTrade` …). */
  readonly [field: string]: unknown;
}

/** `POST …/leverage`. */
export interface LeverageResult {
  /** Symbol. */
  readonly symbol: string;
  /** New leverage. */
  readonly leverage: number;
  /** USDⓈ-M: max notional at this leverage. */
  readonly maxNotionalValue?: string;
  /** COIN-M: max quantity at this leverage. */
  readonly maxQty?: string;
}

/** A `{code: 200, msg: "success"}` acknowledgement. */
export interface Ack {
  /** 200 on success. */
  readonly code: number;
  /** `success`. */
  readonly msg: string;
}

/** `GET …/positionSide/dual`. */
export interface PositionMode {
  /** `true`: hedge mode; `false`: one-way mode. */
  readonly dualSidePosition: boolean;
}

/** `GET …/income`: one entry. */
export interface Income {
  /** Symbol (may be empty). */
  readonly symbol: string;
  /** `REALIZED_PNL`, `FUNDING_FEE`, `COMMISSION`, `TRANSFER`, … */
  readonly incomeType: string;
  /** Amount. */
  readonly income: string;
  /** Asset. */
  readonly asset: string;
  /** Time. */
  readonly time: number;
  /** Transaction id. */
  readonly tranId: Int64;
  /** Trade id (may be empty). */
  readonly tradeId: string;
  /** Other fields. */
  readonly [field: string]: unknown;
}

/** `GET …/userTrades`: one trade. */
export interface FuturesTrade {
  /** Symbol. */
  readonly symbol: string;
  /** Trade id. */
  readonly id: Int64;
  /** Order id. */
  readonly orderId: Int64;
  /** Side. */
  readonly side: string;
  /** Price. */
  readonly price: string;
  /** Quantity. */
  readonly qty: string;
  /** Realized PnL. */
  readonly realizedPnl: string;
  /** Commission. */
  readonly commission: string;
  /** Commission asset. */
  readonly commissionAsset: string;
  /** Time. */
  readonly time: number;
  /** Other fields. */
  readonly [field: string]: unknown;
}
