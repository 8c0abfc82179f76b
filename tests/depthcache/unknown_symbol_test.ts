/**
 * A symbol Binance does not know: no diff ever arrives for it, so the snapshot is requested after
 * `firstEventTimeoutMs` anyway; its -1121 stops the cache with the reason (state event, stats,
 * reads), and the other markets of the same manager and stream are not affected.
 */
import { afterEach, before, describe, it } from "node:test";
import { assert, assertEquals, assertInstanceOf, assertThrows } from "@std/assert";
import { init } from "../../src/depthcache/book.ts";
import type { DepthCacheStateEvent } from "../../src/depthcache/cache_types.ts";
import {
  DepthCacheAlreadyStoppedError,
  DepthCacheInvalidSymbolError,
  DepthCacheOutOfSyncError,
} from "../../src/depthcache/errors.ts";
import type { BinanceLocalDepthCacheManager } from "../../src/depthcache/manager.ts";
import { MarketCache, type Slot } from "../../src/depthcache/_market_cache.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { managerFor, until, type Venue } from "./_dcm.ts";

let emu: Emulator | undefined;
let dcm: BinanceLocalDepthCacheManager | undefined;

before(() => init());
afterEach(async () => {
  await dcm?.close();
  await emu?.close();
  dcm = emu = undefined;
});

const cases: [Venue, string][] = [["spot", "BTCUSDT"], ["usdm", "BTCUSDT"], ["coinm", "BTCUSD_PERP"]];

describe("unknown symbol", () => {
  for (const [venue, good] of cases) {
    it(`${venue}: FOOBAR stops with the -1121 reason within 10 s, ${good} is unaffected`, async () => {
      const e = emu = await startEmulator({ seed: 21 });
      const events: DepthCacheStateEvent[] = [];
      const m = dcm = managerFor(e, venue, { onStateChange: (ev) => events.push(ev) });
      const started = Date.now();
      m.createDepthCache([good, "FOOBAR"]);
      await until(() => m.getState("FOOBAR") === "STOPPED", 10_000, "FOOBAR stopped");
      const took = Date.now() - started;
      assert(took < 10_000, `${took} ms`);

      const stop = events.find((ev) => ev.market === "FOOBAR" && ev.state === "STOPPED");
      assert(stop, JSON.stringify(events));
      assertEquals(stop.previous, "SYNCING");
      assert(stop.reason.startsWith("invalid symbol: "), stop.reason);
      assert(stop.reason.includes("-1121"), stop.reason);
      const stats = m.getStats("FOOBAR");
      assertEquals([stats.state, stats.failure], ["STOPPED", stop.reason]);
      assertEquals(stats.snapshots, 0);

      const err = assertThrows(() => m.getAsks("FOOBAR"), DepthCacheInvalidSymbolError);
      assertInstanceOf(err, DepthCacheAlreadyStoppedError);
      assert(!(err instanceof DepthCacheOutOfSyncError));
      assertEquals([err.market, err.reason], ["FOOBAR", stop.reason]);
      assert(
        err.message.startsWith("Cannot read depth cache FOOBAR: Binance does not know the symbol"),
        err.message,
      );
      assert(err.message.includes("-1121"), err.message);
      assertThrows(() => m.getBook("FOOBAR"), DepthCacheInvalidSymbolError);
      assertThrows(
        () => m.setResyncRequest("FOOBAR"),
        DepthCacheInvalidSymbolError,
        "does not know the symbol",
      );

      await until(() => m.isSynchronized(good), 10_000, `${good} live`);
      assert(m.getBids(good, { limitCount: 5 }).length > 0);
      assertEquals(m.getList(), [good]);
      assertEquals(m.getStats(good).failure, undefined);
      // FOOBAR is asked for once, never retried
      const failures = m.getStats("FOOBAR").snapshotFailures;
      await new Promise((r) => setTimeout(r, 300));
      assertEquals(m.getStats("FOOBAR").snapshotFailures, failures);
    });
  }
});

describe("the first-event timeout (one cache)", () => {
  function harness(): { cache: MarketCache; fetches: Slot[]; changes: string[] } {
    const fetches: Slot[] = [];
    const changes: string[] = [];
    const cache = new MarketCache("TESTUSDT", { family: "spot", depth: 100 }, {
      fetch: (_c, slot) => fetches.push(slot),
      changed: (c, previous, reason) => changes.push(`${previous}>${c.state}:${reason}`),
      failed: (c) => changes.push(`failed:${c.market}`),
    });
    return { cache, fetches, changes };
  }

  it("a quiet market gets its snapshot and goes live on its first event", () => {
    const { cache, fetches } = harness();
    cache.probe();
    assertEquals(fetches.length, 1);
    cache.probe(); // already fetching: not asked twice
    assertEquals(fetches.length, 1);
    cache.onSnapshot(fetches[0], { lastUpdateId: 10, bids: [["1.00", "1"]], asks: [["2.00", "1"]] });
    assertEquals(cache.state, "SYNCING");
    cache.onDiff({ U: 11, u: 11, b: [["1.50", "2"]], a: [] }, 1, 1);
    assertEquals(cache.state, "LIVE");
    assertEquals(cache.book?.read("bids"), [[1.5, 2], [1, 1]]);
  });

  it("does nothing once a diff asked for the snapshot", () => {
    const { cache, fetches } = harness();
    cache.onDiff({ U: 11, u: 11, b: [], a: [] }, 1, 1);
    assertEquals(fetches.length, 1);
    fetches[0].fetching = false; // even when that request is over
    cache.probe();
    assertEquals(fetches.length, 1);
  });

  it("fail() stops the cache with the reason; a late snapshot is ignored", () => {
    const { cache, fetches, changes } = harness();
    cache.probe();
    cache.fail(fetches[0], "invalid symbol: code -1121");
    assertEquals([cache.state, cache.stopped, cache.failure], [
      "STOPPED",
      true,
      "invalid symbol: code -1121",
    ]);
    assertEquals(changes, ["failed:TESTUSDT", "SYNCING>STOPPED:invalid symbol: code -1121"]);
    cache.onSnapshot(fetches[0], { lastUpdateId: 10, bids: [], asks: [] });
    assertEquals(cache.stats.snapshots, 0);
  });
});
