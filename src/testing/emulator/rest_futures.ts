/**
 * Futures REST routes shared by USDⓈ-M (`/fapi`) and COIN-M (`/dapi`), each with its own
 * engine, weight pool and weights: signed order entry and queries, balance, account,
 * positionRisk, leverage, marginType, position mode, income, listenKey; and the public
 * premiumIndex, fundingRate and openInterest.
 *
 * @module
 */
import type { Hono } from "hono";
import { badSymbol, intParam, missingParam } from "./api_error.ts";
import type { Core, Trading } from "./core.ts";
import { markPrice } from "./futures_account.ts";
import type { FuturesEngine } from "./futures_engine.ts";
import {
  accountJson,
  balancesJson,
  changeLeverage,
  changeMarginType,
  changePositionMode,
  incomeJson,
  positionMode,
  positionRiskJson,
} from "./futures_views.ts";
import type { Market } from "./market.ts";
import { fmtQty, type Json } from "./payloads.ts";
import { runRest } from "./rest_kit.ts";
import { signedKit } from "./signed_kit.ts";

type FuturesVenue = "usdm" | "coinm";

/** Registers the futures routes of both venues. */
export function registerFuturesRoutes(app: Hono, core: Core, t: Trading): void {
  for (const venue of ["usdm", "coinm"] as const) registerVenue(app, core, t, venue);
}

function registerVenue(app: Hono, core: Core, t: Trading, venue: FuturesVenue): void {
  const { signed, keyOnly } = signedKit(core, t);
  const e: FuturesEngine = venue === "usdm" ? t.futures : t.coinm;
  const usdm = venue === "usdm";
  const v1 = usdm ? "/fapi/v1" : "/dapi/v1";
  const symbolParam = (p: URLSearchParams): string | undefined => {
    const s = p.get("symbol");
    if (s === null) return undefined;
    if (!e.market(s)) throw badSymbol();
    return s;
  };
  const needSymbol = (p: URLSearchParams): string => {
    const s = symbolParam(p);
    if (s === undefined) throw missingParam("symbol");
    return s;
  };
  const pairOf = (s: string): string => e.market(s)!.spec.pair;

  app.post(`${v1}/order`, signed(venue, 0, (k, r) => e.place(k, r.params), 1));
  app.get(`${v1}/order`, signed(venue, 1, (k, r) => e.orderJson(e.find(k, r.params))));
  const algo = e.algo;
  if (algo) {
    // USD-M conditional orders: the Algo Service endpoints
    app.post("/fapi/v1/algoOrder", signed(venue, 0, (k, r) => algo.place(k, r.params), 1));
    app.get("/fapi/v1/algoOrder", signed(venue, 1, (k, r) => algo.json(algo.find(k, r.params))));
    app.delete("/fapi/v1/algoOrder", signed(venue, 1, (k, r) => algo.cancel(k, r.params)));
    app.delete(
      "/fapi/v1/algoOpenOrders",
      signed(venue, 1, (k, r) => algo.cancelAll(k, needSymbol(r.params))),
    );
    app.get(
      "/fapi/v1/openAlgoOrders",
      signed(
        venue,
        (p) => (p.get("symbol") ? 1 : 40),
        (k, r) => algo.open(k, symbolParam(r.params)).map((a) => algo.json(a)),
      ),
    );
    app.get(
      "/fapi/v1/allAlgoOrders",
      signed(venue, 5, (k, r) => {
        const s = needSymbol(r.params);
        const start = intParam(r.params, "startTime");
        const end = intParam(r.params, "endTime");
        const limit = Math.min(intParam(r.params, "limit") ?? 500, 1000);
        return [...algo.orders.values()].filter((a) =>
          a.apiKey === k && a.symbol === s && (start === undefined || a.createTime >= start) &&
          (end === undefined || a.createTime <= end)
        ).slice(-limit).map((a) => algo.json(a));
      }),
    );
  }
  app.delete(`${v1}/order`, signed(venue, 1, (k, r) => e.cancel(k, r.params)));
  app.get(
    `${v1}/openOrders`,
    signed(venue, (p) => (p.get("symbol") ? 1 : 40), (k, r) => {
      const s = symbolParam(r.params);
      const pair = usdm ? null : r.params.get("pair");
      return e.open(k, s).filter((o) => pair === null || pairOf(o.symbol) === pair).map((o) =>
        e.orderJson(o)
      );
    }),
  );
  app.get(
    `${v1}/allOrders`,
    signed(venue, (p) => (usdm ? 5 : p.get("symbol") ? 20 : 40), (k, r) => {
      const s = usdm ? needSymbol(r.params) : symbolParam(r.params);
      const pair = usdm ? null : r.params.get("pair");
      if (s === undefined && pair === null) throw missingParam("symbol");
      const from = intParam(r.params, "orderId") ?? 0;
      const start = intParam(r.params, "startTime");
      const end = intParam(r.params, "endTime");
      const limit = Math.min(intParam(r.params, "limit") ?? 500, 1000);
      return [...e.orders.values()].filter((o) =>
        o.apiKey === k && (s === undefined || o.symbol === s) &&
        (pair === null || pairOf(o.symbol) === pair) &&
        o.orderId >= from && (start === undefined || o.time >= start) && (end === undefined || o.time <= end)
      ).slice(0, limit).map((o) => e.orderJson(o));
    }),
  );
  app.get(
    `${v1}/userTrades`,
    signed(venue, usdm ? 5 : 20, (k, r) => {
      const s = usdm ? needSymbol(r.params) : symbolParam(r.params);
      const pair = usdm ? null : r.params.get("pair");
      if (s === undefined && pair === null) throw missingParam("symbol");
      const limit = Math.min(intParam(r.params, "limit") ?? 500, 1000);
      return (e.trades as Array<Record<string, Json>>).filter((x) =>
        x.apiKey === k && (s === undefined || x.symbol === s) &&
        (pair === null || pairOf(x.symbol as string) === pair)
      ).slice(-limit).map(({ apiKey: _a, ...rest }) => rest);
    }),
  );
  const balance = signed(venue, usdm ? 5 : 1, (k, r) => balancesJson(e, k, r.now));
  const account = signed(venue, 5, (k, r) => accountJson(e, k, r.now));
  const risk = signed(venue, usdm ? 5 : 1, (k, r) => positionRiskJson(e, k, r.params));
  if (usdm) {
    for (const v of ["v2", "v3"]) {
      app.get(`/fapi/${v}/balance`, balance);
      app.get(`/fapi/${v}/account`, account);
      app.get(`/fapi/${v}/positionRisk`, risk);
    }
  } else {
    app.get("/dapi/v1/balance", balance);
    app.get("/dapi/v1/account", account);
    app.get("/dapi/v1/positionRisk", risk);
  }
  // the emulator charges no commission
  app.get(
    `${v1}/commissionRate`,
    signed(venue, 20, (_k, r) => ({
      symbol: needSymbol(r.params),
      makerCommissionRate: "0",
      takerCommissionRate: "0",
    })),
  );
  app.post(`${v1}/leverage`, signed(venue, 1, (k, r) => changeLeverage(e, k, r.params)));
  app.post(`${v1}/marginType`, signed(venue, 1, (k, r) => changeMarginType(e, k, r.params)));
  app.post(`${v1}/positionSide/dual`, signed(venue, 1, (k, r) => changePositionMode(e, k, r.params)));
  app.get(`${v1}/positionSide/dual`, signed(venue, 30, (k) => positionMode(e, k)));
  app.get(`${v1}/income`, signed(venue, usdm ? 30 : 20, (k, r) => incomeJson(e, k, r.params)));
  const ud = t.userData;
  app.post(`${v1}/listenKey`, keyOnly(venue, (k) => ({ listenKey: ud.createListenKey(k, venue) })));
  app.put(`${v1}/listenKey`, keyOnly(venue, (k) => ({ listenKey: ud.keepAlive(k, venue) })));
  app.delete(
    `${v1}/listenKey`,
    keyOnly(venue, (k) => {
      ud.deleteListenKey(k, venue);
      return {};
    }),
  );

  // public futures market data
  const marketOf = (p: URLSearchParams): Market => {
    const s = p.get("symbol");
    if (s === null || s === "") throw missingParam("symbol");
    const m = e.market(s);
    if (!m) throw badSymbol();
    return m;
  };
  const selected = (p: URLSearchParams): Market[] => {
    if (p.get("symbol")) return [marketOf(p)];
    const pair = usdm ? null : p.get("pair");
    return core.hub.markets(venue).filter((m) => pair === null || m.spec.pair === pair);
  };
  app.get(
    `${v1}/premiumIndex`,
    (c) =>
      runRest(core, c, venue, (p) => (usdm ? (p.get("symbol") ? 1 : 10) : 10), (r) => {
        const list = selected(r.params).map((m): Json => {
          const f = t.funding;
          return {
            symbol: m.spec.symbol,
            ...(usdm ? {} : { pair: m.spec.pair }),
            markPrice: markPrice(m).toFixed(8),
            indexPrice: f.indexPrice(m).toFixed(8),
            estimatedSettlePrice: f.indexPrice(m).toFixed(8),
            lastFundingRate: f.rate(m).toFixed(8),
            interestRate: "0.00010000",
            nextFundingTime: f.nextFundingTime(r.now),
            time: r.now,
          };
        });
        // USD-M answers an object for one symbol, COIN-M always an array
        return { body: usdm && r.params.get("symbol") ? list[0] : list };
      }),
  );
  app.get(`${v1}/fundingRate`, (c) =>
    runRest(core, c, venue, 1, (r) => {
      const limit = Math.min(intParam(r.params, "limit") ?? 100, 1000);
      const start = intParam(r.params, "startTime");
      const end = intParam(r.params, "endTime");
      const ms = usdm && !r.params.get("symbol") ? core.hub.markets(venue) : [marketOf(r.params)];
      const rows = ms.flatMap((m) => t.funding.history(m)).filter((h) =>
        (start === undefined || h.fundingTime >= start) && (end === undefined || h.fundingTime <= end)
      ).sort((a, b) => a.fundingTime - b.fundingTime);
      return { body: (start !== undefined ? rows.slice(0, limit) : rows.slice(-limit)) as unknown as Json };
    }));
  app.get(`${v1}/openInterest`, (c) =>
    runRest(core, c, venue, 1, (r) => {
      const m = marketOf(r.params);
      // open interest: the long side of every account's positions plus what the simulated
      // takers traded since start (they are taken to keep their positions open)
      let units = m.stats.volume;
      for (const key of t.keys.keys()) {
        for (const p of e.account(key).positions.values()) {
          if (p.symbol === m.spec.symbol && p.amt.isPositive()) {
            units += p.amt.times(10 ** m.spec.qtyDecimals).toNumber();
          }
        }
      }
      const body: Record<string, Json> = {
        openInterest: fmtQty(m, units),
        symbol: m.spec.symbol,
        time: r.now,
      };
      if (!usdm) Object.assign(body, { pair: m.spec.pair, contractType: "PERPETUAL" });
      return { body };
    }));
}
