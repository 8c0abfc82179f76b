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
});
