/**
 * Margin REST routes (`/sapi/v1/margin/…`, cross and isolated) and the universal transfer
 * (`/sapi/v1/asset/transfer`): accounts, borrow-repay and its history, maxBorrowable, orders
 * (with `sideEffectType` MARGIN_BUY / AUTO_REPAY / AUTO_BORROW_REPAY), open and all orders, trades.
 * Every route is signed and charged with Binance's weights to the `/sapi` IP pool, or to the
 * per-account (UID) pool for order placement and transfers.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import type { Hono } from "hono";
import { ApiError, badSymbol, intParam, missingParam } from "./api_error.ts";
import type { Core, Trading } from "./core.ts";
import { marginKey } from "./margin.ts";
import type { Json } from "./payloads.ts";
import { signedKit } from "./signed_kit.ts";

function isolatedOf(p: URLSearchParams): boolean {
  const v = (p.get("isIsolated") ?? "FALSE").toUpperCase();
  if (v !== "TRUE" && v !== "FALSE") {
    throw new ApiError(-1130, "Data sent for parameter 'isIsolated' is not valid.");
  }
  return v === "TRUE";
}

function amountOf(p: URLSearchParams): Decimal {
  const raw = p.get("amount");
  if (raw === null || raw === "") throw missingParam("amount");
  if (!/^\d{1,20}(\.\d{1,8})?$/.test(raw) || new Decimal(raw).lte(0)) {
    throw new ApiError(-1130, "Data sent for parameter 'amount' is not valid.");
  }
  return new Decimal(raw);
}

/** Registers the margin and transfer routes. */
export function registerMarginRoutes(app: Hono, core: Core, t: Trading): void {
  const { signed } = signedKit(core, t);
  const mb = t.margin;
  const e = mb.engine;
  /** The account key of a request: cross, or isolated `symbol` with `isIsolated=TRUE`. */
  const keyOf = (apiKey: string, p: URLSearchParams, symbolParam = "symbol"): string => {
    if (!isolatedOf(p)) return apiKey;
    const s = p.get(symbolParam);
    if (!s) throw missingParam(symbolParam);
    mb.account(apiKey, s);
    return marginKey(apiKey, s);
  };
  const needSymbol = (p: URLSearchParams): string => {
    const s = p.get("symbol");
    if (!s) throw missingParam("symbol");
    if (!core.hub.market("spot", s)) throw badSymbol();
    return s;
  };
  const tag = (json: Json, key: string): Json => ({
    ...(json as Record<string, Json>),
    isIsolated: key.includes("|"),
  });

  app.get("/sapi/v1/margin/account", signed("sapi", 10, (k) => mb.crossJson(k)));
  app.get(
    "/sapi/v1/margin/isolated/account",
    signed("sapi", 10, (k, r) => mb.isolatedJson(k, r.params.get("symbols"))),
  );
  app.post(
    "/sapi/v1/margin/borrow-repay",
    signed("sapi", 1500, (k, r) => {
      const p = r.params;
      const asset = p.get("asset");
      if (!asset) throw missingParam("asset");
      const type = p.get("type");
      if (type !== "BORROW" && type !== "REPAY") {
        if (!type) throw missingParam("type");
        throw new ApiError(-1130, "Data sent for parameter 'type' is not valid.");
      }
      const iso = isolatedOf(p) ? needSymbol(p) : undefined;
      const amount = amountOf(p);
      const tranId = type === "BORROW" ? mb.borrow(k, asset, amount, iso) : mb.repay(k, asset, amount, iso);
      return { tranId };
    }),
  );
  app.get(
    "/sapi/v1/margin/borrow-repay",
    signed("sapi", 10, (k, r) => {
      const p = r.params;
      const type = p.get("type");
      if (!type) throw missingParam("type");
      const asset = p.get("asset");
      const iso = p.get("isolatedSymbol");
      const txId = intParam(p, "txId");
      const start = intParam(p, "startTime") ?? 0;
      const end = intParam(p, "endTime") ?? Infinity;
      const size = Math.min(intParam(p, "size") ?? 10, 100);
      const current = Math.max(1, intParam(p, "current") ?? 1);
      const rows = mb.loans.filter((l) =>
        l.apiKey === k && l.type === type && (asset === null || l.asset === asset) &&
        (iso === null ? true : l.isolatedSymbol === iso) && (txId === undefined || l.txId === txId) &&
        l.timestamp >= start && l.timestamp <= end
      ).reverse();
      return {
        rows: rows.slice((current - 1) * size, current * size).map((l) => ({
          type: l.type,
          isolatedSymbol: l.isolatedSymbol,
          amount: l.amount.toFixed(8),
          asset: l.asset,
          interest: "0",
          principal: l.amount.toFixed(8),
          status: "CONFIRMED",
          timestamp: l.timestamp,
          txId: l.txId,
        })),
        total: rows.length,
      };
    }),
  );
  app.get(
    "/sapi/v1/margin/maxBorrowable",
    signed("sapi", 50, (k, r) => {
      const asset = r.params.get("asset");
      if (!asset) throw missingParam("asset");
      const iso = r.params.get("isolatedSymbol") ?? undefined;
      if (iso !== undefined) mb.checkIsolatedAsset(iso, asset);
      const key = marginKey(k, iso);
      if (iso !== undefined) mb.account(k, iso);
      const amount = mb.maxBorrowable(key, asset, iso !== undefined);
      return { amount: amount.toFixed(8), borrowLimit: amount.plus(mb.debt(key, asset)).toFixed(8) };
    }),
  );
  app.post(
    "/sapi/v1/margin/order",
    signed("sapiUid", 6, (k, r) => {
      const p = r.params;
      const symbol = needSymbol(p);
      const key = keyOf(k, p);
      const effect = p.get("sideEffectType") ?? "NO_SIDE_EFFECT";
      if (!["NO_SIDE_EFFECT", "MARGIN_BUY", "AUTO_REPAY", "AUTO_BORROW_REPAY"].includes(effect)) {
        throw new ApiError(-1130, "Data sent for parameter 'sideEffectType' is not valid.");
      }
      // validate first, so a rejected order borrows nothing
      e.place(key, p, { test: true });
      const iso = key.includes("|") ? symbol : undefined;
      let borrowed: { asset: string; amount: Decimal } | undefined;
      if (effect === "MARGIN_BUY" || effect === "AUTO_BORROW_REPAY") {
        const need = requiredFunds(core, symbol, p);
        const free = mb.account(k, iso).get(need.asset).free;
        if (need.amount.gt(free)) {
          const amount = need.amount.minus(free);
          mb.borrow(k, need.asset, amount, iso);
          borrowed = { asset: need.asset, amount };
        }
      }
      const res = e.place(key, p) as Record<string, Json>;
      if (effect === "AUTO_REPAY" || effect === "AUTO_BORROW_REPAY") {
        const m = core.hub.market("spot", symbol)!;
        const got = p.get("side") === "BUY" ? m.spec.baseAsset : m.spec.quoteAsset;
        const repay = Decimal.min(mb.debt(key, got), mb.account(k, iso).get(got).free);
        if (repay.gt(0)) mb.repay(k, got, repay, iso);
        // a stop (or resting limit) order repays when it fills later
        if (res.status === "NEW" || res.status === "PARTIALLY_FILLED" || res.status === undefined) {
          mb.autoRepay.add(res.orderId as number);
        }
      }
      const out: Record<string, Json> = { ...res, isIsolated: iso !== undefined };
      if (borrowed) {
        out.marginBuyBorrowAsset = borrowed.asset;
        out.marginBuyBorrowAmount = borrowed.amount.toFixed(8);
      }
      return out;
    }),
  );
  app.get(
    "/sapi/v1/margin/order",
    signed("sapi", 10, (k, r) => {
      needSymbol(r.params);
      const key = keyOf(k, r.params);
      return tag(e.orderJson(e.find(key, r.params)), key);
    }),
  );
  app.delete(
    "/sapi/v1/margin/order",
    signed("sapi", 10, (k, r) => {
      needSymbol(r.params);
      const key = keyOf(k, r.params);
      return tag(e.cancel(key, r.params), key);
    }),
  );
  app.get(
    "/sapi/v1/margin/openOrders",
    signed("sapi", 10, (k, r) => {
      const s = r.params.get("symbol") ?? undefined;
      if (s !== undefined) needSymbol(r.params);
      const key = keyOf(k, r.params);
      return e.open(key, s).map((o) => tag(e.orderJson(o), key));
    }),
  );
  app.delete(
    "/sapi/v1/margin/openOrders",
    signed("sapi", 1, (k, r) => {
      const s = needSymbol(r.params);
      const key = keyOf(k, r.params);
      return e.open(key, s).map((o) =>
        tag(e.cancel(key, new URLSearchParams({ symbol: s, orderId: String(o.orderId) })), key)
      );
    }),
  );
  app.get(
    "/sapi/v1/margin/allOrders",
    signed("sapi", 200, (k, r) => {
      const s = needSymbol(r.params);
      const key = keyOf(k, r.params);
      const from = intParam(r.params, "orderId") ?? 0;
      const limit = Math.min(intParam(r.params, "limit") ?? 500, 500);
      return [...e.orders.values()].filter((o) => o.apiKey === key && o.symbol === s && o.orderId >= from)
        .slice(0, limit).map((o) => tag(e.orderJson(o), key));
    }),
  );
  app.get(
    "/sapi/v1/margin/myTrades",
    signed("sapi", 10, (k, r) => {
      const s = needSymbol(r.params);
      const key = keyOf(k, r.params);
      const orderId = intParam(r.params, "orderId");
      const limit = Math.min(intParam(r.params, "limit") ?? 500, 1000);
      return e.trades.filter((x) =>
        x.apiKey === key && x.symbol === s && (orderId === undefined || x.orderId === orderId)
      ).slice(-limit).map(({ apiKey: _a, orderListId: _l, ...rest }) => ({
        ...rest,
        commission: "0.00000000",
        commissionAsset: "",
        isBestMatch: true,
        isIsolated: key.includes("|"),
      }));
    }),
  );
  app.post("/sapi/v1/asset/transfer", signed("sapiUid", 900, (k, r) => t.transfers.transfer(k, r.params)));
  app.get("/sapi/v1/asset/transfer", signed("sapi", 1, (k, r) => t.transfers.history(k, r.params)));
}

/** The asset and amount an order spends (BUY: quote at the limit price or walking the asks). */
function requiredFunds(core: Core, symbol: string, p: URLSearchParams): { asset: string; amount: Decimal } {
  const m = core.hub.market("spot", symbol)!;
  const qtyText = p.get("quantity");
  const qty = qtyText ? new Decimal(qtyText) : new Decimal(0);
  if (p.get("side") === "SELL") return { asset: m.spec.baseAsset, amount: qty };
  const quote = p.get("quoteOrderQty");
  if (quote && !qtyText) return { asset: m.spec.quoteAsset, amount: new Decimal(quote) };
  const price = p.get("price");
  if (price) return { asset: m.spec.quoteAsset, amount: qty.times(price) };
  let left = qty;
  let cost = new Decimal(0);
  for (const [tick, units] of m.asks.top(1000)) {
    if (left.lte(0)) break;
    const lvl = Decimal.min(left, new Decimal(units).div(10 ** m.spec.qtyDecimals));
    cost = cost.plus(lvl.times(new Decimal(tick).div(10 ** m.spec.priceDecimals)));
    left = left.minus(lvl);
  }
  return { asset: m.spec.quoteAsset, amount: cost };
}
