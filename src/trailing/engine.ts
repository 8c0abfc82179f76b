/**
 * The trailing stop engine: pure decisions on exact decimals, no I/O. The I/O shell
 * (`BinanceTrailingStopLossManager`) feeds it prices and balances and sends what it decides.
 *
 * ## API (stable; the manager builds on it)
 *
 * ```
 * symbolRules(info, venue)                       → SymbolRules   tick/step/notional/percent/trailing-delta
 * trailConfig(options)                           → TrailConfig   validated, amounts parsed (zod, strict)
 * initialTrail(config, rules, start)             → TrailDecision first stop: place (or blocked)
 * onPrice(state, tick, config, rules)            → TrailDecision ratchet: none | place | replace | blocked
 * afterPartialFill(state, executedQty, rules)    → TrailState    the stop keeps only the rest
 * stopQuantity({ free, lockedByOwnStop, keepThreshold, commissionRate, rules, orderType })
 *                                                → QuantityResult
 * nativeTrail(config, rules, price)              → NativeTrailResult  trailingDelta (BIPS) / callbackRate or why not
 * jumpInFill(fills, rules?)                      → FillSummary   VWAP over all fills
 * averageFillPrice(cumQuote, cumQty, rules?)     → string        from executionReport Z / z
 * priceSource(venue, side, source)              → PriceSourceSpec   stream + field to read
 * priceFromEvent(spec, event)                    → PriceReading | undefined
 * classifyOrderError({ code, status, message })  → OrderErrorClass   retry / recompute / stop
 * ownClientOrderId(prefix, seq) / isOwnOrder(prefix, clientOrderId)
 * ```
 *
 * Every `TrailDecision` is `{ state, action, keep }`: `state` is the engine state once the action
 * succeeded on the exchange, `keep` the state to go on with when it did not (the best price seen
 * is kept, the stop is not). `none` and `blocked` actions have `state === keep`. States are plain
 * JSON (strings and numbers), so a state file can hold them and a restart resumes the same trail.
 *
 * Rules: the stop only moves in the position's favour (SELL stop up, BUY stop down); a move needs
 * at least `minStep` (default one tick) and `debounceMs` since the last move; every price is on
 * tick (SELL levels floored, BUY levels ceiled), every quantity on step; a trigger that would
 * fire at once is moved one tick away from the price; the order is checked against
 * `PRICE_FILTER`, `LOT_SIZE`, `MARKET_LOT_SIZE`, `MIN_NOTIONAL`, `NOTIONAL` and `PERCENT_PRICE`
 * before the manager sends it, and a failure is a `blocked` action naming the filter.
 *
 * @module
 */
import { z } from "zod";
import { compareDecimal, toPlainString } from "../core/decimal.ts";
import { absoluteOf, type Amount, Dec, parseAmount } from "./_amount.ts";
import type { Rejection, SymbolRules } from "./_rules.ts";
import { computeStop, stopLevel, type StopOrder, type StopOrderType, type StopSide } from "./_stop.ts";

export { type Amount, formatAmount, parseAmount } from "./_amount.ts";
export {
  checkStopOrder,
  type PercentBand,
  type Rejection,
  type SymbolRules,
  symbolRules,
  type TrailingDeltaBounds,
  type Venue,
} from "./_rules.ts";
export {
  computeStop,
  type StopAdjustment,
  stopLevel,
  type StopOrder,
  type StopOrderType,
  type StopParameters,
  type StopSide,
  type StopWireType,
  stopWireType,
} from "./_stop.ts";
export {
  averageFillPrice,
  type Fill,
  type FillSummary,
  jumpInFill,
  type QuantityResult,
  stopQuantity,
  type StopQuantityInput,
} from "./_quantity.ts";
export { type NativeTrail, nativeTrail, type NativeTrailConfig, type NativeTrailResult } from "./_native.ts";
export {
  classifyOrderError,
  isOwnOrder,
  type OrderErrorClass,
  ownClientOrderId,
  priceFromEvent,
  type PriceReading,
  type PriceSource,
  priceSource,
  type PriceSourceSpec,
} from "./_source.ts";

/** Options of a trail, as a user writes them (`trailConfig` validates and parses them). */
export interface TrailOptions {
  /** `SELL` protects a long position (stop below the price), `BUY` a short one (stop above). */
  readonly side: StopSide;
  /** Trail distance: `"1.5%"` of the reference price or `"50"` quote units (Python `stop_loss_limit`). */
  readonly distance: string;
  /** Distance of the first stop only (Python `stop_loss_start_limit`); default `distance`. */
  readonly startDistance?: string;
  /** Limit stops: trigger this far beyond the limit, `"0.05%"` of the stop level or `"0.01"`; default one tick. */
  readonly triggerGap?: string;
  /** `LIMIT` (default: STOP_LOSS_LIMIT / STOP) or `MARKET` (STOP_LOSS / STOP_MARKET) once triggered. */
  readonly orderType?: StopOrderType;
  /** Smallest move of the stop worth a replace: `"0.1%"` of the price or `"5"`; default one tick. */
  readonly minStep?: string;
  /** Least time between two moves, in ms; default 0. */
  readonly debounceMs?: number;
  /** Futures native trail: activation price of the `TRAILING_STOP_MARKET` order. */
  readonly activationPrice?: string;
}

/** A validated trail configuration (amounts parsed). */
export interface TrailConfig {
  /** Stop side. */
  readonly side: StopSide;
  /** Trail distance. */
  readonly distance: Amount;
  /** Distance of the first stop. */
  readonly startDistance?: Amount;
  /** Trigger gap of limit stops (absent: one tick). */
  readonly triggerGap?: Amount;
  /** LIMIT or MARKET. */
  readonly orderType: StopOrderType;
  /** Minimum move (absent: one tick). */
  readonly minStep?: Amount;
  /** Debounce in ms. */
  readonly debounceMs: number;
  /** Activation price of a futures native trail. */
  readonly activationPrice?: string;
}

const DECIMAL = /^(?:\d+\.?\d*|\.\d+)$/;

const OptionsSchema: z.ZodType<TrailOptions> = z.object({
  side: z.enum(["SELL", "BUY"]),
  distance: z.string(),
  startDistance: z.string().optional(),
  triggerGap: z.string().optional(),
  orderType: z.enum(["LIMIT", "MARKET"]).optional(),
  minStep: z.string().optional(),
  debounceMs: z.number().int().min(0).optional(),
  activationPrice: z.string().regex(DECIMAL, "expected a plain decimal string").optional(),
}).strict();

/**
 * Validates trail options and parses their amounts.
 *
 * @param options The options.
 * @returns The configuration the engine functions take.
 * @throws {TypeError} On an unknown key, a wrong type or an amount that is not `"1.5%"` / `"50"`;
 *   the message names the option and the rule.
 * @throws {RangeError} On a zero distance or a percent ≥ 100.
 *
 * @example
 * ```ts
 * import { trailConfig } from "./engine.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * assertEquals(trailConfig({ side: "SELL", distance: "1.5%" }).distance, { kind: "percent", value: "1.5" });
 * assertThrows(() => trailConfig({ side: "SELL", distance: "1%", gap: "1" } as never), TypeError, "gap");
 * ```
 */
export function trailConfig(options: TrailOptions): TrailConfig {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const keys = issue.code === "unrecognized_keys" ? (issue as { keys: string[] }).keys.join(", ") : "";
    const field = keys || issue.path.join(".") || "options";
    throw new TypeError(`Invalid trail option ${field}: ${issue.message}`);
  }
  const o = parsed.data;
  return {
    side: o.side,
    distance: parseAmount(o.distance, "distance"),
    ...(o.startDistance !== undefined
      ? { startDistance: parseAmount(o.startDistance, "startDistance") }
      : {}),
    ...(o.triggerGap !== undefined ? { triggerGap: parseAmount(o.triggerGap, "triggerGap", true) } : {}),
    orderType: o.orderType ?? "LIMIT",
    ...(o.minStep !== undefined ? { minStep: parseAmount(o.minStep, "minStep", true) } : {}),
    debounceMs: o.debounceMs ?? 0,
    ...(o.activationPrice !== undefined ? { activationPrice: toPlainString(o.activationPrice) } : {}),
  };
}

/** The engine's state (plain JSON). */
export interface TrailState {
  /** Stop side. */
  readonly side: StopSide;
  /** Best reference price seen (highest for SELL, lowest for BUY). */
  readonly best: string;
  /** Quantity to protect, on step. */
  readonly quantity: string;
  /** The stop on the book; absent before the first placement succeeded. */
  readonly stop?: StopOrder;
  /** The stop-loss level the stop was computed from (before clamps), on tick. */
  readonly level?: string;
  /** Time (ms) of the last placement or move. */
  readonly changedAt?: number;
}

/** A price update. */
export interface PriceTick {
  /** Reference price (decimal string). */
  readonly price: string;
  /** Time in ms (event time or the clock). */
  readonly time: number;
}

/** Why nothing is sent. */
export type NoneReason = "not-better" | "min-step" | "debounce";

/** What to send. */
export type TrailAction =
  | { readonly kind: "none"; readonly reason: NoneReason; readonly retryAt?: number }
  | { readonly kind: "place"; readonly order: StopOrder; readonly reason: "initial" | "no-stop" }
  | {
    readonly kind: "replace";
    readonly order: StopOrder;
    readonly previous: StopOrder;
    readonly reason: "ratchet";
  }
  | { readonly kind: "blocked"; readonly rule: string; readonly message: string };

/** An engine decision. */
export interface TrailDecision {
  /** State once `action` succeeded. */
  readonly state: TrailState;
  /** What to send. */
  readonly action: TrailAction;
  /** State to go on with when `action` failed (or was not sent). */
  readonly keep: TrailState;
}

/** Start of a trail. */
export interface TrailStart {
  /** Current reference price. */
  readonly price: string;
  /** Current time in ms. */
  readonly time: number;
  /** Quantity to protect (from `stopQuantity`). */
  readonly quantity: string;
  /** A fixed first stop-loss level (Python `stop_loss_price`); default: from `startDistance`/`distance`. */
  readonly stopLossPrice?: string;
}

function checkPrice(name: string, v: string): string {
  if (typeof v !== "string" || !DECIMAL.test(v) || compareDecimal(v, "0") <= 0) {
    throw new TypeError(
      `Invalid ${name}: expected a positive plain decimal string, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function checkTime(v: number): number {
  if (!Number.isFinite(v)) throw new TypeError(`Invalid time: expected a finite number of ms, got ${v}`);
  return v;
}

function blocked(state: TrailState, r: Rejection): TrailDecision {
  return { state, keep: state, action: { kind: "blocked", rule: r.rule, message: r.message } };
}

/**
 * The first stop of a trail.
 *
 * @param config Trail configuration.
 * @param rules Symbol rules.
 * @param start Price, time, quantity and an optional fixed first level.
 * @returns A `place` decision, or `blocked` naming the filter that refuses every valid stop.
 * @throws {TypeError} If a price, quantity or time is malformed.
 *
 * @example Python's example: 65000, 1.5 %, gap 0.01
 * ```ts
 * import { initialTrail, symbolRules, trailConfig } from "./engine.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const rules = symbolRules({ symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT", filters: [
 *   { filterType: "PRICE_FILTER", minPrice: "0.01", maxPrice: "1000000", tickSize: "0.01" },
 *   { filterType: "LOT_SIZE", minQty: "0.00001", maxQty: "9000", stepSize: "0.00001" },
 * ] }, "spot");
 * const config = trailConfig({ side: "SELL", distance: "1.5%", triggerGap: "0.01" });
 * const d = initialTrail(config, rules, { price: "65000", time: 0, quantity: "0.5" });
 * assertEquals(d.action.kind === "place" && [d.action.order.stopPrice, d.action.order.limitPrice],
 *   ["64025.01", "64025.00"]);
 * ```
 */
export function initialTrail(config: TrailConfig, rules: SymbolRules, start: TrailStart): TrailDecision {
  const price = checkPrice("price", start.price);
  const quantity = checkPrice("quantity", start.quantity);
  const time = checkTime(start.time);
  const keep: TrailState = { side: config.side, best: toPlainString(price), quantity };
  const level = start.stopLossPrice !== undefined
    ? stopLevel(config.side, checkPrice("stopLossPrice", start.stopLossPrice), {
      kind: "absolute",
      value: "0",
    }, rules.tickSize)
    : stopLevel(config.side, price, config.startDistance ?? config.distance, rules.tickSize);
  const r = computeStop(config, rules, { level, price, quantity });
  if ("rejection" in r) return blocked(keep, r.rejection);
  return {
    state: { ...keep, stop: r.order, level, changedAt: time },
    keep,
    action: { kind: "place", order: r.order, reason: "initial" },
  };
}

/**
 * One price update: ratchets the stop when the best price moved far enough and the debounce has
 * passed; places a stop when there is none yet (a failed first placement).
 *
 * @param state Current state.
 * @param tick The price update.
 * @param config Trail configuration.
 * @param rules Symbol rules.
 * @returns The decision.
 * @throws {TypeError} If the price or time is malformed.
 *
 * @example
 * ```ts
 * import { initialTrail, onPrice, symbolRules, trailConfig } from "./engine.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const rules = symbolRules({ symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT", filters: [
 *   { filterType: "PRICE_FILTER", minPrice: "0.01", maxPrice: "1000000", tickSize: "0.01" },
 *   { filterType: "LOT_SIZE", minQty: "0.00001", maxQty: "9000", stepSize: "0.00001" },
 * ] }, "spot");
 * const config = trailConfig({ side: "SELL", distance: "50", orderType: "MARKET" });
 * const first = initialTrail(config, rules, { price: "1000", time: 0, quantity: "1" }).state;
 * const up = onPrice(first, { price: "1010", time: 1 }, config, rules);
 * assertEquals(up.action.kind === "replace" && up.action.order.stopPrice, "960.00");
 * const down = onPrice(up.state, { price: "990", time: 2 }, config, rules);
 * assertEquals(down.action, { kind: "none", reason: "not-better" });
 * ```
 */
export function onPrice(
  state: TrailState,
  tick: PriceTick,
  config: TrailConfig,
  rules: SymbolRules,
): TrailDecision {
  const price = checkPrice("price", tick.price);
  const time = checkTime(tick.time);
  const sell = state.side === "SELL";
  const cmp = compareDecimal(price, state.best);
  const best = (sell ? cmp > 0 : cmp < 0) ? toPlainString(price) : state.best;
  const keep: TrailState = { ...state, best };
  const level = stopLevel(state.side, best, config.distance, rules.tickSize);
  if (!state.stop) {
    const r = computeStop(config, rules, { level, price, quantity: state.quantity });
    if ("rejection" in r) return blocked(keep, r.rejection);
    return {
      state: { ...keep, stop: r.order, level, changedAt: time },
      keep,
      action: { kind: "place", order: r.order, reason: "no-stop" },
    };
  }
  const none = (reason: NoneReason, retryAt?: number): TrailDecision => ({
    state: keep,
    keep,
    action: retryAt === undefined ? { kind: "none", reason } : { kind: "none", reason, retryAt },
  });
  // most ticks are no new best: the level decides before anything else is computed
  const held = state.level ?? state.stop.limitPrice ?? state.stop.stopPrice;
  const levelGain = sell ? new Dec(level).minus(held) : new Dec(held).minus(level);
  if (levelGain.lte(0)) return none("not-better");
  // the filters are checked only for an order that passes the step and the debounce
  const draft = computeStop(config, rules, { level, price, quantity: state.quantity, check: false });
  if ("rejection" in draft) return blocked(keep, draft.rejection);
  const current = new Dec(state.stop.stopPrice);
  const candidate = new Dec(draft.order.stopPrice);
  const gain = sell ? candidate.minus(current) : current.minus(candidate);
  if (gain.lte(0)) return none("not-better");
  const minStep = config.minStep ? absoluteOf(config.minStep, price) : new Dec(rules.tickSize);
  if (gain.lt(minStep)) return none("min-step");
  if (state.changedAt !== undefined && time - state.changedAt < config.debounceMs) {
    return none("debounce", state.changedAt + config.debounceMs);
  }
  const r = computeStop(config, rules, { level, price, quantity: state.quantity });
  if ("rejection" in r) return blocked(keep, r.rejection);
  return {
    state: { ...keep, stop: r.order, level, changedAt: time },
    keep,
    action: { kind: "replace", order: r.order, previous: state.stop, reason: "ratchet" },
  };
}

/**
 * After a partial fill the order on the book keeps only the rest; the state follows it, so the
 * next move replaces the rest only.
 *
 * @param state Current state (with the stop that partly filled).
 * @param executedQuantity Cumulative filled quantity of that order (`z`).
 * @param rules Symbol rules.
 * @returns The state with the remaining quantity (floored to step).
 * @throws {TypeError} If `executedQuantity` is not a decimal string.
 * @throws {RangeError} If it exceeds the stop's quantity.
 *
 * @example
 * ```ts
 * import { afterPartialFill } from "./engine.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const state = { side: "SELL" as const, best: "100", quantity: "1.0", stop: { side: "SELL" as const, type: "STOP_LOSS" as const, stopPrice: "95.00", quantity: "1.0" } };
 * const rules = { stepSize: "0.1" } as never;
 * assertEquals(afterPartialFill(state, "0.3", rules).quantity, "0.7");
 * ```
 */
export function afterPartialFill(
  state: TrailState,
  executedQuantity: string,
  rules: SymbolRules,
): TrailState {
  if (typeof executedQuantity !== "string" || !DECIMAL.test(executedQuantity)) {
    throw new TypeError(
      `Invalid executedQuantity: expected a plain decimal string, got ${JSON.stringify(executedQuantity)}`,
    );
  }
  const total = new Dec(state.stop?.quantity ?? state.quantity);
  const rest = total.minus(executedQuantity);
  if (rest.lt(0)) {
    throw new RangeError(
      `Invalid executedQuantity: ${executedQuantity} exceeds the stop quantity ${total.toFixed()}`,
    );
  }
  const step = new Dec(rules.stepSize);
  const quantity = rest.div(step).floor().times(step).toFixed(step.decimalPlaces());
  return { ...state, quantity, ...(state.stop ? { stop: { ...state.stop, quantity } } : {}) };
}
