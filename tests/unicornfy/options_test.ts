/**
 * UnicornFy of the European-options market streams, fed with the emulator's options frames (the
 * Binance shapes): every event kind is known and typed, the readable names carry the raw values.
 */
import { afterEach, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { unicornfy, type UnicornfyMessage } from "../../src/unicornfy/mod.ts";
import { type Client, connect } from "../testing/_ws.ts";

let emu: Emulator | undefined;
let clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  await emu?.close();
  emu = undefined;
});

describe("unicornfy: European options market streams", () => {
  it("every options stream event is known, with the raw values under readable names", async () => {
    const e = emu = await startEmulator({ seed: 51, paused: true });
    const info = await (await fetch(`${e.restUrl}/eapi/v1/exchangeInfo`)).json();
    const symbol: string = info.optionSymbols[0].symbol;
    const s = symbol.toLowerCase();
    const pub = await connect(
      `${e.futuresWsUrl}/public/stream?streams=${s}@optionTrade/${s}@optionTicker/${s}@bookTicker/` +
        `${s}@depth@500ms/${s}@depth10@500ms`,
    );
    const mkt = await connect(
      `${e.futuresWsUrl}/market/stream?streams=${s}@kline_1m/btcusdt@optionMarkPrice/!index@arr`,
    );
    clients = [pub, mkt];
    const seen = new Map<string, { raw: unknown; msg: UnicornfyMessage }>();
    for (let i = 0; i < 60 && seen.size < 8; i++) {
      const next = pub.frames.length;
      e.step(10); // one option step: at least its ticker arrives on /public
      await pub.waitFor(() => true, 3000, next);
      await mkt.waitFor(() => true, 3000, 0);
      for (const f of [...pub.frames, ...mkt.frames]) {
        const msg = unicornfy(f, { exchange: "binance.com-vanilla-options" });
        const key = msg.eventType === "depthUpdate" && msg.depthLevel ? "partial" : String(msg.eventType);
        seen.set(key, { raw: JSON.parse(f).data, msg });
      }
    }
    assertEquals([...seen.keys()].sort(), [
      "24hrTicker",
      "bookTicker",
      "depthUpdate",
      "index",
      "kline",
      "markPrice",
      "partial",
      "trade",
    ]);
    // deno-lint-ignore no-explicit-any
    const raw = (k: string): any => seen.get(k)!.raw;
    for (const { msg } of seen.values()) {
      switch (msg.eventType) {
        case "trade":
          // spot and options trades share the name: the options fields narrow it
          assert("tradeType" in msg, "an options trade");
          assertEquals([msg.tradeId, msg.price, msg.side, msg.tradeType], [
            raw("trade").t,
            raw("trade").p,
            raw("trade").S,
            "MARKET",
          ]);
          break;
        case "markPrice": {
          const mine = msg.data.find((m) => m.symbol === symbol)!;
          const r = raw("markPrice").find((m: { s: string }) => m.s === symbol);
          assertEquals([mine.markPrice, mine.markImpliedVolatility, mine.delta], [r.mp, r.vo, r.d]);
          assertEquals(mine.streamType, "btcusdt@optionMarkPrice");
          break;
        }
        case "index":
          assertEquals([msg.data[0].underlying, msg.data[0].indexPrice], [
            raw("index")[0].s,
            raw("index")[0].p,
          ]);
          break;
        case "depthUpdate": {
          const r = raw(msg.depthLevel ? "partial" : "depthUpdate");
          assertEquals([msg.finalUpdateIdInEvent, msg.finalUpdateIdInPreviousEvent], [r.u, r.pu]);
          assertEquals(msg.depthLevel, msg.streamType.includes("@depth10") ? 10 : false);
          break;
        }
        case "24hrTicker":
          assertEquals(msg.data[0].lastPrice, raw("24hrTicker").c);
          break;
        case "kline":
          assertEquals(msg.kline.closePrice, raw("kline").k.c);
          break;
        case "bookTicker":
          assertEquals(msg.bestBidPrice, raw("bookTicker").b);
          break;
        default:
          assert(false, `unexpected ${String(msg.eventType)}`);
      }
    }
  });
});
