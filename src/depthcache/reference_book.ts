/**
 * The plain TypeScript reference order book: the specification the WASM core is tested against
 * (differential tests) and the fallback where WASM is unavailable.
 *
 * Written for obviousness, not speed: each side is a best-first JavaScript array (bids descending,
 * asks ascending; the opposite orientation of the WASM core, so both cannot share a layout bug),
 * updated with binary search and `splice`.
 *
 * @example A spot book
 * ```ts
 * import { ReferenceBook } from "./reference_book.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const book = new ReferenceBook({ family: "spot", priceScale: 2, depth: 10 });
 * book.loadSnapshot({ lastUpdateId: 10, bids: [["99999.99", "1"]], asks: [["100000.00", "2"]] });
 * assertEquals(book.applyDiff({ U: 11, u: 12, b: [["100000.00", "0.5"]], a: [] }), "applied");
 * assertEquals(book.isCrossed(), true);
 * assertEquals(book.read("bids"), [[100000, 0.5], [99999.99, 1]]);
 * ```
 *
 * @module
 */
import type {
  BookOptions,
  BookSide,
  BookState,
  DepthDiff,
  DepthSnapshot,
  DiffVerdict,
  OrderBook,
  PriceLevel,
  ReadOptions,
  SideView,
  SyncFamily,
} from "./book_types.ts";
import {
  checkDepth,
  checkUpdateId,
  diffIds,
  parseQuantity,
  readLimit,
  readThreshold,
  resolveBookOptions,
  sequenceVerdict,
} from "./_book_common.ts";
import { parseTicks, scaleDivisor } from "./ticks.ts";

/** One side, best level first. */
class RefSide {
  readonly ticks: number[] = [];
  readonly qtys: number[] = [];
  /** true: bids (higher is better). */
  readonly #descending: boolean;

  constructor(descending: boolean) {
    this.#descending = descending;
  }

  /** `a` is strictly better than `b`. */
  #better(a: number, b: number): boolean {
    return this.#descending ? a > b : a < b;
  }

  /** First index whose price is not better than `tick`. */
  #search(tick: number): number {
    let lo = 0;
    let hi = this.ticks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#better(this.ticks[mid], tick)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  set(tick: number, qty: number, capacity: number): void {
    const i = this.#search(tick);
    const found = i < this.ticks.length && this.ticks[i] === tick;
    if (qty > 0) {
      if (found) {
        this.qtys[i] = qty;
        return;
      }
      this.ticks.splice(i, 0, tick);
      this.qtys.splice(i, 0, qty);
      if (this.ticks.length > capacity) {
        // full: the worst level goes (the new one itself when it is the worst)
        this.ticks.pop();
        this.qtys.pop();
      }
    } else if (found) {
      this.ticks.splice(i, 1);
      this.qtys.splice(i, 1);
    }
  }

  truncate(depth: number): void {
    if (this.ticks.length > depth) {
      this.ticks.length = depth;
      this.qtys.length = depth;
    }
  }

  clear(): void {
    this.ticks.length = 0;
    this.qtys.length = 0;
  }
}

/** A plain TypeScript order book with the same behaviour as the WASM book. */
export class ReferenceBook implements OrderBook {
  /** Sequence-rule family. */
  readonly family: SyncFamily;
  /** Price decimals. */
  readonly priceScale: number;
  /** Hard limit of levels per side. */
  readonly capacity: number;
  readonly #divisor: number;
  readonly #bids = new RefSide(true);
  readonly #asks = new RefSide(false);
  #depth: number;
  #lastUpdateId = -1;
  #state: BookState = "empty";

  /**
   * Creates an empty book.
   *
   * @param options Family, price scale, depth and capacity (`batchCapacity` is ignored).
   * @throws {RangeError} When an option is out of range.
   */
  constructor(options: BookOptions) {
    const o = resolveBookOptions(options);
    this.family = o.family;
    this.priceScale = o.priceScale;
    this.capacity = o.capacity;
    this.#depth = o.depth;
    this.#divisor = scaleDivisor(o.priceScale);
  }

  /** Levels kept per side after each update. */
  get depth(): number {
    return this.#depth;
  }

  /** Update id of the last applied snapshot or diff, -1 when empty. */
  get lastUpdateId(): number {
    return this.#lastUpdateId;
  }

  /** Synchronisation state. */
  get state(): BookState {
    return this.#state;
  }

  #side(side: BookSide): RefSide {
    return side === "asks" ? this.#asks : this.#bids;
  }

  #parse(levels: readonly PriceLevel[]): [number, number][] {
    return levels.map(([price, qty]) => [parseTicks(price, this.priceScale), parseQuantity(qty)]);
  }

  #apply(levels: readonly PriceLevel[], side: RefSide): void {
    for (const [tick, qty] of this.#parse(levels)) side.set(tick, qty, this.capacity);
  }

  #prune(): void {
    this.#bids.truncate(this.#depth);
    this.#asks.truncate(this.#depth);
  }

  /**
   * Replaces the book with a snapshot.
   *
   * @param snapshot `lastUpdateId`, `bids`, `asks` as Binance sends them.
   * @throws {RangeError} On a bad update id, price or quantity (the book is then empty).
   * @throws {SyntaxError} On a malformed price (the book is then empty).
   */
  loadSnapshot(snapshot: DepthSnapshot): void {
    const id = checkUpdateId("lastUpdateId", snapshot.lastUpdateId);
    this.clear();
    try {
      this.#apply(snapshot.bids, this.#bids);
      this.#apply(snapshot.asks, this.#asks);
    } catch (error) {
      this.clear();
      throw error;
    }
    this.#prune();
    this.#lastUpdateId = id;
    this.#state = "snapshot";
  }

  /**
   * Validates a diff against the sequence rules and applies it when they allow.
   *
   * @param diff A `depthUpdate` event (`U`, `u`, `pu` for futures, `b`, `a`).
   * @returns The verdict; nothing is applied unless it is `"applied"`.
   * @throws {RangeError} On bad ids, prices or quantities (after a bad level the book is empty).
   * @throws {SyntaxError} On a malformed price (the book is then empty).
   */
  applyDiff(diff: DepthDiff): DiffVerdict {
    const [first, last, prev] = diffIds(diff, this.family);
    let bids: [number, number][];
    let asks: [number, number][];
    try {
      bids = this.#parse(diff.b);
      asks = this.#parse(diff.a);
    } catch (error) {
      this.clear(); // same contract as the WASM book: a malformed diff empties the book
      throw error;
    }
    if (this.#state === "empty") return "gap";
    const verdict = sequenceVerdict(
      this.family,
      this.#state === "synced",
      this.#lastUpdateId,
      first,
      last,
      prev,
    );
    if (verdict !== "applied") return verdict;
    for (const [tick, qty] of bids) this.#bids.set(tick, qty, this.capacity);
    for (const [tick, qty] of asks) this.#asks.set(tick, qty, this.capacity);
    this.#prune();
    this.#lastUpdateId = last;
    this.#state = "synced";
    return "applied";
  }

  /**
   * Changes the depth kept per side and prunes now.
   *
   * @param depth 1..capacity.
   * @throws {RangeError} When out of range.
   */
  setDepth(depth: number): void {
    this.#depth = checkDepth(depth, this.capacity);
    this.#prune();
  }

  /** Empties the book. */
  clear(): void {
    this.#bids.clear();
    this.#asks.clear();
    this.#lastUpdateId = -1;
    this.#state = "empty";
  }

  /**
   * Number of levels on a side.
   *
   * @param side `"bids"` or `"asks"`.
   * @returns The count.
   */
  length(side: BookSide): number {
    return this.#side(side).ticks.length;
  }

  /**
   * Best price of a side in ticks.
   *
   * @param side `"bids"` or `"asks"`.
   * @returns The tick, -1 when the side is empty.
   */
  bestTick(side: BookSide): number {
    const s = this.#side(side);
    return s.ticks.length > 0 ? s.ticks[0] : -1;
  }

  /**
   * Whether best bid >= best ask.
   *
   * @returns True for a crossed book.
   */
  isCrossed(): boolean {
    return this.#bids.ticks.length > 0 && this.#asks.ticks.length > 0 &&
      this.#bids.ticks[0] >= this.#asks.ticks[0];
  }

  /**
   * Number of best levels a read returns.
   *
   * @param side `"bids"` or `"asks"`.
   * @param options `limit` and/or `thresholdVolume`.
   * @returns The count.
   * @throws {RangeError} On invalid options.
   */
  count(side: BookSide, options?: ReadOptions): number {
    const s = this.#side(side);
    const limit = readLimit(options, s.ticks.length);
    const threshold = readThreshold(options);
    if (threshold === undefined) return limit;
    let total = 0;
    let n = 0;
    while (n < limit) {
      const notional = (s.ticks[n] / this.#divisor) * s.qtys[n];
      // the first level is always included; the level that would cross the threshold is not
      if (n > 0 && total + notional > threshold) break;
      total += notional;
      n++;
    }
    return n;
  }

  /**
   * A side's levels, worst to best (a copy: the reference book has no linear memory).
   *
   * @param side `"bids"` or `"asks"`.
   * @returns The view.
   */
  view(side: BookSide): SideView {
    const s = this.#side(side);
    const n = s.ticks.length;
    const ticks = new Float64Array(n);
    const quantities = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ticks[n - 1 - i] = s.ticks[i];
      quantities[n - 1 - i] = s.qtys[i];
    }
    return { ticks, quantities, length: n };
  }

  /**
   * Best-first `[price, quantity]` pairs.
   *
   * @param side `"bids"` or `"asks"`.
   * @param options `limit` and/or `thresholdVolume`.
   * @returns The levels.
   * @throws {RangeError} On invalid options.
   */
  read(side: BookSide, options?: ReadOptions): [number, number][] {
    const s = this.#side(side);
    const n = this.count(side, options);
    const out: [number, number][] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = [s.ticks[i] / this.#divisor, s.qtys[i]];
    return out;
  }
}
