/**
 * One side of an order book: integer price ticks → integer quantity steps, kept sorted so the
 * top N levels and the best price are cheap to read.
 *
 * @module
 */

/** A sorted book side. `bids` read from the highest tick, `asks` from the lowest. */
export class BookSide {
  readonly isBid: boolean;
  /** Ascending ticks. */
  #ticks: number[] = [];
  #qty: Map<number, number> = new Map();

  /** Creates an empty side. */
  constructor(isBid: boolean) {
    this.isBid = isBid;
  }

  /** Number of levels. */
  get size(): number {
    return this.#ticks.length;
  }

  /** Quantity at a tick (0 when absent). */
  get(tick: number): number {
    return this.#qty.get(tick) ?? 0;
  }

  #index(tick: number): number {
    let lo = 0;
    let hi = this.#ticks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#ticks[mid] < tick) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Sets the absolute quantity of a level; 0 removes it. */
  set(tick: number, qty: number): void {
    if (qty <= 0) {
      if (!this.#qty.has(tick)) return;
      this.#qty.delete(tick);
      this.#ticks.splice(this.#index(tick), 1);
      return;
    }
    if (!this.#qty.has(tick)) this.#ticks.splice(this.#index(tick), 0, tick);
    this.#qty.set(tick, qty);
  }

  /** Best tick (highest bid / lowest ask) or undefined when empty. */
  best(): number | undefined {
    if (this.#ticks.length === 0) return undefined;
    return this.isBid ? this.#ticks[this.#ticks.length - 1] : this.#ticks[0];
  }

  /** Worst tick (deepest level) or undefined when empty. */
  worst(): number | undefined {
    if (this.#ticks.length === 0) return undefined;
    return this.isBid ? this.#ticks[0] : this.#ticks[this.#ticks.length - 1];
  }

  /** The tick `n` levels away from the top (0 = best), or undefined. */
  at(n: number): number | undefined {
    if (n < 0 || n >= this.#ticks.length) return undefined;
    return this.isBid ? this.#ticks[this.#ticks.length - 1 - n] : this.#ticks[n];
  }

  /** Top `limit` levels, best first, as [tick, qty] pairs. */
  top(limit: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const n = Math.min(limit, this.#ticks.length);
    for (let i = 0; i < n; i++) {
      const t = this.isBid ? this.#ticks[this.#ticks.length - 1 - i] : this.#ticks[i];
      out.push([t, this.#qty.get(t)!]);
    }
    return out;
  }

  /** Copies the side into a new instance. */
  clone(): BookSide {
    const c = new BookSide(this.isBid);
    c.#ticks = this.#ticks.slice();
    c.#qty = new Map(this.#qty);
    return c;
  }
}
