/**
 * Spot account and trading endpoints (`/api/v3`, signed): orders, order lists (OCO via
 * `orderList/oco`, OTO, OTOCO), SOR, cancel-replace, amend, queries, account, trades, rate-limit
 * and commission.
 *
 * @module
 */
import type { ParamValue } from "../_format.ts";
import { ep, orderEp } from "../_spec.ts";
import type { CallOptions } from "../client_core.ts";
import type {
  Account,
  Balance,
  CancelReplaceResult,
  CommissionRates,
  MyTrade,
  Order,
  OrderList,
  OrderRateLimit,
} from "../types_account.ts";
import { OptionsMarketClient } from "./options_market.ts";

/** Extra Binance parameters passed through unchanged (new or rarely used ones). */
export interface ExtraParams {
  /** Any further parameter, sent in the order given. */
  readonly [param: string]: ParamValue | AbortSignal;
}

/** A decimal parameter: a string is sent as is, a number without exponent notation. */
export type Decimal = string | number;

/** New spot order parameters (`POST /api/v3/order`). */
export interface NewOrderOptions extends ExtraParams {
  /** Symbol. */
  readonly symbol: string;
  /** `BUY` or `SELL`. */
  readonly side: "BUY" | "SELL";
  /** `LIMIT`, `MARKET`, `STOP_LOSS`, `STOP_LOSS_LIMIT`, `TAKE_PROFIT`, `TAKE_PROFIT_LIMIT`, `LIMIT_MAKER`. */
  readonly type: string;
  /** `GTC`, `IOC`, `FOK`. */
  readonly timeInForce?: string;
  /** Base quantity. */
  readonly quantity?: Decimal;
  /** Quote quantity (MARKET). */
  readonly quoteOrderQty?: Decimal;
  /** Limit price. */
  readonly price?: Decimal;
  /** Client order id; generated when absent so the order can be reconciled. */
  readonly newClientOrderId?: string;
  /** Stop price. */
  readonly stopPrice?: Decimal;
  /** Trailing delta in BIPS. */
  readonly trailingDelta?: number;
  /** Iceberg quantity. */
  readonly icebergQty?: Decimal;
  /** `ACK`, `RESULT`, `FULL`. */
  readonly newOrderRespType?: "ACK" | "RESULT" | "FULL";
  /** STP mode. */
  readonly selfTradePreventionMode?: string;
  /** Abort signal. */
  readonly signal?: AbortSignal;
}

/** Identifies an order by id or client id. */
export interface OrderRefOptions extends CallOptions {
  /** Symbol. */
  readonly symbol: string;
  /** Order id. */
  readonly orderId?: number | bigint;
  /** Client order id. */
  readonly origClientOrderId?: string;
}

/** Cancel parameters. */
export interface CancelOrderOptions extends OrderRefOptions {
  /** New client id of the cancel. */
  readonly newClientOrderId?: string;
  /** `ONLY_NEW`, `ONLY_PARTIALLY_FILLED`. */
  readonly cancelRestrictions?: string;
}

/** History query parameters. */
export interface HistoryOptions extends CallOptions {
  /** Symbol. */
  readonly symbol: string;
  /** Start at this order id (allOrders) / filter by order id (myTrades). */
  readonly orderId?: number | bigint;
  /** Start time (ms). */
  readonly startTime?: number;
  /** End time (ms). */
  readonly endTime?: number;
  /** Trade id to start from (myTrades). */
  readonly fromId?: number | bigint;
  /** Number of entries (default 500, max 1000). */
  readonly limit?: number;
}

/** Cancel-replace parameters. */
export interface CancelReplaceOptions extends NewOrderOptions {
  /** `STOP_ON_FAILURE` or `ALLOW_FAILURE`. */
  readonly cancelReplaceMode: "STOP_ON_FAILURE" | "ALLOW_FAILURE";
  /** Order id to cancel. */
  readonly cancelOrderId?: number | bigint;
  /** Client order id to cancel. */
  readonly cancelOrigClientOrderId?: string;
}

/** Order-list parameters (OCO, OTO, OTOCO): fields as documented by Binance. */
export interface OrderListOptions extends ExtraParams {
  /** Symbol. */
  readonly symbol: string;
  /** List client order id; generated when absent so the list can be reconciled. */
  readonly listClientOrderId?: string;
}

const ORDER = orderEp("api", "/api/v3/order");
const ORDER_TEST = ep("POST", "api", "/api/v3/order/test", "SIGNED", 1);
const GET_ORDER = ep("GET", "api", "/api/v3/order", "SIGNED", 4);
const CANCEL_ORDER = ep("DELETE", "api", "/api/v3/order", "SIGNED", 1);
const CANCEL_ALL = ep("DELETE", "api", "/api/v3/openOrders", "SIGNED", 1);
const CANCEL_REPLACE = orderEp("api", "/api/v3/order/cancelReplace");
const AMEND = ep("PUT", "api", "/api/v3/order/amend/keepPriority", "SIGNED", 4);
const ALL_ORDERS = ep("GET", "api", "/api/v3/allOrders", "SIGNED", 20);
const ACCOUNT = ep("GET", "api", "/api/v3/account", "SIGNED", 20);
const RATE_LIMIT_ORDER = ep("GET", "api", "/api/v3/rateLimit/order", "SIGNED", 40);
const COMMISSION = ep("GET", "api", "/api/v3/account/commission", "SIGNED", 20);
const OCO = orderEp("api", "/api/v3/orderList/oco", "listClientOrderId");
const OTO = orderEp("api", "/api/v3/orderList/oto", "listClientOrderId");
const OTOCO = orderEp("api", "/api/v3/orderList/otoco", "listClientOrderId");
const ORDER_LIST = ep("GET", "api", "/api/v3/orderList", "SIGNED", 4);
const CANCEL_ORDER_LIST = ep("DELETE", "api", "/api/v3/orderList", "SIGNED", 1);
const ALL_ORDER_LISTS = ep("GET", "api", "/api/v3/allOrderList", "SIGNED", 20);
const OPEN_ORDER_LISTS = ep("GET", "api", "/api/v3/openOrderList", "SIGNED", 6);
const SOR_ORDER = orderEp("api", "/api/v3/sor/order");
const SOR_TEST = ep("POST", "api", "/api/v3/sor/order/test", "SIGNED", 1);

/** Spot trading and account methods. */
export class SpotTradingClient extends OptionsMarketClient {
  /**
   * Places an order (`POST /api/v3/order`). Python: `create_order`. Never retried blindly: an
   * unknown outcome raises `OrderStatusUnknownError` with the `newClientOrderId`.
   *
   * @param options Order parameters.
   * @returns The ACK/RESULT/FULL answer.
   */
  createOrder(options: NewOrderOptions): Promise<Order> {
    return this.call(ORDER, options);
  }

  /**
   * Validates an order without placing it (`POST /api/v3/order/test`). Python: `create_test_order`.
   *
   * @param options Order parameters, plus `computeCommissionRates`.
   * @returns `{}` or the commission rates.
   */
  createTestOrder(options: NewOrderOptions & { readonly computeCommissionRates?: boolean }): Promise<
    Record<string, unknown>
  > {
    return this.call(options.computeCommissionRates ? { ...ORDER_TEST, weight: 20 } : ORDER_TEST, options);
  }

  /**
   * Queries an order (`GET /api/v3/order`, weight 4). Python: `get_order`.
   *
   * @param options `symbol` and `orderId` or `origClientOrderId`.
   * @returns The order.
   */
  getOrder(options: OrderRefOptions): Promise<Order> {
    return this.call(GET_ORDER, options);
  }

  /**
   * Cancels an order (`DELETE /api/v3/order`). Python: `cancel_order`.
   *
   * @param options `symbol` and `orderId` or `origClientOrderId`.
   * @returns The cancelled order.
   */
  cancelOrder(options: CancelOrderOptions): Promise<Order> {
    return this.call(CANCEL_ORDER, options);
  }

  /**
   * Cancels all open orders of a symbol (`DELETE /api/v3/openOrders`). Python: `cancel_all_open_orders`.
   *
   * @param options `symbol`.
   * @returns The cancelled orders and order lists.
   */
  cancelAllOpenOrders(options: CallOptions & { readonly symbol: string }): Promise<(Order | OrderList)[]> {
    return this.call(CANCEL_ALL, options);
  }

  /**
   * Cancels an order and places a new one atomically (`POST /api/v3/order/cancelReplace`).
   *
   * @param options `cancelReplaceMode`, the order to cancel and the new order.
   * @returns Both results (HTTP 409 with -2021/-2022 raises `BinanceApiError`).
   */
  cancelReplaceOrder(options: CancelReplaceOptions): Promise<CancelReplaceResult> {
    return this.call(CANCEL_REPLACE, options);
  }

  /**
   * Decreases an order's quantity keeping its priority (`PUT /api/v3/order/amend/keepPriority`).
   *
   * @param options `symbol`, `orderId` or `origClientOrderId`, `newQty`.
   * @returns `{ transactTime, executionId, amendedOrder, listStatus? }`.
   */
  amendOrderKeepPriority(
    options: OrderRefOptions & { readonly newQty: Decimal; readonly newClientOrderId?: string },
  ): Promise<
    Record<string, unknown>
  > {
    return this.call(AMEND, options);
  }

  /**
   * Open orders (`GET /api/v3/openOrders`, weight 6 / 80). Python: `get_open_orders`.
   *
   * @param options `symbol` (all symbols when omitted).
   * @returns Open orders.
   */
  getOpenOrders(options?: CallOptions & { readonly symbol?: string }): Promise<Order[]> {
    return this.call(ep("GET", "api", "/api/v3/openOrders", "SIGNED", options?.symbol ? 6 : 80), options);
  }

  /**
   * All orders of a symbol (`GET /api/v3/allOrders`, weight 20). Python: `get_all_orders`.
   *
   * @param options `symbol`, `orderId`, times, `limit`.
   * @returns Orders.
   */
  getAllOrders(options: HistoryOptions): Promise<Order[]> {
    return this.call(ALL_ORDERS, options);
  }

  /**
   * Own trades (`GET /api/v3/myTrades`, weight 20 / 5 with `orderId`). Python: `get_my_trades`.
   *
   * @param options `symbol`, `orderId`, times, `fromId`, `limit`.
   * @returns Trades.
   */
  getMyTrades(options: HistoryOptions): Promise<MyTrade[]> {
    return this.call(ep("GET", "api", "/api/v3/myTrades", "SIGNED", options.orderId ? 5 : 20), options);
  }

  /**
   * Account information (`GET /api/v3/account`, weight 20). Python: `get_account`.
   *
   * @param options `omitZeroBalances`.
   * @returns The account.
   */
  getAccount(options?: CallOptions & { readonly omitZeroBalances?: boolean }): Promise<Account> {
    return this.call(ACCOUNT, options);
  }

  /**
   * One asset's balance from the account (client-side, case-insensitive). Python: `get_asset_balance`.
   *
   * @param options `asset`.
   * @returns The balance, or `null` when the account has none.
   */
  async getAssetBalance(options: CallOptions & { readonly asset: string }): Promise<Balance | null> {
    const account = await this.getAccount({ signal: options.signal });
    const asset = options.asset.toUpperCase();
    return account.balances.find((b) => b.asset.toUpperCase() === asset) ?? null;
  }

  /**
   * Unfilled-order counts (`GET /api/v3/rateLimit/order`, weight 40).
   *
   * @param options Abort signal.
   * @returns The ORDERS limits with their counts.
   */
  getOrderRateLimit(options?: CallOptions): Promise<OrderRateLimit[]> {
    return this.call(RATE_LIMIT_ORDER, options);
  }

  /**
   * Commission rates of a symbol (`GET /api/v3/account/commission`, weight 20).
   *
   * @param options `symbol`.
   * @returns The rates.
   */
  getCommission(options: CallOptions & { readonly symbol: string }): Promise<CommissionRates> {
    return this.call(COMMISSION, options);
  }

  /**
   * Places an OCO list (`POST /api/v3/orderList/oco`; the deprecated `/api/v3/order/oco` the
   * Python `create_oco_order` used is not called).
   *
   * @param options `symbol`, `side`, `quantity`, `aboveType`, `belowType` and their prices.
   * @returns The order list.
   */
  createOcoOrder(options: OrderListOptions): Promise<OrderList> {
    return this.call(OCO, options);
  }

  /**
   * Places an OTO list (`POST /api/v3/orderList/oto`).
   *
   * @param options `symbol`, `working*` and `pending*` parameters.
   * @returns The order list.
   */
  createOtoOrder(options: OrderListOptions): Promise<OrderList> {
    return this.call(OTO, options);
  }

  /**
   * Places an OTOCO list (`POST /api/v3/orderList/otoco`).
   *
   * @param options `symbol`, `working*`, `pendingAbove*` and `pendingBelow*` parameters.
   * @returns The order list.
   */
  createOtocoOrder(options: OrderListOptions): Promise<OrderList> {
    return this.call(OTOCO, options);
  }

  /**
   * Queries an order list (`GET /api/v3/orderList`).
   *
   * @param options `orderListId` or `origClientOrderId` (the list client id).
   * @returns The order list.
   */
  getOrderList(
    options: CallOptions & { readonly orderListId?: number | bigint; readonly origClientOrderId?: string },
  ): Promise<OrderList> {
    return this.call(ORDER_LIST, options);
  }

  /**
   * Cancels an order list (`DELETE /api/v3/orderList`).
   *
   * @param options `symbol` and `orderListId` or `listClientOrderId`.
   * @returns The cancelled list.
   */
  cancelOrderList(
    options: CallOptions & {
      readonly symbol: string;
      readonly orderListId?: number | bigint;
      readonly listClientOrderId?: string;
    },
  ): Promise<OrderList> {
    return this.call(CANCEL_ORDER_LIST, options);
  }

  /**
   * All order lists (`GET /api/v3/allOrderList`).
   *
   * @param options `fromId`, times, `limit`.
   * @returns Order lists.
   */
  getAllOrderLists(options?: Omit<HistoryOptions, "symbol">): Promise<OrderList[]> {
    return this.call(ALL_ORDER_LISTS, options);
  }

  /**
   * Open order lists (`GET /api/v3/openOrderList`).
   *
   * @param options Abort signal.
   * @returns Order lists.
   */
  getOpenOrderLists(options?: CallOptions): Promise<OrderList[]> {
    return this.call(OPEN_ORDER_LISTS, options);
  }

  /**
   * Places an order through smart order routing (`POST /api/v3/sor/order`).
   *
   * @param options Order parameters (`symbol`, `side`, `type`, `quantity`, …).
   * @returns The order with its allocations.
   */
  createSorOrder(options: NewOrderOptions): Promise<Order> {
    return this.call(SOR_ORDER, options);
  }

  /**
   * Validates an SOR order (`POST /api/v3/sor/order/test`).
   *
   * @param options Order parameters.
   * @returns `{}` or commission rates.
   */
  testSorOrder(options: NewOrderOptions): Promise<Record<string, unknown>> {
    return this.call(SOR_TEST, options);
  }
}
