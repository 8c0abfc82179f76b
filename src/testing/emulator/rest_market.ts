/**
 * Public market-data REST endpoints for spot (`/api/v3`), USDⓈ-M (`/fapi/v1`) and COIN-M
 * (`/dapi/v1`): ping, time, exchangeInfo, depth, trades, aggTrades, klines, uiKlines (spot),
 * avgPrice (spot), ticker/price, ticker/24hr, ticker/bookTicker. COIN-M answers ticker calls with
 * arrays even for one symbol and accepts `pair`, as Binance does.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { ApiError, badSymbol, illegalChars, intParam, missingParam } from "./api_error.ts";
import { INTERVALS } from "./candles.ts";
import { type Core, faultVenue } from "./core.ts";
/** The venues served here. */
type Venue = "spot" | "usdm" | "coinm";
import { exchangeInfo } from "./exchange_info.ts";
import type { Market, TradeRecord } from "./market.ts";
import { aggWindow, klineWindow, tradeWindow } from "./past_queries.ts";
import {
  depthSnapshot,
  fmtPrice,
  fmtQty,
  type Json,
  klineRow,
  pastKlineRow,
  ticker24hr,
} from "./payloads.ts";
import { type RestResult, runRest } from "./rest_kit.ts";

const FUTURES_DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000];

/** Spot depth weight by limit (since 2023-10-19). */
export function spotDepthWeight(limit: number): number {
  return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
}

/** Futures klines weight by limit: [1,100) 1, [100,500) 2, [500,1000] 5, more 10. */
export function futuresKlinesWeight(limit: number): number {
  return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
}

/** USD-M / COIN-M depth weight by limit. */
export function futuresDepthWeight(limit: number): number {
  return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
}

/** A `limit` parameter: default `def`, values above `max` are truncated, 0 is refused (-1100). */
function limitParam(p: URLSearchParams, def: number, max: number): number {
  const v = intParam(p, "limit") ?? def;
  if (v < 1) throw illegalChars("limit", `1 to ${max}`);
  return Math.min(v, max);
}

function symbolOf(core: Core, venue: Venue, p: URLSearchParams): Market {
  const s = p.get("symbol");
  if (s === null || s === "") throw missingParam("symbol");
  const m = core.hub.market(venue, s);
  if (!m) throw badSymbol();
  return m;
}

/** Markets selected by `symbol` / `symbols` (JSON array) / COIN-M `pair`, or all of the venue. */
function selection(core: Core, venue: Venue, p: URLSearchParams): { list: Market[]; single: boolean } {
  // COIN-M tickers answer arrays even for one symbol
  if (p.get("symbol")) return { list: [symbolOf(core, venue, p)], single: venue !== "coinm" };
  const pair = p.get("pair");
  if (venue === "coinm" && pair) {
    return { list: core.hub.markets(venue).filter((m) => m.spec.pair === pair), single: false };
  }
  const raw = p.get("symbols");
  if (raw) {
    let names: unknown;
    try {
      names = JSON.parse(raw);
    } catch {
      throw new ApiError(
        -1100,
        "Illegal characters found in parameter 'symbols'; legal range is '^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$'.",
      );
    }
    if (!Array.isArray(names)) throw missingParam("symbols");
    const list = names.map((n) => {
      const m = typeof n === "string" ? core.hub.market(venue, n) : undefined;
      if (!m) throw badSymbol();
      return m;
    });
    return { list, single: false };
  }
  return { list: core.hub.markets(venue), single: false };
}

function tickerWeight(venue: Venue, p: URLSearchParams, one: number, all: number): number {
  if (p.get("symbol")) return one;
  if (venue === "coinm") return all;
  const raw = p.get("symbols");
  if (raw) {
    try {
      const n = (JSON.parse(raw) as unknown[]).length;
      return n <= 20 ? one : n <= 100 ? all / 2 : all;
    } catch {
      return one;
    }
  }
  return venue === "spot" ? all : all / 2;
}

/** A recorded snapshot: verbatim when the requested limit covers it, else truncated. */
function replayDepth(snaps: ReadonlyMap<string, string>, p: URLSearchParams, spot: boolean): RestResult {
  const s = p.get("symbol");
  if (s === null || s === "") throw missingParam("symbol");
  const raw = snaps.get(s);
  if (raw === undefined) throw badSymbol();
  const limit = Math.min(intParam(p, "limit") ?? (spot ? 100 : 500), 5000);
  const snap = JSON.parse(raw) as { bids: unknown[]; asks: unknown[] };
  if (snap.bids.length <= limit && snap.asks.length <= limit) return { body: null, raw };
  return { body: { ...snap, bids: snap.bids.slice(0, limit), asks: snap.asks.slice(0, limit) } };
}

/** Registers the market-data routes of a venue on `app`. */
export function registerMarketRoutes(app: Hono, core: Core, venue: Venue): void {
  const base = venue === "spot" ? "/api/v3" : venue === "usdm" ? "/fapi/v1" : "/dapi/v1";
  const spot = venue === "spot";
  const coinm = venue === "coinm";
  const one = (p: Market[], single: boolean, f: (m: Market) => Json): Json => single ? f(p[0]) : p.map(f);

  app.get(`${base}/ping`, (c) => runRest(core, c, venue, 1, () => ({ body: {} })));
  app.get(`${base}/time`, (c) => runRest(core, c, venue, 1, (r) => ({ body: { serverTime: r.now } })));
  app.get(`${base}/exchangeInfo`, (c) =>
    runRest(core, c, venue, spot ? 20 : 1, (r) => {
      const rec = core.replay[venue]?.recording;
      if (rec?.exchangeInfo) return { body: null, raw: rec.exchangeInfo };
      const sel = selection(core, venue, r.params);
      return { body: exchangeInfo(venue, sel.list, r.now, core.weights[venue].settings.limit) };
    }));
  app.get(`${base}/depth`, (c) =>
    runRest(core, c, venue, (p) => {
      const l = Number(p.get("limit") ?? (spot ? 100 : 500));
      return spot ? spotDepthWeight(Math.min(5000, l || 100)) : futuresDepthWeight(l || 500);
    }, (r) => {
      const rec = core.replay[venue]?.recording;
      if (rec) return replayDepth(rec.snapshots, r.params, spot);
      const m = symbolOf(core, venue, r.params);
      let limit = intParam(r.params, "limit") ?? (spot ? 100 : 500);
      if (spot) {
        if (limit < 1) {
          throw new ApiError(
            -1100,
            "Illegal characters found in parameter 'limit'; legal range is '1 to 5000'.",
          );
        }
        limit = Math.min(limit, 5000);
      } else if (!FUTURES_DEPTH_LIMITS.includes(limit)) {
        throw new ApiError(-1130, "Data sent for parameter 'limit' is not valid.");
      }
      // COIN-M shares the futures fault target
      const stale = core.faults.take("staleSnapshot", faultVenue(venue), m.spec.symbol);
      if (stale) {
        const snap = stale.data as Map<string, Json> | undefined;
        const old = snap?.get(`${venue}:${m.spec.symbol}`);
        if (old) return { body: old };
      }
      return { body: depthSnapshot(m, limit, r.now) };
    }));
  const tradeJson = (m: Market, t: TradeRecord): Json => {
    const o: Record<string, Json> = {
      id: t.id,
      price: fmtPrice(m, t.price),
      qty: fmtQty(m, t.qty),
      [coinm ? "baseQty" : "quoteQty"]: m.value(t.price, t.qty).toFixed(
        spot || coinm ? 8 : m.spec.priceDecimals,
      ),
      time: t.time,
      isBuyerMaker: t.buyerMaker,
    };
    if (spot) o.isBestMatch = true;
    return o;
  };
  app.get(`${base}/trades`, (c) =>
    runRest(core, c, venue, spot ? 25 : 5, (r) => {
      const m = symbolOf(core, venue, r.params);
      const limit = limitParam(r.params, 500, 1000);
      return { body: tradeWindow(m, limit).map((t) => tradeJson(m, t)) };
    }));
  app.get(`${base}/historicalTrades`, (c) =>
    runRest(core, c, venue, spot ? 25 : 20, (r) => {
      const m = symbolOf(core, venue, r.params);
      const limit = limitParam(r.params, 500, 1000);
      const fromId = intParam(r.params, "fromId");
      return { body: tradeWindow(m, limit, fromId).map((t) => tradeJson(m, t)) };
    }));
  app.get(`${base}/aggTrades`, (c) =>
    runRest(core, c, venue, spot ? 4 : 20, (r) => {
      const m = symbolOf(core, venue, r.params);
      const limit = limitParam(r.params, 500, 1000);
      const fromId = intParam(r.params, "fromId");
      const startTime = intParam(r.params, "startTime");
      const endTime = intParam(r.params, "endTime");
      if (startTime !== undefined && endTime !== undefined && endTime - startTime > 3_600_000) {
        throw new ApiError(-1127, "More than 1 hours between startTime and endTime.");
      }
      const list = aggWindow(m, { fromId, startTime, endTime, limit });
      return {
        body: list.map((a) => {
          const o: Record<string, Json> = {
            a: a.a,
            p: fmtPrice(m, a.price),
            q: fmtQty(m, a.qty),
            f: a.first,
            l: a.last,
            T: a.time,
            m: a.buyerMaker,
          };
          if (spot) o.M = true;
          return o;
        }),
      };
    }));
  const klines = (c: Context) =>
    runRest(
      core,
      c,
      venue,
      (p) => (spot ? 2 : futuresKlinesWeight(Number(p.get("limit") ?? 500) || 500)),
      (r) => {
        const m = symbolOf(core, venue, r.params);
        const iv = r.params.get("interval");
        if (!iv) throw missingParam("interval");
        if (!INTERVALS.includes(iv) || (!spot && iv === "1s")) throw new ApiError(-1120, "Invalid interval.");
        const limit = limitParam(r.params, 500, spot ? 1000 : 1500);
        const startTime = intParam(r.params, "startTime");
        const endTime = intParam(r.params, "endTime");
        const list = klineWindow(m, { interval: iv, startTime, endTime, limit, now: r.now });
        const qd = m.history?.quoteDecimals ?? 8;
        return {
          body: list.map((
            k,
          ) => ("live" in k ? klineRow(m, k.live) : pastKlineRow(m, k.past, k.closeTime, qd))),
        };
      },
    );
  app.get(`${base}/klines`, klines);
  // uiKlines: the same candles "modified for presentation"; the emulator has nothing to modify
  if (spot) app.get(`${base}/uiKlines`, klines);
  if (spot) {
    app.get(`${base}/avgPrice`, (c) =>
      runRest(core, c, venue, 2, (r) => {
        const m = symbolOf(core, venue, r.params);
        const since = r.now - 5 * 60_000;
        let q = 0;
        let v = 0;
        for (const t of m.trades) {
          if (t.time < since) continue;
          v += m.toQty(t.qty);
          q += m.toQty(t.qty) * m.toPrice(t.price);
        }
        const last = m.trades[m.trades.length - 1];
        return {
          body: {
            mins: 5,
            price: v > 0 ? (q / v).toFixed(8) : fmtPrice(m, m.lastPrice),
            closeTime: last?.time ?? r.now,
          },
        };
      }));
  }
  app.get(
    `${base}/ticker/price`,
    (c) =>
      runRest(core, c, venue, (p) => tickerWeight(venue, p, spot ? 2 : 1, 4), (r) => {
        const sel = selection(core, venue, r.params);
        return {
          body: one(sel.list, sel.single, (m) =>
            spot
              ? { symbol: m.spec.symbol, price: fmtPrice(m, m.lastPrice) }
              : coinm
              ? { symbol: m.spec.symbol, ps: m.spec.pair, price: fmtPrice(m, m.lastPrice), time: r.now }
              : { symbol: m.spec.symbol, price: fmtPrice(m, m.lastPrice), time: r.now } as Json),
        };
      }),
  );
  app.get(
    `${base}/ticker/24hr`,
    (c) =>
      runRest(core, c, venue, (p) => tickerWeight(venue, p, spot ? 2 : 1, spot ? 80 : 40), (r) => {
        const sel = selection(core, venue, r.params);
        return { body: one(sel.list, sel.single, (m) => ticker24hr(m, r.now)) };
      }),
  );
  app.get(
    `${base}/ticker/bookTicker`,
    (c) =>
      runRest(core, c, venue, (p) => tickerWeight(venue, p, spot ? 2 : 2, spot ? 4 : 5), (r) => {
        const sel = selection(core, venue, r.params);
        return {
          body: one(sel.list, sel.single, (m) => {
            const b = m.bids.top(1)[0] ?? [0, 0];
            const a = m.asks.top(1)[0] ?? [0, 0];
            const o: Record<string, Json> = {
              symbol: m.spec.symbol,
              ...(coinm ? { pair: m.spec.pair } : {}),
              bidPrice: fmtPrice(m, b[0]),
              bidQty: fmtQty(m, b[1]),
              askPrice: fmtPrice(m, a[0]),
              askQty: fmtQty(m, a[1]),
            };
            if (!spot) o.time = r.now;
            if (venue === "usdm") o.lastUpdateId = m.lastUpdateId;
            return o;
          }),
        };
      }),
  );
}
