/**
 * Signed spot REST endpoints: account and orders (`/api/v3`) and the margin listen token
 * (`/sapi/v1/userListenToken`). Every request's signature is really verified; successful order
 * calls cost 0 weight and failures are charged (since 2026-04-02). Futures routes live in
 * `rest_futures.ts`, margin in `rest_margin.ts`, wallet in `rest_wallet.ts`.
 *
 * @module
 */
import type { Hono } from "hono";
import { ApiError, badSymbol, intParam, missingParam } from "./api_error.ts";
import type { Core, Trading, Venue } from "./core.ts";
import { signedKit } from "./signed_kit.ts";
import {
  cancelReplace,
  commissionRates,
  legacyOco,
  myTrades,
  orderLists,
  orderRateLimits,
} from "./spot_queries.ts";

/** Registers the signed routes. */
export function registerSignedRoutes(app: Hono, core: Core, t: Trading): void {
  const { signed } = signedKit(core, t);
  const symbolParam = (venue: Venue, p: URLSearchParams): string | undefined => {
    const s = p.get("symbol");
    if (s === null) return undefined;
    if (!core.hub.market(venue, s)) throw badSymbol();
    return s;
  };

  // spot
  app.get(
    "/api/v3/account",
    signed("spot", 20, (k, r) => t.spot.account(k).toJson(r.params.get("omitZeroBalances") === "true", 1)),
  );
  app.post("/api/v3/order", signed("spot", 0, (k, r) => t.spot.place(k, r.params), 1));
  app.post(
    "/api/v3/order/test",
    signed(
      "spot",
      (p) => (p.get("computeCommissionRates") === "true" ? 20 : 1),
      (k, r) => t.spot.place(k, r.params, { test: true }),
    ),
  );
  app.get("/api/v3/order", signed("spot", 4, (k, r) => t.spot.orderJson(t.spot.find(k, r.params))));
  app.delete("/api/v3/order", signed("spot", 0, (k, r) => t.spot.cancel(k, r.params), 1));
  app.get(
    "/api/v3/openOrders",
    signed(
      "spot",
      (p) => (p.get("symbol") ? 6 : 80),
      (k, r) => t.spot.open(k, symbolParam("spot", r.params)).map((o) => t.spot.orderJson(o)),
    ),
  );
  app.delete(
    "/api/v3/openOrders",
    signed("spot", 0, (k, r) => {
      const s = symbolParam("spot", r.params);
      if (s === undefined) throw missingParam("symbol");
      return t.spot.open(k, s).map((o) =>
        t.spot.cancel(k, new URLSearchParams({ symbol: s, orderId: String(o.orderId) }))
      );
    }, 1),
  );
  app.get(
    "/api/v3/allOrders",
    signed("spot", 20, (k, r) => {
      const s = symbolParam("spot", r.params);
      if (s === undefined) throw missingParam("symbol");
      const limit = Math.min(intParam(r.params, "limit") ?? 500, 1000);
      const from = intParam(r.params, "orderId") ?? 0;
      return [...t.spot.orders.values()].filter((o) => o.apiKey === k && o.symbol === s && o.orderId >= from)
        .slice(0, limit)
        .map((o) => t.spot.orderJson(o));
    }),
  );
  app.get(
    "/api/v3/myTrades",
    signed("spot", (p) => (p.get("orderId") ? 5 : 20), (k, r) => {
      if (symbolParam("spot", r.params) === undefined) throw missingParam("symbol");
      // one implementation with the WebSocket API's myTrades (fromId pages forward)
      return myTrades(t.spot, k, r.params, () => true);
    }),
  );
  app.post("/api/v3/orderList/oco", signed("spot", 0, (k, r) => t.spot.placeOco(k, r.params), 1));
  app.post("/api/v3/order/oco", signed("spot", 0, (k, r) => legacyOco(t.spot, k, r.params), 1));
  app.post("/api/v3/order/cancelReplace", signed("spot", 0, (k, r) => cancelReplace(t.spot, k, r.params), 1));
  app.get("/api/v3/openOrderList", signed("spot", 6, (k) => orderLists(t.spot, k, true)));
  app.get("/api/v3/allOrderList", signed("spot", 20, (k) => orderLists(t.spot, k, false)));
  app.get("/api/v3/rateLimit/order", signed("spot", 40, (k, r) => orderRateLimits(t.spot, k, r.now)));
  app.get("/api/v3/account/commission", signed("spot", 20, (_k, r) => commissionRates(t.spot, r.params)));
  app.post(
    "/sapi/v1/userListenToken",
    signed("sapiUid", 1, (k, r) => {
      const validity = intParam(r.params, "validity") ?? 86_400_000;
      if (validity > 86_400_000) {
        throw new ApiError(-1130, "Data sent for parameter 'validity' is not valid.");
      }
      // isolated tokens read the symbol's isolated account
      const iso = (r.params.get("isIsolated") ?? "").toUpperCase() === "TRUE";
      const symbol = r.params.get("symbol");
      if (iso && !symbol) throw missingParam("symbol");
      if (iso) t.margin.account(k, symbol!);
      const tok = t.userData.createToken(k, validity, iso ? `${k}|${symbol}` : k);
      return { token: tok.token, expirationTime: tok.expires };
    }),
  );
}
