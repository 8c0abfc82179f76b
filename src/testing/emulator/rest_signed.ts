/**
 * Signed REST endpoints: spot account and orders (`/api/v3`), margin listen token (`/sapi/v1`),
 * USD-M orders, balance, account and listenKey (`/fapi`). Every request's signature is really
 * verified; successful order calls cost 0 weight and failures are charged (since 2026-04-02).
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { ApiError, badSymbol, intParam, missingParam } from "./api_error.ts";
import { authenticateRest, rejectedKey } from "./auth.ts";
import type { Core, Trading, Venue } from "./core.ts";
import type { Json } from "./payloads.ts";
import { type RestRequest, type RestResult, runRest } from "./rest_kit.ts";
import { cancelReplace, legacyOco, orderLists, orderRateLimits } from "./spot_queries.ts";

type Handler = (apiKey: string, req: RestRequest) => Json | Promise<Json>;

/** Registers the signed routes. */
export function registerSignedRoutes(app: Hono, core: Core, t: Trading): void {
  const signed =
    (venue: Venue, weight: number | ((p: URLSearchParams) => number), h: Handler, failWeight = 0) =>
    (c: Context) =>
      runRest(core, c, venue, weight, async (req): Promise<RestResult> => {
        const entry = await authenticateRest(t.keys, req, req.now);
        try {
          const body = await h(entry.apiKey, req);
          if (failWeight === 0 || req.method !== "POST") return { body };
          if (venue === "usdm") {
            // USD-M reports the orders of the current minute
            const since = Math.floor(req.now / 60_000) * 60_000;
            return {
              body,
              headers: { "X-MBX-ORDER-COUNT-1M": String(t.futures.orderCount(entry.apiKey, since)) },
            };
          }
          // successful spot order calls report the account's order counts
          const [sec, day] = orderRateLimits(t.spot, entry.apiKey, req.now) as Array<{ count: number }>;
          return {
            body,
            headers: {
              "X-MBX-ORDER-COUNT-10S": String(sec.count),
              "X-MBX-ORDER-COUNT-1D": String(day.count),
            },
          };
        } catch (e) {
          // failed order calls are charged even though successful ones are free
          if (failWeight > 0) core.weights[venue].add(failWeight, core.realNow());
          throw e;
        }
      });
  const keyOnly = (venue: Venue, h: Handler) => (c: Context) =>
    runRest(core, c, venue, 1, (req) => {
      if (req.apiKey === null || req.apiKey === "") throw new ApiError(-2014, "API-key format invalid.", 401);
      if (!t.keys.has(req.apiKey)) throw rejectedKey();
      return { body: h(req.apiKey, req) as Json };
    });
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
      const s = symbolParam("spot", r.params);
      if (s === undefined) throw missingParam("symbol");
      const orderId = intParam(r.params, "orderId");
      const limit = Math.min(intParam(r.params, "limit") ?? 500, 1000);
      return t.spot.trades.filter((x) =>
        x.apiKey === k && x.symbol === s && (orderId === undefined || x.orderId === orderId)
      )
        .slice(-limit).map(({ apiKey: _a, ...rest }) => ({
          ...rest,
          commission: "0.00000000",
          commissionAsset: "",
          isBestMatch: true,
        }));
    }),
  );
  app.post("/api/v3/orderList/oco", signed("spot", 0, (k, r) => t.spot.placeOco(k, r.params), 1));
  app.post("/api/v3/order/oco", signed("spot", 0, (k, r) => legacyOco(t.spot, k, r.params), 1));
  app.post("/api/v3/order/cancelReplace", signed("spot", 0, (k, r) => cancelReplace(t.spot, k, r.params), 1));
  app.get("/api/v3/openOrderList", signed("spot", 6, (k) => orderLists(t.spot, k, true)));
  app.get("/api/v3/allOrderList", signed("spot", 20, (k) => orderLists(t.spot, k, false)));
  app.get("/api/v3/rateLimit/order", signed("spot", 40, (k, r) => orderRateLimits(t.spot, k, r.now)));
  app.post(
    "/sapi/v1/userListenToken",
    signed("spot", 1, (k, r) => {
      const validity = intParam(r.params, "validity") ?? 86_400_000;
      if (validity > 86_400_000) {
        throw new ApiError(-1130, "Data sent for parameter 'validity' is not valid.");
      }
      const tok = t.userData.createToken(k, validity);
      return { token: tok.token, expirationTime: tok.expires };
    }),
  );

  // USD-M
  app.post("/fapi/v1/order", signed("usdm", 0, (k, r) => t.futures.place(k, r.params), 1));
  app.get("/fapi/v1/order", signed("usdm", 1, (k, r) => t.futures.orderJson(t.futures.find(k, r.params))));
  app.delete("/fapi/v1/order", signed("usdm", 1, (k, r) => t.futures.cancel(k, r.params)));
  app.get(
    "/fapi/v1/openOrders",
    signed(
      "usdm",
      (p) => (p.get("symbol") ? 1 : 40),
      (k, r) => t.futures.open(k, symbolParam("usdm", r.params)).map((o) => t.futures.orderJson(o)),
    ),
  );
  app.get(
    "/fapi/v1/allOrders",
    signed("usdm", 5, (k, r) => {
      const s = symbolParam("usdm", r.params);
      if (s === undefined) throw missingParam("symbol");
      return [...t.futures.orders.values()].filter((o) => o.apiKey === k && o.symbol === s).map((o) =>
        t.futures.orderJson(o)
      );
    }),
  );
  app.get(
    "/fapi/v1/userTrades",
    signed("usdm", 5, (k, r) => {
      const s = symbolParam("usdm", r.params);
      if (s === undefined) throw missingParam("symbol");
      return (t.futures.trades as Array<Record<string, Json>>).filter((x) => x.apiKey === k && x.symbol === s)
        .map(({ apiKey: _a, ...rest }) => rest);
    }),
  );
  for (const v of ["v2", "v3"]) {
    app.get(`/fapi/${v}/balance`, signed("usdm", 5, (k) => t.futures.balances(k)));
    app.get(`/fapi/${v}/account`, signed("usdm", 5, (k) => t.futures.accountJson(k)));
  }
  app.post("/fapi/v1/listenKey", keyOnly("usdm", (k) => ({ listenKey: t.userData.createListenKey(k) })));
  app.put("/fapi/v1/listenKey", keyOnly("usdm", (k) => ({ listenKey: t.userData.keepAlive(k) })));
  app.delete(
    "/fapi/v1/listenKey",
    keyOnly("usdm", (k) => {
      t.userData.deleteListenKey(k);
      return {};
    }),
  );
}
