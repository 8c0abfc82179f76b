/**
 * The generated past of one simulated market: a seeded price path from 2020-01-01 (the listing)
 * up to the second the emulator started, ending at the start price, computed lazily per query.
 *
 * Days are drawn in sequence (a mean-reverting log-price walk with volumes and trade counts);
 * each day splits on demand into hours, minutes and seconds (see `history_split.ts`), so every
 * kline interval is the exact aggregate of finer ones and the trades of a second are the trades
 * of its candle. Trade and aggregate-trade ids count from 1 at the listing and continue into
 * the live simulator (its first trade id is the last generated id + 1). Everything is a function
 * of (seed, venue, symbol, time); the start price scales the path.
 *
 * @module
 */
import {
  expandLeaf,
  gauss,
  type HistAgg,
  type HistNode,
  type HistTrade,
  splitNode,
} from "./history_split.ts";
import { mixSeed, Rng } from "./rng.ts";
import type { SymbolSpec } from "./symbols.ts";

export type { HistAgg, HistNode, HistTrade } from "./history_split.ts";

const DAY = 86_400_000;
const LISTING = Date.UTC(2020, 0, 1);
const SPANS = [DAY, 3_600_000, 60_000, 1000];
const MEMO = 2000;

/** An aggregated generated candle (prices in price-units, volumes in qty-units). */
export interface HistCandle {
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly quote: bigint;
  readonly trades: number;
  readonly takerBase: number;
  readonly takerQuote: bigint;
  readonly firstId: number;
  readonly lastId: number;
}

/** The generated past of one market. */
export class MarketHistory {
  /** First ms of the history (the listing) and the first ms that is live (the start second). */
  readonly start: number;
  readonly end: number;
  /** Decimals of the printed quote volume. */
  readonly quoteDecimals: number;
  readonly #spec: SymbolSpec;
  readonly #seed: number;
  readonly #days: HistNode[] = [];
  readonly #memo: Map<number, HistNode[]> = new Map();
  #x0 = 0;
  #stepReal: number;

  /**
   * Draws the days up to the start and anchors the path at the start price.
   *
   * @param lot the simulator's typical order size in qty-units (sets trade sizes)
   */
  constructor(spec: SymbolSpec, seed: number, time: number, lot: number) {
    this.#spec = spec;
    this.#seed = mixSeed(seed, `history:${spec.market}:${spec.symbol}`);
    this.end = Math.floor(time / 1000) * 1000;
    const today = Math.floor(this.end / DAY) * DAY;
    // a clock before 2021 (tests pinning signature vectors) still gets 400 days of past
    this.start = Math.min(LISTING, today - 400 * DAY);
    this.quoteDecimals = spec.market === "usdm" ? Math.max(2, spec.priceDecimals) : 8;
    this.#stepReal = spec.stepUnits / 10 ** spec.qtyDecimals;
    const rng = new Rng(this.#seed);
    const lotSteps = Math.max(1, Math.round(lot / spec.stepUnits));
    const sigma = 0.025;
    let x = 0;
    let id = 1;
    let agg = 1;
    const raw: Array<Omit<HistNode, "q" | "tq">> = [];
    for (let t = this.start; t <= today; t += DAY) {
      const z = gauss(rng);
      const c = x * (1 - 0.002) + sigma * z;
      const h = Math.max(x, c) + sigma * 0.6 * rng.next();
      const l = Math.min(x, c) - sigma * 0.6 * rng.next();
      const n = Math.round(900_000 * (0.6 + 0.8 * rng.next()) * (1 + 0.3 * Math.abs(z)));
      // every second holds at least two trades and two aggregate trades (history_split.ts)
      const g = Math.max(2 * 86_400, Math.round(n * (0.3 + 0.2 * rng.next())));
      const v = Math.round(n * lotSteps * (2 + 4 * rng.next()));
      const tb = Math.round(v * (0.45 + 0.1 * rng.next()));
      raw.push({ openTime: t, span: DAY, o: x, h, l, c, n, g, v, tb, firstId: id, firstAgg: agg });
      id += n;
      agg += g;
      x = c;
    }
    // anchor: the close of the last generated second is the start price
    this.#days = raw.map((d) => ({ ...d, q: 0n, tq: 0n }));
    this.#x0 = this.#leafShape(this.end - 1000).c;
    this.#memo.clear();
    this.#days = raw.map((d) => {
      const q = BigInt(Math.round(d.v * this.#value((d.o + d.h + d.l + d.c) / 4)));
      return { ...d, q, tq: q * BigInt(d.tb) / BigInt(d.v) };
    });
  }

  /** The value of one step at log-price `x`, in printed quote units. */
  #value = (x: number): number => {
    const s = this.#spec;
    const price = s.initialPrice * Math.exp(x - this.#x0) / 10 ** s.priceDecimals;
    const v = s.contractSize > 0 ? this.#stepReal * s.contractSize / price : this.#stepReal * price;
    return v * 10 ** this.quoteDecimals;
  };

  #leafShape(t: number): HistNode {
    return this.node(1000, t);
  }

  /** Id of the first live trade / aggregate trade (the last generated id + 1). */
  get nextTradeId(): number {
    return this.node(1000, this.end).firstId;
  }

  /** See {@linkcode nextTradeId}. */
  get nextAggId(): number {
    return this.node(1000, this.end).firstAgg;
  }

  /** A log-price in price-units, on the tick grid and at least one tick. */
  price(x: number): number {
    const s = this.#spec;
    const ticks = Math.round(s.initialPrice * Math.exp(x - this.#x0) / s.tickUnits);
    return Math.max(1, ticks) * s.tickUnits;
  }

  /** Steps in qty-units. */
  qty(steps: number): number {
    return steps * this.#spec.stepUnits;
  }

  #children(p: HistNode): HistNode[] {
    // open times are whole seconds: adding the level keeps the key unique
    const level = p.span === DAY ? 1 : p.span === 3_600_000 ? 2 : 3;
    let kids = this.#memo.get(p.openTime + level);
    if (kids) return kids;
    if (this.#memo.size >= MEMO) this.#memo.clear();
    const span = SPANS[level];
    const rng = new Rng(mixSeed(this.#seed, `${p.span}:${p.openTime}`));
    kids = splitNode(p, p.span / span, span, rng, this.#value);
    this.#memo.set(p.openTime + level, kids);
    return kids;
  }

  /** The generated candle of `span` ms (a day, hour, minute or second) opening at `t`. */
  node(span: number, t: number): HistNode {
    let n = this.#days[Math.floor((t - this.start) / DAY)];
    if (!n) throw new RangeError(`Invalid time: ${t} is outside the generated past`);
    while (n.span > span) {
      const kids = this.#children(n);
      n = kids[Math.floor((t - n.openTime) / kids[0].span)];
    }
    return n;
  }

  /** The largest aligned candles that cover `[a, b)` (whole seconds inside the past). */
  cover(a: number, b: number): HistNode[] {
    const out: HistNode[] = [];
    let t = Math.max(a, this.start);
    const end = Math.min(b, this.end);
    while (t < end) {
      const span = SPANS.find((s) => t % s === 0 && t + s <= end) ?? 1000;
      out.push(this.node(span, t));
      t += span;
    }
    return out;
  }

  /** The aggregate of the generated past in `[a, b)`, or null when it holds none. */
  candle(a: number, b: number): HistCandle | null {
    const nodes = this.cover(a, b);
    if (nodes.length === 0) return null;
    let h = -Infinity;
    let l = Infinity;
    let v = 0;
    let n = 0;
    let tb = 0;
    let q = 0n;
    let tq = 0n;
    for (const x of nodes) {
      if (x.h > h) h = x.h;
      if (x.l < l) l = x.l;
      v += x.v;
      n += x.n;
      tb += x.tb;
      q += x.q;
      tq += x.tq;
    }
    const last = nodes[nodes.length - 1];
    return {
      openTime: a,
      open: this.price(nodes[0].o),
      high: this.price(h),
      low: this.price(l),
      close: this.price(last.c),
      volume: this.qty(v),
      quote: q,
      trades: n,
      takerBase: this.qty(tb),
      takerQuote: tq,
      firstId: nodes[0].firstId,
      lastId: last.firstId + last.n - 1,
    };
  }

  /** The trades and aggregate trades of the second opening at `t`. */
  second(t: number): { trades: HistTrade[]; aggs: HistAgg[] } {
    const leaf = this.node(1000, t);
    return expandLeaf(leaf, new Rng(mixSeed(this.#seed, `trades:${t}`)));
  }

  /** Opening time of the second holding the trade (`agg` false) or aggregate trade `id`. */
  secondOf(id: number, agg: boolean): number | undefined {
    const first = (x: HistNode) => (agg ? x.firstAgg : x.firstId);
    let list = this.#days;
    let pick: HistNode | undefined;
    while (true) {
      let lo = 0;
      let hi = list.length - 1;
      if (hi < 0 || id < first(list[0])) return undefined;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (first(list[mid]) <= id) lo = mid;
        else hi = mid - 1;
      }
      pick = list[lo];
      if (pick.span === 1000) break;
      list = this.#children(pick);
    }
    return pick.openTime < this.end ? pick.openTime : undefined;
  }
}
