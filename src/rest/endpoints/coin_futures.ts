/**
 * COIN-M (`/dapi` on `dapi.binance.com`) account and trading endpoints: orders, batch orders,
 * cancel, open orders, positions, leverage, margin type, position mode, balance, account, income,
 * trades and the listenKey — on the COIN-M host the Python suite did not use.
 *
 * @module
 */
import { ep, orderEp } from "../_spec.ts";
import type { CallOptions } from "../client_core.ts";
import type {
  Ack,
  BatchOrderResult,
  FuturesAccount,
  FuturesBalance,
  FuturesOrder,
  FuturesPosition,
  FuturesTrade,
  Income,
  LeverageResult,
  PositionMode,
} from "../types_futures.ts";
import type { ListenKey } from "../types_account.ts";
import type {
  FuturesHistoryOptions,
  FuturesOrderOptions,
  FuturesOrderRefOptions,
  IncomeOptions,
} from "./futures.ts";
import { FuturesAccountClient, type PositionMarginOptions } from "./futures_account.ts";

/** COIN-M trading methods. */
export class CoinFuturesClient extends FuturesAccountClient {
  #s(method: "GET" | "POST" | "PUT" | "DELETE", path: string, weight = 1) {
    return ep(method, "dapi", "/dapi/v1" + path, "SIGNED", weight);
  }

  #listenKey(
    method: "POST" | "PUT" | "DELETE",
    options?: CallOptions,
  ): Promise<ListenKey | Record<string, never>> {
    return this.call(ep(method, "dapi", "/dapi/v1/listenKey", "API_KEY", 1), options);
  }

  /**
   * Places a COIN-M order (`POST /dapi/v1/order` on `dapi.binance.com`). Python: `futures_coin_create_order`.
   *
   * @param options Order parameters (`quantity` in contracts).
   * @returns The order.
   */
  futuresCoinCreateOrder(options: FuturesOrderOptions): Promise<FuturesOrder> {
    return this.call(orderEp("dapi", "/dapi/v1/order"), options);
  }

  /**
   * Places up to 5 COIN-M orders (`POST /dapi/v1/batchOrders`). Python: `futures_coin_place_batch_order`.
   *
   * @param options `batchOrders`.
   * @returns Per entry the order or its error.
   */
  futuresCoinPlaceBatchOrder(
    options: CallOptions & { readonly batchOrders: readonly Omit<FuturesOrderOptions, "signal">[] },
  ): Promise<BatchOrderResult[]> {
    const batchOrders = options.batchOrders.map((o) => ({
      ...o,
      newClientOrderId: o.newClientOrderId ?? this.newClientOrderId(),
    }));
    return this.call(this.#s("POST", "/batchOrders", 5), { batchOrders, signal: options.signal });
  }

  /**
   * Queries a COIN-M order (`GET /dapi/v1/order`). Python: `futures_coin_get_order`.
   *
   * @param options `symbol`, `orderId` or `origClientOrderId`.
   * @returns The order.
   */
  futuresCoinGetOrder(options: FuturesOrderRefOptions): Promise<FuturesOrder> {
    return this.call(this.#s("GET", "/order"), options);
  }

  /**
   * COIN-M open orders (`GET /dapi/v1/openOrders`). Python: `futures_coin_get_open_orders`.
   *
   * @param options `symbol` or `pair`.
   * @returns Orders.
   */
  futuresCoinGetOpenOrders(
    options?: CallOptions & { readonly symbol?: string; readonly pair?: string },
  ): Promise<FuturesOrder[]> {
    return this.call(this.#s("GET", "/openOrders", options?.symbol ? 1 : 40), options);
  }

  /**
   * COIN-M orders history (`GET /dapi/v1/allOrders`). Python: `futures_coin_get_all_orders`.
   *
   * @param options `symbol` or `pair`, `orderId`, times, `limit`.
   * @returns Orders.
   */
  futuresCoinGetAllOrders(options: FuturesHistoryOptions): Promise<FuturesOrder[]> {
    return this.call(this.#s("GET", "/allOrders", 20), options);
  }

  /**
   * Cancels a COIN-M order (`DELETE /dapi/v1/order`). Python: `futures_coin_cancel_order`.
   *
   * @param options `symbol`, `orderId` or `origClientOrderId`.
   * @returns The order.
   */
  futuresCoinCancelOrder(options: FuturesOrderRefOptions): Promise<FuturesOrder> {
    return this.call(this.#s("DELETE", "/order"), options);
  }

  /**
   * Cancels all COIN-M open orders of a symbol (`DELETE /dapi/v1/allOpenOrders`).
   * Python: `futures_coin_cancel_all_open_orders`.
   *
   * @param options `symbol`.
   * @returns `{ code: 200, msg }`.
   */
  futuresCoinCancelAllOpenOrders(options: CallOptions & { readonly symbol: string }): Promise<Ack> {
    return this.call(this.#s("DELETE", "/allOpenOrders"), options);
  }

  /**
   * COIN-M balances (`GET /dapi/v1/balance`). Python: `futures_coin_account_balance`.
   *
   * @param options Abort signal.
   * @returns Balances.
   */
  futuresCoinAccountBalance(options?: CallOptions): Promise<FuturesBalance[]> {
    return this.call(this.#s("GET", "/balance"), options);
  }

  /**
   * COIN-M account (`GET /dapi/v1/account`). Python: `futures_coin_account`.
   *
   * @param options Abort signal.
   * @returns The account.
   */
  futuresCoinAccount(options?: CallOptions): Promise<FuturesAccount> {
    return this.call(this.#s("GET", "/account", 5), options);
  }

  /**
   * COIN-M positions (`GET /dapi/v1/positionRisk`). Python: `futures_coin_position_information`.
   *
   * @param options `marginAsset` or `pair`.
   * @returns Positions.
   */
  futuresCoinPositionInformation(
    options?: CallOptions & { readonly marginAsset?: string; readonly pair?: string },
  ): Promise<FuturesPosition[]> {
    return this.call(this.#s("GET", "/positionRisk"), options);
  }

  /**
   * Sets COIN-M leverage (`POST /dapi/v1/leverage`). Python: `futures_coin_change_leverage`.
   *
   * @param options `symbol`, `leverage`.
   * @returns The new leverage.
   */
  futuresCoinChangeLeverage(
    options: CallOptions & { readonly symbol: string; readonly leverage: number },
  ): Promise<LeverageResult> {
    return this.call(this.#s("POST", "/leverage"), options);
  }

  /**
   * Sets COIN-M margin type (`POST /dapi/v1/marginType`). Python: `futures_coin_change_margin_type`.
   *
   * @param options `symbol`, `marginType`.
   * @returns `{ code: 200, msg }`.
   */
  futuresCoinChangeMarginType(
    options: CallOptions & { readonly symbol: string; readonly marginType: "ISOLATED" | "CROSSED" },
  ): Promise<Ack> {
    return this.call(this.#s("POST", "/marginType"), options);
  }

  /**
   * Sets COIN-M position mode (`POST /dapi/v1/positionSide/dual`). Python: `futures_coin_change_position_mode`.
   *
   * @param options `dualSidePosition`.
   * @returns `{ code: 200, msg }`.
   */
  futuresCoinChangePositionMode(options: CallOptions & { readonly dualSidePosition: boolean }): Promise<Ack> {
    return this.call(this.#s("POST", "/positionSide/dual"), options);
  }

  /**
   * COIN-M position mode (`GET /dapi/v1/positionSide/dual`). Python: `futures_coin_get_position_mode`.
   *
   * @param options Abort signal.
   * @returns `{ dualSidePosition }`.
   */
  futuresCoinGetPositionMode(options?: CallOptions): Promise<PositionMode> {
    return this.call(this.#s("GET", "/positionSide/dual", 30), options);
  }

  /**
   * COIN-M income history (`GET /dapi/v1/income`). Python: `futures_coin_income_history`.
   *
   * @param options `symbol`, `incomeType`, times, `limit`.
   * @returns Income entries.
   */
  futuresCoinIncomeHistory(options?: IncomeOptions): Promise<Income[]> {
    return this.call(this.#s("GET", "/income", 20), options);
  }

  /**
   * COIN-M own trades (`GET /dapi/v1/userTrades`). Python: `futures_coin_account_trades`.
   *
   * @param options `symbol` or `pair`, `orderId`, times, `fromId`, `limit`.
   * @returns Trades.
   */
  futuresCoinAccountTrades(options: FuturesHistoryOptions): Promise<FuturesTrade[]> {
    return this.call(this.#s("GET", "/userTrades", 20), options);
  }

  /**
   * Creates the COIN-M listenKey (`POST /dapi/v1/listenKey` on the COIN-M host, not the
   * USDⓈ-M one the Python suite used). Python: `futures_coin_stream_get_listen_key`.
   *
   * @param options Abort signal.
   * @returns The listenKey (a secret).
   */
  async futuresCoinStreamGetListenKey(options?: CallOptions): Promise<string> {
    return ((await this.#listenKey("POST", options)) as ListenKey).listenKey;
  }

  /**
   * Extends the COIN-M listenKey (`PUT /dapi/v1/listenKey`). Python: `futures_coin_stream_keepalive`.
   *
   * @param options Abort signal.
   * @returns Resolves when Binance accepted it.
   */
  async futuresCoinStreamKeepalive(options?: CallOptions): Promise<void> {
    await this.#listenKey("PUT", options);
  }

  /**
   * Closes the COIN-M listenKey (`DELETE /dapi/v1/listenKey`). Python: `futures_coin_stream_close`.
   *
   * @param options Abort signal.
   * @returns Resolves when Binance accepted it.
   */
  async futuresCoinStreamClose(options?: CallOptions): Promise<void> {
    await this.#listenKey("DELETE", options);
  }

  /**
   * Cancels several COIN-M orders (`DELETE /dapi/v1/batchOrders`). Python: `futures_coin_cancel_orders`.
   *
   * @param options `symbol` and `orderIdList` or `origClientOrderIdList`.
   * @returns Per entry the order or its error.
   */
  futuresCoinCancelOrders(
    options: CallOptions & {
      readonly symbol: string;
      readonly orderIdList?: readonly (number | bigint)[];
      readonly origClientOrderIdList?: readonly string[];
    },
  ): Promise<BatchOrderResult[]> {
    return this.call(this.#s("DELETE", "/batchOrders"), options);
  }

  /**
   * COIN-M leverage brackets (`GET /dapi/v2/leverageBracket`). Python: `futures_coin_leverage_bracket`.
   *
   * @param options `symbol`.
   * @returns Brackets per symbol.
   */
  futuresCoinLeverageBracket(
    options?: CallOptions & { readonly symbol?: string },
  ): Promise<Record<string, unknown>[]> {
    return this.call(ep("GET", "dapi", "/dapi/v2/leverageBracket", "SIGNED", 1), options);
  }

  /**
   * Adds or reduces COIN-M isolated position margin (`POST /dapi/v1/positionMargin`).
   * Python: `futures_coin_change_position_margin`.
   *
   * @param options `symbol`, `positionSide`, `amount`, `type`.
   * @returns `{ amount, code, msg, type }`.
   */
  futuresCoinChangePositionMargin(options: PositionMarginOptions): Promise<Record<string, unknown>> {
    return this.call(this.#s("POST", "/positionMargin"), options);
  }
}
