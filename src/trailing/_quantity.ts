/**
 * Quantities of the trailing engine: what the stop may sell (free balance plus what the own stop
 * already locks, minus the keep threshold and the commission), and average fill prices over all
 * fills.
 *
 * @module
 */
import { roundToStep } from "../core/decimal.ts";
import { absoluteOf, Dec, parseAmount } from "./_amount.ts";
import type { Rejection, SymbolRules } from "./_rules.ts";

/** Input of {@link stopQuantity}. */
export interface StopQuantityInput {
  /** Free balance of the asset the stop sells (spot/margin: base asset) or the position size (futures). */
  readonly free: string;
  /** What the engine's own open stop already locks (it is released by the replace); default `"0"`. */
  readonly lockedByOwnStop?: string;
  /** Amount not to sell: `"20%"` of free + locked, or an absolute `"0.5"` (Python `keep_threshold`). */
  readonly keepThreshold?: string;
  /** Commission rate reserved from the quantity as a fraction (`"0.001"` = 0.1 %; from `account/commission`); default `"0"`. */
  readonly commissionRate?: string;
  /** Symbol rules. */
  readonly rules: SymbolRules;
  /** `MARKET` stops (STOP_LOSS / STOP_MARKET) floor to `MARKET_LOT_SIZE.stepSize` when it is set. */
  readonly orderType?: "LIMIT" | "MARKET";
}

/** Result of {@link stopQuantity}. */
export type QuantityResult =
  | { readonly ok: true; readonly quantity: string }
  | ({ readonly ok: false } & Rejection);

const PLAIN = /^(?:\d+\.?\d*|\.\d+)$/;

function plainInput(name: string, v: string | undefined, fallback?: string): string {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== "string" || !PLAIN.test(v)) {
    throw new TypeError(
      `Invalid ${name}: expected a non-negative plain decimal string, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

/**
 * The quantity a stop protects: `(free + lockedByOwnStop − keep) × (1 − commissionRate)`, floored
 * to the step, in plain notation (never `1e-7`).
 *
 * @param input Balances, keep threshold, commission rate and rules.
 * @returns `{ ok: true, quantity }` or `{ ok: false, rule, message }` when nothing is left to protect.
 * @throws {TypeError} If a balance or rate is not a plain decimal string, or the keep threshold is malformed.
 *
 * @example Python's example: 0.12345678 BTC free, 0.1 % fee, step 0.00001
 * ```ts
 * import { stopQuantity } from "./_quantity.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const rules = { stepSize: "0.00001", minQty: "0.00001" } as never;
 * assertEquals(stopQuantity({ free: "0.12345678", commissionRate: "0.001", rules }),
 *   { ok: true, quantity: "0.12333" });
 * ```
 */
export function stopQuantity(input: StopQuantityInput): QuantityResult {
  const free = new Dec(plainInput("free", input.free));
  const locked = new Dec(plainInput("lockedByOwnStop", input.lockedByOwnStop, "0"));
  const rate = new Dec(plainInput("commissionRate", input.commissionRate, "0"));
  if (rate.gte(1)) {
    throw new RangeError(`Invalid commissionRate: expected a fraction below 1, got ${input.commissionRate}`);
  }
  const total = free.plus(locked);
  let sellable = total;
  if (input.keepThreshold !== undefined && input.keepThreshold.trim() !== "") {
    const keep = absoluteOf(parseAmount(input.keepThreshold, "keepThreshold", true), total);
    if (keep.gte(total)) {
      return {
        ok: false,
        rule: "keepThreshold",
        message:
          `Nothing to protect: keepThreshold ${input.keepThreshold} (${keep.toFixed()}) is not below the balance ${total.toFixed()}`,
      };
    }
    sellable = total.minus(keep);
  }
  sellable = sellable.times(new Dec(1).minus(rate));
  const step = input.orderType === "MARKET" && input.rules.marketStepSize
    ? input.rules.marketStepSize
    : input.rules.stepSize;
  const quantity = roundToStep(sellable.toFixed(), step, "floor");
  if (new Dec(quantity).isZero() || new Dec(quantity).lt(input.rules.minQty ?? "0")) {
    return {
      ok: false,
      rule: "LOT_SIZE",
      message:
        `Nothing to protect: quantity ${quantity} from balance ${total.toFixed()} is below minQty ${input.rules.minQty} (stepSize ${step})`,
    };
  }
  return { ok: true, quantity };
}

/** One fill of an order response (`fills[]`). */
export interface Fill {
  /** Fill price. */
  readonly price: string;
  /** Filled quantity. */
  readonly qty: string;
}

/** Quantity and average price over all fills. */
export interface FillSummary {
  /** Sum of the fill quantities. */
  readonly quantity: string;
  /** Sum of price × qty. */
  readonly quoteQuantity: string;
  /** Volume-weighted average price (on tick, nearest, when rules are given; else exact to 16 decimals). */
  readonly averagePrice: string;
}

function average(
  quote: InstanceType<typeof Dec>,
  qty: InstanceType<typeof Dec>,
  rules?: Pick<SymbolRules, "tickSize">,
): string {
  const avg = quote.div(qty);
  return rules ? roundToStep(avg.toFixed(), rules.tickSize, "nearest") : avg.toDecimalPlaces(16).toFixed();
}

/**
 * Averages the fills of the jump-in buy over ALL fills (Python took `fills[0].price`, T20).
 *
 * @param fills The `fills` of the order response.
 * @param rules Optional rules to round the average to the tick.
 * @returns Quantity, quote quantity and average price.
 * @throws {RangeError} If there are no fills or their quantities sum to 0.
 * @throws {TypeError} If a price or quantity is not a plain decimal string.
 *
 * @example
 * ```ts
 * import { jumpInFill } from "./_quantity.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const fills = [{ price: "100", qty: "1" }, { price: "110", qty: "3" }];
 * assertEquals(jumpInFill(fills).averagePrice, "107.5");
 * ```
 */
export function jumpInFill(fills: readonly Fill[], rules?: Pick<SymbolRules, "tickSize">): FillSummary {
  if (!Array.isArray(fills) || fills.length === 0) {
    throw new RangeError("Invalid fills: expected at least one fill");
  }
  let qty = new Dec(0);
  let quote = new Dec(0);
  for (const [i, f] of fills.entries()) {
    const p = plainInput(`fills[${i}].price`, f?.price);
    const q = plainInput(`fills[${i}].qty`, f?.qty);
    qty = qty.plus(q);
    quote = quote.plus(new Dec(p).times(q));
  }
  if (qty.isZero()) throw new RangeError("Invalid fills: the quantities sum to 0");
  return {
    quantity: qty.toFixed(),
    quoteQuantity: quote.toFixed(),
    averagePrice: average(quote, qty, rules),
  };
}

/**
 * The average fill price of an order from its cumulative quote quantity (`Z`) and cumulative
 * filled quantity (`z`) of an executionReport (futures: `ap` is already the average).
 *
 * @param cumulativeQuote `Z`.
 * @param cumulativeQuantity `z`.
 * @param rules Optional rules to round to the tick.
 * @returns The average price.
 * @throws {TypeError} If an argument is not a plain decimal string.
 * @throws {RangeError} If `cumulativeQuantity` is 0.
 *
 * @example
 * ```ts
 * import { averageFillPrice } from "./_quantity.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(averageFillPrice("6402.50", "0.1"), "64025");
 * ```
 */
export function averageFillPrice(
  cumulativeQuote: string,
  cumulativeQuantity: string,
  rules?: Pick<SymbolRules, "tickSize">,
): string {
  const quote = new Dec(plainInput("cumulativeQuote", cumulativeQuote));
  const qty = new Dec(plainInput("cumulativeQuantity", cumulativeQuantity));
  if (qty.isZero()) throw new RangeError("Invalid cumulativeQuantity: nothing was filled");
  return average(quote, qty, rules);
}
