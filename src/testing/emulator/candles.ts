/**
 * Kline (candle) bookkeeping for the simulator: current candles per interval and a bounded
 * history of closed candles.
 *
 * @module
 */

/** Kline intervals Binance serves (spot; futures serve the same minus `1s`). */
export const INTERVALS: readonly string[] = [
  "1s",
  "1m",
  "3m",
  "5m",
  "15m",
  "30m",
  "1h",
  "2h",
  "4h",
  "6h",
  "8h",
  "12h",
  "1d",
  "3d",
  "1w",
  "1M",
];

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Start of the interval containing `time` (UTC; weeks start on Monday as on Binance). */
export function intervalStart(interval: string, time: number): number {
  if (interval === "1M") {
    const d = new Date(time);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  const len = intervalMs(interval);
  // 1970-01-01 was a Thursday; Binance weeks open on Monday 00:00 UTC
  const offset = interval.endsWith("w") ? 4 * 86_400_000 : 0;
  return Math.floor((time - offset) / len) * len + offset;
}

/** Length of an interval in ms (`1M` uses the real month length at `time`). */
export function intervalMs(interval: string, time = 0): number {
  if (interval === "1M") {
    const d = new Date(intervalStart("1M", time));
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - d.getTime();
  }
  const n = Number(interval.slice(0, -1));
  return n * UNIT_MS[interval.slice(-1)];
}

/** One candle; prices in ticks-units, volumes in step-units, quote volumes as floats. */
export interface Candle {
  openTime: number;
  closeTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
  trades: number;
  takerBase: number;
  takerQuote: number;
  firstId: number;
  lastId: number;
}

const HISTORY = 1000;

/** Candles of every interval for one symbol. */
export class CandleBook {
  readonly #current: Map<string, Candle> = new Map();
  readonly #history: Map<string, Candle[]> = new Map();
  readonly #prefix: ((iv: string) => Candle | null) | undefined;

  /**
   * Creates the book. `prefix` gives, per interval, the part of the candle open at the start
   * that lies before it (the generated past); live trades continue that candle.
   */
  constructor(prefix?: (iv: string) => Candle | null) {
    this.#prefix = prefix;
  }

  /** Adds a trade to every interval's current candle. `quote` is price × qty as a float. */
  addTrade(
    time: number,
    price: number,
    qty: number,
    quote: number,
    takerBuy: boolean,
    tradeId: number,
  ): void {
    for (const iv of INTERVALS) {
      const c = this.#roll(iv, time, price);
      if (c.trades === 0) {
        c.open = c.high = c.low = price;
        c.firstId = tradeId;
      }
      c.high = Math.max(c.high, price);
      c.low = Math.min(c.low, price);
      c.close = price;
      c.volume += qty;
      c.quoteVolume += quote;
      c.trades++;
      c.lastId = tradeId;
      if (takerBuy) {
        c.takerBase += qty;
        c.takerQuote += quote;
      }
    }
  }

  #roll(iv: string, time: number, lastPrice: number): Candle {
    let c = this.#current.get(iv);
    const start = intervalStart(iv, time);
    if (c && c.openTime === start) return c;
    if (!c && this.#prefix) {
      const p = this.#prefix(iv);
      if (p && p.openTime === start) {
        this.#current.set(iv, p);
        return p;
      }
      // the start candle closed before anything asked for it
      if (p) c = p;
    }
    if (c) {
      let h = this.#history.get(iv);
      if (!h) this.#history.set(iv, h = []);
      h.push(c);
      if (h.length > HISTORY) h.shift();
      lastPrice = c.close;
    }
    c = {
      openTime: start,
      closeTime: start + intervalMs(iv, time) - 1,
      open: lastPrice,
      high: lastPrice,
      low: lastPrice,
      close: lastPrice,
      volume: 0,
      quoteVolume: 0,
      trades: 0,
      takerBase: 0,
      takerQuote: 0,
      firstId: -1,
      lastId: -1,
    };
    this.#current.set(iv, c);
    return c;
  }

  /** The current (open) candle of an interval at `time`, created empty when no trade happened yet. */
  current(iv: string, time: number, lastPrice: number): Candle {
    return this.#roll(iv, time, lastPrice);
  }

  /** Closed candles plus the current one, oldest first. */
  list(iv: string, time: number, lastPrice: number): Candle[] {
    const cur = this.#roll(iv, time, lastPrice);
    return [...(this.#history.get(iv) ?? []), cur];
  }
}
