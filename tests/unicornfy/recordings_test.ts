import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { createUnicornfy, isUnknownEvent } from "../../src/unicornfy/mod.ts";
import { readSharedText } from "../_data.ts";

/** Raw frames of a cryptofeed recording: lines `"<ts>: <json>"` after the connect line. */
function recordedFrames(file: string): string[] {
  return readSharedText(file).split("\n").slice(1).filter((l) => l.length > 0).map((l) =>
    l.slice(l.indexOf(": ") + 2)
  );
}

type Loose = Record<string, unknown>;

/** Raw key → readable key per event (top level), written out here independently of the code's tables. */
const CHECKS: Record<string, Record<string, string>> = {
  depthUpdate: {
    eventTime: "E",
    symbol: "s",
    firstUpdateIdInEvent: "U",
    finalUpdateIdInEvent: "u",
    bids: "b",
    asks: "a",
  },
  aggTrade: { eventTime: "E", symbol: "s", aggregateTradeId: "a", price: "p", quantity: "q", tradeTime: "T" },
  kline: { eventTime: "E", symbol: "s" },
  bookTicker: { orderBookUpdateId: "u", symbol: "s", bestBidPrice: "b", bestAskQuantity: "A" },
};

const STREAM_KINDS: readonly (readonly [string, string])[] = [
  ["@depth", "depthUpdate"],
  ["@bookTicker", "bookTicker"],
  ["@kline_", "kline"],
  ["@aggTrade", "aggTrade"],
];

describe("unicornfy: real recordings (cryptofeed sample data) replay without unknown events", () => {
  for (
    const [file, exchange] of [
      ["depth/BINANCE.ws.1.0", "binance.com"],
      ["depth/BINANCE_FUTURES.ws.1.0", "binance.com-futures"],
    ] as const
  ) {
    it(`${file}: every frame maps, values equal the raw fields`, () => {
      const normalize = createUnicornfy({ exchange });
      const seen: Record<string, number> = {};
      const byStream: Record<string, number> = {};
      for (const text of recordedFrames(file)) {
        const frame = JSON.parse(text) as { stream: string; data: Loose };
        const out = normalize(text) as unknown as Loose;
        assert(!isUnknownEvent(out as never), text.slice(0, 100));
        const kind = out.eventType as string;
        seen[kind] = (seen[kind] ?? 0) + 1;
        // the event kind the stream name promises (spot bookTicker frames carry no `e`)
        const promised = STREAM_KINDS.find(([suffix]) => frame.stream.includes(suffix))?.[1] ?? "?";
        byStream[promised] = (byStream[promised] ?? 0) + 1;
        assertEquals(out.streamType, frame.stream);
        for (const [key, raw] of Object.entries(CHECKS[kind] ?? {})) {
          assertEquals(out[key], frame.data[raw], key);
        }
        if (kind === "kline") {
          const k = frame.data.k as Loose;
          const kline = out.kline as Loose;
          assertEquals([kline.firstTradeId, kline.lastTradeId, kline.closePrice], [k.f, k.L, k.c]);
        }
        if (exchange === "binance.com-futures" && kind === "depthUpdate") {
          assertEquals(out.finalUpdateIdInPreviousEvent, frame.data.pu);
          assertEquals(out.depthLevel, false);
        }
      }
      assertEquals(seen, byStream);
      if (exchange === "binance.com-futures") assertEquals(seen.depthUpdate, 764); // binance-api.md §7.5
    });
  }
});
