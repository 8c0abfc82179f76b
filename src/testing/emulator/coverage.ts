/**
 * Coverage records for stop-loss tests: at every simulator step, for one account and symbol, the
 * position and the quantity that the account's open stop orders would sell (or buy back). A
 * trailing-stop test asserts from them that the position was covered at every step after the
 * first placement until the fill, and never by more than the position (no double sell). Only
 * recorded symbols cost anything.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { dec, positionOf, type PositionSide } from "./futures_account.ts";
import type { FuturesEngine } from "./futures_engine.ts";
import type { MarketHub } from "./hub.ts";
import { marginKey } from "./margin.ts";
import type { Market } from "./market.ts";
import type { Trading } from "./core.ts";
import { fmtPrice } from "./payloads.ts";
import type { SpotEngine } from "./spot_engine.ts";

/** The account whose coverage is recorded. */
export type CoverageMarket = "spot" | "margin" | "isolatedMargin" | "usdm" | "coinm";

/** Options of `emu.recordCoverage`. */
export interface CoverageOptions {
  /** The account's API key. */
  readonly apiKey: string;
  /** Which of its accounts (default "spot"; "isolatedMargin" is the symbol's isolated account). */
  readonly market?: CoverageMarket;
  /** Futures hedge mode: the position side (default "BOTH"). */
  readonly positionSide?: PositionSide;
}

/** The state of one step. */
export interface CoverageRecord {
  /** `emu.stepIndex` of the step. */
  readonly step: number;
  /** Server time of the step. */
  readonly time: number;
  /** Last trade price. */
  readonly price: string;
  /**
   * Signed position: spot the base asset held (free + locked), margin that minus what is
   * borrowed, futures the position amount (contracts on COIN-M).
   */
  readonly position: string;
  /**
   * Quantity on open stop orders on the side that reduces the position (SELL for a long or flat
   * position, BUY for a short): spot and margin STOP_LOSS / STOP_LOSS_LIMIT (trailing too, still
   * waiting or triggered and working), futures STOP / STOP_MARKET / TRAILING_STOP_MARKET with
   * reduceOnly or closePosition (closePosition counts the whole position), untriggered or
   * triggered and still open.
   */
  readonly stopQty: string;
  /** Number of those orders. */
  readonly stops: number;
}

/** What `summary()` finds in the records. */
export interface CoverageSummary {
  /** Records taken. */
  readonly steps: number;
  /** First step with a stop on the book (undefined: never). */
  readonly firstCovered: number | undefined;
  /** Steps after `firstCovered` with a position but no stop quantity. */
  readonly uncovered: readonly number[];
  /** Steps with more stop quantity than the position. */
  readonly overCovered: readonly number[];
}

/** A running recorder. */
export interface CoverageRecorder {
  /** The records so far, oldest first. */
  readonly records: readonly CoverageRecord[];
  /** Finds uncovered and over-covered steps. */
  summary(): CoverageSummary;
  /** Stops recording (the records stay). */
  stop(): void;
}

const SPOT_STOPS: ReadonlySet<string> = new Set(["STOP_LOSS", "STOP_LOSS_LIMIT"]);
const FUTURES_STOPS: ReadonlySet<string> = new Set(["STOP", "STOP_MARKET", "TRAILING_STOP_MARKET"]);
const OPTION_KEYS: ReadonlySet<string> = new Set(["apiKey", "market", "positionSide"]);

function spotStops(e: SpotEngine, apiKey: string, m: Market, side: "BUY" | "SELL"): [Decimal, number] {
  let qty = new Decimal(0);
  let n = 0;
  for (const o of e.open(apiKey, m.spec.symbol)) {
    if (!SPOT_STOPS.has(o.type) || o.side !== side) continue;
    qty = qty.plus(dec(o.origQty - o.executed, m.spec.qtyDecimals));
    n++;
  }
  return [qty, n];
}

function futuresStops(
  e: FuturesEngine,
  apiKey: string,
  m: Market,
  side: "BUY" | "SELL",
  position: Decimal,
): [Decimal, number] {
  let qty = new Decimal(0);
  let n = 0;
  const add = (closePosition: boolean, left: number): void => {
    qty = qty.plus(closePosition ? position.abs() : dec(left, m.spec.qtyDecimals));
    n++;
  };
  for (const o of e.open(apiKey, m.spec.symbol)) {
    const c = o.cond;
    if (!c || !FUTURES_STOPS.has(c.type) || c.side !== side || !c.reduceOnly) continue;
    // a triggered closePosition order carries the position size it had at the trigger
    add(c.closePosition && o.pending !== undefined, o.origQty - o.executed);
  }
  for (const a of e.algo?.open(apiKey, m.spec.symbol) ?? []) {
    const c = a.spec;
    if (!FUTURES_STOPS.has(c.type) || c.side !== side || !c.reduceOnly) continue;
    add(c.closePosition, c.qty);
  }
  return [qty, n];
}

/** The coverage recorders of one emulator. */
export class Coverage {
  readonly #hub: MarketHub;
  readonly #t: Trading;
  readonly #now: () => number;
  readonly #active: Set<() => void> = new Set();

  /** Creates the recorder registry; records are taken after every step. */
  constructor(hub: MarketHub, trading: Trading, now: () => number) {
    this.#hub = hub;
    this.#t = trading;
    this.#now = now;
    hub.onStepDone(() => {
      for (const take of this.#active) take();
    });
  }

  /**
   * Starts recording a symbol for an account.
   *
   * @throws {TypeError} on unknown options, {RangeError} on an unknown API key or symbol
   */
  record(symbol: string, options: CoverageOptions): CoverageRecorder {
    if (options === null || typeof options !== "object") {
      throw new TypeError("Invalid options: expected an object");
    }
    for (const k of Object.keys(options)) {
      if (!OPTION_KEYS.has(k)) throw new TypeError(`Invalid options.${k}: unknown option`);
    }
    const kind = options.market ?? "spot";
    if (!["spot", "margin", "isolatedMargin", "usdm", "coinm"].includes(kind)) {
      throw new TypeError(
        `Invalid options.market: expected "spot", "margin", "isolatedMargin", "usdm" or "coinm"`,
      );
    }
    const ps = options.positionSide ?? "BOTH";
    if (ps !== "BOTH" && ps !== "LONG" && ps !== "SHORT") {
      throw new TypeError(`Invalid options.positionSide: expected "BOTH", "LONG" or "SHORT"`);
    }
    const apiKey = options.apiKey;
    if (typeof apiKey !== "string" || !this.#t.keys.has(apiKey)) {
      throw new RangeError("Invalid options.apiKey: the API key is not configured");
    }
    const futures = kind === "usdm" || kind === "coinm";
    const m = this.#hub.market(futures ? kind : "spot", symbol);
    if (!m) throw new RangeError(`Invalid symbol: ${String(symbol)} is not simulated for ${kind}`);
    const records: CoverageRecord[] = [];
    const sample = (): { position: Decimal; stop: [Decimal, number] } => {
      if (futures) {
        const e = kind === "usdm" ? this.#t.futures : this.#t.coinm;
        const position = positionOf(e.account(apiKey), m.spec.symbol, ps).amt;
        const side = ps === "SHORT" || (ps === "BOTH" && position.isNegative()) ? "BUY" : "SELL";
        return { position, stop: futuresStops(e, apiKey, m, side, position) };
      }
      const mb = this.#t.margin;
      const key = kind === "isolatedMargin" ? marginKey(apiKey, m.spec.symbol) : apiKey;
      const acc = kind === "spot" ? this.#t.spotAccount(apiKey) : mb.accounts.get(key);
      const bal = acc?.get(m.spec.baseAsset);
      let position = bal ? bal.free.plus(bal.locked) : new Decimal(0);
      if (kind !== "spot") position = position.minus(mb.debt(key, m.spec.baseAsset));
      const e = kind === "spot" ? this.#t.spot : mb.engine;
      // margin and isolated accounts share the margin engine; their orders carry the account key
      return { position, stop: spotStops(e, key, m, position.isNegative() ? "BUY" : "SELL") };
    };
    const take = (): void => {
      const { position, stop } = sample();
      records.push({
        step: this.#hub.stepIndex,
        time: this.#now(),
        price: fmtPrice(m, m.lastPrice),
        position: position.toFixed(),
        stopQty: stop[0].toFixed(),
        stops: stop[1],
      });
    };
    this.#active.add(take);
    return {
      records,
      summary(): CoverageSummary {
        const first = records.find((r) => r.stops > 0)?.step;
        const uncovered: number[] = [];
        const overCovered: number[] = [];
        for (const r of records) {
          const pos = new Decimal(r.position).abs();
          const q = new Decimal(r.stopQty);
          if (first !== undefined && r.step > first && !pos.isZero() && q.isZero()) uncovered.push(r.step);
          if (q.gt(pos)) overCovered.push(r.step);
        }
        return { steps: records.length, firstCovered: first, uncovered, overCovered };
      },
      stop: () => {
        this.#active.delete(take);
      },
    };
  }
}
