/**
 * One market's cache inside the manager (MarketCache), driven directly without network: first
 * sync, stale snapshot with the buffer kept, gap, crossed book, unverified book that chains
 * again, refresh swap without going dark, a price finer than the detected scale, malformed
 * levels, and exact string output.
 */
import { before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { init } from "../../src/depthcache/book.ts";
import type { DepthDiff, DepthSnapshot, PriceLevel } from "../../src/depthcache/book_types.ts";
import type { DepthCacheState } from "../../src/depthcache/cache_types.ts";
import { MarketCache, type Slot } from "../../src/depthcache/_market_cache.ts";

before(() => init());

interface Harness {
  readonly cache: MarketCache;
  readonly fetches: Slot[];
  readonly changes: string[];
}

function harness(family: "spot" | "futures" = "spot"): Harness {
  const fetches: Slot[] = [];
  const changes: string[] = [];
  const cache = new MarketCache("TESTUSDT", { family, depth: 100 }, {
    fetch: (_c, slot) => fetches.push(slot),
    changed: (c, previous: DepthCacheState, reason) => changes.push(`${previous}>${c.state}:${reason}`),
    failed: (c) => changes.push(`failed:${c.market}`),
  });
  return { cache, fetches, changes };
}

const lv = (p: string, q: string): PriceLevel => [p, q];
const snap = (id: number, bids: PriceLevel[], asks: PriceLevel[]): DepthSnapshot => ({
  lastUpdateId: id,
  bids,
  asks,
});
const diff = (U: number, u: number, b: PriceLevel[] = [], a: PriceLevel[] = [], pu?: number): DepthDiff =>
  pu === undefined ? { U, u, b, a } : { U, u, pu, b, a };

const BASE = snap(10, [lv("1.00000000", "5.00000000")], [lv("1.10000000", "3.00000000")]);

describe("MarketCache", () => {
  it("first sync: buffer, one snapshot request, replay, LIVE", () => {
    const { cache, fetches, changes } = harness();
    cache.onDiff(diff(9, 10, [lv("0.99000000", "1.00000000")]), 1, 1);
    cache.onDiff(diff(11, 12, [lv("1.01000000", "2.00000000")]), 2, 2);
    assertEquals(fetches.length, 1);
    assertEquals(cache.state, "SYNCING");
    cache.onSnapshot(fetches[0], BASE);
    assertEquals(cache.state, "LIVE");
    assertEquals(cache.book!.lastUpdateId, 12);
    assertEquals(cache.readNumbers(cache.book!, "bids"), [[1.01, 2], [1, 5]]);
    assertEquals(changes, ["SYNCING>LIVE:synced"]);
    assertEquals([cache.eventTime, cache.stats.applied], [2, 1]);
  });

  it("stale snapshot: another snapshot, the buffer kept", () => {
    const { cache, fetches } = harness();
    cache.onDiff(diff(21, 22, [lv("1.02000000", "1.00000000")]), 1, 1);
    cache.onSnapshot(fetches[0], BASE); // lastUpdateId 10 < 21: older than the stream
    assertEquals([cache.state, fetches.length], ["SYNCING", 2]);
    cache.onSnapshot(
      fetches[1],
      snap(21, [lv("1.00000000", "5.00000000")], [lv("1.10000000", "3.00000000")]),
    );
    assertEquals(cache.state, "LIVE");
    assertEquals(cache.readNumbers(cache.book!, "bids", 1), [[1.02, 1]]);
    assertEquals([cache.stats.snapshots, cache.stats.resyncs], [2, 0]);
  });

  it("gap and crossed book: RESYNCING with the reason, then LIVE from a new snapshot", () => {
    const { cache, fetches, changes } = harness();
    cache.onDiff(diff(11, 11), 1, 1);
    cache.onSnapshot(fetches[0], BASE);
    cache.onDiff(diff(13, 13), 2, 2); // 12 is missing
    assertEquals([cache.state, fetches.length], ["RESYNCING", 2]);
    cache.onSnapshot(
      fetches[1],
      snap(13, [lv("1.00000000", "5.00000000")], [lv("1.10000000", "3.00000000")]),
    );
    cache.onDiff(diff(14, 14), 3, 3);
    cache.onDiff(diff(15, 15, [lv("1.20000000", "1.00000000")]), 4, 4); // best bid above best ask
    assertEquals([cache.state, fetches.length], ["RESYNCING", 3]);
    assertEquals(changes, [
      "SYNCING>LIVE:synced",
      "LIVE>RESYNCING:gap",
      "RESYNCING>LIVE:synced",
      "LIVE>RESYNCING:crossed book",
    ]);
    assertEquals(cache.stats.resyncs, 2);
  });

  it("unverified book (disconnect): not LIVE until the next event chains, no snapshot", () => {
    const { cache, fetches } = harness();
    cache.onDiff(diff(11, 11), 1, 1);
    cache.onSnapshot(fetches[0], BASE);
    cache.markSuspect("disconnect");
    assertEquals(cache.state, "RESYNCING");
    cache.onDiff(diff(12, 12, [], [lv("1.09000000", "1.00000000")]), 2, 2);
    assertEquals([cache.state, fetches.length, cache.suspect], ["LIVE", 1, false]);
  });

  it("refresh: the new book is built behind the served one and swapped in while LIVE", () => {
    const { cache, fetches, changes } = harness();
    cache.onDiff(diff(11, 11), 1, 1);
    cache.onSnapshot(fetches[0], BASE);
    const served = cache.book;
    cache.startRefresh();
    assert(cache.refreshing);
    cache.onDiff(diff(12, 12, [lv("1.05000000", "1.00000000")]), 2, 2);
    assertEquals([fetches.length, fetches[1].priority], [2, 2]);
    assertEquals(cache.book, served); // still serving the old book
    cache.onDiff(diff(13, 13, [lv("1.05000000", "0.00000000")]), 3, 3);
    cache.onSnapshot(
      fetches[1],
      snap(12, [lv("1.00000000", "5.00000000"), lv("1.05000000", "1.00000000")], [
        lv("1.10000000", "3.00000000"),
      ]),
    );
    assert(cache.book !== served, "swapped");
    assert(!cache.refreshing);
    assertEquals(cache.book!.lastUpdateId, 13);
    assertEquals(cache.readNumbers(cache.book!, "bids"), [[1, 5]]);
    assertEquals(changes, ["SYNCING>LIVE:synced"]); // never left LIVE
    assertEquals(cache.stats.refreshes, 1);
  });

  it("futures: a price finer than the snapshot's scale rebuilds the book at the finer scale", () => {
    const { cache, fetches, changes } = harness("futures");
    cache.onDiff(diff(100, 110, [], [], 99), 1, 1);
    cache.onSnapshot(fetches[0], snap(105, [lv("7.61", "6")], [lv("7.62", "297")]));
    assertEquals([cache.state, cache.book!.priceScale], ["LIVE", 2]);
    cache.onDiff(diff(111, 120, [lv("7.615", "4")], [], 110), 2, 2);
    assertEquals([cache.state, fetches.length], ["RESYNCING", 2]);
    assertEquals(
      changes.at(-1),
      "LIVE>RESYNCING:error: Cannot parse price 7.615: more than 2 significant decimals",
    );
    cache.onSnapshot(fetches[1], snap(118, [lv("7.61", "6"), lv("7.615", "4")], [lv("7.62", "297")]));
    assertEquals([cache.state, cache.book!.priceScale], ["LIVE", 3]);
    assertEquals(cache.readStrings(cache.book!, "bids"), [["7.615", "4"], ["7.610", "6"]]);
  });

  it("a malformed level starts over instead of failing", () => {
    const { cache, fetches, changes } = harness();
    cache.onDiff(diff(11, 11), 1, 1);
    cache.onSnapshot(fetches[0], BASE);
    cache.onDiff(diff(12, 12, [lv("1.0x", "1")]), 2, 2);
    assertEquals([cache.state, fetches.length], ["RESYNCING", 2]);
    assertEquals(changes.at(-1), "LIVE>RESYNCING:malformed level");
    cache.onDiff(diff(13, 13), 3, 3); // buffered until the snapshot arrives
    cache.onSnapshot(
      fetches[1],
      snap(13, [lv("1.00000000", "5.00000000")], [lv("1.10000000", "3.00000000")]),
    );
    cache.onDiff(diff(14, 14), 4, 4);
    assertEquals(cache.state, "LIVE");
  });

  it("string output: exact prices from ticks, quantities with the wire's decimals", () => {
    const { cache, fetches } = harness();
    cache.onDiff(diff(11, 11), 1, 1);
    cache.onSnapshot(
      fetches[0],
      snap(11, [lv("99999.99000000", "0.00100000"), lv("100000.00000000", "12.34567800")], [
        lv("100000.01000000", "0.00000001"),
      ]),
    );
    cache.onDiff(diff(12, 12), 2, 2);
    assertEquals(cache.readStrings(cache.book!, "bids"), [["100000.00000000", "12.34567800"], [
      "99999.99000000",
      "0.00100000",
    ]]);
    assertEquals(cache.readStrings(cache.book!, "asks"), [["100000.01000000", "0.00000001"]]);
    assertEquals(cache.readNumbers(cache.book!, "asks", 0), []);
  });

  it("stop: STOPPED, later input ignored", () => {
    const { cache, fetches, changes } = harness();
    cache.onDiff(diff(11, 11), 1, 1);
    cache.stop();
    cache.onSnapshot(fetches[0], BASE);
    cache.onDiff(diff(12, 12), 2, 2);
    assertEquals([cache.state, cache.book, fetches.length], ["STOPPED", undefined, 1]);
    assertEquals(changes, ["SYNCING>STOPPED:stopped"]);
  });
  describe("frame text (the WASM fast path)", () => {
    const frame = (U: number, u: number, b: PriceLevel[] = [], a: PriceLevel[] = [], E = 7) =>
      JSON.stringify({
        stream: "testusdt@depth@100ms",
        data: { e: "depthUpdate", E, s: "TESTUSDT", U, u, b, a },
      });
    const live = (family: "spot" | "futures" = "spot") => {
      const h = harness(family);
      h.cache.onDiff(family === "spot" ? diff(11, 11) : diff(10, 11, [], [], 9), 1, 1);
      h.cache.onSnapshot(h.fetches[0], BASE);
      assertEquals(h.cache.state, "LIVE");
      return h;
    };

    it("a live WASM book takes frames: same book, event time, counters as onDiff", () => {
      const a = live();
      const b = live();
      const levels: [PriceLevel[], PriceLevel[]] = [[lv("1.01000000", "2.00000000")], [
        lv("1.10000000", "0.00000000"),
      ]];
      assert(a.cache.onFrame(frame(12, 13, ...levels, 1234), true, 99));
      b.cache.onDiff(diff(12, 13, ...levels), 1234, 99);
      assert(a.cache.onFrame(frame(5, 6), true, 100), "an old frame is taken too (ignored)");
      b.cache.onDiff(diff(5, 6), 7, 100);
      for (const side of ["bids", "asks"] as const) {
        assertEquals(a.cache.readStrings(a.cache.book!, side), b.cache.readStrings(b.cache.book!, side));
      }
      assertEquals([a.cache.eventTime, a.cache.receivedAt], [1234, 99]);
      assertEquals(a.cache.stats.applied, b.cache.stats.applied);
      assertEquals([a.cache.stats.wasmFrames, b.cache.stats.wasmFrames], [2, 0]);
      assertEquals(a.changes, b.changes);
    });

    it("a gap is left to the parsed path, which starts the resync with the event buffered", () => {
      const { cache, fetches } = live();
      assert(!cache.onFrame(frame(14, 14), true, 1), "gap: not taken");
      assertEquals([cache.state, cache.book!.lastUpdateId, fetches.length], ["LIVE", 11, 1]);
      cache.onDiff(diff(14, 14), 1, 1);
      assertEquals([cache.state, fetches.length], ["RESYNCING", 2]);
    });

    it("a crossed book from a frame: RESYNCING with the reason and a snapshot request", () => {
      const { cache, fetches, changes } = live();
      assert(cache.onFrame(frame(12, 12, [lv("1.20000000", "1.00000000")]), true, 1));
      assertEquals([cache.state, fetches.length], ["RESYNCING", 2]);
      assertEquals(changes.at(-1), "LIVE>RESYNCING:crossed book");
    });

    it("not taken while unverified, refreshing, stopped, or for a frame the core refuses", () => {
      const h = live();
      h.cache.markSuspect("disconnect");
      assert(!h.cache.onFrame(frame(12, 12), true, 1), "suspect");
      h.cache.onDiff(diff(12, 12), 1, 1); // chains again: verified
      assert(h.cache.onFrame(frame(13, 13), true, 1));
      h.cache.startRefresh();
      assert(!h.cache.onFrame(frame(14, 14), true, 1), "a refresh book needs the parsed event too");
      const r = live();
      assert(!r.cache.onFrame(frame(12, 12).replace('"U"', '"U\\u0000"'), true, 1), "refused by the core");
      assertEquals(r.cache.book!.lastUpdateId, 11);
      r.cache.stop();
      assert(!r.cache.onFrame(frame(12, 12), true, 1), "stopped");
    });

    it("futures: quantity decimals of a frame widen the string output", () => {
      const { cache } = live("futures");
      const f = JSON.stringify({
        stream: "testusdt@depth@100ms",
        data: { e: "depthUpdate", E: 1, U: 12, u: 12, pu: 11, b: [["1.00000000", "0.123456789"]], a: [] },
      });
      assert(cache.onFrame(f, true, 1));
      assertEquals(cache.readStrings(cache.book!, "bids", 1), [["1.0", "0.123456789"]]); // futures: tick decimals
    });
  });
});
