import { describe, it } from "node:test";
import { assertEquals } from "@std/assert";
import { startEmulator } from "../../src/testing/mod.ts";
import { readSharedJson, readSharedText } from "../_data.ts";
import { type AnyJson, connect } from "./_ws.ts";

/** Key paths of a JSON value, in order (nested objects as `k.sub`; arrays by their first element). */
function shape(v: AnyJson, prefix = ""): string[] {
  if (Array.isArray(v)) {
    return v.length > 0 && typeof v[0] === "object" && !Array.isArray(v[0]) ? shape(v[0], `${prefix}[]`) : [];
  }
  if (v === null || typeof v !== "object") return [];
  return Object.keys(v).flatMap((k) => [`${prefix}${k}`, ...shape(v[k], `${prefix}${k}.`)]);
}

/** The first recorded frame of a channel in a cryptofeed recording. */
function recordedData(file: string, channel: string): AnyJson {
  for (const line of readSharedText(`depth/${file}`).split("\n").slice(1)) {
    const text = line.slice(line.indexOf(": ") + 2);
    if (text.includes(`@${channel}"`)) return JSON.parse(text).data;
  }
  throw new Error(`no ${channel} frame in ${file}`);
}

function unicornfyInput(name: string): AnyJson {
  const v = readSharedJson<AnyJson>(`unicornfy/${name}.json`);
  return JSON.parse(v.input).data;
}

describe("payload shapes match recorded Binance frames field for field", () => {
  it("spot and USD-M channels", async () => {
    await using emu = await startEmulator({ seed: 2, intervalMs: 10 });
    const spotNames = [
      "btcusdt@depth@100ms",
      "btcusdt@bookTicker",
      "btcusdt@aggTrade",
      "btcusdt@kline_1m",
      "btcusdt@ticker",
      "btcusdt@miniTicker",
      "btcusdt@trade",
    ];
    const futPublic = ["btcusdt@depth@100ms", "btcusdt@bookTicker"];
    const futMarket = ["btcusdt@aggTrade", "btcusdt@kline_1m", "btcusdt@ticker", "btcusdt@miniTicker"];
    const spot = await connect(`${emu.wsUrl}/stream?streams=${spotNames.join("/")}`);
    const pub = await connect(`${emu.futuresWsUrl}/public/stream?streams=${futPublic.join("/")}`);
    const mkt = await connect(`${emu.futuresWsUrl}/market/stream?streams=${futMarket.join("/")}`);
    try {
      const first = async (c: typeof spot, name: string) => {
        const i = await c.waitFor((f) => f.startsWith(`{"stream":"${name}"`), 4000);
        return JSON.parse(c.frames[i]).data;
      };
      const expectations: Array<[AnyJson, AnyJson, string]> = [
        [
          await first(spot, "btcusdt@depth@100ms"),
          recordedData("BINANCE.ws.1.0", "depth@100ms"),
          "spot depthUpdate",
        ],
        [
          await first(spot, "btcusdt@bookTicker"),
          recordedData("BINANCE.ws.1.0", "bookTicker"),
          "spot bookTicker",
        ],
        [await first(spot, "btcusdt@aggTrade"), recordedData("BINANCE.ws.1.0", "aggTrade"), "spot aggTrade"],
        [await first(spot, "btcusdt@kline_1m"), recordedData("BINANCE.ws.1.0", "kline_1m"), "spot kline"],
        [
          await first(spot, "btcusdt@ticker"),
          unicornfyInput("TestBinanceComWebsocket__test_ticker_single"),
          "spot 24hrTicker",
        ],
        [
          await first(spot, "btcusdt@miniTicker"),
          unicornfyInput("TestBinanceComWebsocket__test_miniTicker_single"),
          "spot miniTicker",
        ],
        [
          await first(pub, "btcusdt@depth@100ms"),
          recordedData("BINANCE_FUTURES.ws.1.0", "depth@100ms"),
          "USD-M depthUpdate",
        ],
        [
          await first(pub, "btcusdt@bookTicker"),
          recordedData("BINANCE_FUTURES.ws.1.0", "bookTicker"),
          "USD-M bookTicker",
        ],
        [
          await first(mkt, "btcusdt@aggTrade"),
          recordedData("BINANCE_FUTURES.ws.1.0", "aggTrade"),
          "USD-M aggTrade",
        ],
        [
          await first(mkt, "btcusdt@kline_1m"),
          recordedData("BINANCE_FUTURES.ws.1.0", "kline_1m"),
          "USD-M kline",
        ],
        [
          await first(mkt, "btcusdt@ticker"),
          unicornfyInput("TestBinanceComWebsocketFutures__test_ticker_single"),
          "USD-M 24hrTicker",
        ],
        [
          await first(mkt, "btcusdt@miniTicker"),
          unicornfyInput("TestBinanceComWebsocketFutures__test_miniTicker_single"),
          "USD-M miniTicker",
        ],
      ];
      for (const [ours, theirs, label] of expectations) assertEquals(shape(ours), shape(theirs), label);
      // spot trade: the recorded sample predates 2024-06-18, when Binance removed `b` and `a`
      const trade = await first(spot, "btcusdt@trade");
      const old = shape(unicornfyInput("TestBinanceComWebsocket__test_trade_single")).filter((k) =>
        k !== "b" && k !== "a"
      );
      assertEquals(shape(trade), old);
    } finally {
      await spot.close();
      await pub.close();
      await mkt.close();
    }
  });

  it("REST depth snapshots have the recorded shapes", async () => {
    await using emu = await startEmulator({ paused: true });
    const spotRec = readSharedText("depth/BINANCE.http.0.0").split("\n")[0];
    const futRec = readSharedText("depth/BINANCE_FUTURES.http.0.0").split("\n")[0];
    const parse = (l: string) => JSON.parse(l.slice(l.indexOf(": {") + 2));
    const spot = await (await fetch(`${emu.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5`)).json();
    const fut = await (await fetch(`${emu.futuresRestUrl}/fapi/v1/depth?symbol=BTCUSDT&limit=5`)).json();
    assertEquals(Object.keys(spot), Object.keys(parse(spotRec)));
    assertEquals(Object.keys(fut), Object.keys(parse(futRec)));
  });
});
