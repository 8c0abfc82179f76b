/**
 * Randomized chaos run: spot, USD-M and COIN-M caches against an emulator that keeps injecting faults
 * (depth gaps, stale snapshots, dropped connections, stalls, malformed frames, 503 and 429 during
 * snapshots). The true book of every market is recorded at every update id; every read of a
 * cache either raises `DepthCacheOutOfSyncError` or equals the true book at the cache's update id.
 * At the end every cache is live again.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals, fail } from "@std/assert";
import { init } from "../../src/depthcache/book.ts";
import { DepthCacheOutOfSyncError } from "../../src/depthcache/errors.ts";
import type { BinanceLocalDepthCacheManager } from "../../src/depthcache/manager.ts";
import type { StringLevel } from "../../src/depthcache/cache_types.ts";
import { type Emulator, type Fault, startEmulator } from "../../src/testing/mod.ts";
import { Rng } from "../../src/testing/emulator/rng.ts";
import { faultTarget, managerFor, sleep, stepUntilLive, truth, type Venue } from "./_dcm.ts";

const SEED = 20261125;
const STEPS = 160;
const TOP = 50;

const MARKETS: { venue: Venue; symbol: string }[] = [
  { venue: "spot", symbol: "BTCUSDT" },
  { venue: "spot", symbol: "ETHUSDT" },
  { venue: "spot", symbol: "BNBBTC" },
  { venue: "usdm", symbol: "BTCUSDT" },
  { venue: "usdm", symbol: "ETHUSDT" },
  { venue: "coinm", symbol: "BTCUSD_PERP" },
];

let emu: Emulator;
const managers = new Map<Venue, BinanceLocalDepthCacheManager>();

before(() => init());
after(async () => {
  for (const m of managers.values()) await m.close();
  await emu?.close();
});

describe("chaos run", () => {
  it("no read ever differs from the true book at the same update id", async () => {
    const rnd = ((r) => () => r.next())(new Rng(SEED));
    // the emulator's clock starts 3.5 s before a minute boundary: a 429 injected before the
    // boundary carries a Retry-After of at most 4 s (Binance's window end)
    const offset = (56_500 - (Date.now() % 60_000) + 60_000) % 60_000;
    const clock = () => Date.now() + offset;
    emu = await startEmulator({ seed: 31, paused: true, now: clock });
    for (const venue of ["spot", "usdm", "coinm"] as const) {
      const m = managerFor(emu, venue);
      managers.set(venue, m);
      m.createDepthCache(MARKETS.filter((x) => x.venue === venue).map((x) => x.symbol));
    }
    const truths = new Map<string, Map<number, { bids: StringLevel[]; asks: StringLevel[] }>>();
    const record = (): void => {
      for (const { venue, symbol } of MARKETS) {
        const key = `${venue}:${symbol}`;
        const t = truth(emu, symbol, venue, TOP);
        let map = truths.get(key);
        if (!map) truths.set(key, map = new Map());
        map.set(t.lastUpdateId, { bids: t.bids, asks: t.asks });
      }
    };
    const counts = { match: 0, outOfSync: 0, faults: 0 };
    const injected: string[] = [];
    const check = (): void => {
      for (const { venue, symbol } of MARKETS) {
        let book;
        try {
          book = managers.get(venue)!.getBook(symbol, { limitCount: TOP, format: "string" });
        } catch (e) {
          if (e instanceof DepthCacheOutOfSyncError) {
            counts.outOfSync++;
            continue;
          }
          throw e;
        }
        const t = truths.get(`${venue}:${symbol}`)?.get(book.lastUpdateId);
        if (!t) {
          fail(`${venue} ${symbol}: served update id ${book.lastUpdateId}, which the emulator never had`);
        }
        const norm = (s: StringLevel[]) => s.map(([p, q]) => [String(Number(p)), String(Number(q))]);
        const where = `${venue} ${symbol} at ${book.lastUpdateId} after ${injected.join(", ")}`;
        assertEquals(norm(book.bids), t.bids, where);
        assertEquals(norm(book.asks), t.asks, where);
        counts.match++;
      }
    };

    record();
    for (
      let i = 0;
      i < 40 && !MARKETS.every(({ venue, symbol }) => managers.get(venue)!.isSynchronized(symbol));
      i++
    ) {
      emu.step();
      record();
      await sleep(15);
    }
    for (let step = 0; step < STEPS; step++) {
      if (rnd() < 0.12) {
        const { venue, symbol } = MARKETS[Math.floor(rnd() * MARKETS.length)];
        const kinds = ["depthGap", "staleSnapshot", "drop", "stall", "malformedFrame", "serverError"];
        const secondOfMinute = clock() % 60_000;
        if (secondOfMinute > 56_000 && secondOfMinute < 59_000 && !injected.includes(`rateLimit@${venue}`)) {
          kinds.push("rateLimit"); // once per venue: each 429 pauses that venue's snapshots until the boundary
        }
        const name = kinds[Math.floor(rnd() * kinds.length)] as Fault["name"];
        const fault: Fault = name === "stall"
          ? { name, target: faultTarget(venue), durationMs: 200 + Math.floor(rnd() * 400) }
          : name === "depthGap" || name === "staleSnapshot"
          ? { name, target: faultTarget(venue), symbol }
          : { name, target: faultTarget(venue) };
        emu.inject(fault);
        injected.push(`${name}@${venue}`);
        counts.faults++;
        // faults that hit snapshots need a snapshot to hit: ask for one
        if (name === "staleSnapshot" || name === "serverError" || name === "rateLimit") {
          const m = managers.get(venue)!;
          if (m.getState(symbol) !== "STOPPED") m.setResyncRequest(symbol);
        }
      }
      emu.step();
      record();
      check();
      await sleep(rnd() * 12);
      check();
      await sleep(rnd() * 12);
      check();
    }
    // quiet end: every cache comes back by itself
    for (const venue of ["spot", "usdm", "coinm"] as const) {
      const m = managers.get(venue)!;
      const symbols = MARKETS.filter((x) => x.venue === venue).map((x) => x.symbol);
      await stepUntilLive(emu, m, symbols, 600).catch((e) => {
        const why = symbols.map((s) => `${s} ${JSON.stringify(m.getStats(s))}`).join("; ");
        throw new Error(
          `${e.message} after ${injected.join(", ")}; ${why}; ${JSON.stringify(m.getSchedulerStats())}`,
        );
      });
    }
    emu.step();
    record();
    await sleep(50);
    check();
    const resyncs = MARKETS.reduce(
      (n, { venue, symbol }) => n + managers.get(venue)!.getStats(symbol).resyncs,
      0,
    );
    assert(counts.faults >= 10, `only ${counts.faults} faults`);
    assert(counts.match >= 1000, `only ${counts.match} reads matched`);
    assert(counts.outOfSync > 0, "no read was refused: the faults did not bite");
    assert(resyncs >= 5, `resyncs: ${resyncs}`);
    console.log(
      `chaos: ${counts.faults} faults (${
        [...new Set(injected)].join(", ")
      }), ${counts.match} reads equal to the truth, ` +
        `${counts.outOfSync} refused, ${resyncs} resyncs, no read differed`,
    );
  });
});
