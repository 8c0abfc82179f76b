/**
 * Options depth caches end to end: `BinanceLocalDepthCacheManager({ exchange:
 * "binance.com-vanilla-options" })` synchronises against the emulator's options streams
 * (`depth@500ms` on the USD-M host's `/public` path, the `/eapi/v1/depth` snapshot with its `u`),
 * every read equals the emulator's true book at the same update id or raises out-of-sync, also
 * under the depth-gap, stale-snapshot, drop and malformed-frame faults.
 */
import { afterEach, before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { init } from "../../src/depthcache/book.ts";
import type { DepthCacheStateEvent } from "../../src/depthcache/cache_types.ts";
import type { BinanceLocalDepthCacheManager } from "../../src/depthcache/manager.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import {
  compare,
  managerFor,
  optionSymbols,
  recovers,
  sleep,
  stepAndSettle,
  stepsPerChange,
  stepUntilLive,
  streamBaseOf,
  until,
} from "./_dcm.ts";

const V = "options";
const STEPS = stepsPerChange(V);
let emu: Emulator | undefined;
let dcm: BinanceLocalDepthCacheManager | undefined;
let events: DepthCacheStateEvent[] = [];

before(() => init());
afterEach(async () => {
  await dcm?.close();
  await emu?.close();
  dcm = emu = undefined;
});

async function setup(seed: number, extra: (e: Emulator) => Parameters<typeof managerFor>[2] = () => ({})) {
  const e = emu = await startEmulator({ seed, paused: true });
  const [A, B] = await optionSymbols(e);
  events = [];
  const m = dcm = managerFor(e, V, { onStateChange: (ev) => events.push(ev), ...extra(e) });
  return { e, m, A, B };
}

const transitions = () => events.map((ev) => `${ev.state}:${ev.reason}`);

describe("options caches against the emulator", () => {
  it("sync several contracts, then every read equals the true book at the same update id", async () => {
    const { e, m } = await setup(41);
    const symbols = (await optionSymbols(e)).slice(0, 4); // calls and puts, two strikes
    assertEquals(m.createDepthCache(symbols.map((s) => s.toLowerCase())), symbols);
    await stepUntilLive(e, m, symbols, 200, STEPS);
    let matches = 0;
    for (let i = 0; i < 20; i++) {
      await stepAndSettle(e, m, symbols[i % symbols.length], V);
      for (const s of symbols) if (compare(m, e, s, V, 100) === "match") matches++;
    }
    assert(matches >= 20, `only ${matches} reads were at the emulator's update id`);
    for (const s of symbols) {
      const st = m.getStats(s);
      assertEquals([st.syncs, st.resyncs, st.snapshots], [1, 0, 1], s);
      assert(st.applied > 0);
      // exact strings: the options wire formatting (1 price decimal, 2 quantity decimals)
      const t = e.book(s, { market: V, limit: 20 });
      if (m.getBook(s, { limitCount: 0 }).lastUpdateId === t.lastUpdateId) {
        assertEquals(m.getBids(s, { limitCount: 20, format: "string" }), t.bids);
      }
    }
  });

  it("depth gap: resync from a new snapshot", async () => {
    const { e, m, A } = await setup(42);
    m.createDepthCache(A);
    await stepUntilLive(e, m, [A], 200, STEPS);
    // the 100 ms feed flushes first in an option step: a count of 2 withholds the next event of
    // both speeds, the one after shows the gap (pu != the cache's update id)
    e.inject({ name: "depthGap", symbol: A, target: "usdm", count: 2 });
    for (let i = 0; i < 20 && m.getStats(A).resyncs === 0; i++) {
      e.step(STEPS);
      await sleep(25);
    }
    await recovers(e, m, A, V);
    const st = m.getStats(A);
    assertEquals([st.resyncs, st.snapshots], [1, 2]);
    assert(transitions().includes("RESYNCING:gap"), transitions().join());
  });

  it("stale snapshot: re-fetched while older than the stream, the buffer kept", async () => {
    const e = emu = await startEmulator({ seed: 43, paused: true });
    const [, B] = await optionSymbols(e);
    e.inject({ name: "staleSnapshot", symbol: B, target: "usdm" });
    e.step(20 * STEPS); // the stale book is now 20 changes older than the stream
    const m = dcm = managerFor(e, V);
    m.createDepthCache(B);
    await stepUntilLive(e, m, [B], 200, STEPS);
    const st = m.getStats(B);
    assertEquals([st.snapshots, st.syncs, st.resyncs], [2, 1, 0]);
    await recovers(e, m, B, V);
  });

  it("malformed frame: unverified at once, then resynced", async () => {
    const { e, m, A } = await setup(44);
    m.createDepthCache(A);
    await stepUntilLive(e, m, [A], 200, STEPS);
    e.inject({ name: "malformedFrame", target: "usdm" });
    e.step(STEPS);
    await until(() => m.getState(A) === "RESYNCING", 2000, "unverified book");
    assertEquals(compare(m, e, A, V), "out-of-sync");
    await recovers(e, m, A, V);
    assertEquals(m.getStats(A).malformed, 1);
  });

  it("dropped connection without missed events: live again without a snapshot", async () => {
    const { e, m, A } = await setup(45);
    m.createDepthCache(A);
    await stepUntilLive(e, m, [A], 200, STEPS);
    e.inject({ name: "drop", target: "usdm" });
    await until(() => m.getState(A) === "RESYNCING", 2000, "disconnect");
    assertEquals(compare(m, e, A, V), "out-of-sync");
    await sleep(300);
    await recovers(e, m, A, V);
    assertEquals(m.getStats(A).snapshots, 1);
    assertEquals(transitions().slice(-2), ["RESYNCING:disconnect", "LIVE:synced"]);
  });

  it("dropped connection with missed events: gap, resync", async () => {
    const { e, m, A } = await setup(46, (e) => ({
      wsOptions: { streamBase: streamBaseOf(e, V), backoffBaseMs: 300, backoffMaxMs: 400 },
    }));
    m.createDepthCache(A);
    await stepUntilLive(e, m, [A], 200, STEPS);
    e.inject({ name: "drop", target: "usdm" });
    await until(() => m.getState(A) === "RESYNCING", 2000, "disconnect");
    e.step(3 * STEPS); // while disconnected: these changes never reach the cache
    await recovers(e, m, A, V);
    assertEquals(m.getStats(A).snapshots, 2);
  });
});
