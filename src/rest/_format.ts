/**
 * Parameter value formatting shared by REST request building and WebSocket-API signing.
 *
 * Binance rejects exponent notation (`1e-7` → `-1100 ILLEGAL_CHARS`) and expects `true`/`false`,
 * so every value crosses the wire as a plain decimal or literal string.
 *
 * @module
 */

/** A value a Binance request parameter may take before formatting. */
export type ParamValue =
  | string
  | number
  | bigint
  | boolean
  | readonly (string | number | bigint)[]
  | readonly Record<string, unknown>[]
  | null
  | undefined;

/** Parameters in the order they are sent (object key order is kept). */
export type Params = Readonly<Record<string, ParamValue>>;

/**
 * Writes a finite number without exponent notation, keeping its shortest round-trip digits
 * (`1.9e-7` → `"0.00000019"`, `1e21` → `"1000000000000000000000"`).
 *
 * @param value A finite number.
 * @returns The plain decimal string.
 * @throws {RangeError} When `value` is NaN or infinite.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Cannot format number: ${value} is not finite`);
  const text = String(value);
  const e = text.indexOf("e");
  if (e === -1) return text;
  const negative = text.startsWith("-");
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  const intLen = (dot === -1 ? mantissa.length : dot) + exponent;
  let out: string;
  if (intLen <= 0) out = "0." + "0".repeat(-intLen) + digits;
  else if (intLen >= digits.length) out = digits + "0".repeat(intLen - digits.length);
  else out = digits.slice(0, intLen) + "." + digits.slice(intLen);
  return negative ? "-" + out : out;
}

function plain(value: unknown): unknown {
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = plain(v);
    return out;
  }
  return value;
}

/**
 * Formats one parameter value as Binance expects it on the wire (before percent-encoding).
 * Arrays become JSON arrays (`symbols=["BTCUSDT","ETHUSDT"]`); arrays of objects (`batchOrders`)
 * become JSON with numbers written as decimal strings.
 *
 * @param name The parameter name (used in error messages).
 * @param value The value.
 * @returns The wire text.
 * @throws {RangeError} When a number is not finite.
 */
export function formatParamValue(name: string, value: Exclude<ParamValue, null | undefined>): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      if (!Number.isFinite(value)) throw new RangeError(`Invalid parameter ${name}: ${value} is not finite`);
      return formatNumber(value);
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "true" : "false";
    default: {
      const items = value as readonly unknown[];
      if (items.length > 0 && typeof items[0] === "object") return JSON.stringify(plain(items));
      // id lists stay JSON numbers (`orderIdList=[652511506]`), 64-bit ones included
      const parts = items.map((v) => typeof v === "string" ? JSON.stringify(v) : plain(v) as string);
      return "[" + parts.join(",") + "]";
    }
  }
}

/**
 * Turns a params object into ordered `[name, text]` pairs, dropping `undefined` and `null`
 * before anything is signed (the Python suite dropped them after signing: `-1022`).
 *
 * @param params The parameters in send order.
 * @returns The formatted pairs.
 * @throws {RangeError} When a number is not finite.
 */
export function toPairs(params: Params): [string, string][] {
  const out: [string, string][] = [];
  for (const name in params) {
    const value = params[name];
    if (value === undefined || value === null) continue;
    out.push([name, formatParamValue(name, value)]);
  }
  return out;
}
