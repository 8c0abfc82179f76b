import { describe, it } from "node:test";
import { assertEquals, assertThrows } from "@std/assert";
import { readSharedJson } from "../_data.ts";
import { buildStreamNames, depthChannel, klineChannel, normalizeMarket } from "../../src/ws/stream_names.ts";
import { streamCategory as futuresCategory } from "../../src/core/exchanges.ts";

interface Matrix {
  inputs: { payload_trade_kline: { channels: string[]; markets: string[] } };
  results: Record<string, { payload_trade_kline: { params: string[] }[]; miniTicker_arr: string }>;
}

describe("buildStreamNames", () => {
  it("matches the UBWA SUBSCRIBE params for channels × markets (set-equal, order free)", () => {
    const m = readSharedJson<Matrix>("ubwa/uri_and_payload_matrix.json");
    const { channels, markets } = m.inputs.payload_trade_kline;
    const names = buildStreamNames(channels, markets);
    for (const [exchange, r] of Object.entries(m.results)) {
      assertEquals([...names].sort(), [...r.payload_trade_kline[0].params].sort(), exchange);
    }
  });

  it("builds all-market names both ways round (UBWA unit-test table)", () => {
    const t = readSharedJson<
      { create_websocket_uri: { channels: string[]; markets: string[]; expected: string | null }[] }
    >(
      "ubwa/unittest_expectations.json",
    );
    let checked = 0;
    for (const c of t.create_websocket_uri) {
      if (!c.expected || !c.expected.includes("@arr")) continue;
      assertEquals(buildStreamNames(c.channels, c.markets), [c.expected.split("/ws/")[1]]);
      checked++;
    }
    assertEquals(checked, 5);
  });

  const table: [string[], string[], string[]][] = [
    [["trade"], ["BTCUSDT", "btcusdt", "EthUsdt"], ["btcusdt@trade", "ethusdt@trade"]],
    [["kline_1m", "depth20@100ms"], ["BNBBTC"], ["bnbbtc@kline_1m", "bnbbtc@depth20@100ms"]],
    [["!markPrice"], ["arr@1s"], ["!markPrice@arr@1s"]],
    [["!miniTicker", "trade"], ["btcusdt"], ["!miniTicker@arr", "btcusdt@trade"]],
    [["arr"], ["!miniTicker", "btcusdt"], ["!miniTicker@arr"]],
    [["bookTicker"], ["!bookTicker"], ["!bookTicker@bookTicker"]],
    [[], ["btcusdt"], []],
  ];
  for (const [channels, markets, expected] of table) {
    it(`${JSON.stringify(channels)} × ${JSON.stringify(markets)}`, () => {
      assertEquals(buildStreamNames(channels, markets), expected);
    });
  }

  it("rejects empty, spaced or slashed entries naming the field", () => {
    assertThrows(() => buildStreamNames([""], ["btcusdt"]), TypeError, "channels");
    assertThrows(() => buildStreamNames(["trade"], ["btc usdt"]), TypeError, "markets");
    assertThrows(() => buildStreamNames(["trade"], ["btc/usdt"]), TypeError, "markets");
  });

  it("normalizeMarket keeps tokens", () => {
    assertEquals(
      ["BTCUSDT", "!miniTicker", "arr", "arr@1s"].map(normalizeMarket),
      ["btcusdt", "!miniTicker", "arr", "arr@1s"],
    );
  });
});

describe("channel builders", () => {
  it("klineChannel for every interval and the +08:00 form", () => {
    assertEquals(klineChannel("1m"), "kline_1m");
    assertEquals(klineChannel("1M"), "kline_1M");
    assertEquals(klineChannel("1d", { timeZone: "+08:00" }), "kline_1d@+08:00");
    assertThrows(() => klineChannel("2m"), RangeError, "interval");
    // deno-lint-ignore no-explicit-any
    assertThrows(() => klineChannel("1m", { timeZone: "+01:00" as any }), RangeError, "timeZone");
  });
  it("depthChannel levels and speeds", () => {
    assertEquals(depthChannel(), "depth");
    assertEquals(depthChannel({ speedMs: 100 }), "depth@100ms");
    assertEquals(depthChannel({ levels: 20, speedMs: 100 }), "depth20@100ms");
    assertEquals(depthChannel({ levels: 5 }), "depth5");
    assertThrows(() => depthChannel({ levels: 15 }), RangeError, "levels");
    assertThrows(() => depthChannel({ speedMs: 50 }), RangeError, "speedMs");
  });
});

describe("futures routing category used by the ws planner (binance-api.md §6.4)", () => {
  const table: [string, string][] = [
    ["btcusdt@depth", "public"],
    ["btcusdt@depth@100ms", "public"],
    ["btcusdt@depth20@500ms", "public"],
    ["btcusdt@bookTicker", "public"],
    ["!bookTicker", "public"],
    ["btcusdt@rpiDepth@500ms", "public"],
    ["btcusdt@aggTrade", "market"],
    ["btcusdt@kline_1m", "market"],
    ["!miniTicker@arr", "market"],
    ["!markPrice@arr@1s", "market"],
    ["btcusdt@markPrice@1s", "market"],
    ["!forceOrder@arr", "market"],
    ["btcusdt_perp@continuousKline_1m", "market"],
    ["!userData@arr", "private"],
    // European options on the same host (Binance's options stream pages)
    ["btc-260327-70000-c@depth@500ms", "public"],
    ["btc-260327-70000-c@optionTrade", "public"],
    ["btc-260327-70000-c@optionTicker", "public"],
    ["btc-260327-70000-c@kline_1m", "market"],
    ["btcusdt@optionMarkPrice", "market"],
    ["!index@arr", "market"],
  ];
  for (const [name, cat] of table) it(`${name} → ${cat}`, () => assertEquals(futuresCategory(name), cat));

  it("matches the UBWA futures URIs", () => {
    const m = readSharedJson<Matrix>("ubwa/uri_and_payload_matrix.json");
    const uri = m.results["binance.com-futures"].miniTicker_arr; // …/market/ws/!miniTicker@arr
    assertEquals(futuresCategory(uri.split("/ws/")[1]), uri.split("/")[3]);
  });
});
