/**
 * A symbol's trading rules as the trailing engine needs them, read from its exchangeInfo entry,
 * and the order checks built on `src/rest/order_filters.ts` (tick, step, min/max, notional) plus
 * the two it leaves out: `PERCENT_PRICE(_BY_SIDE)` (against the reference price the caller has)
 * and `TRAILING_DELTA` (native mode, in `_native.ts`).
 *
 * @module
 */
import { applyOrderFilters } from "../rest/order_filters.ts";
import type { SymbolFilter, SymbolInfo } from "../rest/types_market.ts";
import { Dec } from "./_amount.ts";

/** Where the position is: spot, cross or isolated margin, USDⓈ-M or COIN-M futures. */
export type Venue = "spot" | "margin" | "isolated_margin" | "usdm" | "coinm";

/** Price band of `PERCENT_PRICE` / `PERCENT_PRICE_BY_SIDE` for one side, as multipliers of the reference. */
export interface PercentBand {
  /** Highest allowed price ÷ reference. */
  readonly up: string;
  /** Lowest allowed price ÷ reference. */
  readonly down: string;
}

/** `TRAILING_DELTA` bounds in BIPS (spot native trailing). */
export interface TrailingDeltaBounds {
  /** STOP_LOSS(_LIMIT) BUY, TAKE_PROFIT(_LIMIT) SELL. */
  readonly minAbove: number;
  /** STOP_LOSS(_LIMIT) BUY, TAKE_PROFIT(_LIMIT) SELL. */
  readonly maxAbove: number;
  /** STOP_LOSS(_LIMIT) SELL, TAKE_PROFIT(_LIMIT) BUY. */
  readonly minBelow: number;
  /** STOP_LOSS(_LIMIT) SELL, TAKE_PROFIT(_LIMIT) BUY. */
  readonly maxBelow: number;
}

/** The rules of one symbol on one venue (all prices and quantities as decimal strings). */
export interface SymbolRules {
  /** Symbol, e.g. `BTCUSDT`. */
  readonly symbol: string;
  /** Venue the rules apply to. */
  readonly venue: Venue;
  /** Base asset (what a SELL stop sells). */
  readonly baseAsset: string;
  /** Quote asset. */
  readonly quoteAsset: string;
  /** `PRICE_FILTER.tickSize`. */
  readonly tickSize: string;
  /** `LOT_SIZE.stepSize`. */
  readonly stepSize: string;
  /** `LOT_SIZE.minQty` (`"0"` when absent). */
  readonly minQty: string;
  /** `MARKET_LOT_SIZE.stepSize` when it is set and not `"0"` (futures STOP_MARKET quantities). */
  readonly marketStepSize?: string;
  /** Percent band for SELL orders (`askMultiplier*` or the side-less multipliers). */
  readonly percentSell?: PercentBand;
  /** Percent band for BUY orders (`bidMultiplier*` or the side-less multipliers). */
  readonly percentBuy?: PercentBand;
  /** `TRAILING_DELTA` bounds, when the symbol has the filter. */
  readonly trailingDelta?: TrailingDeltaBounds;
  /** The exchangeInfo entry the rules were read from (for `applyOrderFilters`). */
  readonly info: SymbolInfo;
}

const VENUES: readonly Venue[] = ["spot", "margin", "isolated_margin", "usdm", "coinm"];

function positive(v: unknown): string | undefined {
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const d = new Dec(v);
  return d.gt(0) ? d.toFixed() : undefined;
}

function band(up: unknown, down: unknown): PercentBand | undefined {
  const u = positive(up);
  const d = positive(down);
  return u && d ? { up: u, down: d } : undefined;
}

/**
 * Reads the rules the engine needs from a symbol's exchangeInfo entry.
 *
 * @param info The symbol's entry of `GET /api/v3/exchangeInfo` (spot and margin) or
 *   `/fapi/v1/exchangeInfo` / `/dapi/v1/exchangeInfo` (futures).
 * @param venue Where the position is.
 * @returns The rules.
 * @throws {TypeError} If `venue` is unknown or `info` has no filters.
 * @throws {RangeError} If `PRICE_FILTER.tickSize` or `LOT_SIZE.stepSize` is missing or not > 0.
 *
 * @example
 * ```ts
 * import { symbolRules } from "./_rules.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const rules = symbolRules({
 *   symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT",
 *   filters: [
 *     { filterType: "PRICE_FILTER", minPrice: "0.01", maxPrice: "1000000", tickSize: "0.01000000" },
 *     { filterType: "LOT_SIZE", minQty: "0.00001", maxQty: "9000", stepSize: "0.00001000" },
 *   ],
 * }, "spot");
 * assertEquals([rules.tickSize, rules.stepSize], ["0.01", "0.00001"]);
 * ```
 */
export function symbolRules(info: SymbolInfo, venue: Venue): SymbolRules {
  if (!VENUES.includes(venue)) {
    throw new TypeError(`Invalid venue: expected one of ${VENUES.join(", ")}, got ${JSON.stringify(venue)}`);
  }
  if (!info || !Array.isArray(info.filters)) {
    throw new TypeError("Invalid symbol info: expected an exchangeInfo symbol with a filters array");
  }
  const byType = new Map<string, SymbolFilter>(info.filters.map((f) => [f.filterType, f]));
  const tickSize = positive(byType.get("PRICE_FILTER")?.tickSize);
  if (!tickSize) {
    throw new RangeError(`Invalid symbol info ${info.symbol}: PRICE_FILTER.tickSize must be > 0`);
  }
  const lot = byType.get("LOT_SIZE");
  const stepSize = positive(lot?.stepSize);
  if (!stepSize) throw new RangeError(`Invalid symbol info ${info.symbol}: LOT_SIZE.stepSize must be > 0`);
  const marketStepSize = positive(byType.get("MARKET_LOT_SIZE")?.stepSize);
  const pp = byType.get("PERCENT_PRICE");
  const ps = byType.get("PERCENT_PRICE_BY_SIDE");
  // PERCENT_PRICE_BY_SIDE: bid* multipliers bound BUY prices, ask* multipliers bound SELL prices
  const percentSell = ps
    ? band(ps.askMultiplierUp, ps.askMultiplierDown)
    : band(pp?.multiplierUp, pp?.multiplierDown);
  const percentBuy = ps
    ? band(ps.bidMultiplierUp, ps.bidMultiplierDown)
    : band(pp?.multiplierUp, pp?.multiplierDown);
  const td = byType.get("TRAILING_DELTA");
  const trailingDelta = td
    ? {
      minAbove: Number(td.minTrailingAboveDelta),
      maxAbove: Number(td.maxTrailingAboveDelta),
      minBelow: Number(td.minTrailingBelowDelta),
      maxBelow: Number(td.maxTrailingBelowDelta),
    }
    : undefined;
  return {
    symbol: info.symbol,
    venue,
    baseAsset: info.baseAsset,
    quoteAsset: info.quoteAsset,
    tickSize,
    stepSize,
    minQty: positive(lot?.minQty) ?? "0",
    ...(marketStepSize ? { marketStepSize } : {}),
    ...(percentSell ? { percentSell } : {}),
    ...(percentBuy ? { percentBuy } : {}),
    ...(trailingDelta ? { trailingDelta } : {}),
    info,
  };
}

/** Why an order cannot be sent as computed: the filter (or rule) and a message naming the bound. */
export interface Rejection {
  /** The filter or rule: `PRICE_FILTER`, `LOT_SIZE`, `MARKET_LOT_SIZE`, `MIN_NOTIONAL`, `NOTIONAL`, `PERCENT_PRICE`, `TRAILING_DELTA`, `keepThreshold`, … */
  readonly rule: string;
  /** What failed and why. */
  readonly message: string;
}

const FILTER_NAME = /Order rejected by ([A-Z_]+):/;

/**
 * Checks a stop order against the symbol's filters with `applyOrderFilters` (stop and limit price
 * on `PRICE_FILTER`, quantity on `LOT_SIZE` / `MARKET_LOT_SIZE`, notional at the limit price or
 * the stop price) and the limit price against the `PERCENT_PRICE` band around `reference`.
 *
 * @param rules The symbol's rules.
 * @param order The already rounded order (`limitPrice` absent for a market stop).
 * @param reference The reference price for `PERCENT_PRICE` (the current price).
 * @returns `undefined` when the order passes, else the rejection.
 *
 * @example
 * ```ts
 * import { checkStopOrder, symbolRules } from "./_rules.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const rules = symbolRules({
 *   symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT",
 *   filters: [
 *     { filterType: "PRICE_FILTER", minPrice: "0.01", maxPrice: "1000000", tickSize: "0.01" },
 *     { filterType: "LOT_SIZE", minQty: "0.00001", maxQty: "9000", stepSize: "0.00001" },
 *     { filterType: "NOTIONAL", minNotional: "5", maxNotional: "9000000" },
 *   ],
 * }, "spot");
 * const order = { side: "SELL" as const, stopPrice: "64025.01", limitPrice: "64025.00", quantity: "0.00001" };
 * assertEquals(checkStopOrder(rules, order, "65000")?.rule, "NOTIONAL");
 * ```
 */
export function checkStopOrder(
  rules: SymbolRules,
  order: {
    readonly side: "BUY" | "SELL";
    readonly stopPrice: string;
    readonly limitPrice?: string;
    readonly quantity: string;
  },
  reference: string,
): Rejection | undefined {
  try {
    // stopPrice obeys PRICE_FILTER like price (checked alone: the notional rules of a market stop
    // follow the MARKET flags below)
    const priceOnly = rules.info.filters.filter((f) => f.filterType === "PRICE_FILTER");
    applyOrderFilters({ ...rules.info, filters: priceOnly }, {
      side: order.side,
      type: "LIMIT",
      quantity: order.quantity,
      price: order.stopPrice,
      priceRounding: "nearest",
    });
    if (order.limitPrice !== undefined) {
      applyOrderFilters(rules.info, {
        side: order.side,
        type: "LIMIT",
        quantity: order.quantity,
        price: order.limitPrice,
        priceRounding: "nearest",
      });
    } else {
      // a market stop fills near its stop price: MARKET_LOT_SIZE and the applyToMarket notional rules
      applyOrderFilters(rules.info, {
        side: order.side,
        type: "MARKET",
        quantity: order.quantity,
        referencePrice: order.stopPrice,
      });
    }
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { rule: FILTER_NAME.exec(e.message)?.[1] ?? "FILTER", message: e.message };
  }
  const b = order.side === "SELL" ? rules.percentSell : rules.percentBuy;
  if (b && order.limitPrice !== undefined) {
    const p = new Dec(order.limitPrice);
    const lo = new Dec(reference).times(b.down);
    const hi = new Dec(reference).times(b.up);
    if (p.lt(lo) || p.gt(hi)) {
      return {
        rule: "PERCENT_PRICE",
        message:
          `Order rejected by PERCENT_PRICE: limit price ${order.limitPrice} is outside ${lo.toFixed()}..${hi.toFixed()} (reference ${reference})`,
      };
    }
  }
  return undefined;
}
