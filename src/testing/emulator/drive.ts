/**
 * Deterministic price control for tests: `emu.drive(symbol, path)` moves a market's last price
 * (and, on futures, its mark price) along a given path, one simulator step per element. The book
 * is shifted so that a trade prints at every price (trade, aggTrade, bookTicker, tickers and
 * klines show the path), the matching engines see each price in the same step (resting orders
 * fill, stops trigger), and the random walk of that market pauses until the path is done.
 *
 * @module
 */
import type { MarketHub } from "./hub.ts";
import type { Market } from "./market.ts";
import { parseUnits } from "./units.ts";

/** A venue whose markets can be driven (margin trades on the spot markets). */
export type DriveVenue = "spot" | "usdm" | "coinm";

/** A price of a path: a decimal string or a number, a multiple of the tick size. */
export type DrivePrice = string | number;

/**
 * One element of a driven path: the last price (a trade prints there) and, on futures, the mark
 * price. Without `markPrice` the mark is the middle of the book; without `price` the last price
 * holds and only the mark moves.
 */
export interface DriveStep {
  /** The last price to trade at in this step. */
  readonly price?: DrivePrice;
  /** Futures: the mark price from this step on (for MARK_PRICE triggers, PnL and premiumIndex). */
  readonly markPrice?: DrivePrice;
}

/** Options of {@linkcode Drives.drive}. */
export interface DriveOptions {
  /** The market's venue (default "spot"; margin orders trade on the spot markets). */
  readonly market?: DriveVenue;
  /** Simulator steps per element (default 1): the price holds for the other steps. */
  readonly stepsPerPrice?: number;
  /**
   * Paused emulators only: the real time in ms between the steps the drive takes by itself
   * (default the emulator's `intervalMs`).
   */
  readonly intervalMs?: number;
  /** Paused emulators only: take no steps; the test advances with `emu.step()` (default false). */
  readonly manual?: boolean;
}

/** What a finished drive reports. */
export interface DriveResult {
  /** Step index (`emu.stepIndex`) of the step that applied the first element. */
  readonly firstStep: number;
  /** Step index of the last step of the path. */
  readonly lastStep: number;
}

interface Point {
  readonly price: number | undefined;
  readonly mark: number | undefined;
}

interface Drive {
  readonly market: Market;
  readonly points: readonly Point[];
  readonly per: number;
  /** Steps taken so far. */
  taken: number;
  firstStep: number;
  readonly resolve: (r: DriveResult) => void;
  readonly reject: (e: Error) => void;
  readonly selfStep: boolean;
}

const OPTION_KEYS: ReadonlySet<string> = new Set(["market", "stepsPerPrice", "intervalMs", "manual"]);

function units(m: Market, v: unknown, field: string): number {
  const s = m.spec;
  const text = typeof v === "number" && Number.isFinite(v) ? String(v) : v;
  const u = typeof text === "string" ? parseUnits(text, s.priceDecimals) : null;
  if (u === null || Number.isNaN(u)) {
    throw new TypeError(
      `Invalid ${field}: expected a plain decimal with at most ${s.priceDecimals} decimals`,
    );
  }
  if (u % s.tickUnits !== 0) throw new RangeError(`Invalid ${field}: not a multiple of the tick size`);
  if (u < s.tickUnits * 2) throw new RangeError(`Invalid ${field}: expected at least two ticks`);
  return u;
}

/** Parses a path against a market's tick size. */
export function parsePath(m: Market, path: unknown): Point[] {
  if (!Array.isArray(path) || path.length === 0) {
    throw new TypeError("Invalid path: expected a non-empty array of prices or { price, markPrice } steps");
  }
  const futures = m.spec.market !== "spot";
  return path.map((el, i): Point => {
    if (typeof el === "string" || typeof el === "number") {
      return { price: units(m, el, `path[${i}]`), mark: undefined };
    }
    if (el === null || typeof el !== "object") {
      throw new TypeError(`Invalid path[${i}]: expected a price or { price, markPrice }`);
    }
    for (const k of Object.keys(el)) {
      if (k !== "price" && k !== "markPrice") throw new TypeError(`Invalid path[${i}].${k}: unknown field`);
    }
    const st = el as DriveStep;
    if (st.markPrice !== undefined && !futures) {
      throw new TypeError(`Invalid path[${i}].markPrice: spot markets have no mark price`);
    }
    if (st.price === undefined && st.markPrice === undefined) {
      throw new TypeError(`Invalid path[${i}]: expected price, markPrice or both`);
    }
    return {
      price: st.price === undefined ? undefined : units(m, st.price, `path[${i}].price`),
      mark: st.markPrice === undefined ? undefined : units(m, st.markPrice, `path[${i}].markPrice`),
    };
  });
}

/** The drives of one emulator. */
export class Drives {
  readonly #hub: MarketHub;
  readonly #intervalMs: number;
  readonly #active: Map<Market, Drive> = new Map();
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Creates the drive controller; `intervalMs` is the emulator's step interval. */
  constructor(hub: MarketHub, intervalMs: number) {
    this.#hub = hub;
    this.#intervalMs = intervalMs;
    hub.onStepDone((step) => this.#afterStep(step));
  }

  /**
   * Drives a market along `path`; resolves after the step that applied the last element.
   *
   * @throws {TypeError} / {RangeError} on a bad path, option or symbol, or when that market is
   * already being driven
   */
  drive(
    symbol: string,
    path: readonly (DrivePrice | DriveStep)[],
    options: DriveOptions = {},
  ): Promise<DriveResult> {
    if (options === null || typeof options !== "object") {
      throw new TypeError("Invalid options: expected an object");
    }
    for (const k of Object.keys(options)) {
      if (!OPTION_KEYS.has(k)) throw new TypeError(`Invalid options.${k}: unknown option`);
    }
    const venue = options.market ?? "spot";
    if (venue !== "spot" && venue !== "usdm" && venue !== "coinm") {
      throw new TypeError(`Invalid options.market: expected "spot", "usdm" or "coinm"`);
    }
    const per = options.stepsPerPrice ?? 1;
    if (!Number.isInteger(per) || per < 1 || per > 1_000_000) {
      throw new RangeError("Invalid options.stepsPerPrice: expected an integer from 1 to 1000000");
    }
    const interval = options.intervalMs ?? this.#intervalMs;
    if (!Number.isFinite(interval) || interval < 0 || interval > 60_000) {
      throw new RangeError("Invalid options.intervalMs: expected 0 to 60000");
    }
    const m = this.#hub.market(venue, symbol);
    if (!m) throw new RangeError(`Invalid symbol: ${String(symbol)} is not simulated on ${venue}`);
    if (this.#active.has(m)) {
      throw new RangeError(`Invalid symbol: ${m.spec.symbol} on ${venue} is already driven`);
    }
    const points = parsePath(m, path);
    let resolve!: (r: DriveResult) => void;
    let reject!: (e: Error) => void;
    const done = new Promise<DriveResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // a drive the test does not await must not surface as an unhandled rejection at close
    done.catch(() => {});
    const d: Drive = {
      market: m,
      points,
      per,
      taken: 0,
      firstStep: -1,
      resolve,
      reject,
      selfStep: !this.#hub.running && options.manual !== true,
    };
    this.#active.set(m, d);
    m.driver = () => {
      const i = Math.floor(d.taken / d.per);
      const first = d.taken % d.per === 0;
      d.taken++;
      if (d.firstStep < 0) d.firstStep = this.#hub.stepIndex;
      const p = d.points[i];
      if (!first || p === undefined) return undefined;
      if (p.mark !== undefined) m.markOverride = p.mark;
      else if (p.price !== undefined) m.markOverride = undefined;
      return p.price;
    };
    if (d.selfStep && this.#timer === undefined) {
      this.#timer = setInterval(() => this.#hub.stepAll(), interval);
    }
    return done;
  }

  /** Markets currently driven. */
  get active(): number {
    return this.#active.size;
  }

  #afterStep(step: number): void {
    for (const [m, d] of this.#active) {
      if (d.taken < d.points.length * d.per) continue;
      this.#active.delete(m);
      // the last mark holds until the next step starts, so a test can read it after the drive
      m.driver = () => {
        m.markOverride = undefined;
        m.driver = undefined;
        return undefined;
      };
      d.resolve({ firstStep: d.firstStep, lastStep: step });
    }
    this.#maybeStopTimer();
  }

  #end(m: Market): void {
    m.driver = undefined;
    m.markOverride = undefined;
    this.#active.delete(m);
  }

  #maybeStopTimer(): void {
    if (this.#timer === undefined) return;
    for (const d of this.#active.values()) if (d.selfStep) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Ends every drive (the emulator closes): pending drives reject. */
  close(): void {
    for (const [m, d] of [...this.#active]) {
      this.#end(m);
      d.reject(new Error(`Drive of ${m.spec.symbol} ended: the emulator closed`));
    }
    this.#maybeStopTimer();
  }
}
