/**
 * Options market data (`/eapi/v1`): ping, time, exchangeInfo, depth, trades, klines, mark
 * (implied volatility and Greeks), ticker and index, in the options wire shapes (object klines,
 * `side` 1 / -1 trades), charged to the options weight pool.
 *
 * @module
 */
import type { Hono } from "hono";
import { ApiError, badSymbol, intParam, missingParam } from "./api_error.ts";
import { INTERVALS } from "./candles.ts";
import type { Core } from "./core.ts";
import { markPrice } from "./futures_account.ts";
import type { Market } from "./market.ts";
import type { OptionChain } from "./options_chain.ts";
import { optionMark } from "./options_marks.ts";
import { fmtPrice, fmtQty, type Json, levels } from "./payloads.ts";
import { runRest } from "./rest_kit.ts";

const DEPTH_LIMITS = [10, 20, 50, 100, 500, 1000];

/** The `/eapi/v1/depth` body: `{ bids, asks, T, u }` (the update id is `u`, not `lastUpdateId`). */
export function optionsDepth(m: Market, limit: number, now: number): Json {
  return {
    bids: levels(m, m.bids.top(limit)),
    asks: levels(m, m.asks.top(limit)),
    T: now,
    u: m.lastUpdateId,
  };
}

/** Registers the options routes over the listed chain. */
export function registerOptionsRoutes(app: Hono, core: Core, chain: OptionChain): void {
  const market = (p: URLSearchParams): Market => {
    const s = p.get("symbol");
    if (s === null || s === "") throw missingParam("symbol");
    const m = core.hub.market("options", s);
    if (!m) throw badSymbol();
    return m;
  };
  const selected = (p: URLSearchParams): Market[] =>
    p.get("symbol") ? [market(p)] : core.hub.markets("options");
  const index = (underlying: string): number => {
    const u = core.hub.market("spot", underlying)!;
    return markPrice(u).toNumber();
  };

  app.get("/eapi/v1/ping", (c) => runRest(core, c, "eapi", 1, () => ({ body: {} })));
  app.get("/eapi/v1/time", (c) => runRest(core, c, "eapi", 1, (r) => ({ body: { serverTime: r.now } })));
  app.get("/eapi/v1/exchangeInfo", (c) =>
    runRest(core, c, "eapi", 1, (r) => {
      const list = [...chain.terms.values()];
      const bases = [...new Set(list.map((o) => o.baseAsset))];
      return {
        body: {
          timezone: "UTC",
          serverTime: r.now,
          optionContracts: bases.map((b) => ({
            baseAsset: b,
            quoteAsset: "USDT",
            underlying: `${b}USDT`,
            settleAsset: "USDT",
          })),
          optionAssets: [{ name: "USDT" }],
          optionSymbols: list.map((o) => {
            const s = core.hub.market("options", o.symbol)!.spec;
            return {
              expiryDate: o.expiry,
              filters: [
                {
                  filterType: "PRICE_FILTER",
                  minPrice: s.minPrice,
                  maxPrice: s.maxPrice,
                  tickSize: s.tickSize,
                },
                { filterType: "LOT_SIZE", minQty: s.minQty, maxQty: s.maxQty, stepSize: s.stepSize },
              ],
              symbol: o.symbol,
              side: o.side,
              strikePrice: o.strike.toFixed(8),
              underlying: o.underlying,
              unit: 1,
              makerFeeRate: "0.00020000",
              takerFeeRate: "0.00020000",
              minQty: s.minQty,
              maxQty: s.maxQty,
              initialMargin: "0.15000000",
              maintenanceMargin: "0.07500000",
              minInitialMargin: "0.10000000",
              minMaintenanceMargin: "0.05000000",
              priceScale: s.priceDecimals,
              quantityScale: s.qtyDecimals,
              quoteAsset: "USDT",
              status: "TRADING",
            };
          }),
          rateLimits: [
            {
              rateLimitType: "REQUEST_WEIGHT",
              interval: "MINUTE",
              intervalNum: 1,
              limit: core.weights.eapi.settings.limit,
            },
            { rateLimitType: "ORDERS", interval: "MINUTE", intervalNum: 1, limit: 1200 },
          ],
        },
      };
    }));
  app.get("/eapi/v1/depth", (c) =>
    runRest(core, c, "eapi", (p) => {
      const l = Number(p.get("limit") ?? 100) || 100;
      return l <= 50 ? 2 : l <= 100 ? 5 : l <= 500 ? 10 : 20;
    }, (r) => {
      const m = market(r.params);
      const limit = intParam(r.params, "limit") ?? 100;
      if (!DEPTH_LIMITS.includes(limit)) {
        throw new ApiError(-1130, "Data sent for parameter 'limit' is not valid.");
      }
      // options share the futures fault target: a stale snapshot is the book captured at injection
      const stale = core.faults.take("staleSnapshot", "usdm", m.spec.symbol);
      const old = (stale?.data as Map<string, Json> | undefined)?.get(`options:${m.spec.symbol}`);
      if (old && typeof old === "object" && !Array.isArray(old)) {
        const o = old as { bids: Json[]; asks: Json[] };
        return { body: { ...o, bids: o.bids.slice(0, limit), asks: o.asks.slice(0, limit) } };
      }
      return { body: optionsDepth(m, limit, r.now) };
    }));
  app.get("/eapi/v1/trades", (c) =>
    runRest(core, c, "eapi", 5, (r) => {
      const m = market(r.params);
      const limit = Math.min(intParam(r.params, "limit") ?? 100, 500);
      return {
        body: m.trades.slice(-limit).map((t) => ({
          id: t.id,
          tradeId: t.id,
          symbol: m.spec.symbol,
          price: fmtPrice(m, t.price),
          qty: fmtQty(m, t.qty),
          quoteQty: m.value(t.price, t.qty).toFixed(4),
          side: t.buyerMaker ? -1 : 1,
          time: t.time,
        })),
      };
    }));
  app.get("/eapi/v1/klines", (c) =>
    runRest(core, c, "eapi", 1, (r) => {
      const m = market(r.params);
      const iv = r.params.get("interval");
      if (!iv) throw missingParam("interval");
      if (!INTERVALS.includes(iv) || iv === "1s") throw new ApiError(-1120, "Invalid interval.");
      const limit = Math.min(intParam(r.params, "limit") ?? 500, 1500);
      const start = intParam(r.params, "startTime");
      const end = intParam(r.params, "endTime");
      let list = m.candles.list(iv, r.now, m.lastPrice).filter((k) =>
        (start === undefined || k.openTime >= start) && (end === undefined || k.openTime <= end)
      );
      list = start !== undefined ? list.slice(0, limit) : list.slice(-limit);
      return {
        body: list.map((k) => ({
          open: fmtPrice(m, k.open),
          high: fmtPrice(m, k.high),
          low: fmtPrice(m, k.low),
          close: fmtPrice(m, k.close),
          volume: fmtQty(m, k.volume),
          amount: k.quoteVolume.toFixed(4),
          interval: iv,
          tradeCount: k.trades,
          takerVolume: fmtQty(m, k.takerBase),
          takerAmount: k.takerQuote.toFixed(4),
          openTime: k.openTime,
          closeTime: k.closeTime,
        })),
      };
    }));
  app.get("/eapi/v1/mark", (c) =>
    runRest(core, c, "eapi", 5, (r) => ({
      body: selected(r.params).map((m): Json => {
        const o = chain.terms.get(m.spec.symbol)!;
        return { symbol: m.spec.symbol, ...optionMark(m, o, index(o.underlying), r.now) };
      }),
    })));
  app.get("/eapi/v1/ticker", (c) =>
    runRest(core, c, "eapi", 5, (r) => ({
      body: selected(r.params).map((m): Json => {
        const o = chain.terms.get(m.spec.symbol)!;
        const st = m.stats;
        const change = m.toPrice(m.lastPrice) - m.toPrice(st.open);
        const b = m.bids.best();
        const a = m.asks.best();
        const last = m.trades[m.trades.length - 1];
        return {
          symbol: m.spec.symbol,
          priceChange: change.toFixed(1),
          priceChangePercent: (change / m.toPrice(st.open)).toFixed(4),
          lastPrice: fmtPrice(m, m.lastPrice),
          lastQty: fmtQty(m, m.lastQty),
          open: fmtPrice(m, st.open),
          high: fmtPrice(m, st.high),
          low: fmtPrice(m, st.low),
          volume: fmtQty(m, st.volume),
          amount: st.quoteVolume.toFixed(4),
          bidPrice: b === undefined ? "0" : fmtPrice(m, b),
          askPrice: a === undefined ? "0" : fmtPrice(m, a),
          openTime: Math.max(st.openTime, r.now - 86_400_000),
          closeTime: last?.time ?? r.now,
          firstTradeId: st.firstId,
          tradeCount: st.count,
          strikePrice: o.strike.toFixed(8),
          exercisePrice: index(o.underlying).toFixed(8),
        };
      }),
    })));
  app.get("/eapi/v1/index", (c) =>
    runRest(core, c, "eapi", 1, (r) => {
      const u = r.params.get("underlying");
      if (!u) throw missingParam("underlying");
      if (![...chain.terms.values()].some((o) => o.underlying === u)) throw badSymbol();
      return { body: { time: r.now, indexPrice: index(u).toFixed(8) } };
    }));
}
