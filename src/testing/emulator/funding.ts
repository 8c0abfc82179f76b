/**
 * Perpetual funding for the simulated futures markets: the mark price (middle of the book), the
 * index price (the spot market of the same base asset against USDT when simulated, else the
 * mark), the funding rate from the premium (Binance's formula: premium + clamp(interest −
 * premium, ±0.05 %), capped at ±0.75 %), and a settlement every 8 hours UTC (00:00, 08:00,
 * 16:00) that is recorded in the `fundingRate` history and paid on open positions.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { dec, markPrice } from "./futures_account.ts";
import type { FuturesEngine } from "./futures_engine.ts";
import type { Market } from "./market.ts";
import type { Json } from "./payloads.ts";

/** Funding interval: 8 hours. */
export const FUNDING_MS: number = 8 * 3_600_000;
const INTEREST = new Decimal("0.0001");
const CLAMP = new Decimal("0.0005");
const CAP = new Decimal("0.0075");

/** One settled funding rate. */
export interface FundingRecord {
  readonly symbol: string;
  readonly fundingTime: number;
  readonly fundingRate: string;
  readonly markPrice: string;
}

/** Funding state of the futures markets of one emulator. */
export class Funding {
  readonly #index: (m: Market) => Market | undefined;
  readonly #history: FundingRecord[] = [];
  #last = new Map<string, number>();

  /** `spotOf` finds the spot market that serves as a futures market's index. */
  constructor(spotOf: (m: Market) => Market | undefined) {
    this.#index = spotOf;
  }

  /** The index price of a futures market. */
  indexPrice(m: Market): Decimal {
    const s = this.#index(m);
    if (!s) return markPrice(m);
    const b = s.bids.best();
    const a = s.asks.best();
    const mid = b !== undefined && a !== undefined
      ? dec(b + a, s.spec.priceDecimals).div(2)
      : dec(s.lastPrice, s.spec.priceDecimals);
    return mid.toDecimalPlaces(m.spec.priceDecimals);
  }

  /** The funding rate the next settlement would apply now. */
  rate(m: Market): Decimal {
    const index = this.indexPrice(m);
    if (index.isZero()) return INTEREST;
    const premium = markPrice(m).minus(index).div(index);
    const r = premium.plus(Decimal.max(CLAMP.neg(), Decimal.min(CLAMP, INTEREST.minus(premium))));
    return Decimal.max(CAP.neg(), Decimal.min(CAP, r)).toDecimalPlaces(8);
  }

  /** Next settlement time after `now`. */
  nextFundingTime(now: number): number {
    return (Math.floor(now / FUNDING_MS) + 1) * FUNDING_MS;
  }

  /** Settles funding when `now` crossed an 8-hour boundary since the market's previous step. */
  afterStep(m: Market, engine: FuturesEngine, now: number): void {
    const period = Math.floor(now / FUNDING_MS);
    const prev = this.#last.get(m.spec.symbol + m.spec.market);
    this.#last.set(m.spec.symbol + m.spec.market, period);
    if (prev === undefined || prev === period) return;
    const rate = this.rate(m);
    const mark = markPrice(m);
    this.#history.push({
      symbol: m.spec.symbol,
      fundingTime: period * FUNDING_MS,
      fundingRate: rate.toFixed(8),
      markPrice: mark.toFixed(8),
    });
    engine.fund(m, rate, mark);
  }

  /** Settled rates of a market's symbol, oldest first. */
  history(m: Market): FundingRecord[] {
    return this.#history.filter((h) => h.symbol === m.spec.symbol);
  }
}

/**
 * The `markPriceUpdate` stream event of a futures market (`<symbol>@markPrice[@1s]`,
 * `!markPrice@arr`): mark, index, estimated settle price, funding rate, next funding time;
 * COIN-M adds the pair.
 */
export function markPriceEvent(f: Funding, m: Market, now: number): Json {
  const index = f.indexPrice(m).toFixed(8);
  return {
    e: "markPriceUpdate",
    E: now,
    s: m.spec.symbol,
    ...(m.spec.contractSize > 0 ? { ps: m.spec.pair } : {}),
    p: markPrice(m).toFixed(8),
    i: index,
    P: index,
    r: f.rate(m).toFixed(8),
    T: f.nextFundingTime(now),
  };
}
