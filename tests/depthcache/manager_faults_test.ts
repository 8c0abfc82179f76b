/**
 * The depth-cache manager against emulator faults: depth gap, stale snapshot, dropped
 * connection (with and without missed events), stall, malformed frame, 429 and 503 during a
 * snapshot. In every case the cache recovers by itself and then equals the true book.
 */
import { afterEach, before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { init } from "../../src/depthcache/book.ts";
import type { DepthCacheStateEvent } from "../../src/depthcache/cache_types.ts";
import type { BinanceLocalDepthCacheManager } from "../../src/depthcache/manager.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { BinanceRestClient } from "../../src/rest/mod.ts";
import {
  compare,
  faultTarget,
  managerFor,
  recovers,
  sleep,
  stepUntilLive,
  until,
  type Venue,
} from "./_dcm.ts";

let emu: Emulator | undefined;
let dcm: BinanceLocalDepthCacheManager | undefined;
let events: DepthCacheStateEvent[] = [];

before(() => init());
afterEach(async () => {
  await dcm?.close();
  await emu?.close();
  dcm = emu = undefined;
});

async function setup(
  venue: Venue,
  symbol: string,
  extra: (e: Emulator) => Parameters<typeof managerFor>[2] = () => ({}),
) {
  const e = emu = await startEmulator({ seed: 21, paused: true });
  events = [];
  const m = dcm = managerFor(e, venue, { onStateChange: (ev) => events.push(ev), ...extra(e) });
  m.createDepthCache(symbol);
  await stepUntilLive(e, m, [symbol]);
  return { e, m };
}

const transitions = () => events.map((ev) => `${ev.state}:${ev.reason}`);

for (const venue of ["spot", "usdm", "coinm"] as const) {
  // COIN-M: inverse contracts on dstream; it shares the futures fault target
  const [A, B] = venue === "coinm" ? ["BTCUSD_PERP", "ETHUSD_PERP"] : ["BTCUSDT", "ETHUSDT"];
  const target = faultTarget(venue);
  const streamBase = (e: Emulator) =>
    venue === "spot" ? e.wsUrl : venue === "usdm" ? e.futuresWsUrl : e.coinmWsUrl;
  describe(`${venue}: the cache resyncs by itself`, () => {
    it("depth gap: resync from a new snapshot", async () => {
      const { e, m } = await setup(venue, A);
      // the fault drops the next event of whichever depth speed flushes first in a step: inject
      // once per step until the 100 ms stream the cache follows lost one and the gap shows
      // (futures can be live again within the same step: the gapped event chains onto the new
      // snapshot, so the loop watches the counter, not the state)
      for (let i = 0; i < 20 && m.getStats(A).resyncs === 0; i++) {
        e.inject({ name: "depthGap", symbol: A, target });
        e.step();
        await sleep(25);
      }
      await recovers(e, m, A, venue);
      const st = m.getStats(A);
      assertEquals([st.resyncs, st.snapshots], [1, 2]);
      assert(transitions().includes("RESYNCING:gap"), transitions().join());
    });

    it("stale snapshot: re-fetched while older than the stream, the buffer kept", async () => {
      const e = emu = await startEmulator({ seed: 22, paused: true });
      e.inject({ name: "staleSnapshot", symbol: B, target });
      e.step(20); // the stale book is now 20 steps older than the stream
      const m = dcm = managerFor(e, venue);
      m.createDepthCache(B);
      await stepUntilLive(e, m, [B]);
      const st = m.getStats(B);
      assertEquals([st.snapshots, st.syncs, st.resyncs], [2, 1, 0]);
      await recovers(e, m, B, venue);
    });

    it("malformed frame: unverified at once, then resynced (the event was lost)", async () => {
      const { e, m } = await setup(venue, A);
      e.inject({ name: "malformedFrame", target });
      e.step();
      await until(() => m.getState(A) === "RESYNCING", 2000, "unverified book");
      assertEquals(compare(m, e, A, venue), "out-of-sync");
      await recovers(e, m, A, venue);
      const st = m.getStats(A);
      assertEquals([st.malformed, st.snapshots], [1, 2]);
    });

    it("dropped connection without missed events: live again without a snapshot", async () => {
      const { e, m } = await setup(venue, A);
      e.inject({ name: "drop", target });
      await until(() => m.getState(A) === "RESYNCING", 2000, "disconnect");
      assertEquals(compare(m, e, A, venue), "out-of-sync");
      await sleep(300); // reconnected meanwhile; nothing was stepped, nothing was missed
      await recovers(e, m, A, venue);
      assertEquals(m.getStats(A).snapshots, 1);
      assertEquals(transitions().slice(-2), ["RESYNCING:disconnect", "LIVE:synced"]);
    });

    it("dropped connection with missed events: gap, resync", async () => {
      const { e, m } = await setup(venue, A, (e) => ({
        wsOptions: {
          streamBase: streamBase(e),
          backoffBaseMs: 300,
          backoffMaxMs: 400,
        },
      }));
      e.inject({ name: "drop", target });
      await until(() => m.getState(A) === "RESYNCING", 2000, "disconnect");
      e.step(3); // while disconnected: these events never reach the cache
      await recovers(e, m, A, venue);
      assertEquals(m.getStats(A).snapshots, 2);
    });

    it("stall: detected, unverified while silent, resynced after", async () => {
      const { e, m } = await setup(venue, A, (e) => ({
        wsOptions: {
          streamBase: streamBase(e),
          backoffBaseMs: 10,
          backoffMaxMs: 50,
          stallTimeoutMs: 400,
          heartbeatIntervalMs: 0,
        },
      }));
      e.inject({ name: "stall", target, durationMs: 700 });
      for (let i = 0; i < 10 && m.getState(A) === "LIVE"; i++) {
        e.step();
        await sleep(100);
      }
      assertEquals(m.getState(A), "RESYNCING");
      await sleep(500); // the stall ends
      await recovers(e, m, A, venue);
      assert(m.getStats(A).snapshots >= 2);
    });

    it("503 during a snapshot: retried with back-off", async () => {
      const { e, m } = await setup(venue, B);
      e.inject({ name: "serverError", target, count: 2 });
      m.setResyncRequest(B);
      await recovers(e, m, B, venue);
      const st = m.getStats(B);
      assertEquals([st.snapshotFailures, st.snapshots], [2, 2]);
    });
  });
}

describe("429 during a snapshot", () => {
  it("pauses every snapshot for Retry-After, then resyncs", async () => {
    // the emulator's clock is set 1.2 s before a minute boundary, so its Retry-After is short
    const offset = (58_800 - (Date.now() % 60_000) + 60_000) % 60_000;
    const e = emu = await startEmulator({ seed: 23, paused: true, now: () => Date.now() + offset });
    const m = dcm = managerFor(e, "spot");
    m.createDepthCache(["BTCUSDT", "ETHUSDT"]);
    e.inject({ name: "rateLimit", target: "spot", count: 1 });
    const t0 = Date.now();
    await stepUntilLive(e, m, ["BTCUSDT", "ETHUSDT"], 400);
    const s = m.getSchedulerStats();
    assertEquals(s.rateLimited, 1);
    assertEquals(m.getStats("BTCUSDT").snapshotFailures + m.getStats("ETHUSDT").snapshotFailures, 1);
    assert(Date.now() - t0 >= 900, "a snapshot was sent during the Retry-After pause");
    await recovers(e, m, "BTCUSDT", "spot");
  });

  it("reads the used-weight header (other clients on the IP count) with the 1-minute budget", async () => {
    // both the emulator's weight window and the scheduler's roll over at each clock minute: start
    // at least 3 s before the next one, so the other client's weight is still counted at the end
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 3000) await sleep(left + 100);
    const e = emu = await startEmulator({ seed: 24, paused: true });
    const other = new BinanceRestClient({ baseUrl: e.restUrl });
    await other.getExchangeInfo(); // weight 20, by someone else on the same IP
    const m = dcm = managerFor(e, "spot");
    m.createDepthCache("BTCUSDT");
    await stepUntilLive(e, m, ["BTCUSDT"]);
    assert(
      m.scheduler.used >= 70,
      `used ${m.scheduler.used}: the header's 20 of the other client are missing`,
    );
  });
});
