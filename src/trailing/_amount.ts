/**
 * Amounts written the way UBTSL writes them (`"1.5%"` of a reference, or `"50"` absolute) and the
 * exact decimal arithmetic the trailing engine does on them.
 *
 * @module
 */
import { Decimal } from "decimal.js";

/** A percent of a reference value or an absolute amount, both as plain decimal strings. */
export interface Amount {
  /** `"percent"` for `"1.5%"`, `"absolute"` for `"50"`. */
  readonly kind: "percent" | "absolute";
  /** The number without the `%` sign, as a plain decimal string (`"1.5"`, `"50"`). */
  readonly value: string;
}

// Exchange values have at most ~20 significant digits; products and sums of two stay below 60, so
// 60 digits keep every engine result exact (divisions by 100 and by a step are exact too) and
// are faster than core/decimal.ts's 200. The global decimal.js configuration is left alone.
/** The engine's decimal.js constructor (precision 60, never exponent notation). */
export const Dec: typeof Decimal = Decimal.clone({ precision: 60, toExpNeg: -9e15, toExpPos: 9e15 });

const PLAIN = /^(?:\d+\.?\d*|\.\d+)$/;

/**
 * Parses `"1.5%"` (percent) or `"50"` (absolute); spaces around the number are allowed, exponent
 * notation and signs are not.
 *
 * @param text The amount as written in a profile, a flag or an option.
 * @param field The option's name, used in the error message.
 * @param allowZero Whether `"0"` / `"0%"` is accepted (a trigger gap or keep threshold may be 0).
 * @returns The parsed amount.
 * @throws {TypeError} If `text` is not a string or not a plain non-negative decimal (with `%`).
 * @throws {RangeError} If the amount is zero and `allowZero` is false, or a percent is ≥ 100.
 *
 * @example
 * ```ts
 * import { parseAmount } from "./_amount.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(parseAmount("1.5%", "distance"), { kind: "percent", value: "1.5" });
 * assertEquals(parseAmount("50", "distance"), { kind: "absolute", value: "50" });
 * ```
 */
export function parseAmount(text: string, field: string, allowZero = false): Amount {
  if (typeof text !== "string") {
    throw new TypeError(`Invalid ${field}: expected a string like "1.5%" or "50", got ${typeof text}`);
  }
  const trimmed = text.trim();
  const percent = trimmed.endsWith("%");
  const number = (percent ? trimmed.slice(0, -1) : trimmed).trim();
  if (!PLAIN.test(number)) {
    throw new TypeError(
      `Invalid ${field}: expected a percent like "1.5%" or an absolute amount like "50", got ${
        JSON.stringify(text)
      }`,
    );
  }
  const value = new Dec(number);
  if (value.isZero() && !allowZero) throw new RangeError(`Invalid ${field}: must be greater than 0`);
  if (percent && value.gte(100)) throw new RangeError(`Invalid ${field}: a percent must be below 100%`);
  return { kind: percent ? "percent" : "absolute", value: value.toFixed() };
}

/**
 * The amount as an absolute value: a percent of `reference`, or the absolute value itself.
 *
 * @param amount The amount.
 * @param reference The value a percent refers to.
 * @returns The absolute amount (exact).
 *
 * @example
 * ```ts
 * import { absoluteOf } from "./_amount.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(absoluteOf({ kind: "percent", value: "1.5" }, "65000").toFixed(), "975");
 * ```
 */
export function absoluteOf(amount: Amount, reference: Decimal.Value): Decimal {
  const v = new Dec(amount.value);
  return amount.kind === "percent" ? new Dec(reference).times(v).div(100) : v;
}

/**
 * Writes an amount back the way it was read (`"1.5%"`, `"50"`).
 *
 * @param amount The amount.
 * @returns Its text.
 *
 * @example
 * ```ts
 * import { formatAmount } from "./_amount.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(formatAmount({ kind: "percent", value: "1.5" }), "1.5%");
 * ```
 */
export function formatAmount(amount: Amount): string {
  return amount.kind === "percent" ? `${amount.value}%` : amount.value;
}
