/**
 * Queries that join the generated past and the live simulator of one market: klines by
 * interval and time window, recent and historical trades, aggregate trades. Pure: no I/O.
 *
 * @module
 */
import { type Candle, intervalMs, intervalStart } from "./candles.ts";
import type { HistCandle } from "./history.ts";
import type { AggTradeRecord, Market, TradeRecord } from "./market.ts";

/** A kline row source: a live candle or a generated one. */
export type AnyCandle = { readonly live: Candle } | { readonly past: HistCandle; readonly closeTime: number };

/** Window of a klines request (Binance semantics). */
export interface KlineQuery {
  readonly interval: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit: number;
  readonly now: number;
}

const next = (iv: string, t: number): number => t + intervalMs(iv, t);
const prev = (iv: string, t: number): number => intervalStart(iv, t - 1);

function past(m: Market, iv: string, t: number): AnyCandle | null {
  const h = m.history!;
  const close = next(iv, t);
  const k = h.candle(t, close);
  return k && { past: k, closeTime: close - 1 };
}

/**
 * Klines in ascending order: with `startTime` the first `limit` candles opening at or after it
 * (and not after `endTime`), otherwise the last `limit` opening at or before `endTime` (or now);
 * the open candle is last.
 */
export function klineWindow(m: Market, q: KlineQuery): AnyCandle[] {
  const iv = q.interval;
  const live = m.candles.list(iv, q.now, m.lastPrice);
  const h = m.history;
  // the live book holds the candle open at the start and everything after it
  const boundary = live[0].openTime;
  const first = h ? intervalStart(iv, h.start) : boundary;
  const end = q.endTime ?? Infinity;
  const out: AnyCandle[] = [];
  if (q.startTime !== undefined) {
    let t = intervalStart(iv, Math.max(q.startTime, first));
    if (t < q.startTime) t = next(iv, t);
    for (; h && t < boundary && t <= end && out.length < q.limit; t = next(iv, t)) {
      const c = past(m, iv, t);
      if (c) out.push(c);
    }
    for (const c of live) {
      if (out.length >= q.limit) break;
      if (c.openTime >= q.startTime && c.openTime <= end) out.push({ live: c });
    }
    return out;
  }
  const tail = live.filter((c) => c.openTime <= end).slice(-q.limit).map((c) => ({ live: c }));
  const head: AnyCandle[] = [];
  let t = intervalStart(iv, Math.min(end, boundary - 1));
  for (; h && t >= first && head.length + tail.length < q.limit; t = prev(iv, t)) {
    const c = past(m, iv, t);
    if (c) head.push(c);
  }
  return [...head.reverse(), ...tail];
}

function pastTrades(m: Market, t: number): TradeRecord[] {
  const h = m.history!;
  return h.second(t).trades.map((x) => ({
    id: x.id,
    price: h.price(x.x),
    qty: h.qty(x.qty),
    time: x.time,
    buyerMaker: x.buyerMaker,
  }));
}

function pastAggs(m: Market, t: number): AggTradeRecord[] {
  const h = m.history!;
  return h.second(t).aggs.map((x) => ({
    a: x.a,
    price: h.price(x.x),
    qty: h.qty(x.qty),
    first: x.first,
    last: x.last,
    time: x.time,
    buyerMaker: x.buyerMaker,
  }));
}

/** Whether the live buffer still starts right after the generated past (nothing dropped). */
function liveIsWhole<T>(m: Market, list: readonly T[], id: (x: T) => number, agg: boolean): boolean {
  const h = m.history;
  if (!h) return false;
  if (list.length === 0) return true;
  return id(list[0]) === (agg ? h.nextAggId : h.nextTradeId);
}

/** Generic: the last `limit` records, the past filling in before the live buffer. */
function recent<T>(
  m: Market,
  live: readonly T[],
  limit: number,
  id: (x: T) => number,
  agg: boolean,
  load: (t: number) => T[],
): T[] {
  const out = live.slice(-limit);
  const h = m.history;
  if (out.length >= limit || !h || !liveIsWhole(m, live, id, agg)) return out;
  const before: T[][] = [];
  let n = out.length;
  for (let t = h.end - 1000; t >= h.start && n < limit; t -= 1000) {
    const s = load(t);
    before.push(s);
    n += s.length;
  }
  return [...before.reverse().flat(), ...out].slice(-limit);
}

/** Generic: records with id >= `fromId` (and inside the time window), at most `limit`. */
function forward<T>(
  m: Market,
  live: readonly T[],
  o: { fromId?: number; startTime?: number; endTime?: number; limit: number },
  id: (x: T) => number,
  time: (x: T) => number,
  agg: boolean,
  load: (t: number) => T[],
): T[] {
  const h = m.history;
  const end = o.endTime ?? Infinity;
  const keep = (x: T) =>
    (o.fromId === undefined || id(x) >= o.fromId) && (o.startTime === undefined || time(x) >= o.startTime) &&
    time(x) <= end;
  const out: T[] = [];
  let t: number | undefined;
  // ids count from 1 at the listing
  if (h && o.fromId !== undefined) t = h.secondOf(Math.max(1, o.fromId), agg);
  else if (h && o.startTime !== undefined && o.startTime < h.end) {
    t = Math.max(h.start, Math.floor(o.startTime / 1000) * 1000);
  }
  // the past is served even when the live buffer has dropped its oldest records
  if (h && t !== undefined) {
    for (; t < h.end && t <= end && out.length < o.limit; t += 1000) {
      for (const x of load(t)) if (keep(x) && out.length < o.limit) out.push(x);
    }
  }
  for (const x of live) {
    if (out.length >= o.limit) break;
    if (keep(x)) out.push(x);
  }
  return out;
}

/** `trades` / `historicalTrades`: the most recent, or from `fromId` on. */
export function tradeWindow(m: Market, limit: number, fromId?: number): TradeRecord[] {
  const id = (x: TradeRecord) => x.id;
  if (fromId === undefined) return recent(m, m.trades, limit, id, false, (t) => pastTrades(m, t));
  return forward(m, m.trades, { fromId, limit }, id, (x) => x.time, false, (t) => pastTrades(m, t));
}

/** `aggTrades`: from `fromId`, from `startTime`, the last before `endTime`, or the most recent. */
export function aggWindow(
  m: Market,
  o: { fromId?: number; startTime?: number; endTime?: number; limit: number },
): AggTradeRecord[] {
  const id = (x: AggTradeRecord) => x.a;
  const time = (x: AggTradeRecord) => x.time;
  const load = (t: number) => pastAggs(m, t);
  if (o.fromId !== undefined || o.startTime !== undefined) {
    return forward(m, m.aggTrades, o, id, time, true, load);
  }
  if (o.endTime === undefined) return recent(m, m.aggTrades, o.limit, id, true, load);
  // only endTime: the last `limit` at or before it
  const end = o.endTime;
  const live = m.aggTrades.filter((x) => x.time <= end);
  const h = m.history;
  if (!h || live.length >= o.limit || !liveIsWhole(m, m.aggTrades, id, true)) return live.slice(-o.limit);
  const before: AggTradeRecord[][] = [];
  let n = live.length;
  for (
    let t = Math.min(h.end - 1000, Math.floor(end / 1000) * 1000);
    t >= h.start && n < o.limit;
    t -= 1000
  ) {
    const s = load(t).filter((x) => x.time <= end);
    before.push(s);
    n += s.length;
  }
  return [...before.reverse().flat(), ...live].slice(-o.limit);
}
