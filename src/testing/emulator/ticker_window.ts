/**
 * The rolling 24 h statistics of a market (tickers, mini tickers, `ticker/24hr`): the generated
 * past inside the window plus everything traded live since the start.
 *
 * @module
 */
import type { Market } from "./market.ts";

const DAY = 86_400_000;

/** Statistics over the last 24 h (prices in price-units, volumes in qty-units). */
export interface WindowStats {
  readonly openTime: number;
  readonly open: number;
  /** Price of the last trade before the window (spot `prevClosePrice`). */
  readonly prevClose: number;
  readonly high: number;
  readonly low: number;
  readonly volume: number;
  readonly quoteVolume: number;
  readonly count: number;
  /** First and last trade id in the window (-1 when none). */
  readonly firstId: number;
  readonly lastId: number;
}

const cache = new WeakMap<Market, { key: number; stats: Omit<WindowStats, "openTime"> | null }>();

/** The past part of the window ending at `now` (one per second, memoised). */
function pastPart(m: Market, now: number): Omit<WindowStats, "openTime"> | null {
  const h = m.history;
  const from = Math.ceil((now - DAY) / 1000) * 1000;
  if (!h || from >= h.end) return null;
  const hit = cache.get(m);
  if (hit && hit.key === from) return hit.stats;
  const k = h.candle(from, h.end);
  const before = from - 1000 >= h.start ? h.node(1000, from - 1000).c : undefined;
  const stats = k && {
    open: k.open,
    prevClose: before === undefined ? k.open : h.price(before),
    high: k.high,
    low: k.low,
    volume: k.volume,
    quoteVolume: Number(k.quote) / 10 ** h.quoteDecimals,
    count: k.trades,
    firstId: k.firstId,
    lastId: k.lastId,
  };
  cache.set(m, { key: from, stats });
  return stats;
}

/** The statistics of the 24 h ending at `now`. */
export function windowStats(m: Market, now: number): WindowStats {
  const s = m.stats;
  const live = s.count > 0;
  const lastLive = live ? m.trades[m.trades.length - 1].id : -1;
  const p = pastPart(m, now);
  if (!p) {
    return {
      openTime: Math.max(s.openTime, now - DAY),
      open: s.open,
      prevClose: s.open,
      high: s.high,
      low: s.low,
      volume: s.volume,
      quoteVolume: s.quoteVolume,
      count: s.count,
      firstId: live ? s.firstId : -1,
      lastId: lastLive,
    };
  }
  return {
    openTime: now - DAY,
    open: p.open,
    prevClose: p.prevClose,
    high: live ? Math.max(p.high, s.high) : p.high,
    low: live ? Math.min(p.low, s.low) : p.low,
    volume: p.volume + s.volume,
    quoteVolume: p.quoteVolume + s.quoteVolume,
    count: p.count + s.count,
    firstId: p.firstId,
    lastId: live ? lastLive : p.lastId,
  };
}
