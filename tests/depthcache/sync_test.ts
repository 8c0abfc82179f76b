import { before, describe, it } from "node:test";
import { assertEquals, assertThrows } from "@std/assert";
import type { DepthDiff, SyncFamily } from "../../src/depthcache/book_types.ts";
import { DepthSync } from "../../src/depthcache/sync.ts";
import { BOOK_KINDS, ready } from "./_books.ts";

before(ready);

const ev = (U: number, u: number, bid = "1.00", qty = "1", pu?: number): DepthDiff => ({
  U,
  u,
  pu,
  b: [[bid, qty]],
  a: [["2.00", "1"]],
});
const snap = (id: number) => ({
  lastUpdateId: id,
  bids: [["0.90", "5"] as const],
  asks: [["2.10", "5"] as const],
});

for (const kind of BOOK_KINDS) {
  const machine = (family: SyncFamily = "spot", maxBuffer?: number) =>
    new DepthSync(kind.create({ family, priceScale: 2 }), { maxBuffer });

  describe(`DepthSync (${kind.name} book)`, () => {
    it("asks for one snapshot, buffers, drops old events and replays the rest", () => {
      const s = machine();
      assertEquals(s.onDiff(ev(5, 7)), { verdict: "buffered", fetchSnapshot: true, status: "buffering" });
      assertEquals(s.onDiff(ev(8, 9, "1.01")).fetchSnapshot, false); // already pending
      s.onDiff(ev(10, 12, "1.02"));
      assertEquals(s.onSnapshot(snap(9)), { verdict: "snapshot", fetchSnapshot: false, status: "live" });
      assertEquals(s.book.lastUpdateId, 12);
      assertEquals(s.book.read("bids").map(([p]) => p), [1.02, 0.9]); // events <= 9 dropped
      assertEquals([s.stats.old, s.stats.applied, s.buffered], [2, 1, 0]);
      assertEquals(s.onDiff(ev(13, 13, "1.03")).verdict, "applied");
    });

    it("a snapshot older than the buffer is refetched and the buffer is kept", () => {
      const s = machine();
      s.onDiff(ev(20, 25));
      s.onDiff(ev(26, 30, "1.05"));
      const r = s.onSnapshot(snap(15)); // 20 > 15 + 1: the snapshot predates the stream
      assertEquals([r.fetchSnapshot, r.status, s.buffered, s.stats.staleSnapshots], [
        true,
        "buffering",
        2,
        1,
      ]);
      s.onDiff(ev(31, 31, "1.06"));
      assertEquals(s.onSnapshot(snap(26)).status, "live");
      assertEquals([s.book.lastUpdateId, s.book.bestTick("bids")], [31, 106]);
    });

    it("a snapshot newer than every buffered event waits for the first live event", () => {
      const s = machine();
      s.onDiff(ev(1, 3));
      assertEquals(s.onSnapshot(snap(10)).status, "syncing");
      assertEquals(s.onDiff(ev(9, 10)).verdict, "old");
      assertEquals(s.onDiff(ev(11, 12)).status, "live");
    });

    it("a live gap buffers from the gapped event and asks for a new snapshot", () => {
      const s = machine();
      s.onDiff(ev(1, 1));
      s.onSnapshot(snap(0));
      assertEquals(s.status, "live");
      const r = s.onDiff(ev(5, 6, "1.50"));
      assertEquals([r.verdict, r.fetchSnapshot, r.status, s.stats.gaps, s.buffered], [
        "gap",
        true,
        "buffering",
        1,
        1,
      ]);
      assertEquals(s.book.lastUpdateId, 1); // contents kept while resyncing
      assertEquals(s.onSnapshot(snap(4)).status, "live");
      assertEquals(s.book.bestTick("bids"), 150);
    });

    it("futures: first event U <= L <= u, then pu chaining", () => {
      const s = machine("futures");
      s.onDiff(ev(90, 95, "1.00", "1", 80));
      s.onDiff(ev(96, 120, "1.01", "1", 95));
      s.onDiff(ev(150, 170, "1.02", "1", 120));
      assertEquals(s.onSnapshot(snap(100)).status, "live");
      assertEquals([s.stats.old, s.stats.applied, s.book.lastUpdateId], [1, 2, 170]);
      assertEquals(s.onDiff(ev(171, 180, "1.03", "1", 169)).verdict, "gap");
    });

    it("a crossed book after an applied diff triggers a resync", () => {
      const s = machine();
      s.onDiff(ev(1, 1));
      s.onSnapshot(snap(0));
      const r = s.onDiff(ev(2, 2, "2.50"));
      assertEquals([r.verdict, r.fetchSnapshot, s.stats.crossed], ["applied", true, 1]);
    });

    it("bounded buffer, failed snapshots and reset", () => {
      const s = machine("spot", 2);
      for (let i = 1; i <= 4; i++) s.onDiff(ev(i, i));
      assertEquals([s.buffered, s.stats.bufferOverflow], [2, 2]);
      assertEquals([s.snapshotFailed(), s.snapshotPending, s.stats.snapshotsRequested], [true, true, 2]);
      s.reset();
      assertEquals([s.status, s.buffered, s.book.state], ["buffering", 0, "empty"]);
      assertThrows(() => machine("spot", 0), RangeError, "maxBuffer");
    });
  });
}
