/**
 * Rounds an order's price and quantity to a symbol's exchangeInfo filters and checks the bounds
 * Binance would check, so a violation is a local `RangeError` naming the filter instead of a
 * `-1013 Filter failure` round trip.
 *
 * Checked: `PRICE_FILTER` (tick, min, max), `LOT_SIZE` / `MARKET_LOT_SIZE` (step, min, max),
 * `MIN_NOTIONAL` and `NOTIONAL` (USDⓈ-M `MIN_NOTIONAL.notional` too). Not checked (they need
 * live data): `PERCENT_PRICE*`, `MAX_NUM_*`, `MAX_POSITION`, `TRAILING_DELTA`.
 *
 * @module
 */
import { compareDecimal, type DecimalInput, roundToStep, toPlainString } from "../core/decimal.ts";
import type { SymbolFilter, SymbolInfo } from "./types_market.ts";

/** Rounding direction of a price or quantity. */
export type RoundingMode = "floor" | "ceil" | "nearest";

/** The order to fit to the filters. */
export interface OrderFilterInput {
  /** `BUY` or `SELL`. */
  readonly side: "BUY" | "SELL";
  /** Order type (`LIMIT`, `MARKET`, …); `MARKET` uses `MARKET_LOT_SIZE` and the `applyToMarket` flags. */
  readonly type: string;
  /** Base quantity; rounded down (never up: a SELL could exceed the balance). */
  readonly quantity: DecimalInput;
  /** Limit price; rounded down for BUY and up for SELL unless `priceRounding` says otherwise. */
  readonly price?: DecimalInput;
  /** Price for notional checks of MARKET orders (e.g. the average price). */
  readonly referencePrice?: DecimalInput;
  /** Override of the price rounding direction. */
  readonly priceRounding?: RoundingMode;
}

/** The order's wire values after rounding. */
export interface FilteredOrder {
  /** Quantity with exactly the step's decimals. */
  readonly quantity: string;
  /** Price with exactly the tick's decimals (absent for MARKET). */
  readonly price?: string;
}

function isZero(v: string | undefined): boolean {
  return v === undefined || compareDecimal(v, "0") === 0;
}

/** Exact product of two decimals (scaled BigInt), as a plain decimal string. */
function multiply(a: DecimalInput, b: DecimalInput): string {
  const [ai, af = ""] = toPlainString(a).split(".");
  const [bi, bf = ""] = toPlainString(b).split(".");
  const product = BigInt(ai + af) * BigInt(bi + bf);
  const scale = af.length + bf.length;
  const neg = product < 0n;
  const digits = (neg ? -product : product).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg ? `-${text}` : text;
}

function reject(filter: string, what: string): never {
  throw new RangeError(`Order rejected by ${filter}: ${what}`);
}

/**
 * Rounds price and quantity to the symbol's filters and checks min/max/notional.
 *
 * @param symbol The symbol's exchangeInfo entry.
 * @param order The order.
 * @returns The rounded wire values.
 * @throws {RangeError} When a filter would reject the order; the message names the filter and the bound.
 *
 * @example Round and check a LIMIT BUY
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { applyOrderFilters } from "./order_filters.ts";
 *
 * const symbol = {
 *   symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT",
 *   filters: [
 *     { filterType: "PRICE_FILTER", minPrice: "0.01", maxPrice: "1000000.00", tickSize: "0.01" },
 *     { filterType: "LOT_SIZE", minQty: "0.00001", maxQty: "9000.00000", stepSize: "0.00001" },
 *     { filterType: "NOTIONAL", minNotional: "5.00", applyMinToMarket: true, maxNotional: "9000000.00", applyMaxToMarket: false },
 *   ],
 * };
 * assertEquals(applyOrderFilters(symbol, { side: "BUY", type: "LIMIT", quantity: 0.0012345, price: "97000.129" }),
 *   { quantity: "0.00123", price: "97000.12" });
 * assertThrows(() => applyOrderFilters(symbol, { side: "BUY", type: "LIMIT", quantity: "0.00001", price: "1000" }),
 *   RangeError, "NOTIONAL");
 * ```
 */
export function applyOrderFilters(symbol: SymbolInfo, order: OrderFilterInput): FilteredOrder {
  const byType = new Map<string, SymbolFilter>(symbol.filters.map((f) => [f.filterType, f]));
  const market = order.type === "MARKET";

  let price: string | undefined;
  if (order.price !== undefined) {
    const pf = byType.get("PRICE_FILTER");
    const mode = order.priceRounding ?? (order.side === "BUY" ? "floor" : "ceil");
    price = pf && !isZero(pf.tickSize)
      ? roundToStep(order.price, pf.tickSize!, mode)
      : toPlainString(order.price);
    if (compareDecimal(price, "0") <= 0) reject("PRICE_FILTER", `price ${price} is not positive`);
    if (pf && !isZero(pf.minPrice) && compareDecimal(price, pf.minPrice!) < 0) {
      reject("PRICE_FILTER", `price ${price} is below minPrice ${pf.minPrice}`);
    }
    if (pf && !isZero(pf.maxPrice) && compareDecimal(price, pf.maxPrice!) > 0) {
      reject("PRICE_FILTER", `price ${price} is above maxPrice ${pf.maxPrice}`);
    }
  }

  // LOT_SIZE applies to every order; MARKET orders also obey MARKET_LOT_SIZE (whose stepSize
  // may be "0", meaning LOT_SIZE's step)
  const lot = byType.get("LOT_SIZE");
  const marketLot = market ? byType.get("MARKET_LOT_SIZE") : undefined;
  const step = !isZero(marketLot?.stepSize) ? marketLot!.stepSize : lot?.stepSize;
  const stepName = !isZero(marketLot?.stepSize) ? "MARKET_LOT_SIZE" : "LOT_SIZE";
  const quantity = !isZero(step)
    ? roundToStep(order.quantity, step!, "floor")
    : toPlainString(order.quantity);
  if (compareDecimal(quantity, "0") <= 0) {
    reject(stepName, `quantity ${toPlainString(order.quantity)} rounds to ${quantity} with stepSize ${step}`);
  }
  for (const [name, f] of [["LOT_SIZE", lot], ["MARKET_LOT_SIZE", marketLot]] as const) {
    if (!f) continue;
    if (!isZero(f.minQty) && compareDecimal(quantity, f.minQty!) < 0) {
      reject(name, `quantity ${quantity} is below minQty ${f.minQty}`);
    }
    if (!isZero(f.maxQty) && compareDecimal(quantity, f.maxQty!) > 0) {
      reject(name, `quantity ${quantity} is above maxQty ${f.maxQty}`);
    }
  }

  const notionalPrice = price ??
    (order.referencePrice === undefined ? undefined : toPlainString(order.referencePrice));
  if (notionalPrice !== undefined) {
    const notional = multiply(notionalPrice, quantity);
    const minNotional = byType.get("MIN_NOTIONAL");
    if (minNotional && (!market || minNotional.applyToMarket !== false)) {
      const min = minNotional.minNotional ?? minNotional.notional;
      if (!isZero(min) && compareDecimal(notional, min!) < 0) {
        reject("MIN_NOTIONAL", `notional ${notional} is below ${min}`);
      }
    }
    const nf = byType.get("NOTIONAL");
    if (nf) {
      if (
        (!market || nf.applyMinToMarket !== false) && !isZero(nf.minNotional) &&
        compareDecimal(notional, nf.minNotional!) < 0
      ) {
        reject("NOTIONAL", `notional ${notional} is below minNotional ${nf.minNotional}`);
      }
      if (
        (!market || nf.applyMaxToMarket !== false) && !isZero(nf.maxNotional) &&
        compareDecimal(notional, nf.maxNotional!) > 0
      ) {
        reject("NOTIONAL", `notional ${notional} is above maxNotional ${nf.maxNotional}`);
      }
    }
  }
  return price === undefined ? { quantity } : { quantity, price };
}
