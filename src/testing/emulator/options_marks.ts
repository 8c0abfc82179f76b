/**
 * Mark price, implied volatilities and Greeks of one listed option, computed once for both
 * `/eapi/v1/mark` and the `<underlying>@optionMarkPrice` stream, so REST and stream agree: the
 * mark is the book's mid, the index the spot underlying's mid, and the volatilities are solved
 * with Black-Scholes at rate 0 (see `options_chain.ts`).
 *
 * @module
 */
import { markPrice } from "./futures_account.ts";
import type { Market } from "./market.ts";
import { greeks, impliedVol, type OptionTerms, yearsTo } from "./options_chain.ts";

/** The decimal strings of an option's mark. */
export interface OptionMark {
  readonly markPrice: string;
  readonly bidIV: string;
  readonly askIV: string;
  readonly markIV: string;
  readonly delta: string;
  readonly theta: string;
  readonly gamma: string;
  readonly vega: string;
  readonly highPriceLimit: string;
  readonly lowPriceLimit: string;
  readonly riskFreeInterest: string;
}

/** The index of an underlying (`BTCUSDT`): the mid of its spot market. */
export function indexValue(spot: Market): number {
  return markPrice(spot).toNumber();
}

/** The index as Binance prints it (8 decimals). */
export function indexPrice(spot: Market): string {
  return indexValue(spot).toFixed(8);
}

/**
 * The mark of option `m` with terms `o` at `now`, the underlying's index being `index`.
 *
 * @param m the option's simulated book
 * @param o its contract terms
 * @param index the underlying's index price
 * @param now epoch ms (time to expiry)
 */
export function optionMark(m: Market, o: OptionTerms, index: number, now: number): OptionMark {
  const mid = markPrice(m).toNumber();
  const t = yearsTo(o.expiry, now);
  const iv = (px: number) => impliedVol(o.side, index, o.strike, t, px);
  const markIV = iv(mid);
  const g = greeks(o.side, index, o.strike, t, markIV);
  const b = m.bids.best();
  const a = m.asks.best();
  const d8 = (v: number): string => v.toFixed(8);
  return {
    markPrice: markPrice(m).toFixed(1),
    bidIV: b === undefined ? "0" : d8(iv(m.toPrice(b))),
    askIV: a === undefined ? "0" : d8(iv(m.toPrice(a))),
    markIV: d8(markIV),
    delta: d8(g.delta),
    theta: d8(g.theta),
    gamma: d8(g.gamma),
    vega: d8(g.vega),
    highPriceLimit: (mid * 1.5).toFixed(1),
    lowPriceLimit: "0.1",
    riskFreeInterest: "0",
  };
}
