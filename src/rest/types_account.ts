/**
 * Response types of the spot and margin account/trading endpoints and of the wallet.
 *
 * @module
 */
import type { Int64 } from "../core/json.ts";

/** One fill of a FULL order response. */
export interface Fill {
  /** Price. */
  readonly price: string;
  /** Quantity. */
  readonly qty: string;
  /** Commission. */
  readonly commission: string;
  /** Commission asset. */
  readonly commissionAsset: string;
  /** Trade id. */
  readonly tradeId: Int64;
}

/** An order (query result, or a RESULT/FULL placement response). */
export interface Order {
  /** Symbol. */
  readonly symbol: string;
  /** Order id (64-bit). */
  readonly orderId: Int64;
  /** Order list id, -1 when none. */
  readonly orderListId?: Int64;
  /** Client order id. */
  readonly clientOrderId: string;
  /** Price. */
  readonly price?: string;
  /** Original quantity. */
  readonly origQty?: string;
  /** Executed quantity. */
  readonly executedQty?: string;
  /** Cumulative quote quantity. */
  readonly cummulativeQuoteQty?: string;
  /** `NEW`, `PARTIALLY_FILLED`, `FILLED`, `CANCELED`, `REJECTED`, `EXPIRED`, `EXPIRED_IN_MATCH`. */
  readonly status?: string;
  /** Time in force. */
  readonly timeInForce?: string;
  /** Order type. */
  readonly type?: string;
  /** Side. */
  readonly side?: string;
  /** Stop price. */
  readonly stopPrice?: string;
  /** Placement time (query). */
  readonly time?: number;
  /** Update time (query). */
  readonly updateTime?: number;
  /** Transaction time (placement). */
  readonly transactTime?: number;
  /** Fills (FULL responses). */
  readonly fills?: readonly Fill[];
  /** Other fields (`selfTradePreventionMode`, `workingTime`, `expiryReason`, margin `isIsolated` …). */
  readonly [field: string]: unknown;
}

/** One order of an order-list response. */
export interface OrderListEntry {
  /** Symbol. */
  readonly symbol: string;
  /** Order id. */
  readonly orderId: Int64;
  /** Client order id. */
  readonly clientOrderId: string;
}

/** An order list (OCO, OTO, OTOCO). */
export interface OrderList {
  /** Order list id. */
  readonly orderListId: Int64;
  /** `OCO`, `OTO`, … */
  readonly contingencyType: string;
  /** `RESPONSE`, `EXEC_STARTED`, `UPDATED`, `ALL_DONE`. */
  readonly listStatusType: string;
  /** `EXECUTING`, `ALL_DONE`, `REJECT`. */
  readonly listOrderStatus: string;
  /** List client order id. */
  readonly listClientOrderId: string;
  /** Transaction time. */
  readonly transactionTime: number;
  /** Symbol. */
  readonly symbol: string;
  /** The orders. */
  readonly orders: readonly OrderListEntry[];
  /** Placement responses of the orders. */
  readonly orderReports?: readonly Order[];
}

/** `POST /api/v3/order/cancelReplace`. */
export interface CancelReplaceResult {
  /** `SUCCESS`, `FAILURE`, `NOT_ATTEMPTED`. */
  readonly cancelResult: string;
  /** `SUCCESS`, `FAILURE`, `NOT_ATTEMPTED`. */
  readonly newOrderResult: string;
  /** The cancel response. */
  readonly cancelResponse: Order;
  /** The new order. */
  readonly newOrderResponse: Order | null;
}

/** A balance of the spot account. */
export interface Balance {
  /** Asset. */
  readonly asset: string;
  /** Free amount. */
  readonly free: string;
  /** Locked amount. */
  readonly locked: string;
}

/** `GET /api/v3/account`. */
export interface Account {
  /** Can trade. */
  readonly canTrade: boolean;
  /** Can withdraw. */
  readonly canWithdraw: boolean;
  /** Can deposit. */
  readonly canDeposit: boolean;
  /** Update time. */
  readonly updateTime: number;
  /** `SPOT`. */
  readonly accountType: string;
  /** Balances. */
  readonly balances: readonly Balance[];
  /** Other fields (`commissionRates`, `permissions`, `uid` …). */
  readonly [field: string]: unknown;
}

/** `GET /api/v3/myTrades` (and margin `myTrades`). */
export interface MyTrade {
  /** Symbol. */
  readonly symbol: string;
  /** Trade id. */
  readonly id: Int64;
  /** Order id. */
  readonly orderId: Int64;
  /** Price. */
  readonly price: string;
  /** Quantity. */
  readonly qty: string;
  /** Quote quantity. */
  readonly quoteQty: string;
  /** Commission. */
  readonly commission: string;
  /** Commission asset. */
  readonly commissionAsset: string;
  /** Time. */
  readonly time: number;
  /** Buyer side. */
  readonly isBuyer: boolean;
  /** Maker side. */
  readonly isMaker: boolean;
  /** Other fields. */
  readonly [field: string]: unknown;
}

/** `GET /api/v3/rateLimit/order`: one unfilled-order-count limit. */
export interface OrderRateLimit {
  /** `ORDERS`. */
  readonly rateLimitType: string;
  /** Interval unit. */
  readonly interval: string;
  /** Number of intervals. */
  readonly intervalNum: number;
  /** Limit. */
  readonly limit: number;
  /** Current count. */
  readonly count: number;
}

/** `GET /api/v3/account/commission`. */
export interface CommissionRates {
  /** Symbol. */
  readonly symbol: string;
  /** Standard maker/taker/buyer/seller rates. */
  readonly standardCommission: Readonly<Record<string, string>>;
  /** Tax rates. */
  readonly taxCommission: Readonly<Record<string, string>>;
  /** Discount settings. */
  readonly discount: Readonly<Record<string, unknown>>;
}

/** `GET /sapi/v1/margin/account` (cross margin). */
export interface MarginAccount {
  /** Borrow enabled. */
  readonly borrowEnabled: boolean;
  /** Margin level. */
  readonly marginLevel: string;
  /** Total asset of the account in BTC. */
  readonly totalAssetOfBtc: string;
  /** Total liability in BTC. */
  readonly totalLiabilityOfBtc: string;
  /** Net asset in BTC. */
  readonly totalNetAssetOfBtc: string;
  /** Trade enabled. */
  readonly tradeEnabled: boolean;
  /** Per-asset balances (`asset`, `free`, `locked`, `borrowed`, `interest`, `netAsset`). */
  readonly userAssets: readonly Readonly<Record<string, string>>[];
  /** Other fields. */
  readonly [field: string]: unknown;
}

/** `GET /sapi/v1/margin/isolated/account`. */
export interface IsolatedMarginAccount {
  /** One entry per isolated pair. */
  readonly assets: readonly Readonly<Record<string, unknown>>[];
  /** Totals (absent when `symbols` is given). */
  readonly totalAssetOfBtc?: string;
  /** Other fields. */
  readonly [field: string]: unknown;
}

/** A transaction id answer (`borrow-repay`, transfers). */
export interface TransactionId {
  /** Transaction id. */
  readonly tranId: Int64;
}

/** `POST /sapi/v1/userListenToken`. */
export interface ListenToken {
  /** The token to pass to WS-API `userDataStream.subscribe.listenToken`. */
  readonly token: string;
  /** Epoch ms at which it expires. */
  readonly expirationTime: number;
}

/** `POST …/listenKey` (futures, options, portfolio margin, Binance.US spot). */
export interface ListenKey {
  /** The listenKey (a secret: never log it). */
  readonly listenKey: string;
}

/** `GET /sapi/v1/system/status`. */
export interface SystemStatus {
  /** 0 normal, 1 system maintenance. */
  readonly status: number;
  /** `normal` or `system_maintenance`. */
  readonly msg: string;
}

/** `GET /sapi/v1/capital/config/getall`: one coin. */
export interface CoinInfo {
  /** Coin. */
  readonly coin: string;
  /** Name. */
  readonly name: string;
  /** Deposits enabled. */
  readonly depositAllEnable: boolean;
  /** Withdrawals enabled. */
  readonly withdrawAllEnable: boolean;
  /** Free amount. */
  readonly free: string;
  /** Locked amount. */
  readonly locked: string;
  /** Networks. */
  readonly networkList: readonly Readonly<Record<string, unknown>>[];
  /** Other fields. */
  readonly [field: string]: unknown;
}

/** `GET /sapi/v1/capital/deposit/address`. */
export interface DepositAddress {
  /** Address. */
  readonly address: string;
  /** Coin. */
  readonly coin: string;
  /** Tag / memo. */
  readonly tag: string;
  /** Block-explorer URL. */
  readonly url: string;
}

/** One deposit or withdrawal record. */
export interface TransferRecord {
  /** Record id. */
  readonly id?: string;
  /** Amount. */
  readonly amount: string;
  /** Coin. */
  readonly coin: string;
  /** Network. */
  readonly network: string;
  /** Status code. */
  readonly status: number;
  /** Address. */
  readonly address: string;
  /** Transaction id on chain. */
  readonly txId?: string;
  /** Other fields. */
  readonly [field: string]: unknown;
}

/** `GET /sapi/v1/accountSnapshot`. */
export interface AccountSnapshot {
  /** 200 on success. */
  readonly code: number;
  /** Message. */
  readonly msg: string;
  /** Daily snapshots. */
  readonly snapshotVos: readonly Readonly<Record<string, unknown>>[];
}
