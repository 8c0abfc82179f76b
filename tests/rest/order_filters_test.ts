import { describe, it } from "node:test";
import { assertEquals, assertThrows } from "@std/assert";
import { compareDecimal } from "../../src/core/decimal.ts";
import { readSharedJson } from "../_data.ts";
import { applyOrderFilters } from "../../src/rest/order_filters.ts";
import type { SymbolInfo } from "../../src/rest/types_market.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const P: Json = readSharedJson("peers/ccxt_binance_filters_and_precision_vectors.json");
const FILTER_NAMES = ["PRICE_FILTER", "LOT_SIZE", "MARKET_LOT_SIZE", "NOTIONAL", "MIN_NOTIONAL"];

function symbolInfo(id: string, market: string): SymbolInfo {
  const m = P.markets.find((x: Json) => x.id === id && x.market.startsWith(market));
  const filters = FILTER_NAMES.filter((f) => m[f]).map((f) => ({ filterType: f, ...m[f] }));
  return { symbol: id, baseAsset: "", quoteAsset: "", filters };
}

describe("applyOrderFilters on the ccxt market filters", () => {
  for (const v of P.format_vectors.filter((v: Json) => v.field === "quantity" || v.field === "price")) {
    it(`${v.market} ${v.symbol} ${v.field} ${v.input} → ${v.expected_wire}`, () => {
      const info = symbolInfo(v.symbol, v.market);
      // a large counterpart keeps the notional filters satisfied
      const order = v.field === "quantity"
        ? { side: "BUY" as const, type: "MARKET", quantity: v.input }
        : { side: "BUY" as const, type: "LIMIT", quantity: "1", price: v.input };
      const out = applyOrderFilters(info, order);
      const got = v.field === "quantity" ? out.quantity : out.price!;
      // ccxt strips trailing zeros ("55000"); we keep the tick's decimals ("55000.00"): same value
      assertEquals(compareDecimal(got, v.expected_wire), 0, `${got} vs ${v.expected_wire}`);
      if (v.expected_wire.includes(".")) assertEquals(got, v.expected_wire);
    });
  }

  it("formats with the tick's significant decimals, not pricePrecision (USD-M BTCUSDT tick 0.10)", () => {
    const out = applyOrderFilters(symbolInfo("BTCUSDT", "usdm"), {
      side: "SELL",
      type: "LIMIT",
      quantity: "0.0019",
      price: 97000.123,
    });
    assertEquals(out, { quantity: "0.001", price: "97000.2" });
  });

  it("rounds BUY prices down, SELL prices up, quantities always down; priceRounding overrides", () => {
    const info = symbolInfo("LTCUSDT", "spot");
    assertEquals(
      applyOrderFilters(info, { side: "BUY", type: "LIMIT", quantity: "1.0009", price: "55.329" }),
      {
        quantity: "1.000",
        price: "55.32",
      },
    );
    assertEquals(
      applyOrderFilters(info, { side: "SELL", type: "LIMIT", quantity: "1.0009", price: "55.321" }).price,
      "55.33",
    );
    assertEquals(
      applyOrderFilters(info, {
        side: "SELL",
        type: "LIMIT",
        quantity: "1",
        price: "55.321",
        priceRounding: "nearest",
      }).price,
      "55.32",
    );
  });

  it("names the violated filter", () => {
    const spot = symbolInfo("BTCUSDT", "spot");
    const usdm = symbolInfo("BTCUSDT", "usdm");
    const cases: [SymbolInfo, Json, string, string][] = [
      [spot, { side: "BUY", type: "LIMIT", quantity: "1", price: "0.001" }, "PRICE_FILTER", "not positive"],
      [
        usdm,
        { side: "BUY", type: "LIMIT", quantity: "1", price: "500" },
        "PRICE_FILTER",
        "below minPrice 556.80",
      ],
      [
        spot,
        { side: "BUY", type: "LIMIT", quantity: "1", price: "2000000" },
        "PRICE_FILTER",
        "above maxPrice",
      ],
      [
        spot,
        { side: "BUY", type: "LIMIT", quantity: "0.000009", price: "90000" },
        "LOT_SIZE",
        "rounds to 0.00000",
      ],
      [spot, { side: "BUY", type: "LIMIT", quantity: "9001", price: "1" }, "LOT_SIZE", "above maxQty"],
      [
        spot,
        { side: "BUY", type: "LIMIT", quantity: "0.00004", price: "100000" },
        "NOTIONAL",
        "below minNotional",
      ],
      [
        spot,
        { side: "BUY", type: "LIMIT", quantity: "8999", price: "999999" },
        "NOTIONAL",
        "above maxNotional",
      ],
      [
        usdm,
        { side: "BUY", type: "MARKET", quantity: "121", referencePrice: "1" },
        "MARKET_LOT_SIZE",
        "above maxQty 120",
      ],
      [usdm, { side: "BUY", type: "LIMIT", quantity: "0.001", price: "4000" }, "MIN_NOTIONAL", "below 5"],
    ];
    for (const [info, order, filter, text] of cases) {
      assertThrows(() => applyOrderFilters(info, order), RangeError, `Order rejected by ${filter}: `);
      assertThrows(() => applyOrderFilters(info, order), RangeError, text);
    }
  });

  it("exact notional at the boundary passes (no float error)", () => {
    const spot = symbolInfo("BTCUSDT", "spot");
    assertEquals(
      applyOrderFilters(spot, { side: "BUY", type: "LIMIT", quantity: "0.00005", price: "100000" }).quantity,
      "0.00005",
    );
    assertThrows(
      () => applyOrderFilters(spot, { side: "BUY", type: "LIMIT", quantity: "0.00005", price: "99999.99" }),
      RangeError,
      "notional 4.9999995",
    );
  });
});
