/**
 * Exchange-native trailing: whether a trail distance fits Binance's bounds, and the order
 * parameters when it does. Spot: `STOP_LOSS(_LIMIT)` with `trailingDelta` in BIPS (100 = 1 %)
 * within the `TRAILING_DELTA` filter; futures: `TRAILING_STOP_MARKET` with `callbackRate` in
 * percent (0.1 to 10, one decimal) and an optional `activationPrice`. Margin orders have no
 * native trail.
 *
 * @module
 */
import { roundToStep } from "../core/decimal.ts";
import { absoluteOf, Dec } from "./_amount.ts";
import type { SymbolRules } from "./_rules.ts";
import { stopLevel, type StopOrderType, type StopSide } from "./_stop.ts";

/** Parameters of a native trailing order. */
export type NativeTrail =
  | {
    /** Spot `trailingDelta`. */
    readonly kind: "trailingDelta";
    /** `STOP_LOSS` (MARKET) or `STOP_LOSS_LIMIT` (LIMIT). */
    readonly type: "STOP_LOSS" | "STOP_LOSS_LIMIT";
    /** Order side. */
    readonly side: StopSide;
    /** Delta in BIPS (integer). */
    readonly trailingDelta: number;
    /** Limit price of a `STOP_LOSS_LIMIT` (fixed at placement: the level at the current price, minus one tick). */
    readonly limitPrice?: string;
  }
  | {
    /** Futures `callbackRate`. */
    readonly kind: "callbackRate";
    /** `TRAILING_STOP_MARKET`. */
    readonly type: "TRAILING_STOP_MARKET";
    /** Order side. */
    readonly side: StopSide;
    /** Callback rate in percent, one decimal (`"1.5"`). */
    readonly callbackRate: string;
    /** Activation price, on tick, when configured. */
    readonly activationPrice?: string;
  };

/** Result of {@link nativeTrail}: the parameters and the distance they really give, or why not. */
export type NativeTrailResult =
  | { readonly ok: true; readonly native: NativeTrail; readonly effectivePercent: string }
  | { readonly ok: false; readonly reason: string };

/** What {@link nativeTrail} reads of the configuration. */
export interface NativeTrailConfig {
  /** Stop side. */
  readonly side: StopSide;
  /** Trail distance. */
  readonly distance: { readonly kind: "percent" | "absolute"; readonly value: string };
  /** LIMIT or MARKET. */
  readonly orderType: StopOrderType;
  /** Futures activation price. */
  readonly activationPrice?: string;
}

// Binance's defaults when a symbol lists no TRAILING_DELTA filter
const DEFAULT_DELTA = { minAbove: 10, maxAbove: 2000, minBelow: 10, maxBelow: 2000 };
// USDⓈ-M and COIN-M: callbackRate min 0.1, max 10 (percent)
const MIN_CALLBACK = "0.1";
const MAX_CALLBACK = "10";

/**
 * Whether the trail fits the exchange-native trailing order of the venue, and its parameters.
 *
 * @param config Side, distance, order type, activation price.
 * @param rules Symbol rules (venue, tick, `TRAILING_DELTA`).
 * @param price Current reference price (turns an absolute distance into a percent).
 * @returns The parameters, or the reason the distance or venue does not fit (so `mode: "auto"`
 *   falls back to the client-side trail).
 *
 * @example
 * ```ts
 * import { nativeTrail } from "./_native.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const rules = { venue: "spot", tickSize: "0.01", trailingDelta: { minAbove: 10, maxAbove: 2000, minBelow: 10, maxBelow: 2000 } } as never;
 * const r = nativeTrail({ side: "SELL", distance: { kind: "percent", value: "1.5" }, orderType: "MARKET" }, rules, "65000");
 * assertEquals(r.ok && r.native, { kind: "trailingDelta", type: "STOP_LOSS", side: "SELL", trailingDelta: 150 });
 * ```
 */
export function nativeTrail(config: NativeTrailConfig, rules: SymbolRules, price: string): NativeTrailResult {
  const percent = config.distance.kind === "percent"
    ? new Dec(config.distance.value)
    : absoluteOf(config.distance, "1").div(price).times(100);
  if (rules.venue === "margin" || rules.venue === "isolated_margin") {
    return { ok: false, reason: `Native trailing is not offered for ${rules.venue} orders` };
  }
  if (rules.venue === "spot") {
    const bips = percent.times(100).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toNumber();
    const b = rules.trailingDelta ?? DEFAULT_DELTA;
    // SELL stop-loss trails below the price (…BelowDelta), BUY stop-loss above (…AboveDelta)
    const [min, max] = config.side === "SELL" ? [b.minBelow, b.maxBelow] : [b.minAbove, b.maxAbove];
    if (bips < min || bips > max) {
      return {
        ok: false,
        reason: `Distance ${
          percent.toDecimalPlaces(4).toFixed()
        }% is ${bips} BIPS, outside TRAILING_DELTA ${min}..${max}`,
      };
    }
    const type = config.orderType === "LIMIT" ? "STOP_LOSS_LIMIT" : "STOP_LOSS";
    let limitPrice: string | undefined;
    if (type === "STOP_LOSS_LIMIT") {
      const level = stopLevel(config.side, price, {
        kind: "percent",
        value: new Dec(bips).div(100).toFixed(),
      }, rules.tickSize);
      const tick = new Dec(rules.tickSize);
      const limit = config.side === "SELL" ? new Dec(level).minus(tick) : new Dec(level).plus(tick);
      if (limit.lte(0)) return { ok: false, reason: `No limit price below ${level} fits` };
      limitPrice = roundToStep(limit.toFixed(), rules.tickSize, "nearest");
    }
    return {
      ok: true,
      effectivePercent: new Dec(bips).div(100).toFixed(),
      native: {
        kind: "trailingDelta",
        type,
        side: config.side,
        trailingDelta: bips,
        ...(limitPrice ? { limitPrice } : {}),
      },
    };
  }
  if (config.orderType === "LIMIT") {
    return {
      ok: false,
      reason: "TRAILING_STOP_MARKET is a market order: a LIMIT stop has no native trail on futures",
    };
  }
  const rate = percent.toDecimalPlaces(1, Dec.ROUND_HALF_UP);
  if (rate.lt(MIN_CALLBACK) || rate.gt(MAX_CALLBACK)) {
    return {
      ok: false,
      reason: `Distance ${
        percent.toDecimalPlaces(4).toFixed()
      }% is outside callbackRate ${MIN_CALLBACK}..${MAX_CALLBACK}`,
    };
  }
  const activationPrice = config.activationPrice === undefined
    ? undefined
    : roundToStep(config.activationPrice, rules.tickSize, config.side === "SELL" ? "ceil" : "floor");
  return {
    ok: true,
    effectivePercent: rate.toFixed(),
    native: {
      kind: "callbackRate",
      type: "TRAILING_STOP_MARKET",
      side: config.side,
      callbackRate: rate.toFixed(1),
      ...(activationPrice ? { activationPrice } : {}),
    },
  };
}
