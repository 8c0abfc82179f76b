/**
 * Wire payloads of market streams and market-data REST responses, field for field as Binance
 * sends them (spot and USDⓈ-M differ in field sets and number formatting).
 *
 * @module
 */
import type { Candle } from "./candles.ts";
import type { HistCandle } from "./history.ts";
import type { AggTradeRecord, Market, TradeRecord } from "./market.ts";
import { type WindowStats, windowStats } from "./ticker_window.ts";
import { formatUnits } from "./units.ts";

/** JSON-compatible value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Formats a price given in price-units. */
export function fmtPrice(m: Market, units: number): string {
  return formatUnits(units, m.spec.priceDecimals, m.spec.priceWidth);
}

/** Formats a quantity given in qty-units. */
export function fmtQty(m: Market, units: number): string {
  return formatUnits(units, m.spec.qtyDecimals, m.spec.qtyWidth);
}

/** Formats a float quote amount (volumes, notional). */
export function fmtQuote(m: Market, v: number): string {
  // spot and COIN-M (base-asset values) print 8 decimals
  return v.toFixed(m.spec.market === "usdm" ? Math.max(2, m.spec.priceDecimals) : 8);
}

/** Price levels as `[price, qty]` string pairs. */
export function levels(m: Market, pairs: ReadonlyArray<readonly [number, number]>): string[][] {
  return pairs.map(([p, q]) => [fmtPrice(m, p), fmtQty(m, q)]);
}

/** `<s>@trade` payload. */
export function tradeEvent(m: Market, t: TradeRecord, E: number): Json {
  if (m.spec.market === "spot") {
    return {
      e: "trade",
      E,
      s: m.spec.symbol,
      t: t.id,
      p: fmtPrice(m, t.price),
      q: fmtQty(m, t.qty),
      T: t.time,
      m: t.buyerMaker,
      M: true,
    };
  }
  return {
    e: "trade",
    E,
    T: t.time,
    s: m.spec.symbol,
    t: t.id,
    p: fmtPrice(m, t.price),
    q: fmtQty(m, t.qty),
    X: "MARKET",
    m: t.buyerMaker,
  };
}

/** `<s>@aggTrade` payload (futures: no `M`, `a` before `s`). */
export function aggTradeEvent(m: Market, a: AggTradeRecord, E: number): Json {
  if (m.spec.market === "spot") {
    return {
      e: "aggTrade",
      E,
      s: m.spec.symbol,
      a: a.a,
      p: fmtPrice(m, a.price),
      q: fmtQty(m, a.qty),
      f: a.first,
      l: a.last,
      T: a.time,
      m: a.buyerMaker,
      M: true,
    };
  }
  return {
    e: "aggTrade",
    E,
    a: a.a,
    s: m.spec.symbol,
    p: fmtPrice(m, a.price),
    q: fmtQty(m, a.qty),
    f: a.first,
    l: a.last,
    T: a.time,
    m: a.buyerMaker,
  };
}

/** `<s>@bookTicker` payload (spot: no `e`/`E`). */
export function bookTickerEvent(m: Market, E: number): Json {
  const b = m.bids.top(1)[0] ?? [0, 0];
  const a = m.asks.top(1)[0] ?? [0, 0];
  const core = {
    u: m.lastUpdateId,
    s: m.spec.symbol,
    b: fmtPrice(m, b[0]),
    B: fmtQty(m, b[1]),
    a: fmtPrice(m, a[0]),
    A: fmtQty(m, a[1]),
  };
  if (m.spec.market === "spot") return core;
  return { e: "bookTicker", ...core, T: E, E };
}

/** The `k` object of a kline event. */
export function klineObject(m: Market, c: Candle, interval: string, time: number): Json {
  return {
    t: c.openTime,
    T: c.closeTime,
    s: m.spec.symbol,
    i: interval,
    f: c.firstId,
    L: c.lastId,
    o: fmtPrice(m, c.open),
    c: fmtPrice(m, c.close),
    h: fmtPrice(m, c.high),
    l: fmtPrice(m, c.low),
    v: fmtQty(m, c.volume),
    n: c.trades,
    x: time > c.closeTime,
    q: fmtQuote(m, c.quoteVolume),
    V: fmtQty(m, c.takerBase),
    Q: fmtQuote(m, c.takerQuote),
    B: "0",
  };
}

/** `<s>@kline_<interval>` payload. */
export function klineEvent(m: Market, interval: string, E: number): Json {
  const c = m.candles.current(interval, E, m.lastPrice);
  return { e: "kline", E, s: m.spec.symbol, k: klineObject(m, c, interval, E) };
}

/** REST kline row. */
export function klineRow(m: Market, c: Candle): Json {
  return [
    c.openTime,
    fmtPrice(m, c.open),
    fmtPrice(m, c.high),
    fmtPrice(m, c.low),
    fmtPrice(m, c.close),
    fmtQty(m, c.volume),
    c.closeTime,
    fmtQuote(m, c.quoteVolume),
    c.trades,
    fmtQty(m, c.takerBase),
    fmtQuote(m, c.takerQuote),
    "0",
  ];
}

/** Formats a `bigint` count of 10^-decimals units. */
export function fmtBig(units: bigint, decimals: number): string {
  const neg = units < 0n;
  const d = (neg ? -units : units).toString().padStart(decimals + 1, "0");
  const int = d.slice(0, d.length - decimals);
  return (neg ? "-" : "") + int + (decimals > 0 ? "." + d.slice(d.length - decimals) : "");
}

/** REST kline row of a generated candle. */
export function pastKlineRow(m: Market, k: HistCandle, closeTime: number, quoteDecimals: number): Json {
  return [
    k.openTime,
    fmtPrice(m, k.open),
    fmtPrice(m, k.high),
    fmtPrice(m, k.low),
    fmtPrice(m, k.close),
    fmtQty(m, k.volume),
    closeTime,
    fmtBig(k.quote, quoteDecimals),
    k.trades,
    fmtQty(m, k.takerBase),
    fmtBig(k.takerQuote, quoteDecimals),
    "0",
  ];
}

/** `<s>@miniTicker` payload. */
export function miniTickerEvent(m: Market, E: number): Json {
  const s = windowStats(m, E);
  return {
    e: "24hrMiniTicker",
    E,
    s: m.spec.symbol,
    c: fmtPrice(m, m.lastPrice),
    o: fmtPrice(m, s.open),
    h: fmtPrice(m, s.high),
    l: fmtPrice(m, s.low),
    v: fmtQty(m, s.volume),
    q: fmtQuote(m, s.quoteVolume),
  };
}

function pct(m: Market, s: WindowStats): string {
  return ((m.lastPrice - s.open) / s.open * 100).toFixed(3);
}

function weighted(m: Market, s: WindowStats): string {
  const v = m.toQty(s.volume);
  if (v <= 0 || s.quoteVolume <= 0) return fmtPrice(m, m.lastPrice);
  // COIN-M: contracts × contract size ÷ base value is the volume-weighted (harmonic) price
  const avg = m.spec.contractSize > 0 ? v * m.spec.contractSize / s.quoteVolume : s.quoteVolume / v;
  return avg.toFixed(m.spec.market === "spot" ? 8 : m.spec.priceDecimals);
}

/** `<s>@ticker` payload (futures lacks `x` and the best bid/ask fields). */
export function tickerEvent(m: Market, E: number): Json {
  const s = windowStats(m, E);
  const b = m.bids.top(1)[0] ?? [0, 0];
  const a = m.asks.top(1)[0] ?? [0, 0];
  const change = fmtPrice(m, m.lastPrice - s.open);
  if (m.spec.market === "spot") {
    return {
      e: "24hrTicker",
      E,
      s: m.spec.symbol,
      p: change,
      P: pct(m, s),
      w: weighted(m, s),
      x: fmtPrice(m, s.prevClose),
      c: fmtPrice(m, m.lastPrice),
      Q: fmtQty(m, m.lastQty),
      b: fmtPrice(m, b[0]),
      B: fmtQty(m, b[1]),
      a: fmtPrice(m, a[0]),
      A: fmtQty(m, a[1]),
      o: fmtPrice(m, s.open),
      h: fmtPrice(m, s.high),
      l: fmtPrice(m, s.low),
      v: fmtQty(m, s.volume),
      q: fmtQuote(m, s.quoteVolume),
      O: s.openTime,
      C: E,
      F: s.firstId,
      L: s.lastId,
      n: s.count,
    };
  }
  return {
    e: "24hrTicker",
    E,
    s: m.spec.symbol,
    p: change,
    P: pct(m, s),
    w: weighted(m, s),
    c: fmtPrice(m, m.lastPrice),
    Q: fmtQty(m, m.lastQty),
    o: fmtPrice(m, s.open),
    h: fmtPrice(m, s.high),
    l: fmtPrice(m, s.low),
    v: fmtQty(m, s.volume),
    q: fmtQuote(m, s.quoteVolume),
    O: s.openTime,
    C: E,
    F: s.firstId,
    L: s.lastId,
    n: s.count,
  };
}

/** REST `ticker/24hr` object. */
export function ticker24hr(m: Market, now: number): Json {
  const t = tickerEvent(m, now) as Record<string, Json>;
  const coinm = m.spec.market === "coinm";
  const out: Record<string, Json> = {
    symbol: m.spec.symbol,
    ...(coinm ? { pair: m.spec.pair } : {}),
    priceChange: t.p,
    priceChangePercent: t.P,
    weightedAvgPrice: t.w,
  };
  if (m.spec.market === "spot") out.prevClosePrice = t.x;
  out.lastPrice = t.c;
  out.lastQty = t.Q;
  if (m.spec.market === "spot") {
    Object.assign(out, { bidPrice: t.b, bidQty: t.B, askPrice: t.a, askQty: t.A });
  }
  Object.assign(out, {
    openPrice: t.o,
    highPrice: t.h,
    lowPrice: t.l,
    volume: t.v,
    // COIN-M reports the traded value in the base asset
    [coinm ? "baseVolume" : "quoteVolume"]: t.q,
    openTime: t.O,
    closeTime: t.C,
    firstId: t.F,
    lastId: t.L,
    count: t.n,
  });
  return out;
}

/** Partial book `<s>@depth<N>` payload (spot: lastUpdateId/bids/asks; futures: depthUpdate shape). */
export function partialDepthEvent(m: Market, n: number, E: number, U: number, pu: number): Json {
  const bids = levels(m, m.bids.top(n));
  const asks = levels(m, m.asks.top(n));
  if (m.spec.market === "spot") return { lastUpdateId: m.lastUpdateId, bids, asks };
  if (m.spec.market === "coinm") {
    return {
      e: "depthUpdate",
      E,
      T: E,
      s: m.spec.symbol,
      ps: m.spec.pair,
      U,
      u: m.lastUpdateId,
      pu,
      b: bids,
      a: asks,
    };
  }
  return { e: "depthUpdate", E, T: E, s: m.spec.symbol, U, u: m.lastUpdateId, pu, b: bids, a: asks };
}

/** REST depth snapshot. */
export function depthSnapshot(m: Market, limit: number, now: number): Json {
  const bids = levels(m, m.bids.top(limit));
  const asks = levels(m, m.asks.top(limit));
  if (m.spec.market === "spot") return { lastUpdateId: m.lastUpdateId, bids, asks };
  if (m.spec.market === "coinm") {
    return {
      lastUpdateId: m.lastUpdateId,
      symbol: m.spec.symbol,
      pair: m.spec.pair,
      E: now,
      T: now,
      bids,
      asks,
    };
  }
  return { lastUpdateId: m.lastUpdateId, E: now, T: now, bids, asks };
}
