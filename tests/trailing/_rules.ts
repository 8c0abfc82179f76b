/**
 * Symbol fixtures for the trailing engine tests: spot BTCUSDT filters from the ccxt vectors in
 * `../shared/data/peers/`, plus hand-written symbols for the Python examples (RENDERUSDC-like,
 * a micro-priced coin, an integer-step coin) and a USDⓈ-M / COIN-M symbol.
 *
 * @module
 */
import { readSharedJson } from "../_data.ts";
import { type SymbolRules, symbolRules, type Venue } from "../../src/trailing/engine.ts";
import type { SymbolFilter, SymbolInfo } from "../../src/rest/types_market.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const P: Json = readSharedJson("peers/ccxt_binance_filters_and_precision_vectors.json");

/** Spot BTCUSDT exactly as the ccxt fixture lists it (tick 0.01, step 0.00001, NOTIONAL 5). */
export function ccxtSpot(id = "BTCUSDT"): SymbolInfo {
  const m = P.markets.find((x: Json) => x.id === id && x.market === "spot");
  const filters: SymbolFilter[] = [
    "PRICE_FILTER",
    "LOT_SIZE",
    "MARKET_LOT_SIZE",
    "NOTIONAL",
    "MIN_NOTIONAL",
    "TRAILING_DELTA",
  ]
    .filter((f) => m[f]).map((f) => ({ filterType: f, ...m[f] }));
  return { symbol: id, baseAsset: id.replace(/USDT$/, ""), quoteAsset: "USDT", filters };
}

/** A symbol with the given tick and step (no notional filter unless given). */
export function symbol(
  tickSize: string,
  stepSize: string,
  extra: SymbolFilter[] = [],
  name = "TESTUSDC",
): SymbolInfo {
  return {
    symbol: name,
    baseAsset: name.replace(/USDC$|USDT$/, ""),
    quoteAsset: name.endsWith("USDC") ? "USDC" : "USDT",
    filters: [
      { filterType: "PRICE_FILTER", minPrice: tickSize, maxPrice: "1000000", tickSize },
      { filterType: "LOT_SIZE", minQty: stepSize, maxQty: "9000000", stepSize },
      ...extra,
    ],
  };
}

/** Rules of {@link symbol}. */
export function rulesOf(
  tickSize: string,
  stepSize: string,
  venue: Venue = "spot",
  extra: SymbolFilter[] = [],
): SymbolRules {
  return symbolRules(symbol(tickSize, stepSize, extra), venue);
}

/** USD-M BTCUSDT-like filters (tick 0.10, step 0.001, MIN_NOTIONAL 100, PERCENT_PRICE 0.95..1.05). */
export function usdmInfo(): SymbolInfo {
  return {
    symbol: "BTCUSDT",
    baseAsset: "BTC",
    quoteAsset: "USDT",
    filters: [
      { filterType: "PRICE_FILTER", minPrice: "556.80", maxPrice: "4529764", tickSize: "0.10" },
      { filterType: "LOT_SIZE", minQty: "0.001", maxQty: "1000", stepSize: "0.001" },
      { filterType: "MARKET_LOT_SIZE", minQty: "0.001", maxQty: "120", stepSize: "0.001" },
      { filterType: "MIN_NOTIONAL", notional: "100" },
      {
        filterType: "PERCENT_PRICE",
        multiplierUp: "1.0500",
        multiplierDown: "0.9500",
        multiplierDecimal: "4",
      },
    ],
  };
}
