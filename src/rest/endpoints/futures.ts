/**
 * USDⓈ-M (`/fapi`) orders: placement (conditional types routed to `/fapi/v1/algoOrder`), algo
 * orders, batch orders, modify, queries, cancel (one, all, batch, countdown). Account, positions
 * and the listenKey are in `futures_account.ts`.
 *
 * @module
 */
import { ep, orderEp } from "../_spec.ts";
import type { CallOptions } from "../client_core.ts";
import type { Ack, BatchOrderResult, FuturesAlgoOrder, FuturesOrder } from "../types_futures.ts";
import { MarginClient } from "./margin.ts";
import type { Decimal, ExtraParams } from "./spot_trading.ts";

/** Futures order parameters. */
export interface FuturesOrderOptions extends ExtraParams {
  /** Symbol (`BTCUSDT`, COIN-M `BTCUSD_PERP`). */
  readonly symbol: string;
  /** `BUY` or `SELL`. */
  readonly side: "BUY" | "SELL";
  /** `LIMIT`, `MARKET`, `STOP`, `STOP_MARKET`, `TAKE_PROFIT`, `TAKE_PROFIT_MARKET`, `TRAILING_STOP_MARKET`. */
  readonly type: string;
  /** `BOTH`, `LONG`, `SHORT`. */
  readonly positionSide?: string;
  /** `GTC`, `IOC`, `FOK`, `GTX`, `GTD`, `RPI`. */
  readonly timeInForce?: string;
  /** Quantity. */
  readonly quantity?: Decimal;
  /** Limit price. */
  readonly price?: Decimal;
  /** Reduce-only (`"true"`/`"false"` on the wire). */
  readonly reduceOnly?: boolean | "true" | "false";
  /** Client order id; generated when absent so the order can be reconciled. */
  readonly newClientOrderId?: string;
  /** Stop price (sent as `triggerPrice` when the order is routed to the algo endpoint). */
  readonly stopPrice?: Decimal;
  /** Abort signal. */
  readonly signal?: AbortSignal;
}

/** Futures order reference. */
export interface FuturesOrderRefOptions extends CallOptions {
  /** Symbol. */
  readonly symbol: string;
  /** Order id. */
  readonly orderId?: number | bigint;
  /** Client order id. */
  readonly origClientOrderId?: string;
}

/** Futures history parameters. */
export interface FuturesHistoryOptions extends CallOptions {
  /** Symbol. */
  readonly symbol?: string;
  /** COIN-M: pair. */
  readonly pair?: string;
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

/** Income-history parameters. */
export interface IncomeOptions extends CallOptions {
  /** Symbol. */
  readonly symbol?: string;
  /** Income type filter. */
  readonly incomeType?: string;
  /** Start time (ms). */
  readonly startTime?: number;
  /** End time (ms). */
  readonly endTime?: number;
  /** Number of entries. */
  readonly limit?: number;
}

type Fam = "fapi" | "dapi";

// Conditional USDⓈ-M order types go to /fapi/v1/algoOrder (ccxt and binance-api-node fixtures).
const ALGO_TYPES: ReadonlySet<string> = new Set([
  "STOP",
  "STOP_MARKET",
  "TAKE_PROFIT",
  "TAKE_PROFIT_MARKET",
  "TRAILING_STOP_MARKET",
]);

const VERSION: Readonly<Record<Fam, { v1: string; acct: string }>> = {
  fapi: { v1: "/fapi/v1", acct: "/fapi/v2" },
  dapi: { v1: "/dapi/v1", acct: "/dapi/v1" },
};

/** USDⓈ-M order methods. */
export class FuturesClient extends MarginClient {
  #s(f: Fam, method: "GET" | "POST" | "PUT" | "DELETE", path: string, weight = 1) {
    return ep(method, f, VERSION[f].v1 + path, "SIGNED", weight);
  }

  #createOrder(f: Fam, options: FuturesOrderOptions): Promise<FuturesOrder> {
    return this.call(orderEp(f, `${VERSION[f].v1}/order`), options);
  }

  #batch(
    f: Fam,
    options: CallOptions & { readonly batchOrders: readonly Omit<FuturesOrderOptions, "signal">[] },
  ) {
    const batchOrders = options.batchOrders.map((o) => ({
      ...o,
      newClientOrderId: o.newClientOrderId ?? this.newClientOrderId(),
    }));
    return this.call<BatchOrderResult[]>(this.#s(f, "POST", "/batchOrders", 5), {
      batchOrders,
      signal: options.signal,
    });
  }

  /**
   * Places a USDⓈ-M order (`POST /fapi/v1/order`); conditional types (`STOP*`, `TAKE_PROFIT*`,
   * `TRAILING_STOP_MARKET`) go to `POST /fapi/v1/algoOrder` with `algoType=CONDITIONAL` and
   * `stopPrice` sent as `triggerPrice`. Python: `futures_create_order`. Never retried blindly.
   *
   * @param options Order parameters.
   * @returns The order (or the algo order).
   */
  futuresCreateOrder(options: FuturesOrderOptions): Promise<FuturesOrder | FuturesAlgoOrder> {
    if (!ALGO_TYPES.has(options.type)) return this.#createOrder("fapi", options);
    const { stopPrice, newClientOrderId, ...rest } = options;
    return this.futuresCreateAlgoOrder({
      ...rest,
      ...(stopPrice !== undefined ? { triggerPrice: stopPrice } : {}),
      ...(newClientOrderId !== undefined ? { clientAlgoId: newClientOrderId } : {}),
    });
  }

  /**
   * Places a USDⓈ-M algo order (`POST /fapi/v1/algoOrder`, `algoType=CONDITIONAL` by default).
   *
   * @param options Order parameters with `triggerPrice`, `callbackRate`, `clientAlgoId` …
   * @returns The algo order.
   */
  futuresCreateAlgoOrder(
    options: FuturesOrderOptions & { readonly algoType?: string },
  ): Promise<FuturesAlgoOrder> {
    return this.call(orderEp("fapi", "/fapi/v1/algoOrder", "clientAlgoId"), {
      ...options,
      algoType: options.algoType ?? "CONDITIONAL",
    });
  }

  /**
   * Queries a USDⓈ-M algo order (`GET /fapi/v1/algoOrder`).
   *
   * @param options `algoId` or `clientAlgoId`.
   * @returns The algo order.
   */
  futuresGetAlgoOrder(
    options: CallOptions & {
      readonly symbol?: string;
      readonly algoId?: number | bigint | string;
      readonly clientAlgoId?: string;
    },
  ): Promise<FuturesAlgoOrder> {
    return this.call(this.#s("fapi", "GET", "/algoOrder"), options);
  }

  /**
   * Cancels a USDⓈ-M algo order (`DELETE /fapi/v1/algoOrder`).
   *
   * @param options `algoId` or `clientAlgoId`.
   * @returns The cancel answer.
   */
  futuresCancelAlgoOrder(
    options: CallOptions & { readonly algoId?: number | bigint | string; readonly clientAlgoId?: string },
  ): Promise<Record<string, unknown>> {
    return this.call(this.#s("fapi", "DELETE", "/algoOrder"), options);
  }

  /**
   * Open USDⓈ-M algo orders (`GET /fapi/v1/openAlgoOrders`, weight 1 with `symbol`, else 40).
   *
   * @param options `symbol`.
   * @returns Algo orders.
   */
  futuresGetOpenAlgoOrders(
    options?: CallOptions & { readonly symbol?: string },
  ): Promise<FuturesAlgoOrder[]> {
    return this.call(this.#s("fapi", "GET", "/openAlgoOrders", options?.symbol ? 1 : 40), options);
  }

  /**
   * Cancels every open USDⓈ-M algo order of a symbol (`DELETE /fapi/v1/algoOpenOrders`).
   *
   * @param options `symbol`.
   * @returns `{ code, msg }`.
   */
  futuresCancelAllAlgoOpenOrders(
    options: CallOptions & { readonly symbol: string },
  ): Promise<{ readonly code: number; readonly msg: string }> {
    return this.call(this.#s("fapi", "DELETE", "/algoOpenOrders"), options);
  }

  /**
   * USDⓈ-M algo order history (`GET /fapi/v1/allAlgoOrders`).
   *
   * @param options `symbol`, times, paging.
   * @returns Algo orders.
   */
  futuresGetAllAlgoOrders(
    options: FuturesHistoryOptions & { readonly symbol: string },
  ): Promise<FuturesAlgoOrder[]> {
    return this.call(this.#s("fapi", "GET", "/allAlgoOrders", 5), options);
  }

  /**
   * Places up to 5 USDⓈ-M orders (`POST /fapi/v1/batchOrders`, JSON in `batchOrders`).
   * Python: `futures_place_batch_order`.
   *
   * @param options `batchOrders`.
   * @returns Per entry the order or its error.
   */
  futuresPlaceBatchOrder(
    options: CallOptions & { readonly batchOrders: readonly Omit<FuturesOrderOptions, "signal">[] },
  ): Promise<BatchOrderResult[]> {
    return this.#batch("fapi", options);
  }

  /**
   * Modifies a USDⓈ-M limit order (`PUT /fapi/v1/order`).
   *
   * @param options `symbol`, `orderId`/`origClientOrderId`, `side`, `quantity`, `price`.
   * @returns The order.
   */
  futuresModifyOrder(options: FuturesOrderRefOptions & ExtraParams): Promise<FuturesOrder> {
    return this.call(this.#s("fapi", "PUT", "/order"), options);
  }

  /**
   * Queries a USDⓈ-M order (`GET /fapi/v1/order`). Python: `futures_get_order`.
   *
   * @param options `symbol`, `orderId` or `origClientOrderId`.
   * @returns The order.
   */
  futuresGetOrder(options: FuturesOrderRefOptions): Promise<FuturesOrder> {
    return this.call(this.#s("fapi", "GET", "/order"), options);
  }

  /**
   * USDⓈ-M open orders (`GET /fapi/v1/openOrders`). Python: `futures_get_open_orders`.
   *
   * @param options `symbol` (all when omitted, weight 40).
   * @returns Orders.
   */
  futuresGetOpenOrders(options?: CallOptions & { readonly symbol?: string }): Promise<FuturesOrder[]> {
    return this.call(this.#s("fapi", "GET", "/openOrders", options?.symbol ? 1 : 40), options);
  }

  /**
   * USDⓈ-M orders history (`GET /fapi/v1/allOrders`). Python: `futures_get_all_orders`.
   *
   * @param options `symbol`, `orderId`, times, `limit`.
   * @returns Orders.
   */
  futuresGetAllOrders(options: FuturesHistoryOptions & { readonly symbol: string }): Promise<FuturesOrder[]> {
    return this.call(this.#s("fapi", "GET", "/allOrders", 5), options);
  }

  /**
   * Cancels a USDⓈ-M order (`DELETE /fapi/v1/order`). Python: `futures_cancel_order`.
   *
   * @param options `symbol`, `orderId` or `origClientOrderId`.
   * @returns The order.
   */
  futuresCancelOrder(options: FuturesOrderRefOptions): Promise<FuturesOrder> {
    return this.call(this.#s("fapi", "DELETE", "/order"), options);
  }

  /**
   * Cancels all USDⓈ-M open orders of a symbol (`DELETE /fapi/v1/allOpenOrders`).
   * Python: `futures_cancel_all_open_orders`.
   *
   * @param options `symbol`.
   * @returns `{ code: 200, msg }`.
   */
  futuresCancelAllOpenOrders(options: CallOptions & { readonly symbol: string }): Promise<Ack> {
    return this.call(this.#s("fapi", "DELETE", "/allOpenOrders"), options);
  }

  /**
   * Cancels several USDⓈ-M orders (`DELETE /fapi/v1/batchOrders`). Python: `futures_cancel_orders`.
   *
   * @param options `symbol` and `orderIdList` or `origClientOrderIdList`.
   * @returns Per entry the order or its error.
   */
  futuresCancelOrders(
    options: CallOptions & {
      readonly symbol: string;
      readonly orderIdList?: readonly (number | bigint)[];
      readonly origClientOrderIdList?: readonly string[];
    },
  ): Promise<BatchOrderResult[]> {
    return this.call(this.#s("fapi", "DELETE", "/batchOrders"), options);
  }

  /**
   * Cancels all USDⓈ-M open orders of a symbol after a countdown (`POST /fapi/v1/countdownCancelAll`);
   * call again before it runs out as a dead man's switch. Python: `futures_auto_cancel_all_open_orders`.
   *
   * @param options `symbol`, `countdownTime` (ms, 0 cancels the timer).
   * @returns `{ symbol, countdownTime }`.
   */
  futuresAutoCancelAllOpenOrders(
    options: CallOptions & { readonly symbol: string; readonly countdownTime: number },
  ): Promise<Record<string, unknown>> {
    return this.call(this.#s("fapi", "POST", "/countdownCancelAll", 10), options);
  }
}
