/**
 * Order parameter parsing and symbol-filter checks shared by spot and USD-M order entry, with
 * Binance's error codes (-1100, -1102, -1111, -1013 "Filter failure: …", -1116, -1117).
 *
 * @module
 */
import { ApiError, badSymbol, illegalChars, missingParam } from "./api_error.ts";
import type { Market } from "./market.ts";
import { parseUnits } from "./units.ts";

/** Parameters read from a REST query or a WebSocket-API `params` object. */
export type Params = { get(name: string): string | null };

/** Wraps a JSON params object so it reads like URLSearchParams. */
export function jsonParams(o: Record<string, unknown>): Params {
  return {
    get(name: string): string | null {
      const v = o[name];
      if (v === undefined || v === null) return null;
      return typeof v === "string"
        ? v
        : typeof v === "number" || typeof v === "boolean"
        ? String(v)
        : JSON.stringify(v);
    },
  };
}

/** Reads a mandatory parameter. */
export function need(p: Params, name: string): string {
  const v = p.get(name);
  if (v === null || v === "") throw missingParam(name);
  return v;
}

/** Looks up the symbol's market. */
export function marketOf(find: (s: string) => Market | undefined, p: Params): Market {
  const m = find(need(p, "symbol"));
  if (!m) throw badSymbol();
  return m;
}

const DEC_RE = "^([0-9]{1,20})(\\.[0-9]{1,20})?$";

/**
 * Parses a price or quantity into the market's units and checks the PRICE_FILTER / LOT_SIZE
 * rules. Spot accepts up to 8 decimals (then checks the step); USD-M up to the step's decimals.
 *
 * @throws {ApiError} -1100 malformed, -1111 too much precision, -1013 filter failure
 */
export function amount(m: Market, p: Params, name: string, kind: "price" | "qty"): number {
  const text = need(p, name);
  if (!new RegExp(DEC_RE).test(text)) throw illegalChars(name, DEC_RE);
  const s = m.spec;
  const decimals = kind === "price" ? s.priceDecimals : s.qtyDecimals;
  const maxDecimals = s.market === "spot" ? 8 : decimals;
  const wide = parseUnits(text, maxDecimals);
  if (wide === null || Number.isNaN(wide)) {
    throw new ApiError(
      -1111,
      s.market === "spot"
        ? `Parameter '${name}' has too much precision.`
        : "Precision is over the maximum defined for this asset.",
    );
  }
  const scale = 10 ** (maxDecimals - decimals);
  const step = (kind === "price" ? s.tickUnits : s.stepUnits) * scale;
  const filter = kind === "price" ? "PRICE_FILTER" : "LOT_SIZE";
  const min = (kind === "price" ? parseUnits(s.minPrice, decimals)! : parseUnits(s.minQty, decimals)!) *
    scale;
  const max = (kind === "price" ? parseUnits(s.maxPrice, decimals)! : parseUnits(s.maxQty, decimals)!) *
    scale;
  if (wide % step !== 0 || wide < min || wide > max) {
    throw filterFailure(m, filter, kind === "price" ? "tick" : "step");
  }
  return wide / scale;
}

/** A filter failure in the venue's wording. */
export function filterFailure(m: Market, filter: string, what = ""): ApiError {
  if (m.spec.market === "spot") return new ApiError(-1013, `Filter failure: ${filter}`);
  if (filter === "PRICE_FILTER") return new ApiError(-4014, "Price not increased by tick size.");
  if (filter === "LOT_SIZE") {
    return new ApiError(-4003, `Quantity less than or equal to zero or not a multiple of the ${what} size.`);
  }
  if (filter === "MIN_NOTIONAL") {
    return new ApiError(
      -4164,
      `Order's notional must be no smaller than ${m.spec.minNotional} (unless you choose reduce only).`,
    );
  }
  return new ApiError(-1013, `Filter failure: ${filter}`);
}

/** Validates `side`. */
export function sideOf(p: Params): "BUY" | "SELL" {
  const s = need(p, "side");
  if (s !== "BUY" && s !== "SELL") throw new ApiError(-1117, "Invalid side.");
  return s;
}

/** Validates an enum parameter. */
export function oneOf<T extends string>(
  p: Params,
  name: string,
  values: readonly T[],
  code: number,
  msg: string,
): T {
  const v = need(p, name);
  if (!values.includes(v as T)) throw new ApiError(code, msg);
  return v as T;
}
