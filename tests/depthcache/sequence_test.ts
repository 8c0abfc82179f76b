import { before, describe, it } from "node:test";
import { assertEquals, assertThrows } from "@std/assert";
import type { DepthDiff, OrderBook, SyncFamily } from "../../src/depthcache/book_types.ts";
import { BOOK_KINDS, ready } from "./_books.ts";

before(ready);

/** A diff with one bid level, so "applied" is visible in the book. */
function diff(U: number, u: number, pu?: number): DepthDiff {
  return { U, u, pu, b: [[`${u}.0`, "1"]], a: [] };
}

function book(create: (family: SyncFamily) => OrderBook, family: SyncFamily, snapshotId: number): OrderBook {
  const b = create(family);
  b.loadSnapshot({ lastUpdateId: snapshotId, bids: [], asks: [] });
  return b;
}

for (const kind of BOOK_KINDS) {
  const create = (family: SyncFamily) => kind.create({ family, priceScale: 1 });

  describe(`sequence rules (${kind.name})`, () => {
    it("spot first event: drop u <= L, apply U <= L+1 <= u, gap when U > L+1", () => {
      const L = 100;
      assertEquals(book(create, "spot", L).applyDiff(diff(95, 100)), "old");
      assertEquals(book(create, "spot", L).applyDiff(diff(101, 101)), "applied"); // U == L+1
      assertEquals(book(create, "spot", L).applyDiff(diff(90, 105)), "applied"); // straddles L+1
      assertEquals(book(create, "spot", L).applyDiff(diff(102, 110)), "gap"); // snapshot too old
      const b = book(create, "spot", L);
      assertEquals([b.applyDiff(diff(99, 100)), b.state, b.length("bids")], ["old", "snapshot", 0]);
    });

    it("spot live: ignore u < X, allow overlaps, gap when U > X+1", () => {
      const b = book(create, "spot", 100);
      assertEquals(b.applyDiff(diff(101, 110)), "applied");
      assertEquals([b.state, b.lastUpdateId], ["synced", 110]);
      assertEquals(b.applyDiff(diff(105, 109)), "old");
      assertEquals(b.applyDiff(diff(105, 112)), "applied"); // overlap: UBLDC would resync here
      assertEquals(b.applyDiff(diff(112, 112)), "applied"); // u == X is not old on spot
      assertEquals(b.applyDiff(diff(113, 115)), "applied");
      assertEquals(b.applyDiff(diff(117, 120)), "gap");
      assertEquals(b.lastUpdateId, 115);
      assertEquals(b.length("bids"), 3); // 110, 112 (twice), 115
    });

    it("futures first event: drop u < L, apply U <= L <= u, gap when U > L", () => {
      const L = 1000;
      assertEquals(book(create, "futures", L).applyDiff(diff(990, 999, 980)), "old");
      assertEquals(book(create, "futures", L).applyDiff(diff(990, 1000, 980)), "applied"); // u == L
      assertEquals(book(create, "futures", L).applyDiff(diff(1000, 1010, 995)), "applied"); // U == L
      assertEquals(book(create, "futures", L).applyDiff(diff(1001, 1010, 1000)), "gap"); // U == L+1 is not enough
    });

    it("futures live: continuity only through pu == X (ids are not contiguous)", () => {
      const b = book(create, "futures", 1000);
      assertEquals(b.applyDiff(diff(990, 1005, 980)), "applied");
      assertEquals(b.applyDiff(diff(1040, 1077, 1005)), "applied"); // U - prev.u = 35 is normal
      assertEquals(b.applyDiff(diff(1001, 1004, 990)), "old");
      assertEquals(b.applyDiff(diff(1078, 1080, 1076)), "gap");
      assertEquals(b.lastUpdateId, 1077);
      assertThrows(() => b.applyDiff({ U: 1, u: 2, b: [], a: [] }), RangeError, "pu is required");
    });

    it("no snapshot means gap; malformed ids are rejected", () => {
      const b = create("spot");
      assertEquals(b.applyDiff(diff(1, 2)), "gap");
      assertThrows(() => b.applyDiff(diff(5, 4)), RangeError, "below U");
      assertThrows(() => b.applyDiff(diff(1.5, 4)), RangeError, "U 1.5");
      assertThrows(
        () => b.loadSnapshot({ lastUpdateId: -1, bids: [], asks: [] }),
        RangeError,
        "lastUpdateId",
      );
    });
  });
}
