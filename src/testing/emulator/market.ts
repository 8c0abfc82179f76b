/**
 * The seeded market simulator of one symbol: a book of thousands of levels per side around a
 * random-walking mid price, takers that trade against the top of the book, and level changes.
 * Every mutation is collected and committed as one update with Binance-style update ids
 * (spot: contiguous `U..u`; USDⓈ-M: shared-sequence gaps with `pu`). Pure: no timers, no I/O.
 *
 * @module
 */
import { BookSide } from "./book_side.ts";
import { type Candle, CandleBook, intervalMs as intervalMsAt, intervalStart } from "./candles.ts";
import { MarketHistory } from "./history.ts";
import { mixSeed, Rng } from "./rng.ts";
import type { SymbolSpec } from "./symbols.ts";

/** One executed trade (prices in price-units, quantities in qty-units). */
export interface TradeRecord {
  readonly id: number;
  readonly price: number;
  readonly qty: number;
  readonly time: number;
  readonly buyerMaker: boolean;
}

/** One aggregate trade (one taker at one price). */
export interface AggTradeRecord {
  readonly a: number;
  readonly price: number;
  readonly qty: number;
  readonly first: number;
  readonly last: number;
  readonly time: number;
  readonly buyerMaker: boolean;
}

/** One committed book update: the changes since the previous commit and the trades in it. */
export interface Commit {
  readonly time: number;
  /** First / final update id; `pu` is the previous commit's final id. */
  readonly U: number;
  readonly u: number;
  readonly pu: number;
  readonly bids: ReadonlyArray<readonly [number, number]>;
  readonly asks: ReadonlyArray<readonly [number, number]>;
  readonly trades: readonly TradeRecord[];
  readonly aggTrades: readonly AggTradeRecord[];
}

/** A fill produced by {@linkcode Market.take}. */
export interface TakeFill {
  readonly price: number;
  readonly qty: number;
  readonly tradeId: number;
}

const HISTORY = 1000;

/** Simulator state of one symbol. */
export class Market {
  readonly spec: SymbolSpec;
  readonly bids: BookSide = new BookSide(true);
  readonly asks: BookSide = new BookSide(false);
  readonly candles: CandleBook;
  readonly trades: TradeRecord[] = [];
  readonly aggTrades: AggTradeRecord[] = [];
  lastUpdateId: number;
  lastPrice: number;
  lastQty = 0;
  #nextTradeId: number;
  #nextAggId: number;
  /** The generated past: built on first use (undefined: not yet; null: none, as for options). */
  #history: MarketHistory | null | undefined;
  readonly #start: readonly [seed: number, time: number];
  /** Rolling statistics since the emulator started. */
  readonly stats: {
    openTime: number;
    open: number;
    high: number;
    low: number;
    volume: number;
    quoteVolume: number;
    count: number;
    firstId: number;
  };
  readonly #rng: Rng;
  #mid: number;
  /** The initial mid: the random walk is pulled back towards it (firehose runs take millions of steps). */
  #startMid: number;
  readonly #lot: number;
  #pendBids: Map<number, number> = new Map();
  #pendAsks: Map<number, number> = new Map();
  #pendTrades: TradeRecord[] = [];
  #pendAgg: AggTradeRecord[] = [];
  readonly #listeners: Array<(c: Commit) => void> = [];
  /**
   * Set by `emu.drive`: called at the start of every step, returns the price (price-units) to move
   * to in this step, or undefined to hold. While set, the random walk and the random takers pause.
   */
  driver: (() => number | undefined) | undefined;
  /** Mark price (price-units) set by `emu.drive`; undefined: the middle of the book. */
  markOverride: number | undefined;

  /** Builds the initial book deterministically from `seed`. */
  constructor(spec: SymbolSpec, seed: number, time: number) {
    this.spec = spec;
    this.#rng = new Rng(mixSeed(seed, `${spec.market}:${spec.symbol}`));
    const t = spec.tickUnits;
    this.#mid = spec.initialPrice;
    this.#startMid = spec.initialPrice;
    const notionalPerStep = (spec.initialPrice / 10 ** spec.priceDecimals) *
      (spec.stepUnits / 10 ** spec.qtyDecimals);
    this.#lot = spec.stepUnits * Math.max(1, Math.ceil(spec.minNotionalValue * 4 / notionalPerStep));
    let bid = this.#mid;
    let ask = this.#mid + t;
    for (let i = 0; i < spec.levels; i++) {
      if (bid > 0) this.bids.set(bid, this.#randQty(i)); // a cheap market has fewer bid levels
      this.asks.set(ask, this.#randQty(i));
      bid -= t * (this.#rng.chance(0.25) ? 2 : 1);
      ask += t * (this.#rng.chance(0.25) ? 2 : 1);
    }
    this.lastUpdateId = spec.market === "spot"
      ? 1_000_000_000 + this.#rng.int(0, 1e8)
      : 600_000_000_000 + this.#rng.int(0, 1e9);
    this.#nextTradeId = 100_000_000 + this.#rng.int(0, 1e7);
    this.#nextAggId = 50_000_000 + this.#rng.int(0, 1e7);
    this.#start = [seed, time];
    if (spec.market === "options") this.#history = null;
    this.candles = new CandleBook(spec.market === "options" ? undefined : (iv) => this.#startCandle(iv));
    this.lastPrice = this.#mid;
    this.stats = {
      openTime: time,
      open: this.#mid,
      high: this.#mid,
      low: this.#mid,
      volume: 0,
      quoteVolume: 0,
      count: 0,
      firstId: -1,
    };
  }

  /**
   * The generated past (spot and futures markets; null for options). Built on first use, so
   * starting an emulator stays fast; live trade ids continue its ids.
   */
  get history(): MarketHistory | null {
    if (this.#history === undefined) {
      const h = new MarketHistory(this.spec, this.#start[0], this.#start[1], this.#lot);
      this.#history = h;
      this.#nextTradeId = h.nextTradeId;
      this.#nextAggId = h.nextAggId;
      // the last generated trade is the last trade until the simulator trades
      if (this.lastQty === 0) this.lastQty = h.qty(h.second(h.end - 1000).trades.at(-1)!.qty);
    }
    return this.#history;
  }

  /** Id of the next trade (the first live one continues the generated past). */
  get nextTradeId(): number {
    void this.history;
    return this.#nextTradeId;
  }

  /** Id of the next aggregate trade. */
  get nextAggId(): number {
    void this.history;
    return this.#nextAggId;
  }

  /** The generated part of the candle of `iv` that was open when the emulator started. */
  #startCandle(iv: string): Candle | null {
    const h = this.history!;
    const openTime = intervalStart(iv, h.end);
    const k = h.candle(openTime, h.end);
    if (!k) return null;
    return {
      openTime,
      closeTime: openTime + intervalMsAt(iv, openTime) - 1,
      open: k.open,
      high: k.high,
      low: k.low,
      close: k.close,
      volume: k.volume,
      quoteVolume: Number(k.quote) / 10 ** h.quoteDecimals,
      trades: k.trades,
      takerBase: k.takerBase,
      takerQuote: Number(k.takerQuote) / 10 ** h.quoteDecimals,
      firstId: k.firstId,
      lastId: k.lastId,
    };
  }

  /** Registers a listener called with every commit (steps and user-driven trades). */
  onCommit(fn: (c: Commit) => void): void {
    this.#listeners.push(fn);
  }

  #randQty(depth: number): number {
    const mult = this.#rng.int(1, depth < 10 ? 60 : 600);
    return this.#lot * mult;
  }

  #set(book: BookSide, tick: number, qty: number): void {
    if (tick <= 0) return;
    book.set(tick, qty);
    (book.isBid ? this.#pendBids : this.#pendAsks).set(tick, qty > 0 ? qty : 0);
  }

  /** Price in decimal units of the quote asset (float, for notional arithmetic). */
  toPrice(units: number): number {
    return units / 10 ** this.spec.priceDecimals;
  }

  /** Quantity in base-asset units (float). */
  toQty(units: number): number {
    return units / 10 ** this.spec.qtyDecimals;
  }

  /**
   * The traded value of `qty` at `price` (float): quote asset for spot and USD-M, base asset for
   * COIN-M (contracts × contract size ÷ price), which is what Binance reports as `baseVolume`.
   */
  value(price: number, qty: number): number {
    const c = this.spec.contractSize;
    return c > 0 ? this.toQty(qty) * c / this.toPrice(price) : this.toPrice(price) * this.toQty(qty);
  }

  #recordTrade(time: number, price: number, qty: number, buyerMaker: boolean): TradeRecord {
    const id = this.nextTradeId;
    this.#nextTradeId = id + 1;
    const tr: TradeRecord = { id, price, qty, time, buyerMaker };
    this.#pendTrades.push(tr);
    this.trades.push(tr);
    if (this.trades.length > HISTORY) this.trades.shift();
    const quote = this.value(price, qty);
    this.candles.addTrade(time, price, qty, quote, !buyerMaker, tr.id);
    const s = this.stats;
    if (s.firstId < 0) s.firstId = tr.id;
    s.high = Math.max(s.high, price);
    s.low = Math.min(s.low, price);
    s.volume += qty;
    s.quoteVolume += quote;
    s.count++;
    this.lastPrice = price;
    this.lastQty = qty;
    return tr;
  }

  #recordAgg(
    time: number,
    price: number,
    qty: number,
    first: number,
    last: number,
    buyerMaker: boolean,
  ): void {
    const id = this.nextAggId;
    this.#nextAggId = id + 1;
    const a: AggTradeRecord = { a: id, price, qty, first, last, time, buyerMaker };
    this.#pendAgg.push(a);
    this.aggTrades.push(a);
    if (this.aggTrades.length > HISTORY) this.aggTrades.shift();
  }

  /**
   * Consumes liquidity from the opposite side of the book (a taker order) and commits.
   *
   * @param side the taker's side: BUY takes asks, SELL takes bids
   * @param qty quantity in qty-units
   * @param options `limit`: worst price to trade at; `price`: report every fill at this price
   * (a resting order that was crossed trades at its own limit price); `time`: trade time
   * @returns the fills, best price first
   */
  take(
    side: "BUY" | "SELL",
    qty: number,
    options: { readonly limit?: number; readonly price?: number; readonly time: number },
  ): TakeFill[] {
    const book = side === "BUY" ? this.asks : this.bids;
    const fills: TakeFill[] = [];
    let left = qty;
    while (left > 0) {
      const tick = book.best();
      if (tick === undefined) break;
      if (options.limit !== undefined && (side === "BUY" ? tick > options.limit : tick < options.limit)) {
        break;
      }
      const avail = book.get(tick);
      const q = Math.min(avail, left);
      const price = options.price ?? tick;
      const tr = this.#recordTrade(options.time, price, q, side === "SELL");
      this.#recordAgg(options.time, price, q, tr.id, tr.id, side === "SELL");
      fills.push({ price, qty: q, tradeId: tr.id });
      this.#set(book, tick, avail - q);
      left -= q;
    }
    if (fills.length > 0) this.#commit(options.time);
    return fills;
  }

  /** Advances the simulation by one step and commits the changes (null when nothing changed). */
  step(time: number): Commit | null {
    const rng = this.#rng;
    const t = this.spec.tickUnits;
    const held = this.driver !== undefined;
    const target = this.driver?.();
    if (target !== undefined) this.#moveTo(target, time);
    if (!held && rng.chance(0.35)) {
      // Unbiased within 1 % of the initial price, pulled back beyond: a long run (firehose) must not
      // walk a cheap market down to a handful of ticks. Same number of random draws either way.
      const off = (this.#mid - this.#startMid) / this.#startMid;
      const pUp = off < -0.01 ? 0.6 : off > 0.01 ? 0.4 : 0.5;
      const mv = rng.int(1, 2) * t * (rng.chance(pUp) ? 1 : -1);
      const floor = t * (this.spec.levels * 2);
      this.#mid = Math.max(floor, this.#mid + mv);
    }
    // keep the book uncrossed around the mid: bids <= mid < asks
    let b = this.bids.best();
    while (b !== undefined && b > this.#mid) {
      this.#set(this.bids, b, 0);
      b = this.bids.best();
    }
    let a = this.asks.best();
    while (a !== undefined && a <= this.#mid) {
      this.#set(this.asks, a, 0);
      a = this.asks.best();
    }
    if (b === undefined || (b < this.#mid && rng.chance(0.7))) {
      this.#set(this.bids, this.#mid, this.#randQty(0));
    }
    if (a === undefined || (a > this.#mid + t && rng.chance(0.7))) {
      this.#set(this.asks, this.#mid + t, this.#randQty(0));
    }
    // takers
    if (!held && rng.chance(0.45)) {
      const side = rng.chance(0.5) ? "BUY" : "SELL";
      const book = side === "BUY" ? this.asks : this.bids;
      let left = this.#lot * rng.int(1, 25);
      const buyerMaker = side === "SELL";
      for (let lvl = 0; lvl < 3 && left > 0; lvl++) {
        const tick = book.best();
        if (tick === undefined) break;
        const avail = book.get(tick);
        const q = Math.min(avail, left);
        const parts = Math.max(1, Math.min(rng.int(1, 3), Math.floor(q / this.spec.stepUnits)));
        let first = -1;
        let last = -1;
        let rest = q;
        for (let p = 0; p < parts; p++) {
          const pq = p === parts - 1 ? rest : Math.max(
            this.spec.stepUnits,
            Math.floor(q / parts / this.spec.stepUnits) * this.spec.stepUnits,
          );
          rest -= pq;
          const tr = this.#recordTrade(time, tick, pq, buyerMaker);
          if (first < 0) first = tr.id;
          last = tr.id;
        }
        this.#recordAgg(time, tick, q, first, last, buyerMaker);
        this.#set(book, tick, avail - q);
        left -= q;
      }
    }
    // level changes, most of them near the top
    const k = rng.int(1, 6);
    for (let i = 0; i < k; i++) {
      const book = rng.chance(0.5) ? this.bids : this.asks;
      const d = Math.min(rng.geometric(0.12), book.size - 1);
      const tick = book.at(d);
      if (tick === undefined) continue;
      const r = rng.next();
      if (r < 0.6) this.#set(book, tick, this.#randQty(d));
      else if (r < 0.85) {
        const nt = book.isBid ? tick - t : tick + t;
        if (book.get(nt) === 0 && nt > 0) this.#set(book, nt, this.#randQty(d));
        else this.#set(book, tick, this.#randQty(d));
      } else if (d > 0) this.#set(book, tick, 0);
    }
    for (const book of [this.bids, this.asks]) {
      while (book.size > this.spec.levels) this.#set(book, book.worst()!, 0);
      while (book.size < this.spec.levels) {
        const w = book.worst() ?? this.#mid;
        const next = book.isBid ? w - t * rng.int(1, 2) : w + t * rng.int(1, 2);
        // No price below one tick exists: near zero the bid side stays thinner (looping here would
        // hang the process: that was a firehose-mode freeze).
        if (next <= 0) break;
        this.#set(book, next, this.#randQty(500));
      }
    }
    return this.#commit(time);
  }

  /**
   * A driven move: the book is shifted so that one taker prints a trade at exactly `target`
   * (a BUY at the ask when the price rises, a SELL at the bid otherwise), and the walk continues
   * around the new price afterwards.
   */
  #moveTo(target: number, time: number): void {
    const t = this.spec.tickUnits;
    const up = target > this.lastPrice;
    this.#mid = up ? target - t : target;
    this.#startMid = this.#mid;
    for (
      const [book, crossed] of [[this.bids, (x: number) => x > this.#mid], [
        this.asks,
        (x: number) => x <= this.#mid,
      ]] as const
    ) {
      for (let b = book.best(); b !== undefined && crossed(b); b = book.best()) this.#set(book, b, 0);
    }
    // the top levels next to the new price, so the book around it is not a gap
    for (let k = 0; k < 10; k++) {
      const bid = this.#mid - k * t;
      const ask = this.#mid + t + k * t;
      if (bid > 0 && this.bids.get(bid) < this.#lot * 2) {
        this.#set(this.bids, bid, Math.max(this.#randQty(k), this.#lot * 2));
      }
      if (this.asks.get(ask) < this.#lot * 2) {
        this.#set(this.asks, ask, Math.max(this.#randQty(k), this.#lot * 2));
      }
    }
    const book = up ? this.asks : this.bids;
    const q = this.#lot;
    const tr = this.#recordTrade(time, target, q, !up);
    this.#recordAgg(time, target, q, tr.id, tr.id, !up);
    this.#set(book, target, book.get(target) - q);
  }

  #commit(time: number): Commit | null {
    const changes = this.#pendBids.size + this.#pendAsks.size;
    if (changes === 0 && this.#pendTrades.length === 0) return null;
    const pu = this.lastUpdateId;
    let U: number;
    let u: number;
    if (this.spec.market === "spot") {
      // spot: ids are contiguous per symbol, one per level change
      U = pu + 1;
      u = pu + Math.max(1, changes);
    } else {
      // USD-M: a shared sequence, so consecutive events of one symbol leave gaps (U != pu + 1)
      U = pu + this.#rng.int(2, 40);
      u = U + Math.max(0, changes - 1) + this.#rng.int(0, 30);
    }
    this.lastUpdateId = u;
    const bids = [...this.#pendBids].sort((x, y) => y[0] - x[0]);
    const asks = [...this.#pendAsks].sort((x, y) => x[0] - y[0]);
    const c: Commit = { time, U, u, pu, bids, asks, trades: this.#pendTrades, aggTrades: this.#pendAgg };
    this.#pendBids = new Map();
    this.#pendAsks = new Map();
    this.#pendTrades = [];
    this.#pendAgg = [];
    for (const fn of this.#listeners) fn(c);
    return c;
  }
}
