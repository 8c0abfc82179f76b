/**
 * Cross and isolated margin endpoints (`/sapi/v1/margin/*`, signed) and the margin user-data
 * listenToken (`POST /sapi/v1/userListenToken`, which replaced the margin listenKey).
 *
 * Legacy paths the Python suite still called (`margin/loan`, `margin/repay`, `margin/transfer`,
 * `margin/isolated/transfer`) are replaced by `margin/borrow-repay` and `asset/transfer`.
 *
 * @module
 */
import { ep, orderEp } from "../_spec.ts";
import type { CallOptions } from "../client_core.ts";
import type {
  IsolatedMarginAccount,
  ListenToken,
  MarginAccount,
  MyTrade,
  Order,
  TransactionId,
} from "../types_account.ts";
import { type Decimal, type NewOrderOptions, SpotTradingClient } from "./spot_trading.ts";

/** Selects cross (default) or isolated margin. */
export interface IsolatedOption {
  /** `"TRUE"` for isolated margin (Binance expects the string form). */
  readonly isIsolated?: "TRUE" | "FALSE";
}

/** Margin order parameters. */
export interface MarginOrderOptions extends NewOrderOptions, IsolatedOption {
  /** `NO_SIDE_EFFECT`, `MARGIN_BUY`, `AUTO_REPAY`, `AUTO_BORROW_REPAY`. */
  readonly sideEffectType?: string;
}

/** Borrow/repay parameters. */
export interface BorrowRepayOptions extends CallOptions, IsolatedOption {
  /** Asset. */
  readonly asset: string;
  /** Isolated symbol (with `isIsolated: "TRUE"`). */
  readonly symbol?: string;
  /** Amount. */
  readonly amount: Decimal;
}

/** Margin order reference. */
export interface MarginOrderRefOptions extends CallOptions, IsolatedOption {
  /** Symbol. */
  readonly symbol: string;
  /** Order id. */
  readonly orderId?: number | bigint;
  /** Client order id. */
  readonly origClientOrderId?: string;
}

/** Margin history parameters. */
export interface MarginHistoryOptions extends CallOptions, IsolatedOption {
  /** Symbol. */
  readonly symbol: string;
  /** Order id. */
  readonly orderId?: number | bigint;
  /** Start time (ms). */
  readonly startTime?: number;
  /** End time (ms). */
  readonly endTime?: number;
  /** Trade id to start from. */
  readonly fromId?: number | bigint;
  /** Number of entries. */
  readonly limit?: number;
}

const MARGIN_ACCOUNT = ep("GET", "sapi", "/sapi/v1/margin/account", "SIGNED", 10);
const ISOLATED_ACCOUNT = ep("GET", "sapi", "/sapi/v1/margin/isolated/account", "SIGNED", 10);
const BORROW_REPAY = ep("POST", "sapi", "/sapi/v1/margin/borrow-repay", "SIGNED", 1500);
const BORROW_REPAY_HISTORY = ep("GET", "sapi", "/sapi/v1/margin/borrow-repay", "SIGNED", 10);
const TRANSFER = ep("POST", "sapi", "/sapi/v1/asset/transfer", "SIGNED", 900);
const MARGIN_ORDER = orderEp("sapi", "/sapi/v1/margin/order");
const GET_MARGIN_ORDER = ep("GET", "sapi", "/sapi/v1/margin/order", "SIGNED", 10);
const CANCEL_MARGIN_ORDER = ep("DELETE", "sapi", "/sapi/v1/margin/order", "SIGNED", 10);
const CANCEL_ALL_MARGIN = ep("DELETE", "sapi", "/sapi/v1/margin/openOrders", "SIGNED", 1);
const OPEN_MARGIN_ORDERS = ep("GET", "sapi", "/sapi/v1/margin/openOrders", "SIGNED", 10);
const ALL_MARGIN_ORDERS = ep("GET", "sapi", "/sapi/v1/margin/allOrders", "SIGNED", 200);
const MARGIN_TRADES = ep("GET", "sapi", "/sapi/v1/margin/myTrades", "SIGNED", 10);
const MAX_BORROWABLE = ep("GET", "sapi", "/sapi/v1/margin/maxBorrowable", "SIGNED", 50);
const LISTEN_TOKEN = ep("POST", "sapi", "/sapi/v1/userListenToken", "SIGNED", 1);

/** Margin methods. */
export class MarginClient extends SpotTradingClient {
  /**
   * Cross-margin account (`GET /sapi/v1/margin/account`). Python: `get_margin_account`.
   *
   * @param options Abort signal.
   * @returns The account.
   */
  getMarginAccount(options?: CallOptions): Promise<MarginAccount> {
    return this.call(MARGIN_ACCOUNT, options);
  }

  /**
   * Isolated-margin account (`GET /sapi/v1/margin/isolated/account`). Python: `get_isolated_margin_account`.
   *
   * @param options `symbols` (up to 5, comma separated by Binance's rule).
   * @returns The accounts.
   */
  getIsolatedMarginAccount(
    options?: CallOptions & { readonly symbols?: string },
  ): Promise<IsolatedMarginAccount> {
    return this.call(ISOLATED_ACCOUNT, options);
  }

  /**
   * Borrows or repays (`POST /sapi/v1/margin/borrow-repay`, weight 1500).
   *
   * @param options `asset`, `amount`, `type`, isolated `symbol`.
   * @returns `{ tranId }`.
   */
  marginBorrowRepay(
    options: BorrowRepayOptions & { readonly type: "BORROW" | "REPAY" },
  ): Promise<TransactionId> {
    return this.call(BORROW_REPAY, { ...options, isIsolated: options.isIsolated ?? "FALSE" });
  }

  /**
   * Borrows (`borrow-repay`, type BORROW). Python: `create_margin_loan` (legacy `margin/loan`).
   *
   * @param options `asset`, `amount`, isolated `symbol`.
   * @returns `{ tranId }`.
   */
  createMarginLoan(options: BorrowRepayOptions): Promise<TransactionId> {
    const { asset, isIsolated, symbol, amount, signal } = options;
    return this.marginBorrowRepay({ asset, isIsolated, symbol, amount, type: "BORROW", signal });
  }

  /**
   * Repays (`borrow-repay`, type REPAY). Python: `repay_margin_loan` (legacy `margin/repay`).
   *
   * @param options `asset`, `amount`, isolated `symbol`.
   * @returns `{ tranId }`.
   */
  repayMarginLoan(options: BorrowRepayOptions): Promise<TransactionId> {
    const { asset, isIsolated, symbol, amount, signal } = options;
    return this.marginBorrowRepay({ asset, isIsolated, symbol, amount, type: "REPAY", signal });
  }

  /**
   * Borrow/repay history (`GET /sapi/v1/margin/borrow-repay`).
   *
   * @param options `type`, `asset`, `isolatedSymbol`, times, `current`, `size`.
   * @returns `{ rows, total }`.
   */
  getMarginBorrowRepayHistory(
    options: CallOptions & {
      readonly type: "BORROW" | "REPAY";
      readonly asset?: string;
      readonly isolatedSymbol?: string;
      readonly startTime?: number;
      readonly endTime?: number;
      readonly current?: number;
      readonly size?: number;
    },
  ): Promise<Record<string, unknown>> {
    return this.call(BORROW_REPAY_HISTORY, options);
  }

  /**
   * Spot → cross margin (`POST /sapi/v1/asset/transfer`, type `MAIN_MARGIN`). Python: `transfer_spot_to_margin`.
   *
   * @param options `asset`, `amount`.
   * @returns `{ tranId }`.
   */
  transferSpotToMargin(
    options: CallOptions & { readonly asset: string; readonly amount: Decimal },
  ): Promise<TransactionId> {
    return this.call(TRANSFER, {
      type: "MAIN_MARGIN",
      asset: options.asset,
      amount: options.amount,
      signal: options.signal,
    });
  }

  /**
   * Cross margin → spot (`POST /sapi/v1/asset/transfer`, type `MARGIN_MAIN`). Python: `transfer_margin_to_spot`.
   *
   * @param options `asset`, `amount`.
   * @returns `{ tranId }`.
   */
  transferMarginToSpot(
    options: CallOptions & { readonly asset: string; readonly amount: Decimal },
  ): Promise<TransactionId> {
    return this.call(TRANSFER, {
      type: "MARGIN_MAIN",
      asset: options.asset,
      amount: options.amount,
      signal: options.signal,
    });
  }

  /**
   * Places a margin order (`POST /sapi/v1/margin/order`, weight 6 UID). Python: `create_margin_order`.
   * Never retried blindly (see `OrderStatusUnknownError`).
   *
   * @param options Order parameters, `isIsolated`, `sideEffectType`.
   * @returns The order.
   */
  createMarginOrder(options: MarginOrderOptions): Promise<Order> {
    return this.call(MARGIN_ORDER, options);
  }

  /**
   * Queries a margin order (`GET /sapi/v1/margin/order`). Python: `get_margin_order`.
   *
   * @param options `symbol`, `orderId` or `origClientOrderId`, `isIsolated`.
   * @returns The order.
   */
  getMarginOrder(options: MarginOrderRefOptions): Promise<Order> {
    return this.call(GET_MARGIN_ORDER, options);
  }

  /**
   * Cancels a margin order (`DELETE /sapi/v1/margin/order`). Python: `cancel_margin_order`.
   *
   * @param options `symbol`, `orderId` or `origClientOrderId`, `isIsolated`.
   * @returns The cancelled order.
   */
  cancelMarginOrder(options: MarginOrderRefOptions & { readonly newClientOrderId?: string }): Promise<Order> {
    return this.call(CANCEL_MARGIN_ORDER, options);
  }

  /**
   * Cancels all open margin orders of a symbol (`DELETE /sapi/v1/margin/openOrders`).
   * Python: `cancel_all_open_margin_orders`.
   *
   * @param options `symbol`, `isIsolated`.
   * @returns The cancelled orders.
   */
  cancelAllOpenMarginOrders(
    options: CallOptions & IsolatedOption & { readonly symbol: string },
  ): Promise<Order[]> {
    return this.call(CANCEL_ALL_MARGIN, options);
  }

  /**
   * Open margin orders (`GET /sapi/v1/margin/openOrders`). Python: `get_open_margin_orders`.
   *
   * @param options `symbol`, `isIsolated`.
   * @returns Orders.
   */
  getOpenMarginOrders(
    options?: CallOptions & IsolatedOption & { readonly symbol?: string },
  ): Promise<Order[]> {
    return this.call(OPEN_MARGIN_ORDERS, options);
  }

  /**
   * All margin orders of a symbol (`GET /sapi/v1/margin/allOrders`). Python: `get_all_margin_orders`.
   *
   * @param options `symbol`, `isIsolated`, `orderId`, times, `limit`.
   * @returns Orders.
   */
  getAllMarginOrders(options: MarginHistoryOptions): Promise<Order[]> {
    return this.call(ALL_MARGIN_ORDERS, options);
  }

  /**
   * Margin trades (`GET /sapi/v1/margin/myTrades`). Python: `get_margin_trades`.
   *
   * @param options `symbol`, `isIsolated`, times, `fromId`, `limit`.
   * @returns Trades.
   */
  getMarginTrades(options: MarginHistoryOptions): Promise<MyTrade[]> {
    return this.call(MARGIN_TRADES, options);
  }

  /**
   * Maximum borrowable amount (`GET /sapi/v1/margin/maxBorrowable`). Python: `get_max_margin_loan`.
   *
   * @param options `asset`, `isolatedSymbol`.
   * @returns `{ amount, borrowLimit }`.
   */
  getMaxMarginLoan(
    options: CallOptions & { readonly asset: string; readonly isolatedSymbol?: string },
  ): Promise<{ readonly amount: string; readonly borrowLimit: string }> {
    return this.call(MAX_BORROWABLE, options);
  }

  /**
   * Creates a margin user-data listenToken (`POST /sapi/v1/userListenToken`) for the WS-API
   * `userDataStream.subscribe.listenToken`. Replaces the margin listenKey.
   *
   * @param options `symbol` + `isIsolated: "TRUE"` for isolated margin, `validity` (ms).
   * @returns `{ token, expirationTime }` (the token is a secret).
   */
  createMarginListenToken(
    options?: CallOptions & IsolatedOption & { readonly symbol?: string; readonly validity?: number },
  ): Promise<ListenToken> {
    return this.call(LISTEN_TOKEN, options);
  }
}
