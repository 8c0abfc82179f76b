/**
 * The pure rules of the emulator's generated past: exact integer splits, the split of one candle
 * into finer candles (day → hours → minutes → seconds) that aggregate back to it exactly, and the
 * expansion of a one-second candle into its trades and aggregate trades.
 *
 * Prices are log-prices (floats copied, never recomputed, so a parent's open, close, high and
 * low are bit-identical to the children's); counts and volumes are integers; quote volumes are
 * `bigint`s in units of the printed precision. A split is exact by construction: the first
 * child opens at the parent's open, the last closes at its close, one child reaches the high,
 * one the low, and every additive field sums to the parent's.
 *
 * @module
 */
import type { Rng } from "./rng.ts";

/** One generated candle (a node of the day → hour → minute → second tree). */
export interface HistNode {
  readonly openTime: number;
  /** Length in ms: 86 400 000, 3 600 000, 60 000 or 1 000. */
  readonly span: number;
  /** Log-prices. */
  readonly o: number;
  readonly h: number;
  readonly l: number;
  readonly c: number;
  /** Trades, aggregate trades, volume and taker-buy volume (in steps). */
  readonly n: number;
  readonly g: number;
  readonly v: number;
  readonly tb: number;
  /** Quote volume and taker-buy quote volume in units of the printed precision. */
  readonly q: bigint;
  readonly tq: bigint;
  /** Id of the first trade and the first aggregate trade. */
  readonly firstId: number;
  readonly firstAgg: number;
}

/** The value (quote volume units) of one step traded at a log-price. */
export type StepValue = (x: number) => number;

/**
 * Splits `total` into integers with `mins[i] <= out[i] <= maxs[i]`, roughly proportional to
 * `weights` above the minimums; the result sums to `total` exactly.
 *
 * @throws {RangeError} when the bounds cannot hold the total
 */
export function splitInt(
  total: number,
  weights: readonly number[],
  mins: readonly number[],
  maxs: readonly number[],
): number[] {
  const out = mins.slice();
  let rest = total - out.reduce((a, b) => a + b, 0);
  const cap = maxs.reduce((a, b) => a + b, 0);
  if (rest < 0 || total > cap) throw new RangeError(`Invalid split: ${total} does not fit the bounds`);
  while (rest > 0) {
    let w = 0;
    for (let i = 0; i < out.length; i++) if (out[i] < maxs[i]) w += weights[i];
    let given = 0;
    for (let i = 0; i < out.length && w > 0; i++) {
      if (out[i] >= maxs[i]) continue;
      const add = Math.min(maxs[i] - out[i], Math.floor(rest * weights[i] / w));
      out[i] += add;
      given += add;
    }
    if (given === 0) {
      // the remainder is smaller than the number of open slots: one each, in order
      for (let i = 0; i < out.length && given < rest; i++) {
        if (out[i] < maxs[i]) {
          out[i]++;
          given++;
        }
      }
    }
    rest -= given;
  }
  return out;
}

/**
 * Splits a quote total among children: each starts at `base[i]`, moves towards `hi[i]` (or
 * `lo[i]`) to absorb the difference, so the implied average price stays inside the child's range
 * whenever that is possible; integer rounding is settled on the largest child.
 */
export function splitQuote(
  total: bigint,
  base: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
): bigint[] {
  const sumBase = base.reduce((a, b) => a + b, 0);
  const r = Number(total) - sumBase;
  const room = base.map((b, i) => Math.max(0, r > 0 ? hi[i] - b : b - lo[i]));
  const sumRoom = room.reduce((a, b) => a + b, 0);
  const f = sumRoom > 0 ? Math.min(1, Math.abs(r) / sumRoom) : 0;
  const left = r - Math.sign(r) * f * sumRoom;
  const t = base.map((b, i) => b + Math.sign(r) * f * room[i] + (sumBase > 0 ? left * b / sumBase : 0));
  const out = t.map((x) => BigInt(Math.max(0, Math.round(x))));
  let big = 0;
  for (let i = 1; i < t.length; i++) if (t[i] > t[big]) big = i;
  out[big] += total - out.reduce((a, b) => a + b, 0n);
  return out;
}

/** A standard normal draw (Box-Muller). */
export function gauss(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * Splits a candle into `k` consecutive children of `span` ms each. Children of one second are
 * leaves: each holds at least two trades and two aggregate trades, one taker-buy and one
 * taker-sell step, and its wicks need aggregate trades to carry them (two: none, three: one).
 */
export function splitNode(p: HistNode, k: number, span: number, rng: Rng, value: StepValue): HistNode[] {
  const leaves = span / 1000;
  const leaf = span === 1000;
  const ones = new Array<number>(k).fill(1);
  const act = ones.map(() => 0.5 + rng.next());
  const n = splitInt(p.n, act, ones.map(() => 2 * leaves), ones.map(() => Infinity));
  const g = splitInt(p.g, n, ones.map(() => 2 * leaves), n);
  const v = splitInt(p.v, n.map((x) => x * (0.7 + 0.6 * rng.next())), n, ones.map(() => Infinity));
  const tb = splitInt(
    p.tb,
    v.map((x) => x * (0.7 + 0.6 * rng.next())),
    ones.map(() => leaves),
    v.map((x) => x - leaves),
  );
  // boundary prices: the parent's open and close at the ends, its high and low at inner points
  const fixed = new Map<number, number>([[0, p.o], [k, p.c]]);
  if (p.h > Math.max(p.o, p.c)) fixed.set(rng.int(1, k - 1), p.h);
  if (p.l < Math.min(p.o, p.c)) {
    let b = rng.int(1, k - 1);
    while (fixed.has(b)) b = b % (k - 1) + 1;
    fixed.set(b, p.l);
  }
  const pts = new Array<number>(k + 1);
  const keys = [...fixed.keys()].sort((a, b) => a - b);
  const s = (p.h - p.l) / Math.sqrt(k) * 0.6;
  for (let j = 0; j < keys.length - 1; j++) {
    const a = keys[j];
    const b = keys[j + 1];
    const pa = fixed.get(a)!;
    const pb = fixed.get(b)!;
    // a Brownian bridge from pa to pb, kept inside the parent's range
    const walk = [0];
    for (let i = a + 1; i <= b; i++) walk.push(walk[walk.length - 1] + s * gauss(rng));
    pts[a] = pa;
    for (let i = a + 1; i < b; i++) {
      const f = (i - a) / (b - a);
      const x = pa + (pb - pa) * f + walk[i - a] - f * walk[b - a];
      pts[i] = Math.min(p.h, Math.max(p.l, x));
    }
    pts[b] = pb;
  }
  const out: HistNode[] = [];
  let id = p.firstId;
  let agg = p.firstAgg;
  const base: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const shapes: Array<[number, number, number, number]> = [];
  for (let i = 0; i < k; i++) {
    const o = pts[i];
    const c = pts[i + 1];
    let h = Math.max(o, c);
    let l = Math.min(o, c);
    const wicks = leaf ? g[i] - 2 : 2;
    const up = wicks >= 2 || (wicks === 1 && rng.chance(0.5));
    const down = wicks >= 2 || (wicks === 1 && !up);
    if (up) h = Math.min(p.h, h + (p.h - h) * 0.3 * rng.next() ** 2);
    if (down) l = Math.max(p.l, l - (l - p.l) * 0.3 * rng.next() ** 2);
    shapes.push([o, h, l, c]);
    const a = value(l);
    const z = value(h);
    base.push(v[i] * value((o + h + l + c) / 4));
    lo.push(v[i] * Math.min(a, z));
    hi.push(v[i] * Math.max(a, z));
  }
  const q = splitQuote(p.q, base, lo, hi);
  const tq = splitQuote(
    p.tq,
    q.map((x, i) => Number(x) * tb[i] / v[i]),
    lo.map((x, i) => x * tb[i] / v[i]),
    q.map((x, i) => Math.min(Number(x), hi[i] * tb[i] / v[i])),
  );
  for (let i = 0; i < k; i++) {
    const [o, h, l, c] = shapes[i];
    out.push({
      openTime: p.openTime + i * span,
      span,
      o,
      h,
      l,
      c,
      n: n[i],
      g: g[i],
      v: v[i],
      tb: tb[i],
      q: q[i],
      tq: tq[i],
      firstId: id,
      firstAgg: agg,
    });
    id += n[i];
    agg += g[i];
  }
  return out;
}

/** One generated trade (log-price, quantity in steps). */
export interface HistTrade {
  readonly id: number;
  readonly x: number;
  readonly qty: number;
  readonly time: number;
  readonly buyerMaker: boolean;
}

/** One generated aggregate trade. */
export interface HistAgg {
  readonly a: number;
  readonly x: number;
  readonly qty: number;
  readonly first: number;
  readonly last: number;
  readonly time: number;
  readonly buyerMaker: boolean;
}

/**
 * The trades and aggregate trades of a one-second candle: the first at its open, the last at its
 * close, its high and low in between; quantities sum to its volume and the taker-buy ones to its
 * taker-buy volume; the trades of one aggregate share its price, side and time.
 */
export function expandLeaf(leaf: HistNode, rng: Rng): { trades: HistTrade[]; aggs: HistAgg[] } {
  const { n, g, v, tb } = leaf;
  const clamp = (x: number, a: number, b: number) => Math.max(a, Math.min(b, x));
  const nb = clamp(Math.round(n * tb / v), Math.max(1, n - (v - tb)), Math.min(n - 1, tb));
  const gb = clamp(Math.round(g * nb / n), Math.max(1, g - (n - nb)), Math.min(g - 1, nb));
  // sides: gb taker-buy aggregates among g, shuffled
  const buy = Array.from({ length: g }, (_, i) => i < gb);
  for (let i = g - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [buy[i], buy[j]] = [buy[j], buy[i]];
  }
  const px = Array.from({ length: g }, () => leaf.l + (leaf.h - leaf.l) * rng.next());
  px[0] = leaf.o;
  px[g - 1] = leaf.c;
  const inner = Array.from({ length: g - 2 }, (_, i) => i + 1);
  if (leaf.h > Math.max(leaf.o, leaf.c)) px[inner.splice(rng.int(0, inner.length - 1), 1)[0]] = leaf.h;
  if (leaf.l < Math.min(leaf.o, leaf.c)) px[inner.splice(rng.int(0, inner.length - 1), 1)[0]] = leaf.l;
  const buyIdx = buy.flatMap((b, i) => (b ? [i] : []));
  const sellIdx = buy.flatMap((b, i) => (b ? [] : [i]));
  const perAgg = new Array<number>(g).fill(0);
  const share = (idx: number[], total: number) => {
    const parts = splitInt(total, idx.map(() => rng.next() + 0.2), idx.map(() => 1), idx.map(() => Infinity));
    idx.forEach((a, i) => perAgg[a] = parts[i]);
  };
  share(buyIdx, nb);
  share(sellIdx, n - nb);
  const qtyOf = (count: number, total: number) =>
    splitInt(
      total,
      Array.from({ length: count }, () => rng.next() + 0.1),
      new Array(count).fill(1),
      new Array(count).fill(Infinity),
    );
  const buyQty = qtyOf(nb, tb);
  const sellQty = qtyOf(n - nb, v - tb);
  const times = Array.from({ length: g }, () => rng.int(0, 999)).sort((a, b) => a - b);
  const trades: HistTrade[] = [];
  const aggs: HistAgg[] = [];
  let id = leaf.firstId;
  let bq = 0;
  let sq = 0;
  for (let a = 0; a < g; a++) {
    const time = leaf.openTime + times[a];
    const first = id;
    let qty = 0;
    for (let t = 0; t < perAgg[a]; t++) {
      const q = buy[a] ? buyQty[bq++] : sellQty[sq++];
      qty += q;
      trades.push({ id: id++, x: px[a], qty: q, time, buyerMaker: !buy[a] });
    }
    aggs.push({ a: leaf.firstAgg + a, x: px[a], qty, first, last: id - 1, time, buyerMaker: !buy[a] });
  }
  return { trades, aggs };
}
