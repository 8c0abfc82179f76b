/**
 * Exact conversion between decimal strings and integer units (price ticks, quantity steps).
 * Everything the simulator stores is an integer count of units; strings appear only on the wire.
 *
 * @module
 */

/** Number of fractional digits of a decimal string, trailing zeros ignored ("0.00100000" → 3). */
export function decimalsOf(step: string): number {
  const dot = step.indexOf(".");
  if (dot < 0) return 0;
  const frac = step.slice(dot + 1).replace(/0+$/, "");
  return frac.length;
}

/** Formats `units` × 10^-decimals with exactly `width` fractional digits (width >= decimals). */
export function formatUnits(units: number, decimals: number, width: number = decimals): string {
  const neg = units < 0;
  let digits = Math.abs(Math.round(units)).toString();
  if (decimals > 0) {
    digits = digits.padStart(decimals + 1, "0");
    const int = digits.slice(0, digits.length - decimals);
    const frac = (digits.slice(digits.length - decimals) + "0".repeat(width - decimals)).slice(0, width);
    return (neg ? "-" : "") + int + (width > 0 ? "." + frac : "");
  }
  return (neg ? "-" : "") + digits + (width > 0 ? "." + "0".repeat(width) : "");
}

/**
 * Parses a plain decimal string into integer units of 10^-decimals.
 *
 * @returns the units, `null` for malformed text (exponents, signs, letters), or `NaN` when the
 * value has more non-zero fractional digits than `decimals` (a precision error)
 */
export function parseUnits(text: string, decimals: number): number | null {
  if (!/^\d+(\.\d+)?$/.test(text) && !/^\.\d+$/.test(text)) return null;
  const [intPart = "0", fracPart = ""] = text.split(".");
  const frac = fracPart.replace(/0+$/, "");
  if (frac.length > decimals) return NaN;
  const v = Number((intPart || "0") + frac.padEnd(decimals, "0"));
  return Number.isSafeInteger(v) ? v : NaN;
}
