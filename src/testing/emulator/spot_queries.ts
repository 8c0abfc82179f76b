/**
 * Spot requests built on the engine's primitives: order history and trade queries, order-list
 * views, cancel-all, cancel-replace, the legacy `orderList.place` OCO form, order-count limits.
 * Shared by REST and the WebSocket API.
 *
 * @module
 */
import { ApiError, badSymbol, missingParam } from "./api_error.ts";
import type { Params } from "./order_params.ts";
import type { Json } from "./payloads.ts";
import type { SpotEngine, SpotOrder } from "./spot_engine.ts";

function num(p: Params, name: string): number | undefined {
  const v = p.get(name);
  return v === null ? undefined : Number(v);
}

function symbolOf(p: Params, has: (s: string) => boolean): string {
  const s = p.get("symbol");
  if (s === null) throw missingParam("symbol");
  if (!has(s)) throw badSymbol();
  return s;
}

/** `allOrders`: orders of a symbol, filtered by orderId / startTime / endTime, at most `limit`. */
export function allOrders(e: SpotEngine, apiKey: string, p: Params, has: (s: string) => boolean): Json {
  const s = symbolOf(p, has);
  const from = num(p, "orderId") ?? 0;
  const start = num(p, "startTime") ?? 0;
  const end = num(p, "endTime") ?? Infinity;
  const limit = Math.min(num(p, "limit") ?? 500, 1000);
  return [...e.orders.values()]
    .filter((o) =>
      o.apiKey === apiKey && o.symbol === s && o.orderId >= from && o.time >= start && o.time <= end
    )
    .slice(0, limit).map((o) => e.orderJson(o));
}

/** `myTrades`: the account's trades of a symbol. */
export function myTrades(e: SpotEngine, apiKey: string, p: Params, has: (s: string) => boolean): Json {
  const s = symbolOf(p, has);
  const orderId = num(p, "orderId");
  const start = num(p, "startTime") ?? 0;
  const end = num(p, "endTime") ?? Infinity;
  const limit = Math.min(num(p, "limit") ?? 500, 1000);
  const fromId = num(p, "fromId");
  const mine = e.trades.filter((t) =>
    t.apiKey === apiKey && t.symbol === s && (orderId === undefined || t.orderId === orderId) &&
    t.time >= start &&
    t.time <= end && (fromId === undefined || t.id >= fromId)
  );
  // with fromId Binance pages forward from that id; otherwise it answers the most recent
  return (fromId === undefined ? mine.slice(-limit) : mine.slice(0, limit))
    .map(({ apiKey: _k, ...t }) => ({
      ...t,
      commission: "0.00000000",
      commissionAsset: "",
      isBestMatch: true,
    }));
}

/** `openOrders.cancelAll` / `DELETE /api/v3/openOrders`. */
export function cancelAll(e: SpotEngine, apiKey: string, p: Params, has: (s: string) => boolean): Json {
  const s = symbolOf(p, has);
  const open = e.open(apiKey, s);
  if (open.length === 0) throw new ApiError(-2011, "Unknown order sent.");
  return open.map((o) =>
    e.cancel(apiKey, { get: (k) => (k === "symbol" ? s : k === "orderId" ? String(o.orderId) : null) })
  );
}

function listJson(orders: SpotOrder[]): Json {
  const first = orders[0];
  const done = orders.every((o) => ["FILLED", "CANCELED", "EXPIRED"].includes(o.status));
  return {
    orderListId: first.orderListId,
    contingencyType: "OCO",
    listStatusType: done ? "ALL_DONE" : "EXEC_STARTED",
    listOrderStatus: done ? "ALL_DONE" : "EXECUTING",
    listClientOrderId: `list${first.orderListId}`,
    transactionTime: first.time,
    symbol: first.symbol,
    orders: orders.map((o) => ({ symbol: o.symbol, orderId: o.orderId, clientOrderId: o.clientOrderId })),
  };
}

/** Order lists of an account (`openOrderLists.status` when `openOnly`, else `allOrderLists`). */
export function orderLists(e: SpotEngine, apiKey: string, openOnly: boolean): Json {
  const lists = new Map<number, SpotOrder[]>();
  for (const o of e.orders.values()) {
    if (o.apiKey !== apiKey || o.orderListId < 0) continue;
    let l = lists.get(o.orderListId);
    if (!l) lists.set(o.orderListId, l = []);
    l.push(o);
  }
  const out = [...lists.values()].map(listJson) as Array<Record<string, Json>>;
  return openOnly ? out.filter((l) => l.listOrderStatus === "EXECUTING") : out;
}

/** The legacy OCO form (`orderList.place`, `POST /api/v3/order/oco`) mapped onto the above/below form. */
export function legacyOco(e: SpotEngine, apiKey: string, p: Params): Json {
  const side = p.get("side");
  const limitLeg = side === "BUY" ? "below" : "above";
  const stopLeg = side === "BUY" ? "above" : "below";
  const map: Record<string, string | null> = {
    symbol: p.get("symbol"),
    side,
    quantity: p.get("quantity"),
    listClientOrderId: p.get("listClientOrderId"),
    [`${limitLeg}Type`]: "LIMIT_MAKER",
    [`${limitLeg}Price`]: p.get("price"),
    [`${stopLeg}Type`]: p.get("stopLimitPrice") !== null ? "STOP_LOSS_LIMIT" : "STOP_LOSS",
    [`${stopLeg}Price`]: p.get("stopLimitPrice"),
    [`${stopLeg}StopPrice`]: p.get("stopPrice"),
    [`${stopLeg}TimeInForce`]: p.get("stopLimitTimeInForce"),
  };
  return e.placeOco(apiKey, { get: (k) => map[k] ?? null });
}

/** `order.cancelReplace` / `POST /api/v3/order/cancelReplace`. */
export function cancelReplace(e: SpotEngine, apiKey: string, p: Params): Json {
  const mode = p.get("cancelReplaceMode");
  if (mode !== "STOP_ON_FAILURE" && mode !== "ALLOW_FAILURE") throw missingParam("cancelReplaceMode");
  const cancelParams: Params = {
    get: (k) =>
      k === "orderId"
        ? p.get("cancelOrderId")
        : k === "origClientOrderId"
        ? p.get("cancelOrigClientOrderId")
        : p.get(k),
  };
  let cancelResponse: Json;
  let cancelled = true;
  try {
    cancelResponse = e.cancel(apiKey, cancelParams);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    cancelled = false;
    cancelResponse = { code: err.code, msg: err.message };
  }
  if (!cancelled && mode === "STOP_ON_FAILURE") {
    throw new ApiError(-2022, "Order cancel-replace failed.", 400, {}, {
      cancelResult: "FAILURE",
      newOrderResult: "NOT_ATTEMPTED",
      cancelResponse,
      newOrderResponse: null,
    });
  }
  let newOrderResponse: Json;
  try {
    newOrderResponse = e.place(apiKey, p);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const failure = { code: err.code, msg: err.message };
    // the cancel stands even though the new order failed: a partial failure (409)
    if (cancelled) {
      throw new ApiError(-2021, "Order cancel-replace partially failed.", 409, {}, {
        cancelResult: "SUCCESS",
        newOrderResult: "FAILURE",
        cancelResponse,
        newOrderResponse: failure,
      });
    }
    throw new ApiError(-2022, "Order cancel-replace failed.", 400, {}, {
      cancelResult: "FAILURE",
      newOrderResult: "FAILURE",
      cancelResponse,
      newOrderResponse: failure,
    });
  }
  if (!cancelled) {
    throw new ApiError(-2021, "Order cancel-replace partially failed.", 409, {}, {
      cancelResult: "FAILURE",
      newOrderResult: "SUCCESS",
      cancelResponse,
      newOrderResponse,
    });
  }
  return { cancelResult: "SUCCESS", newOrderResult: "SUCCESS", cancelResponse, newOrderResponse };
}

/** `account.rateLimits.orders` / `GET /api/v3/rateLimit/order`: unfilled-order counts. */
export function orderRateLimits(e: SpotEngine, apiKey: string, now: number): Json {
  const count = (ms: number) =>
    [...e.orders.values()].filter((o) => o.apiKey === apiKey && o.time > now - ms).length;
  return [
    { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 100, count: count(10_000) },
    { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, limit: 200000, count: count(86_400_000) },
  ];
}

/**
 * `GET /api/v3/account/commission` / WS-API `account.commission`: the emulator charges no
 * commission, so every rate is zero.
 *
 * @throws {ApiError} -1102 without `symbol`, -1121 for an unknown symbol
 */
export function commissionRates(e: SpotEngine, p: Params): Json {
  const symbol = p.get("symbol");
  if (symbol === null || symbol === "") throw missingParam("symbol");
  if (!e.market(symbol)) throw badSymbol();
  const zero = { maker: "0.00000000", taker: "0.00000000", buyer: "0.00000000", seller: "0.00000000" };
  return {
    symbol,
    standardCommission: zero,
    specialCommission: zero,
    taxCommission: zero,
    discount: {
      enabledForAccount: false,
      enabledForSymbol: false,
      discountAsset: "BNB",
      discount: "0.00000000",
    },
  };
}
