import { describe, it } from "node:test";
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  buildStreamUrl,
  chunkControlMessages,
  MAX_PARAMS_PER_MESSAGE,
  planConnections,
  URL_MAX_CHARS,
} from "../../src/ws/subscriptions.ts";

const names = (n: number, ch = "trade"): string[] => Array.from({ length: n }, (_, i) => `sym${i}usdt@${ch}`);

describe("planConnections", () => {
  it("keeps what fits on one connection", () => {
    assertEquals(planConnections(names(3), { maxStreamsPerConnection: 1024 }), [{ names: names(3) }]);
  });
  it("splits 1024 spot / 200 futures", () => {
    const spot = planConnections(names(2050), { maxStreamsPerConnection: 1024 });
    assertEquals(spot.map((p) => p.names.length), [1024, 1024, 2]);
    assertEquals(spot.flatMap((p) => p.names), names(2050));
    const fut = planConnections(names(401, "aggTrade"), {
      maxStreamsPerConnection: 200,
      futuresRouting: true,
    });
    assertEquals(fut.map((p) => [p.category, p.names.length]), [["market", 200], ["market", 200], [
      "market",
      1,
    ]]);
  });
  it("groups futures names by category", () => {
    const p = planConnections(
      ["btcusdt@depth", "btcusdt@aggTrade", "ethusdt@bookTicker", "!miniTicker@arr"],
      {
        maxStreamsPerConnection: 200,
        futuresRouting: true,
      },
    );
    assertEquals(p, [
      { category: "public", names: ["btcusdt@depth", "ethusdt@bookTicker"] },
      { category: "market", names: ["btcusdt@aggTrade", "!miniTicker@arr"] },
    ]);
  });
  it("refuses with a clear error when one connection is asked for", () => {
    assertThrows(
      () => planConnections(names(1025), { maxStreamsPerConnection: 1024, singleConnection: true }),
      RangeError,
      "1025 streams exceed the limit of 1024 per connection",
    );
    assertThrows(
      () =>
        planConnections(["btcusdt@depth", "btcusdt@aggTrade"], {
          maxStreamsPerConnection: 200,
          futuresRouting: true,
          singleConnection: true,
        }),
      RangeError,
      "futures categories",
    );
    assertThrows(
      () => planConnections([], { maxStreamsPerConnection: 0 }),
      RangeError,
      "maxStreamsPerConnection",
    );
  });
  it("an empty set gives one empty connection", () => {
    assertEquals(planConnections([], { maxStreamsPerConnection: 5 }), [{ names: [] }]);
  });
});

describe("buildStreamUrl", () => {
  it("puts names in the combined URL with the futures category", () => {
    assertEquals(
      buildStreamUrl("wss://fstream.binance.com/", { category: "market", names: ["btcusdt@aggTrade"] }),
      {
        url: "wss://fstream.binance.com/market/stream?streams=btcusdt@aggTrade",
        rest: [],
      },
    );
    assertEquals(
      buildStreamUrl("wss://stream.binance.com:9443", { names: ["a@trade", "b@trade"] }).url,
      "wss://stream.binance.com:9443/stream?streams=a@trade/b@trade",
    );
    assertEquals(buildStreamUrl("ws://h", { names: [] }), { url: "ws://h/stream", rest: [] });
  });
  it("keeps the URL under the cap and returns the rest for SUBSCRIBE", () => {
    const all = names(1000);
    const { url, rest } = buildStreamUrl("wss://stream.binance.com:9443", { names: all });
    assert(url.length <= URL_MAX_CHARS);
    const inUrl = new URL(url).searchParams.get("streams")!.split("/");
    assertEquals([...inUrl, ...rest], all);
    assert(rest.length > 0);
  });
});

describe("chunkControlMessages", () => {
  it("builds the UBWA create_payload example", () => {
    let id = 0;
    assertEquals(chunkControlMessages("SUBSCRIBE", ["bnbbtc@kline_1m"], () => ++id), [
      { method: "SUBSCRIBE", params: ["bnbbtc@kline_1m"], id: 1 },
    ]);
  });
  it("chunks by count and size; never empty", () => {
    let id = 0;
    const msgs = chunkControlMessages("SUBSCRIBE", names(1000), () => ++id);
    assertEquals(msgs.flatMap((m) => m.params), names(1000));
    for (const m of msgs) {
      assert(m.params!.length <= MAX_PARAMS_PER_MESSAGE);
      assert(JSON.stringify(m).length <= 7000);
    }
    assertEquals(msgs.map((m) => m.id), msgs.map((_, i) => i + 1));
    assertEquals(chunkControlMessages("UNSUBSCRIBE", [], () => ++id), []);
  });
  it("702 short names need 3 messages: a 350-param cap, not UBWA's off-by-one 351", () => {
    const short = Array.from({ length: 702 }, (_, i) => `s${i}@t`);
    assertEquals(chunkControlMessages("SUBSCRIBE", short, () => 1).length, 3);
  });
});
