/**
 * Exact decimal helpers for prices and quantities (on decimal.js): round to an exchange filter's
 * tick/step, format with exactly the filter's decimals, never in exponent notation.
 *
 * Binance sends `tickSize` / `stepSize` as decimal strings (`"0.01000000"` on spot, `"0.10"` on
 * USDⓈ-M) and rejects exponent notation (`-1100 ILLEGAL_CHARS`) and too many decimals
 * (`-1111 BAD_PRECISION`). The number of decimals is derived from the significant part of the
 * step (`"0.00100000"` → 3), not from its string length and not from `pricePrecision` /
 * `baseAssetPrecision` (which are not the tick).
 *
 * Inputs: a decimal string (`"123.45"`, `"-0.5"`, `".5"`, `"1e-7"`; no hex, no `Infinity`, no
 * surrounding spaces) or a finite number (read through its shortest round-trip string, so
 * `0.1 + 0.2` is `0.30000000000000004`). A wrong type or a string that is not a decimal number is
 * a `TypeError`; a number that is `NaN`/infinite, or a step that is not positive, is a
 * `RangeError`. Messages name the argument.
 *
 * @module
 */

import { Decimal } from "decimal.js";

/** Rounding direction for {@link roundToStep}. */
export type RoundingMode = "floor" | "ceil" | "nearest";

/** A decimal value as accepted by the helpers of this module. */
export type DecimalInput = string | number;

// Private constructor: exact enough for any exchange value, never switches to exponent notation,
// and leaves the global decimal.js configuration of the application untouched.
const D: typeof Decimal = Decimal.clone({ precision: 200, toExpNeg: -9e15, toExpPos: 9e15 });

const DECIMAL_STRING = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const MODES: Readonly<Record<RoundingMode, Decimal.Rounding>> = {
  floor: Decimal.ROUND_FLOOR,
  ceil: Decimal.ROUND_CEIL,
  // ties go away from zero: 2.5 ticks -> 3 ticks
  nearest: Decimal.ROUND_HALF_UP,
};

function toDecimal(name: string, value: unknown): Decimal {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new RangeError(`Invalid ${name}: expected a finite number, got ${value}`);
    }
    return new D(value);
  }
  if (typeof value === "string") {
    if (!DECIMAL_STRING.test(value)) {
      throw new TypeError(`Invalid ${name}: expected a decimal number, got ${JSON.stringify(value)}`);
    }
    return new D(value);
  }
  throw new TypeError(
    `Invalid ${name}: expected a string or number, got ${value === null ? "null" : typeof value}`,
  );
}

function positiveStep(step: unknown): Decimal {
  if (typeof step !== "string") {
    throw new TypeError(
      `Invalid step: expected a decimal string, got ${step === null ? "null" : typeof step}`,
    );
  }
  const s = toDecimal("step", step);
  if (!s.isPositive() || s.isZero()) throw new RangeError(`Invalid step: expected a value > 0, got ${step}`);
  return s;
}

/** Plain notation of a finite Decimal, without exponent and without a negative zero. */
function plain(d: Decimal, decimals?: number): string {
  const z = d.isZero() ? d.abs() : d;
  return decimals === undefined ? z.toFixed() : z.toFixed(decimals);
}

/**
 * Number of decimals of a tick or step: fractional digits without trailing zeros.
 *
 * @param step A decimal string such as `"0.00100000"`.
 * @returns `3` for `"0.00100000"`, `0` for `"1.00000000"` or `"10"`, `8` for `"1e-8"`.
 * @throws {TypeError} If `step` is not a decimal string.
 *
 * @example
 * ```ts
 * import { decimalsOf } from "./decimal.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(decimalsOf("0.01000000"), 2);
 * assertEquals(decimalsOf("0.10"), 1);
 * ```
 */
export function decimalsOf(step: string): number {
  if (typeof step !== "string") {
    throw new TypeError(
      `Invalid step: expected a decimal string, got ${step === null ? "null" : typeof step}`,
    );
  }
  return toDecimal("step", step).decimalPlaces();
}

/**
 * Rounds a price or quantity to a multiple of a tick/step and formats it with exactly the step's
 * decimals, never in exponent notation.
 *
 * Use `"floor"` for quantities (never round a SELL quantity up past the balance), `"ceil"` for
 * buy-side protective prices, `"nearest"` (ties away from zero) when either direction is fine.
 * Re-check min/max and notional filters afterwards.
 *
 * @param value The price or quantity.
 * @param step The filter's `tickSize` / `stepSize` (a positive decimal string).
 * @param mode Rounding direction: `"floor"` (toward −∞), `"ceil"` (toward +∞) or `"nearest"`.
 * @returns The rounded value with exactly {@link decimalsOf}(`step`) decimals.
 * @throws {TypeError} If `value` or `step` is not a decimal string / number, or `mode` is unknown.
 * @throws {RangeError} If `value` is `NaN` or infinite, or `step` is not > 0.
 *
 * @example
 * ```ts
 * import { roundToStep } from "./decimal.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(roundToStep(0.0007856509959147719, "0.00001000", "floor"), "0.00078");
 * assertEquals(roundToStep("55000", "0.01000000", "floor"), "55000.00");
 * assertEquals(roundToStep("0.000000123", "0.00000001", "ceil"), "0.00000013");
 * ```
 */
export function roundToStep(value: DecimalInput, step: string, mode: RoundingMode): string {
  const v = toDecimal("value", value);
  const s = positiveStep(step);
  if (typeof mode !== "string" || !Object.hasOwn(MODES, mode)) {
    throw new TypeError(`Invalid mode: expected "floor", "ceil" or "nearest", got ${JSON.stringify(mode)}`);
  }
  const multiples = v.div(s).toDecimalPlaces(0, MODES[mode]);
  return plain(multiples.times(s), s.decimalPlaces());
}

/**
 * Writes a decimal in plain notation: no exponent, no trailing fractional zeros, no `+`, no `-0`.
 *
 * @param value A decimal string or finite number (`1e-7`, `"1.50000000"`, `0.1 + 0.2`).
 * @returns The canonical plain string (`"0.0000001"`, `"1.5"`, `"0.30000000000000004"`).
 * @throws {TypeError} If `value` is not a decimal string or number.
 * @throws {RangeError} If `value` is `NaN` or infinite.
 *
 * @example
 * ```ts
 * import { toPlainString } from "./decimal.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(toPlainString(1e-7), "0.0000001");
 * assertEquals(toPlainString("0.01000000"), "0.01");
 * ```
 */
export function toPlainString(value: DecimalInput): string {
  return plain(toDecimal("value", value));
}

/**
 * Compares two decimals exactly (`"0.10"` equals `"0.1"`).
 *
 * @param a First value.
 * @param b Second value.
 * @returns `-1` if `a < b`, `0` if equal, `1` if `a > b`.
 * @throws {TypeError} If either is not a decimal string or number.
 * @throws {RangeError} If either is `NaN` or infinite.
 *
 * @example
 * ```ts
 * import { compareDecimal } from "./decimal.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(compareDecimal("0.10", 0.1), 0);
 * assertEquals(compareDecimal("9.99", "10"), -1);
 * ```
 */
export function compareDecimal(a: DecimalInput, b: DecimalInput): -1 | 0 | 1 {
  return toDecimal("a", a).comparedTo(toDecimal("b", b)) as -1 | 0 | 1;
}

/**
 * Tells whether a value is an exact multiple of a tick/step (the filter rule `value % step == 0`).
 *
 * @param value The price or quantity.
 * @param step The filter's `tickSize` / `stepSize` (a positive decimal string).
 * @returns `true` when Binance's filter would accept the value's granularity.
 * @throws {TypeError} If `value` or `step` is not a decimal string / number.
 * @throws {RangeError} If `value` is `NaN` or infinite, or `step` is not > 0.
 *
 * @example
 * ```ts
 * import { isMultipleOfStep } from "./decimal.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(isMultipleOfStep("0.0086", "0.00010000"), true);
 * assertEquals(isMultipleOfStep("0.00865", "0.00010000"), false);
 * ```
 */
export function isMultipleOfStep(value: DecimalInput, step: string): boolean {
  const v = toDecimal("value", value);
  return v.mod(positiveStep(step)).isZero();
}
