import { before, describe, it } from "node:test";
import { assert, assertEquals, assertNotEquals, assertThrows } from "@std/assert";
import type { PriceLevel } from "../../src/depthcache/book_types.ts";
import { detectScale, formatTicks } from "../../src/depthcache/ticks.ts";
import { readSharedJson } from "../_data.ts";
import { BOOK_KINDS, ready } from "./_books.ts";

interface UbldcItems {
  readonly items: Record<string, number>;
  readonly assert_list: [number, number][];
}

/** `n` bid levels of 0.01 steps from `top` downwards, as Binance strings. */
function bidLadder(topTicks: number, n: number): PriceLevel[] {
  return Array.from({ length: n }, (_, i) => [formatTicks(topTicks - i, 2), String(i + 1)] as const);
}

before(ready);

for (const kind of BOOK_KINDS) {
  describe(`order-book side (${kind.name})`, () => {
    it("binary-search upsert, update, delete and top-N read through a view", () => {
      const book = kind.create({ family: "spot", priceScale: 2, depth: 10 });
      book.loadSnapshot({ lastUpdateId: 5, bids: [], asks: [] });
      const r = book.applyDiff({
        U: 6,
        u: 6,
        b: [["10.05", "1"], ["10.01", "2"], ["10.10", "3"], ["10.03", "4"]],
        a: [["10.20", "5"], ["10.15", "6"]],
      });
      assertEquals(r, "applied");
      const bids = book.view("bids");
      assertEquals(Array.from(bids.ticks), [1001, 1003, 1005, 1010]); // worst .. best
      assertEquals(Array.from(bids.quantities), [2, 4, 1, 3]);
      assertEquals(Array.from(book.view("asks").ticks), [1020, 1015]);
      book.applyDiff({
        U: 7,
        u: 8,
        b: [["10.05", "0"], ["10.03", "9"], ["9.99", "0"]],
        a: [["10.15", "0.5"]],
      });
      assertEquals(book.read("bids"), [[10.1, 3], [10.03, 9], [10.01, 2]]);
      assertEquals(book.read("bids", { limit: 2 }), [[10.1, 3], [10.03, 9]]);
      assertEquals(book.read("asks", { limit: 0 }), []);
      assertEquals(book.count("bids", { limit: 99 }), 3);
      assertEquals([book.bestTick("bids"), book.bestTick("asks")], [1010, 1015]);
      assertEquals(book.lastUpdateId, 8);
    });

    it("keeps the 1000-level UBLDC ask fixture in numeric order", () => {
      const fixture = readSharedJson<UbldcItems>("depth/ubldc_unittest_items.json");
      const levels = Object.entries(fixture.items).map(([p, q]) => [p, String(q)] as const);
      const book = kind.create({ family: "spot", priceScale: detectScale(Object.keys(fixture.items)) });
      book.loadSnapshot({ lastUpdateId: 1, bids: [], asks: levels.reverse() }); // unsorted input order
      assertEquals(book.length("asks"), 1000);
      assertEquals(book.read("asks"), fixture.assert_list);
      assertEquals(book.read("asks", { limit: 3 }), fixture.assert_list.slice(0, 3));
    });

    it("pruning across a power of ten keeps the best bids (99 999.99 / 100 000.00)", () => {
      // 1200 bids of 0.01 from 100 001.99 down to 99 990.00: 200 at or above 100 000, 1000 below
      const ladder = bidLadder(10000199, 1200);
      assert(ladder.some(([p]) => p === "99999.99") && ladder.some(([p]) => p === "100000.00"));
      const book = kind.create({ family: "spot", priceScale: 2, depth: 1000 });
      book.loadSnapshot({ lastUpdateId: 1, bids: ladder, asks: [] });
      const kept = book.read("bids").map(([p]) => p);
      assertEquals(kept.length, 1000);
      assertEquals(kept[0], 100001.99);
      assertEquals(kept[999], 99992);
      // the Python defect: a string sort keeps the 1000 "9999x" strings and drops every bid >= 100000
      const stringSorted = ladder.map(([p]) => p).sort().reverse().slice(0, 1000);
      assert(!stringSorted.some((p) => p.startsWith("1000")));
      // pruning also happens on diffs: a new best level pushes out the worst
      book.applyDiff({ U: 2, u: 2, b: [["100002.00", "7"]], a: [] });
      assertEquals(book.read("bids", { limit: 1 }), [[100002, 7]]);
      assertEquals(book.read("bids").at(-1), [99992.01, 999]);
    });

    it("applies a new depth immediately", () => {
      const book = kind.create({ family: "spot", priceScale: 2, depth: 50, capacity: 60 });
      book.loadSnapshot({ lastUpdateId: 1, bids: bidLadder(5000, 40), asks: [] });
      book.setDepth(10);
      assertEquals(book.length("bids"), 10);
      assertEquals(book.bestTick("bids"), 5000);
      assertThrows(() => book.setDepth(61), RangeError, "capacity 60");
    });

    it("a full side evicts its worst level for a better one and drops a worse one", () => {
      const book = kind.create({ family: "spot", priceScale: 0, depth: 3, capacity: 3, batchCapacity: 2 });
      book.loadSnapshot({ lastUpdateId: 1, bids: [], asks: [["10", "1"], ["11", "1"], ["12", "1"]] });
      book.applyDiff({ U: 2, u: 2, b: [], a: [["9", "2"], ["13", "2"], ["11", "0"]] });
      assertEquals(book.read("asks"), [[9, 2], [10, 1]]);
    });

    it("detects a crossed book in O(1)", () => {
      const book = kind.create({ family: "spot", priceScale: 2 });
      book.loadSnapshot({ lastUpdateId: 1, bids: [["99999.99", "1"]], asks: [["100000.00", "1"]] });
      assert(!book.isCrossed());
      book.applyDiff({ U: 2, u: 2, b: [["100000.00", "1"]], a: [] });
      assert(book.isCrossed());
    });

    it("reads until the cumulative quote notional would cross a threshold (UBLDC semantics)", () => {
      const book = kind.create({ family: "spot", priceScale: 1 });
      // asks: 10.0 x 5 (50), 10.5 x 2 (21), 11.0 x 10 (110)
      book.loadSnapshot({ lastUpdateId: 1, bids: [], asks: [["10.5", "2"], ["10.0", "5"], ["11.0", "10"]] });
      assertEquals(book.read("asks", { thresholdVolume: 71 }), [[10, 5], [10.5, 2]]); // 50 + 21 <= 71
      assertEquals(book.read("asks", { thresholdVolume: 70.9 }), [[10, 5]]); // the crossing level is excluded
      assertEquals(book.read("asks", { thresholdVolume: 1 }), [[10, 5]]); // the first level always counts
      assertEquals(book.read("asks", { thresholdVolume: 0 }), [[10, 5]]);
      assertEquals(book.read("asks", { thresholdVolume: 1e9, limit: 2 }), [[10, 5], [10.5, 2]]);
      assertEquals(book.count("asks", { thresholdVolume: 1e9 }), 3);
      assertThrows(() => book.read("asks", { limit: -1 }), RangeError, "limit");
    });

    it("rejects malformed levels and leaves an empty book", () => {
      const book = kind.create({ family: "spot", priceScale: 2 });
      book.loadSnapshot({ lastUpdateId: 1, bids: [["1.00", "1"]], asks: [] });
      assertThrows(() => book.applyDiff({ U: 2, u: 2, b: [["1.001", "1"]], a: [] }), RangeError, "decimals");
      assertEquals(book.state, "empty");
      assertThrows(
        () => book.loadSnapshot({ lastUpdateId: 3, bids: [["1,00", "1"]], asks: [] }),
        SyntaxError,
      );
      assertThrows(
        () => book.loadSnapshot({ lastUpdateId: 3, bids: [["1.00", "-1"]], asks: [] }),
        RangeError,
      );
      assertEquals([book.state, book.length("bids")], ["empty", 0]);
      assertNotEquals(book.lastUpdateId, 3);
    });
  });
}
