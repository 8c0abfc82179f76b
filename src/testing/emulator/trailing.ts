/**
 * Spot trailing stops (`trailingDelta` on STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT and
 * TAKE_PROFIT_LIMIT), as Binance's trailing-stop FAQ describes them: a SELL tracks the highest
 * trade price and triggers after a drop of `trailingDelta` BIPS from it, a BUY tracks the lowest
 * and triggers after a rise. Without `stopPrice` tracking starts at placement from the last
 * price; with it tracking starts with the first trade that meets the stop-price condition, which
 * sets the extreme. Pure functions over price-units.
 *
 * @module
 */
import { ApiError } from "./api_error.ts";
import type { Params } from "./order_params.ts";

/** The TRAILING_DELTA filter the emulator lists (BIPS), for both directions. */
export const TRAILING_DELTA_BOUNDS: { readonly min: number; readonly max: number } = { min: 10, max: 2000 };

/** Trailing state of one order. */
export interface TrailState {
  /** `trailingDelta` in BIPS (0: not a trailing order). */
  readonly trailingDelta: number;
  /** When tracking started (`trailingTime`), -1 before. */
  trailingTime: number;
  /** Highest (SELL) or lowest (BUY) trade price since tracking started, in price-units. */
  extreme: number;
}

/**
 * Whether the stop-price condition of a stop type holds: STOP_LOSS BUY and TAKE_PROFIT SELL
 * need the price at or above the stop price, STOP_LOSS SELL and TAKE_PROFIT BUY at or below.
 */
export function stopConditionMet(
  type: string,
  side: "BUY" | "SELL",
  last: number,
  stopPrice: number,
): boolean {
  const up = (type.startsWith("STOP_LOSS") && side === "BUY") ||
    (type.startsWith("TAKE_PROFIT") && side === "SELL");
  return up ? last >= stopPrice : last <= stopPrice;
}

/**
 * Reads and checks `trailingDelta`: only on stop types, a whole number of BIPS within the
 * TRAILING_DELTA filter.
 *
 * @returns the delta in BIPS, or 0 when the parameter is absent
 * @throws {ApiError} -1106 on a non-stop type, -1100 when malformed, -1013 "Filter failure: TRAILING_DELTA"
 */
export function trailingDeltaOf(p: Params, stopType: boolean): number {
  const text = p.get("trailingDelta");
  if (text === null || text === "") return 0;
  if (!stopType) throw new ApiError(-1106, "Parameter 'trailingDelta' sent when not required.");
  if (!/^[0-9]{1,20}$/.test(text)) {
    throw new ApiError(
      -1100,
      "Illegal characters found in parameter 'trailingDelta'; legal range is '^[0-9]{1,20}$'.",
    );
  }
  const d = Number(text);
  if (d < TRAILING_DELTA_BOUNDS.min || d > TRAILING_DELTA_BOUNDS.max) {
    throw new ApiError(-1013, "Filter failure: TRAILING_DELTA");
  }
  return d;
}

/** The price (price-units, not rounded) at which a tracking order triggers now. */
export function trailTriggerPrice(s: TrailState, side: "BUY" | "SELL"): number {
  return side === "SELL"
    ? s.extreme * (10_000 - s.trailingDelta) / 10_000
    : s.extreme * (10_000 + s.trailingDelta) / 10_000;
}

/**
 * Advances a trailing order by one last-trade price: activates it when the stop-price condition
 * is met (or at once without a stop price), moves the extreme in the order's favour and reports
 * whether the order triggers.
 *
 * @param stopPrice the order's stop price in price-units, 0 when none was sent
 * @returns true when the order triggers at `last`
 */
export function trailStep(
  s: TrailState,
  o: { readonly type: string; readonly side: "BUY" | "SELL"; readonly stopPrice: number },
  last: number,
  now: number,
): boolean {
  if (s.trailingTime < 0) {
    if (o.stopPrice > 0 && !stopConditionMet(o.type, o.side, last, o.stopPrice)) return false;
    s.trailingTime = now;
    s.extreme = last;
    return false;
  }
  // exact in integers: SELL triggers when last × 10000 ≤ extreme × (10000 − delta)
  if (o.side === "SELL") {
    if (last * 10_000 <= s.extreme * (10_000 - s.trailingDelta)) return true;
    if (last > s.extreme) s.extreme = last;
  } else {
    if (last * 10_000 >= s.extreme * (10_000 + s.trailingDelta)) return true;
    if (last < s.extreme) s.extreme = last;
  }
  return false;
}
