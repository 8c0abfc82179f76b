/**
 * One stop order computed from a reference price: the stop-loss level from the trail distance,
 * the trigger gap, tick rounding in the protective direction, the would-trigger-immediately guard,
 * the `PERCENT_PRICE` clamp and the filter checks.
 *
 * @module
 */
import { roundToStep } from "../core/decimal.ts";
import { absoluteOf, type Amount, Dec } from "./_amount.ts";
import { checkStopOrder, type Rejection, type SymbolRules, type Venue } from "./_rules.ts";

/** Side of the stop order: `SELL` protects a long position, `BUY` a short one. */
export type StopSide = "SELL" | "BUY";

/** What the stop becomes once triggered: a limit order (with a trigger gap) or a market order. */
export type StopOrderType = "LIMIT" | "MARKET";

/** Binance order type of the stop on a venue. */
export type StopWireType = "STOP_LOSS_LIMIT" | "STOP_LOSS" | "STOP" | "STOP_MARKET";

/** Adjustments made to fit the exchange's rules. */
export type StopAdjustment = "would-trigger" | "percent-price";

/** A stop order as the engine wants it on the book (decimal strings, never exponent notation). */
export interface StopOrder {
  /** `SELL` (long) or `BUY` (short). */
  readonly side: StopSide;
  /** The venue's order type (`STOP_LOSS_LIMIT` / `STOP_LOSS` on spot and margin, `STOP` / `STOP_MARKET` on futures). */
  readonly type: StopWireType;
  /** Trigger price (`stopPrice`), on tick. */
  readonly stopPrice: string;
  /** Limit price (`price`) of a limit stop, on tick; absent for a market stop. */
  readonly limitPrice?: string;
  /** Quantity, on step. */
  readonly quantity: string;
  /** Adjustments made to fit the rules (absent when none). */
  readonly adjusted?: readonly StopAdjustment[];
}

/** What `computeStop` needs of the configuration. */
export interface StopParameters {
  /** Order side. */
  readonly side: StopSide;
  /** LIMIT or MARKET once triggered. */
  readonly orderType: StopOrderType;
  /** Trigger gap (limit stops); absent → one tick. */
  readonly triggerGap?: Amount;
}

/**
 * The venue's order type for a stop.
 *
 * @param venue Where the position is.
 * @param orderType LIMIT or MARKET once triggered.
 * @returns `STOP_LOSS_LIMIT` / `STOP_LOSS` (spot, margin) or `STOP` / `STOP_MARKET` (futures).
 *
 * @example
 * ```ts
 * import { stopWireType } from "./_stop.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(stopWireType("usdm", "MARKET"), "STOP_MARKET");
 * ```
 */
export function stopWireType(venue: Venue, orderType: StopOrderType): StopWireType {
  const futures = venue === "usdm" || venue === "coinm";
  if (orderType === "LIMIT") return futures ? "STOP" : "STOP_LOSS_LIMIT";
  return futures ? "STOP_MARKET" : "STOP_LOSS";
}

/**
 * The stop-loss level for a reference price: `price × (1 − pct/100)` or `price − abs` for a SELL
 * stop (floored to tick: further from the market, never triggered by rounding), `price × (1 +
 * pct/100)` or `price + abs` for a BUY stop (ceiled).
 *
 * @param side Stop side.
 * @param price Reference price.
 * @param distance Trail distance.
 * @param tickSize `PRICE_FILTER.tickSize`.
 * @returns The level on tick (may be ≤ 0 for a SELL stop with a large absolute distance).
 *
 * @example Python's `calculate_stop_loss_price(65000.5, "1.5%")`
 * ```ts
 * import { stopLevel } from "./_stop.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(stopLevel("SELL", "65000.5", { kind: "percent", value: "1.5" }, "0.01"), "64025.49");
 * ```
 */
export function stopLevel(side: StopSide, price: string, distance: Amount, tickSize: string): string {
  const d = absoluteOf(distance, price);
  const raw = side === "SELL" ? new Dec(price).minus(d) : new Dec(price).plus(d);
  return roundToStep(raw.toFixed(), tickSize, side === "SELL" ? "floor" : "ceil");
}

/**
 * Computes the stop order for a level: trigger = level + gap (SELL) or level − gap (BUY) for a
 * limit stop, the level itself for a market stop; clamps a trigger that would fire at once to one
 * tick away from `price` (keeping the gap), clamps the limit into the `PERCENT_PRICE` band, and
 * checks the filters.
 *
 * @param params Side, order type and trigger gap.
 * @param rules Symbol rules.
 * @param input `level` (on tick), current `price`, `quantity` (on step); `check: false` skips the
 *   filter checks (the engine checks only an order it will send).
 * @returns The order, or the rejection when no valid order exists.
 *
 * @example
 * ```ts
 * import { computeStop } from "./_stop.ts";
 * import { symbolRules } from "./_rules.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const rules = symbolRules({ symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT", filters: [
 *   { filterType: "PRICE_FILTER", minPrice: "0.01", maxPrice: "1000000", tickSize: "0.01" },
 *   { filterType: "LOT_SIZE", minQty: "0.00001", maxQty: "9000", stepSize: "0.00001" },
 * ] }, "spot");
 * const r = computeStop({ side: "SELL", orderType: "LIMIT", triggerGap: { kind: "absolute", value: "0.01" } },
 *   rules, { level: "64025.00", price: "65000.00", quantity: "0.1" });
 * assertEquals(r, { order: { side: "SELL", type: "STOP_LOSS_LIMIT", stopPrice: "64025.01", limitPrice: "64025.00", quantity: "0.1" } });
 * ```
 */
export function computeStop(
  params: StopParameters,
  rules: SymbolRules,
  input: {
    readonly level: string;
    readonly price: string;
    readonly quantity: string;
    readonly check?: boolean;
  },
): { readonly order: StopOrder } | { readonly rejection: Rejection } {
  const { side, orderType } = params;
  const tick = new Dec(rules.tickSize);
  const sell = side === "SELL";
  const level = new Dec(input.level);
  if (level.lte(0)) {
    return {
      rejection: {
        rule: "distance",
        message:
          `Stop price ${input.level} is not positive: the distance is larger than the price ${input.price}`,
      },
    };
  }
  let gap = new Dec(0);
  if (orderType === "LIMIT") {
    // T2/T3: a percent gap is pct/100 of the level, rounded up to whole ticks so the trigger is
    // strictly beyond the limit (a triggered SELL limit above the market may never fill)
    gap = params.triggerGap === undefined
      ? tick
      : new Dec(roundToStep(absoluteOf(params.triggerGap, level).toFixed(), rules.tickSize, "ceil"));
  }
  let stop = sell ? level.plus(gap) : level.minus(gap);
  let limit: Decimal | undefined = orderType === "LIMIT" ? level : undefined;
  const adjusted: StopAdjustment[] = [];
  // Binance refuses a stop that would trigger at once (-2010); keep it at least one tick away
  const bound = new Dec(
    roundToStep(
      (sell ? new Dec(input.price).minus(tick) : new Dec(input.price).plus(tick)).toFixed(),
      rules.tickSize,
      sell ? "floor" : "ceil",
    ),
  );
  if (sell ? stop.gt(bound) : stop.lt(bound)) {
    const shift = stop.minus(bound);
    stop = bound;
    if (limit) limit = limit.minus(shift);
    adjusted.push("would-trigger");
  }
  if (stop.lte(0) || (limit && limit.lte(0))) {
    return {
      rejection: {
        rule: "would-trigger",
        message: `No stop below the price ${input.price} fits: the trigger would be ${stop.toFixed()}`,
      },
    };
  }
  const band = sell ? rules.percentSell : rules.percentBuy;
  if (limit && band) {
    // the limit of a far stop may leave the PERCENT_PRICE band; pull it in, never past the trigger
    const lo = new Dec(roundToStep(new Dec(input.price).times(band.down).toFixed(), rules.tickSize, "ceil"));
    const hi = new Dec(roundToStep(new Dec(input.price).times(band.up).toFixed(), rules.tickSize, "floor"));
    if (sell && limit.lt(lo) && lo.lte(stop)) {
      limit = lo;
      adjusted.push("percent-price");
    } else if (!sell && limit.gt(hi) && hi.gte(stop)) {
      limit = hi;
      adjusted.push("percent-price");
    }
  }
  const decimals = new Dec(rules.tickSize).decimalPlaces();
  const order: StopOrder = {
    side,
    type: stopWireType(rules.venue, orderType),
    stopPrice: stop.toFixed(decimals),
    ...(limit ? { limitPrice: limit.toFixed(decimals) } : {}),
    quantity: input.quantity,
    ...(adjusted.length ? { adjusted } : {}),
  };
  if (input.check === false) return { order };
  const rejection = checkStopOrder(rules, order, input.price);
  return rejection ? { rejection } : { order };
}

type Decimal = InstanceType<typeof Dec>;
