/**
 * Typed method sets of the WebSocket API: `manager.api.spot.*` (spot `ws-api/v3`) and
 * `manager.api.futures.*` (USDⓈ-M `ws-fapi/v1`). Names map the Python suite's
 * (`create_order` → `createOrder`); the Binance method is in each summary.
 *
 * Every method takes the Binance params (numbers are sent as plain decimals, never `1e-7`) and
 * per-call options (`streamId` / `label` select the API stream, plus the request options), and
 * returns the response promise. Order-creating methods fill a unique `newClientOrderId` when
 * none is given (UBWA reused `"1"`, `"2"` … across restarts).
 *
 * @module
 */
import type { Params } from "../rest/_format.ts";
import type { ApiRequestOptions, WsApiResponse } from "./api_session.ts";

/** Per-call options: which API stream, plus the request options. */
export interface ApiCallOptions extends Omit<ApiRequestOptions, "signed"> {
  // (request options: timeoutMs, onResponse, deliver, requestId)
  /** Send on this API stream. */
  readonly streamId?: string;
  /** Send on the API stream with this label. */
  readonly label?: string;
}

/** The transport the method sets call. */
export type ApiCall = (
  method: string,
  params: Params,
  signed: boolean,
  options: ApiCallOptions,
) => Promise<WsApiResponse>;

/** A fresh client order id: 32 characters, unique across processes and restarts. */
export function newClientOrderId(): string {
  return "ub" + crypto.randomUUID().replaceAll("-", "").slice(0, 30);
}

function withClientId(params: Params, key = "newClientOrderId"): Params {
  return params[key] === undefined ? { ...params, [key]: newClientOrderId() } : params;
}

/** Spot WebSocket-API methods. */
export class SpotApi {
  readonly #call: ApiCall;
  /**
   * Binds the method set to a transport.
   *
   * @param call The transport.
   */
  constructor(call: ApiCall) {
    this.#call = call;
  }
  /** `order.place`. @param params Order params. @param options Call options. @returns The response. */
  createOrder(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("order.place", withClientId(params), true, options);
  }
  /** `order.test`. @param params Order params. @param options Call options. @returns The response. */
  createTestOrder(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("order.test", params, true, options);
  }
  /** `order.cancel`. @param params `symbol` + `orderId` | `origClientOrderId`. @param options Call options. @returns The response. */
  cancelOrder(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("order.cancel", params, true, options);
  }
  /** `order.cancelReplace`. @param params Cancel and new-order params. @param options Call options. @returns The response. */
  cancelAndReplaceOrder(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call(
      "order.cancelReplace",
      withClientId({ cancelReplaceMode: "STOP_ON_FAILURE", ...params }),
      true,
      options,
    );
  }
  /** `order.amend.keepPriority`. @param params `symbol`, id, `newQty`. @param options Call options. @returns The response. */
  amendOrderKeepPriority(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("order.amend.keepPriority", params, true, options);
  }
  /** `order.status`. @param params `symbol` + id. @param options Call options. @returns The response. */
  getOrder(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("order.status", params, true, options);
  }
  /** `openOrders.status`. @param params Optional `symbol`. @param options Call options. @returns The response. */
  getOpenOrders(params: Params = {}, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("openOrders.status", params, true, options);
  }
  /** `openOrders.cancelAll`. @param params `symbol`. @param options Call options. @returns The response. */
  cancelOpenOrders(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("openOrders.cancelAll", params, true, options);
  }
  /** `orderList.place.oco`. @param params OCO params. @param options Call options. @returns The response. */
  createOcoOrderList(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("orderList.place.oco", withClientId(params, "listClientOrderId"), true, options);
  }
  /** `orderList.cancel`. @param params `symbol` + `orderListId` | `listClientOrderId`. @param options Call options. @returns The response. */
  cancelOrderList(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("orderList.cancel", params, true, options);
  }
  /** `orderList.status`. @param params `orderListId` | `origClientOrderId`. @param options Call options. @returns The response. */
  getOrderList(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("orderList.status", params, true, options);
  }
  /** `openOrderLists.status`. @param params None needed. @param options Call options. @returns The response. */
  getOpenOrderLists(params: Params = {}, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("openOrderLists.status", params, true, options);
  }
  /** `account.status`. @param params Optional `omitZeroBalances`. @param options Call options. @returns The response. */
  getAccountStatus(params: Params = {}, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("account.status", params, true, options);
  }
  /** `account.commission`. @param params `symbol`. @param options Call options. @returns The response. */
  getCommission(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("account.commission", params, true, options);
  }
  /** `account.rateLimits.orders` (signed, with timestamp — UBWA sent none). @param params None needed. @param options Call options. @returns The response. */
  getUnfilledOrderCount(params: Params = {}, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("account.rateLimits.orders", params, true, options);
  }
  /** `ping`. @param options Call options. @returns The response. */
  ping(options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("ping", {}, false, options);
  }
  /** `time`. @param options Call options. @returns The response (`result.serverTime`). */
  getServerTime(options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("time", {}, false, options);
  }
  /** `exchangeInfo`. @param params `symbol` / `symbols` / `permissions`. @param options Call options. @returns The response. */
  getExchangeInfo(params: Params = {}, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("exchangeInfo", params, false, options);
  }
  /** `depth`. @param params `symbol`, `limit`. @param options Call options. @returns The response. */
  getOrderBook(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("depth", params, false, options);
  }
  /** `klines`. @param params `symbol`, `interval`, … @param options Call options. @returns The response. */
  getKlines(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("klines", params, false, options);
  }
  /** `ticker.24hr`. @param params `symbol` / `symbols`, `type`. @param options Call options. @returns The response. */
  getTicker(params: Params = {}, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("ticker.24hr", params, false, options);
  }
  /** `ticker.price`. @param params `symbol` / `symbols`. @param options Call options. @returns The response. */
  getTickerPrice(params: Params = {}, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("ticker.price", params, false, options);
  }
  /** `ticker.book`. @param params `symbol` / `symbols`. @param options Call options. @returns The response. */
  getBookTicker(params: Params = {}, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("ticker.book", params, false, options);
  }
}

/** USDⓈ-M futures WebSocket-API methods. */
export class FuturesApi {
  readonly #call: ApiCall;
  /**
   * Binds the method set to a transport.
   *
   * @param call The transport.
   */
  constructor(call: ApiCall) {
    this.#call = call;
  }
  /** `order.place`. @param params Order params. @param options Call options. @returns The response. */
  createOrder(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("order.place", withClientId(params), true, options);
  }
  /** `order.modify`. @param params `symbol`, `side`, id, `price`, `quantity`. @param options Call options. @returns The response. */
  modifyOrder(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("order.modify", params, true, options);
  }
  /** `order.cancel`. @param params `symbol` + id. @param options Call options. @returns The response. */
  cancelOrder(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("order.cancel", params, true, options);
  }
  /** `order.status`. @param params `symbol` + id. @param options Call options. @returns The response. */
  getOrder(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("order.status", params, true, options);
  }
  /** `v2/account.balance`. @param params None needed. @param options Call options. @returns The response. */
  getAccountBalance(params: Params = {}, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("v2/account.balance", params, true, options);
  }
  /** `v2/account.position`. @param params Optional `symbol`. @param options Call options. @returns The response. */
  getAccountPosition(params: Params = {}, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("v2/account.position", params, true, options);
  }
  /** `v2/account.status`. @param params None needed. @param options Call options. @returns The response. */
  getAccountStatus(params: Params = {}, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("v2/account.status", params, true, options);
  }
  /** `depth`. @param params `symbol`, `limit`. @param options Call options. @returns The response. */
  getOrderBook(params: Params, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("depth", params, false, options);
  }
  /** `ticker.price`. @param params `symbol`. @param options Call options. @returns The response. */
  getTickerPrice(params: Params = {}, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("ticker.price", params, false, options);
  }
  /** `ticker.book`. @param params `symbol`. @param options Call options. @returns The response. */
  getBookTicker(params: Params = {}, options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("ticker.book", params, false, options);
  }
  /** `ping`. @param options Call options. @returns The response. */
  ping(options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("ping", {}, false, options);
  }
  /** `time`. @param options Call options. @returns The response. */
  getServerTime(options: ApiCallOptions = {}): Promise<WsApiResponse> {
    return this.#call("time", {}, false, options);
  }
}
