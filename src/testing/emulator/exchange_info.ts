/**
 * `exchangeInfo` responses with real-looking symbol filters for spot, USDⓈ-M and COIN-M.
 *
 * @module
 */
import type { Market } from "./market.ts";
import type { Json } from "./payloads.ts";
import type { SymbolSpec } from "./symbols.ts";
import { decimalsOf } from "./units.ts";

function pad8(v: string): string {
  const [i, f = ""] = v.split(".");
  return `${i}.${f.padEnd(8, "0").slice(0, 8)}`;
}

/** Filters of a spot symbol (as `/api/v3/exchangeInfo` lists them). */
export function spotFilters(s: SymbolSpec): Json[] {
  return [
    {
      filterType: "PRICE_FILTER",
      minPrice: pad8(s.minPrice),
      maxPrice: pad8(s.maxPrice),
      tickSize: pad8(s.tickSize),
    },
    { filterType: "LOT_SIZE", minQty: pad8(s.minQty), maxQty: pad8(s.maxQty), stepSize: pad8(s.stepSize) },
    { filterType: "ICEBERG_PARTS", limit: 100 },
    {
      filterType: "MARKET_LOT_SIZE",
      minQty: "0.00000000",
      maxQty: pad8(String(Number(s.maxQty) / 10)),
      stepSize: "0.00000000",
    },
    {
      filterType: "TRAILING_DELTA",
      minTrailingAboveDelta: 10,
      maxTrailingAboveDelta: 2000,
      minTrailingBelowDelta: 10,
      maxTrailingBelowDelta: 2000,
    },
    {
      filterType: "PERCENT_PRICE_BY_SIDE",
      bidMultiplierUp: "5",
      bidMultiplierDown: "0.2",
      askMultiplierUp: "5",
      askMultiplierDown: "0.2",
      avgPriceMins: 5,
    },
    {
      filterType: "NOTIONAL",
      minNotional: pad8(s.minNotional),
      applyMinToMarket: true,
      maxNotional: "9000000.00000000",
      applyMaxToMarket: false,
      avgPriceMins: 5,
    },
    { filterType: "MAX_NUM_ORDERS", maxNumOrders: 200 },
    { filterType: "MAX_NUM_ALGO_ORDERS", maxNumAlgoOrders: 5 },
  ];
}

/** Filters of a USD-M symbol. */
export function futuresFilters(s: SymbolSpec): Json[] {
  return [
    { minPrice: s.minPrice, maxPrice: s.maxPrice, filterType: "PRICE_FILTER", tickSize: s.tickSize },
    { stepSize: s.stepSize, filterType: "LOT_SIZE", maxQty: s.maxQty, minQty: s.minQty },
    {
      stepSize: s.stepSize,
      filterType: "MARKET_LOT_SIZE",
      maxQty: String(Number(s.maxQty) / 10),
      minQty: s.minQty,
    },
    { limit: 200, filterType: "MAX_NUM_ORDERS" },
    { limit: 10, filterType: "MAX_NUM_ALGO_ORDERS" },
    { notional: s.minNotional, filterType: "MIN_NOTIONAL" },
    { multiplierDown: "0.9500", multiplierUp: "1.0500", multiplierDecimal: "4", filterType: "PERCENT_PRICE" },
  ];
}

/** The full exchangeInfo body for a venue and a selection of markets. */
export function exchangeInfo(
  venue: "spot" | "usdm" | "coinm",
  markets: Market[],
  now: number,
  weightLimit: number,
): Json {
  if (venue === "spot") {
    return {
      timezone: "UTC",
      serverTime: now,
      rateLimits: [
        { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: weightLimit },
        { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 100 },
        { rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, limit: 200000 },
        { rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5, limit: 300000 },
      ],
      exchangeFilters: [],
      symbols: markets.map((m) => {
        const s = m.spec;
        return {
          symbol: s.symbol,
          status: "TRADING",
          baseAsset: s.baseAsset,
          baseAssetPrecision: 8,
          quoteAsset: s.quoteAsset,
          quotePrecision: 8,
          quoteAssetPrecision: 8,
          baseCommissionPrecision: 8,
          quoteCommissionPrecision: 8,
          orderTypes: [
            "LIMIT",
            "LIMIT_MAKER",
            "MARKET",
            "STOP_LOSS",
            "STOP_LOSS_LIMIT",
            "TAKE_PROFIT",
            "TAKE_PROFIT_LIMIT",
          ],
          icebergAllowed: true,
          ocoAllowed: true,
          otoAllowed: true,
          quoteOrderQtyMarketAllowed: true,
          allowTrailingStop: true,
          cancelReplaceAllowed: true,
          amendAllowed: true,
          pegInstructionsAllowed: true,
          isSpotTradingAllowed: true,
          isMarginTradingAllowed: true,
          filters: spotFilters(s),
          permissions: [],
          permissionSets: [["SPOT", "MARGIN"]],
          defaultSelfTradePreventionMode: "EXPIRE_MAKER",
          allowedSelfTradePreventionModes: [
            "EXPIRE_TAKER",
            "EXPIRE_MAKER",
            "EXPIRE_BOTH",
            "DECREMENT",
            "TRANSFER",
          ],
        };
      }),
    };
  }
  if (venue === "coinm") return coinmInfo(markets, now, weightLimit);
  const assets = [...new Set(markets.map((m) => m.spec.quoteAsset))];
  return {
    timezone: "UTC",
    serverTime: now,
    futuresType: "U_MARGINED",
    rateLimits: [
      { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: weightLimit },
      { rateLimitType: "ORDERS", interval: "MINUTE", intervalNum: 1, limit: 1200 },
      { rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 300 },
    ],
    exchangeFilters: [],
    assets: assets.map((a) => ({ asset: a, marginAvailable: true, autoAssetExchange: "-10000" })),
    symbols: markets.map((m) => {
      const s = m.spec;
      return {
        symbol: s.symbol,
        pair: s.symbol,
        contractType: "PERPETUAL",
        deliveryDate: 4133404800000,
        onboardDate: 1569398400000,
        status: "TRADING",
        maintMarginPercent: "2.5000",
        requiredMarginPercent: "5.0000",
        baseAsset: s.baseAsset,
        quoteAsset: s.quoteAsset,
        marginAsset: s.quoteAsset,
        pricePrecision: decimalsOf(s.tickSize),
        quantityPrecision: decimalsOf(s.stepSize),
        baseAssetPrecision: 8,
        quotePrecision: 8,
        underlyingType: "COIN",
        underlyingSubType: [],
        triggerProtect: "0.0500",
        liquidationFee: "0.012500",
        marketTakeBound: "0.05",
        maxMoveOrderLimit: 10000,
        filters: futuresFilters(s),
        orderTypes: [
          "LIMIT",
          "MARKET",
          "STOP",
          "STOP_MARKET",
          "TAKE_PROFIT",
          "TAKE_PROFIT_MARKET",
          "TRAILING_STOP_MARKET",
        ],
        timeInForce: ["GTC", "IOC", "FOK", "GTX", "GTD"],
      };
    }),
  };
}

/** COIN-M `/dapi/v1/exchangeInfo`: inverse contracts with `contractSize`, `pair`, base-asset margin. */
function coinmInfo(markets: Market[], now: number, weightLimit: number): Json {
  return {
    timezone: "UTC",
    serverTime: now,
    rateLimits: [
      { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: weightLimit },
      { rateLimitType: "ORDERS", interval: "MINUTE", intervalNum: 1, limit: 1200 },
    ],
    exchangeFilters: [],
    symbols: markets.map((m) => {
      const s = m.spec;
      const perpetual = s.symbol.endsWith("_PERP");
      return {
        symbol: s.symbol,
        pair: s.pair,
        contractType: perpetual ? "PERPETUAL" : "CURRENT_QUARTER",
        deliveryDate: perpetual ? 4133404800000 : deliveryOf(s.symbol),
        onboardDate: 1597042800000,
        contractStatus: "TRADING",
        contractSize: s.contractSize,
        marginAsset: s.marginAsset,
        maintMarginPercent: "2.5000",
        requiredMarginPercent: "5.0000",
        baseAsset: s.baseAsset,
        quoteAsset: s.quoteAsset,
        pricePrecision: decimalsOf(s.tickSize),
        quantityPrecision: 0,
        baseAssetPrecision: 8,
        quotePrecision: 8,
        equalQtyPrecision: 4,
        triggerProtect: "0.0500",
        maxMoveOrderLimit: 10000,
        underlyingType: "COIN",
        underlyingSubType: [],
        liquidationFee: "0.010000",
        marketTakeBound: "0.05",
        filters: futuresFilters(s).filter((f) => (f as { filterType: string }).filterType !== "MIN_NOTIONAL"),
        orderTypes: [
          "LIMIT",
          "MARKET",
          "STOP",
          "STOP_MARKET",
          "TAKE_PROFIT",
          "TAKE_PROFIT_MARKET",
          "TRAILING_STOP_MARKET",
        ],
        timeInForce: ["GTC", "IOC", "FOK", "GTX"],
      };
    }),
  };
}

/** Delivery time (08:00 UTC) of a dated COIN-M contract such as BTCUSD_260626. */
function deliveryOf(symbol: string): number {
  const d = symbol.slice(-6);
  return Date.UTC(2000 + Number(d.slice(0, 2)), Number(d.slice(2, 4)) - 1, Number(d.slice(4, 6)), 8);
}
