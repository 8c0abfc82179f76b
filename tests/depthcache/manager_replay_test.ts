/**
 * The real spot and USD-M recordings of `../shared/data/depth/` replayed through the emulator
 * into the depth-cache manager: every market syncs with one snapshot and zero resyncs, and the
 * final book equals the book built by applying Binance's documented algorithm (binance-api.md
 * §7.1 / §7.2) directly to the recording, with a plain Map per side as the book.
 */
import { afterEach, before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { init } from "../../src/depthcache/book.ts";
import type { BinanceLocalDepthCacheManager } from "../../src/depthcache/manager.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { readMessages, readSnapshots, recordingText } from "./_recording.ts";
import { managerFor, until } from "./_dcm.ts";

type Level = [string, string];

/** The documented algorithm applied to the recording, independent of src/: Map books, numeric sort. */
function documentedBook(exchange: string, family: "spot" | "futures", symbol: string) {
  const snap = readSnapshots(exchange).filter((s) => s.symbol === symbol).at(-1)!.snapshot;
  const L = snap.lastUpdateId;
  const bids = new Map<string, string>(snap.bids.map(([p, q]) => [p, q]));
  const asks = new Map<string, string>(snap.asks.map(([p, q]) => [p, q]));
  let X = -1;
  let applied = 0;
  for (const msg of readMessages(exchange)) {
    const d = msg.data as { e: string; s: string; U: number; u: number; pu?: number; b: Level[]; a: Level[] };
    if (d.e !== "depthUpdate" || d.s !== symbol) continue;
    if (X === -1) {
      // pre-sync drop and the first applicable event
      if (family === "spot" ? d.u <= L : d.u < L) continue;
      const first = family === "spot" ? d.U <= L + 1 && L + 1 <= d.u : d.U <= L && L <= d.u;
      assert(first, `${symbol}: the first event after the snapshot does not contain it`);
    } else if (family === "spot") {
      if (d.u < X) continue;
      assert(d.U <= X + 1, `${symbol}: gap between ${X} and ${d.U}`);
    } else {
      assertEquals(d.pu, X, `${symbol}: pu chain broken`);
    }
    for (const [side, levels] of [[bids, d.b], [asks, d.a]] as const) {
      for (const [p, q] of levels) {
        if (Number(q) === 0) side.delete(p);
        else side.set(p, q);
      }
    }
    X = d.u;
    applied++;
  }
  const sorted = (m: Map<string, string>, dir: 1 | -1): [number, number][] =>
    [...m].map(([p, q]) => [Number(p), Number(q)] as [number, number]).sort((x, y) => dir * (x[0] - y[0]));
  return { lastUpdateId: X, applied, bids: sorted(bids, -1), asks: sorted(asks, 1) };
}

const RECORDINGS = [
  {
    exchange: "BINANCE",
    venue: "spot" as const,
    family: "spot" as const,
    symbols: ["NKNUSDT", "BLZETH", "LRCBTC", "RUNEEUR"],
  },
  {
    exchange: "BINANCE_FUTURES",
    venue: "usdm" as const,
    family: "futures" as const,
    symbols: ["SUSHIUSDT", "AKROUSDT", "KEEPUSDT", "CTKUSDT"],
  },
  {
    // COIN-M: made from the emulator's own output (tests/_fixtures/coinm/make_recording.ts)
    exchange: "BINANCE_DELIVERY",
    venue: "coinm" as const,
    family: "futures" as const,
    symbols: ["BCHUSD_PERP", "LTCUSD_PERP"],
  },
];

let emu: Emulator | undefined;
let dcm: BinanceLocalDepthCacheManager | undefined;

before(() => init());
afterEach(async () => {
  await dcm?.close();
  await emu?.close();
  dcm = emu = undefined;
});

for (const { exchange, venue, family, symbols } of RECORDINGS) {
  describe(`replay of ${exchange} through the emulator (${family} rules)`, () => {
    it("every market syncs once, zero resyncs, final book = the documented algorithm's", async () => {
      const recording = {
        ws: recordingText(exchange, ".ws.1.0"),
        http: recordingText(exchange, ".http.0.0"),
        exchangeInfo: recordingText(exchange, ".0"),
      };
      const e = emu = await startEmulator({ replay: { [venue]: recording, speed: 20 } });
      const m = dcm = managerFor(e, venue, {
        depth: 5000, // no pruning: the whole book is compared
        wsOptions: {
          streamBase: venue === "spot" ? e.wsUrl : venue === "usdm" ? e.futuresWsUrl : e.coinmWsUrl,
          stallTimeoutMs: 0,
        },
      });
      m.createDepthCache(symbols);
      const want = new Map(symbols.map((s) => [s, documentedBook(exchange, family, s)]));
      await until(
        () =>
          symbols.every((s) =>
            m.isSynchronized(s) && m.getBook(s, { limitCount: 0 }).lastUpdateId === want.get(s)!.lastUpdateId
          ),
        10_000,
        "every market at the recording's last update id",
      );
      let applied = 0;
      let wasmFrames = 0;
      for (const s of symbols) {
        const w = want.get(s)!;
        const book = m.getBook(s);
        assertEquals(book.bids, w.bids, `${s} bids`);
        assertEquals(book.asks, w.asks, `${s} asks`);
        const st = m.getStats(s);
        assertEquals([st.syncs, st.resyncs, st.snapshots, st.malformed], [1, 0, 1, 0], s);
        assert(w.applied > 0 && st.applied >= w.applied, `${s}: applied ${st.applied} of ${w.applied}`);
        applied += st.applied;
        wasmFrames += st.wasmFrames;
      }
      // once live, the WASM core parses the frames itself (events buffered before that are parsed)
      assert(wasmFrames >= applied * 0.8, `the core parsed ${wasmFrames} of ${applied} applied frames`);
    });
  });
}
