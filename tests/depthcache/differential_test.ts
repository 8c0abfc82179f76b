/**
 * Differential property test: the WASM book and the reference book receive the same random
 * operations (snapshots, diffs with valid / old / gapped ids, chunked and evicting batches, depth
 * changes, malformed levels, reads) and must agree after every call. Seeded generator: the seed
 * of a failing run is in the assertion message, so any disagreement is reproducible.
 */
import { before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import type { BookOptions, DepthDiff, OrderBook, PriceLevel } from "../../src/depthcache/book_types.ts";
import { ReferenceBook } from "../../src/depthcache/reference_book.ts";
import { formatTicks } from "../../src/depthcache/ticks.ts";
import { WasmBook } from "../../src/depthcache/wasm_book.ts";
import { ready } from "./_books.ts";
// the emulator's seeded generator (mulberry32): next(), int(lo, hi), chance(p)
import { Rng as Gen } from "../../src/testing/emulator/rng.ts";

/** Both books plus the ops counter. */
interface Pair {
  readonly wasm: OrderBook;
  readonly ref: OrderBook;
  readonly options: BookOptions;
  ops: number;
}

function same(pair: Pair, where: string, g: Gen): void {
  const { wasm, ref } = pair;
  assertEquals([wasm.state, wasm.lastUpdateId], [ref.state, ref.lastUpdateId], where);
  assertEquals(wasm.isCrossed(), ref.isCrossed(), where);
  for (const side of ["bids", "asks"] as const) {
    const a = wasm.view(side);
    const b = ref.view(side);
    assertEquals(Array.from(a.ticks), Array.from(b.ticks), `${where} ${side} ticks`);
    assertEquals(Array.from(a.quantities), Array.from(b.quantities), `${where} ${side} qtys`);
    assertEquals(wasm.bestTick(side), ref.bestTick(side), where);
    const limit = g.chance(0.3) ? undefined : g.int(0, 12);
    const full = ref.read(side);
    const total = full.reduce((s, [p, q]) => s + p * q, 0);
    const thresholdVolume = g.chance(0.5) ? undefined : g.next() * total * 1.1;
    const options = { limit, thresholdVolume };
    assertEquals(
      wasm.read(side, options),
      ref.read(side, options),
      `${where} read ${JSON.stringify(options)}`,
    );
    pair.ops += 2;
  }
}

function levels(
  g: Gen,
  scale: number,
  base: number,
  spread: number,
  n: number,
  zeroRate: number,
): PriceLevel[] {
  const out: PriceLevel[] = [];
  for (let i = 0; i < n; i++) {
    const tick = Math.max(1, base + g.int(-spread, spread));
    let price = formatTicks(tick, scale);
    if (scale > 0 && g.chance(0.3)) price += "000"; // Binance pads to 8 decimals on spot
    const qty = g.chance(zeroRate)
      ? (g.chance(0.5) ? "0" : "0.00000000")
      : (g.int(1, 10_000_000) / 1e4).toFixed(4);
    out.push([price, qty]);
  }
  return out;
}

function run(seed: number, minOps: number): number {
  const g = new Gen(seed);
  let ops = 0;
  while (ops < minOps) {
    const depth = g.int(1, 60);
    const options: BookOptions = {
      family: g.chance(0.5) ? "spot" : "futures",
      priceScale: g.int(0, 8),
      depth,
      capacity: depth + g.int(0, 20),
      batchCapacity: g.int(1, 24),
    };
    const pair: Pair = { wasm: new WasmBook(options), ref: new ReferenceBook(options), options, ops: 0 };
    // prices around a base that often straddles a power of ten (e.g. 99 999.99 / 100 000.00)
    const scale = options.priceScale;
    const base = g.chance(0.5) ? 10 ** g.int(2, 7) : g.int(50, 5_000_000);
    const spread = g.int(3, 120);
    let x = 1000; // the "exchange" update id
    let lastU = x;
    for (let step = 0; step < 400; step++) {
      const where = `seed ${seed} step ${step} ${JSON.stringify(options)}`;
      const roll = g.next();
      if (roll < 0.06 || pair.ref.state === "empty") {
        x += g.int(0, 50);
        const snap = {
          lastUpdateId: x,
          bids: levels(g, scale, base - spread, spread, g.int(0, 80), 0.1),
          asks: levels(g, scale, base + spread, spread, g.int(0, 80), 0.1),
        };
        pair.wasm.loadSnapshot(snap);
        pair.ref.loadSnapshot(snap);
        pair.ops += 1 + snap.bids.length + snap.asks.length;
        lastU = x;
      } else if (roll < 0.08) {
        const d = g.int(1, options.capacity!);
        pair.wasm.setDepth(d);
        pair.ref.setDepth(d);
        pair.ops++;
      } else if (roll < 0.085) {
        pair.wasm.clear();
        pair.ref.clear();
        pair.ops++;
      } else if (roll < 0.09) {
        const bad: DepthDiff = { U: x + 1, u: x + 1, pu: x, b: [["1x", "1"]], a: [] };
        let wasmError = "";
        let refError = "";
        try {
          pair.wasm.applyDiff(bad);
        } catch (e) {
          wasmError = (e as Error).name;
        }
        try {
          pair.ref.applyDiff(bad);
        } catch (e) {
          refError = (e as Error).name;
        }
        assertEquals([wasmError, refError], ["SyntaxError", "SyntaxError"], where);
        pair.ops++;
      } else {
        // mostly continuous diffs, sometimes overlapping, old or gapped
        const kind = g.next();
        let U: number;
        let u: number;
        let pu: number;
        if (kind < 0.8) {
          U = lastU + 1 - (g.chance(0.2) ? g.int(0, 3) : 0);
          u = Math.max(U, lastU + g.int(1, 5));
          pu = lastU;
        } else if (kind < 0.9) {
          u = Math.max(0, lastU - g.int(0, 10));
          U = Math.max(0, u - g.int(0, 5));
          pu = Math.max(0, U - 1);
        } else {
          U = lastU + g.int(2, 10);
          u = U + g.int(0, 5);
          pu = lastU + g.int(1, 3);
        }
        const diff: DepthDiff = {
          U,
          u,
          pu: options.family === "futures" ? pu : undefined,
          b: levels(g, scale, base - spread, spread, g.int(0, 30), 0.3),
          a: levels(g, scale, base + spread, spread, g.int(0, 30), 0.3),
        };
        const v1 = pair.wasm.applyDiff(diff);
        const v2 = pair.ref.applyDiff(diff);
        assertEquals(v1, v2, `${where} verdict`);
        if (v1 === "applied") lastU = u;
        else if (v1 === "gap" && g.chance(0.5)) lastU = pair.ref.lastUpdateId; // the stream "recovers"
        pair.ops += 1 + diff.b.length + diff.a.length;
      }
      same(pair, where, g);
    }
    ops += pair.ops;
  }
  return ops;
}

before(ready);

describe("WASM book vs reference book (differential, seeded)", () => {
  it("agree on >= 100 000 random operations", () => {
    const fixed = [1, 7, 42];
    const seeds = [...fixed, Math.floor(Math.random() * 2 ** 31)];
    let total = 0;
    for (const seed of seeds) total += run(seed, 60_000);
    assert(total >= 100_000, `only ${total} operations ran`);
  });
});
