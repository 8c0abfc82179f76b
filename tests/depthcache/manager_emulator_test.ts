/**
 * The depth-cache manager against the emulator: spot and USD-M caches sync and equal the
 * emulator's true book at the same update id (numbers and exact strings), UBLDC read semantics,
 * state events and errors, refresh without going dark, and many markets on one stream within
 * the snapshot weight budget.
 */
import { afterEach, before, describe, it } from "node:test";
import { assert, assertEquals, assertInstanceOf, assertThrows } from "@std/assert";
import { init } from "../../src/depthcache/book.ts";
import type { DepthCacheStateEvent } from "../../src/depthcache/cache_types.ts";
import {
  DepthCacheAlreadyStoppedError,
  DepthCacheNotFoundError,
  DepthCacheOutOfSyncError,
} from "../../src/depthcache/errors.ts";
import type { BinanceLocalDepthCacheManager } from "../../src/depthcache/manager.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { BinanceWebSocketManager } from "../../src/ws/mod.ts";
import {
  compare,
  managerFor,
  sleep,
  stepAndSettle,
  stepUntilLive,
  truth,
  until,
  type Venue,
} from "./_dcm.ts";

let emu: Emulator | undefined;
let dcm: BinanceLocalDepthCacheManager | undefined;

before(() => init());
afterEach(async () => {
  await dcm?.close();
  await emu?.close();
  dcm = emu = undefined;
});

/** UBLDC threshold semantics on a best-first list of number pairs. */
function ubldcThreshold(levels: [number, number][], threshold: number): [number, number][] {
  const out: [number, number][] = [];
  let total = 0;
  for (const [p, q] of levels) {
    if (total !== 0 && total + p * q > threshold) break;
    total += p * q;
    out.push([p, q]);
  }
  return out;
}

const VENUES: { venue: Venue; symbols: string[] }[] = [
  { venue: "spot", symbols: ["BTCUSDT", "ETHUSDT", "BNBBTC"] },
  { venue: "usdm", symbols: ["BTCUSDT", "ETHUSDT"] },
  // COIN-M: the futures rules on dstream, inverse contracts, frames with the pair field ps
  { venue: "coinm", symbols: ["BTCUSD_PERP", "ETHUSD_PERP"] },
];

for (const { venue, symbols } of VENUES) {
  describe(`${venue} caches against the emulator`, () => {
    it("sync, then every read equals the true book at the same update id", async () => {
      const e = emu = await startEmulator({ seed: 11, paused: true });
      const m = dcm = managerFor(e, venue);
      assertEquals(m.createDepthCache(symbols.map((s) => s.toLowerCase())), symbols);
      await stepUntilLive(e, m, symbols);
      let matches = 0;
      for (let i = 0; i < 30; i++) {
        await stepAndSettle(e, m, symbols[i % symbols.length], venue);
        for (const s of symbols) if (compare(m, e, s, venue, 100) === "match") matches++;
      }
      assert(matches >= 30, `only ${matches} reads were at the emulator's update id`);
      for (const s of symbols) {
        const st = m.getStats(s);
        assertEquals([st.syncs, st.resyncs, st.snapshots], [1, 0, 1], s);
        assert(st.applied > 0);
      }
    });

    it("getAsks / getBids: limitCount, thresholdVolume (UBLDC semantics), numbers and strings", async () => {
      const e = emu = await startEmulator({ seed: 12, paused: true });
      const m = dcm = managerFor(e, venue);
      const s = symbols[0];
      m.createDepthCache(s);
      await stepUntilLive(e, m, [s]);
      await stepAndSettle(e, m, s, venue);
      const t = e.book(s, { market: venue, limit: 200 });
      assertEquals(m.getBook(s, { limitCount: 0 }).lastUpdateId, t.lastUpdateId);
      const asks = t.asks.map(([p, q]) => [Number(p), Number(q)] as [number, number]);
      const bids = t.bids.map(([p, q]) => [Number(p), Number(q)] as [number, number]);
      assertEquals(m.getAsks(s, { limitCount: 10 }), asks.slice(0, 10));
      assertEquals(m.getBids(s, { limitCount: 10 }), bids.slice(0, 10));
      assertEquals(m.getAsks(s, { limitCount: 0 }), []);
      // the notional of the best five levels plus half of the sixth: five levels
      const notional = asks.slice(0, 5).reduce((n, [p, q]) => n + p * q, 0) + asks[5][0] * asks[5][1] / 2;
      const want = ubldcThreshold(asks, notional);
      assertEquals(want.length, 5);
      assertEquals(m.getAsks(s, { thresholdVolume: notional }), want);
      assertEquals(m.getBids(s, { thresholdVolume: 0 }), bids.slice(0, 1)); // the best level always
      assertEquals(m.getAsks(s, { thresholdVolume: notional, limitCount: 2 }), want.slice(0, 2));
      // exact strings: the wire formatting of the venue, digit for digit
      assertEquals(m.getBids(s, { limitCount: 20, format: "string" }), t.bids.slice(0, 20));
      assertEquals(m.getAsks(s, { limitCount: 20, format: "string" }), t.asks.slice(0, 20));
      const book = m.getBook(s, { limitCount: 5 });
      assertEquals([book.market, book.state, book.refreshing], [s, "LIVE", false]);
      assertEquals(book.bids, bids.slice(0, 5));
      assert(book.eventTime > 0 && book.receivedAt > 0);
      assert(book.bids[0][0] < book.asks[0][0]);
      assertThrows(() => m.getAsks(s, { limitCount: -1 }), RangeError, "limitCount");
    });
  });
}

describe("states, events and errors", () => {
  it("SYNCING → LIVE → RESYNCING → LIVE → STOPPED, with the Python errors", async () => {
    const e = emu = await startEmulator({ seed: 13, paused: true });
    const events: DepthCacheStateEvent[] = [];
    const m = dcm = managerFor(e, "spot", { onStateChange: (ev) => events.push(ev) });
    const iterated: string[] = [];
    const it = (async () => {
      for await (const ev of m.stateChanges()) iterated.push(ev.state);
    })();
    assertThrows(() => m.getState("BTCUSDT"), DepthCacheNotFoundError, "BTCUSDT");
    m.createDepthCache("BTCUSDT");
    assertEquals(m.getState("btcusdt"), "SYNCING");
    assertThrows(() => m.getBids("BTCUSDT"), DepthCacheOutOfSyncError, "SYNCING");
    await stepUntilLive(e, m, ["BTCUSDT"]);
    // a string is shown as a string: "100" is not 100
    assertThrows(
      () => m.getBids("BTCUSDT", { limitCount: "100" as unknown as number }),
      RangeError,
      'Invalid limitCount "100": must be an integer >= 0',
    );
    m.setResyncRequest("btcusdt");
    assertEquals(m.getState("BTCUSDT"), "RESYNCING");
    const err = assertThrows(() => m.getAsks("BTCUSDT"), DepthCacheOutOfSyncError);
    assertEquals([err.market, err.state], ["BTCUSDT", "RESYNCING"]);
    await stepUntilLive(e, m, ["BTCUSDT"]);
    assertEquals(compare(m, e, "BTCUSDT", "spot") === "out-of-sync", false);
    assertEquals(m.getList(), ["BTCUSDT"]);
    m.stopDepthCache("BTCUSDT");
    assertEquals(m.getList(), []);
    assertThrows(() => m.getBids("BTCUSDT"), DepthCacheAlreadyStoppedError);
    assertThrows(() => m.setResyncRequest("BTCUSDT"), DepthCacheAlreadyStoppedError);
    assertThrows(() => m.stopDepthCache("ETHUSDT"), DepthCacheNotFoundError);
    assertThrows(() => m.createDepthCache("BTC/USDT"), TypeError, "market");
    assertEquals(
      events.map((ev) => `${ev.previous}>${ev.state}:${ev.reason}`),
      [
        "null>SYNCING:created",
        "SYNCING>LIVE:synced",
        "LIVE>RESYNCING:resync request",
        "RESYNCING>LIVE:synced",
        "LIVE>STOPPED:stopped",
      ],
    );
    // a stopped cache starts again on create
    m.createDepthCache("BTCUSDT");
    await stepUntilLive(e, m, ["BTCUSDT"]);
    await m.close();
    await it;
    assertEquals(iterated, ["SYNCING", "LIVE", "RESYNCING", "LIVE", "STOPPED", "SYNCING", "LIVE", "STOPPED"]);
    assertInstanceOf(assertThrows(() => m.getBids("BTCUSDT")), DepthCacheAlreadyStoppedError);
  });

  it("refresh builds the new book behind the served one and swaps it without going dark", async () => {
    const e = emu = await startEmulator({ seed: 14, paused: true });
    // spot: a new book needs the event after its snapshot, so it is visibly "refreshing" for a step
    const m = dcm = managerFor(e, "spot", { refreshInterval: 150 });
    m.createDepthCache("ETHUSDT");
    await stepUntilLive(e, m, ["ETHUSDT"]);
    let sawRefreshing = false;
    for (let i = 0; i < 60 && m.getStats("ETHUSDT").refreshes < 2; i++) {
      await stepAndSettle(e, m, "ETHUSDT", "spot");
      // never dark: every read is served and equals the truth at its update id
      assert(compare(m, e, "ETHUSDT", "spot") !== "out-of-sync", "a refresh made the cache unreadable");
      sawRefreshing ||= m.getBook("ETHUSDT", { limitCount: 1 }).refreshing;
      await sleep(10);
    }
    const st = m.getStats("ETHUSDT");
    assert(st.refreshes >= 2, `refreshes: ${st.refreshes}`);
    assert(sawRefreshing, "no read saw the refresh in progress");
    assertEquals([st.syncs, st.resyncs, st.snapshots], [1, 0, st.refreshes + 1]);
  });

  it("setRefreshRequest: one refresh on demand, served throughout", async () => {
    const e = emu = await startEmulator({ seed: 17, paused: true });
    const m = dcm = managerFor(e, "spot");
    m.createDepthCache("BNBBTC");
    assertEquals(m.setRefreshRequest("BNBBTC"), false); // not live yet
    await stepUntilLive(e, m, ["BNBBTC"]);
    assertEquals(m.setRefreshRequest("BNBBTC"), true);
    assertEquals(m.setRefreshRequest("BNBBTC"), false); // already refreshing
    for (let i = 0; i < 20 && m.getStats("BNBBTC").refreshes === 0; i++) {
      await stepAndSettle(e, m, "BNBBTC", "spot");
      assert(compare(m, e, "BNBBTC", "spot") !== "out-of-sync", "the refresh made the cache unreadable");
    }
    assertEquals([m.getStats("BNBBTC").refreshes, m.getStats("BNBBTC").snapshots], [1, 2]);
    m.stopDepthCache("BNBBTC");
    assertThrows(() => m.setRefreshRequest("BNBBTC"), DepthCacheAlreadyStoppedError);
  });
});

describe("a shared WebSocket manager", () => {
  it("is not closed by the cache manager; closing it makes the caches unverified, not crash", async () => {
    const e = emu = await startEmulator({ seed: 16, paused: true });
    const ws = new BinanceWebSocketManager({ streamBase: e.wsUrl });
    const m = dcm = managerFor(e, "spot", { wsManager: ws });
    m.createDepthCache("ETHUSDT");
    await stepUntilLive(e, m, ["ETHUSDT"]);
    await ws.close(); // by its owner
    await until(() => m.getState("ETHUSDT") === "RESYNCING", 2000, "the cache to notice");
    await sleep(1100); // the manager tries to make its stream again: the closed manager refuses
    assertEquals(m.getState("ETHUSDT"), "RESYNCING");
    await m.close();
    const other = new BinanceWebSocketManager({ streamBase: e.wsUrl });
    const m2 = dcm = managerFor(e, "spot", { wsManager: other });
    m2.createDepthCache("ETHUSDT");
    await stepUntilLive(e, m2, ["ETHUSDT"]);
    await m2.close();
    assertEquals(other.getStreamList().length, 1); // its stream was stopped, the manager is still open
    assertEquals(other.getStreamInfo(other.getStreamList()[0]).status, "stopped");
    other.createStream(["trade"], ["BTCUSDT"]); // still usable
    await other.close();
  });
});

describe("many markets", () => {
  it("60 markets share one stream and start within the snapshot weight budget", async () => {
    const symbols = Array.from({ length: 60 }, (_, i) => `C${i}USDT`);
    // Paused: no diff arrives, so all 60 ask for their snapshot at once when their first-event
    // timers (made in one call) run out, however loaded the machine is; then steps make them live.
    const e = emu = await startEmulator({
      seed: 15,
      paused: true,
      markets: symbols.map((symbol) => ({ symbol, price: "100.00", tickSize: "0.01", levels: 100 })),
    });
    const ws = new BinanceWebSocketManager({ streamBase: e.wsUrl });
    try {
      // limit 100 → weight 5; 50 weight per 250 ms interval → 10 snapshots per interval
      const m = dcm = managerFor(e, "spot", {
        wsManager: ws,
        snapshotLimit: 100,
        weightBudget: 50,
        budgetIntervalMs: 250,
        firstEventTimeoutMs: 300,
      });
      m.createDepthCache(symbols);
      await until(() => m.getSchedulerStats().sent === 60, 10_000, "every snapshot sent");
      await stepUntilLive(e, m, symbols);
      const stats = m.getSchedulerStats();
      assertEquals(stats.sent, 60);
      assert(stats.maxUsed <= 50, `used ${stats.maxUsed} in one interval`);
      assert(stats.waits >= 5, `waits: ${stats.waits}`);
      assertEquals(ws.getStreamList().length, 1);
      assertEquals(ws.getStreamInfo(ws.getStreamList()[0]).connections.length, 1);
      for (const s of symbols.slice(0, 5)) {
        const t = truth(e, s, "spot", 1);
        const b = m.getBook(s, { limitCount: 1 });
        assert(b.lastUpdateId <= t.lastUpdateId);
      }
    } finally {
      await dcm?.close();
      await ws.close();
    }
  });

  it("300 markets in groups of 128 (3 streams) start at once within the default budget, no 429", async () => {
    const symbols = Array.from({ length: 300 }, (_, i) => `H${i}USDT`);
    const e = emu = await startEmulator({
      seed: 18,
      intervalMs: 100,
      markets: symbols.map((symbol) => ({ symbol, price: "100.00", tickSize: "0.01", levels: 100 })),
    });
    const ws = new BinanceWebSocketManager({ streamBase: e.wsUrl });
    try {
      // default budget (3000 per minute on spot, read from the header too); limit 100 costs 5
      const m = dcm = managerFor(e, "spot", { wsManager: ws, snapshotLimit: 100, marketsPerStream: 128 });
      const t0 = Date.now();
      m.createDepthCache(symbols);
      await until(() => symbols.every((s) => m.isSynchronized(s)), 15_000, "every market live");
      const took = Date.now() - t0;
      const stats = m.getSchedulerStats();
      assertEquals([stats.sent, stats.rateLimited, stats.banned], [300, 0, 0]);
      assert(m.scheduler.used <= 3000, `used ${m.scheduler.used}`);
      assertEquals(ws.getStreamList().length, 3);
      assertEquals(
        ws.getStreamList().map((id) => ws.getStreamInfo(id).markets.length),
        [128, 128, 44],
      );
      console.log(`300 markets live in ${took} ms, ${stats.weightSent} weight`);
    } finally {
      await dcm?.close();
      await ws.close();
    }
  });
});
