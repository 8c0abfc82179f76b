/**
 * Apply throughput of the WASM book vs the TypeScript reference book (levels per second), measured
 * in the same process on the same pre-generated events. Run on each runtime:
 *
 *   deno run -A bench/book_core.ts
 *   bun bench/book_core.ts
 *   node bench/book_core.ts          (Node >= 23.6 strips the types)
 *
 * Workload: a spot book at depth 1000 loaded from a 1000-level snapshot per side, then diff events
 * of 1..40 levels (bids and asks) whose prices cluster near the top of the book (geometric
 * distance from the best price), a third of them deletes; strings are parsed on the way in, as in
 * production. Prints levels/s for both books and their ratio (best of 5 runs after a warm-up).
 *
 * @module
 */
import type { DepthDiff, OrderBook, PriceLevel } from "../src/depthcache/book_types.ts";
import { ReferenceBook } from "../src/depthcache/reference_book.ts";
import { formatTicks } from "../src/depthcache/ticks.ts";
import { init } from "../src/depthcache/wasm.ts";
import { WasmBook } from "../src/depthcache/wasm_book.ts";

const SCALE = 2;
const DEPTH = 1000;
const EVENTS = 20_000;
const MID = 10_000_000; // 100 000.00

let seed = 12345;
function random(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
}

function level(side: 1 | -1): PriceLevel {
  const distance = Math.floor(-Math.log(1 - random()) * 60); // geometric-ish, mean 60 ticks
  const tick = MID - side * (1 + distance);
  const qty = random() < 0.33 ? "0.00000000" : (Math.floor(random() * 1e8) / 1e6).toFixed(8);
  return [formatTicks(tick, SCALE), qty];
}

const snapshot = {
  lastUpdateId: 1000,
  bids: Array.from({ length: DEPTH }, (_, i) => [formatTicks(MID - 1 - i, SCALE), "1.00000000"] as const),
  asks: Array.from({ length: DEPTH }, (_, i) => [formatTicks(MID + 1 + i, SCALE), "1.00000000"] as const),
};
const events: DepthDiff[] = [];
let levels = 0;
for (let i = 0; i < EVENTS; i++) {
  const nb = 1 + Math.floor(random() * 20);
  const na = 1 + Math.floor(random() * 20);
  const b = Array.from({ length: nb }, () => level(1));
  const a = Array.from({ length: na }, () => level(-1));
  events.push({ U: 1001 + i, u: 1001 + i, b, a });
  levels += nb + na;
}

function run(book: OrderBook): number {
  book.loadSnapshot(snapshot);
  const t0 = performance.now();
  for (const e of events) {
    if (book.applyDiff(e) !== "applied") throw new Error("Cannot run the benchmark: a diff was not applied");
  }
  return performance.now() - t0;
}

function best(make: () => OrderBook): number {
  run(make()); // warm-up
  let ms = Infinity;
  for (let i = 0; i < 5; i++) ms = Math.min(ms, run(make()));
  return levels / (ms / 1000);
}

await init();
const options = { family: "spot", priceScale: SCALE, depth: DEPTH } as const;
const wasm = best(() => new WasmBook(options));
const ref = best(() => new ReferenceBook(options));
const runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";
const wasmBytes = new WasmBook(options).memoryBytes;
console.log(`runtime ${runtime}: ${EVENTS} diffs, ${levels} levels, depth ${DEPTH}`);
console.log(`wasm book      ${(wasm / 1e6).toFixed(2)} M levels/s`);
console.log(`reference book ${(ref / 1e6).toFixed(2)} M levels/s`);
console.log(`ratio wasm/reference ${(wasm / ref).toFixed(2)}x`);
console.log(
  `wasm linear memory per book ${(wasmBytes / 1024).toFixed(1)} KiB (x 1000 markets: ${
    (wasmBytes / 1024 ** 2 * 1000).toFixed(1)
  } MiB)`,
);

// creating a market: a new instance + memory per WASM book, and loading its 1000-level snapshot
function createMany(make: () => OrderBook): number {
  const t0 = performance.now();
  const books: OrderBook[] = [];
  for (let i = 0; i < 1000; i++) {
    const book = make();
    book.loadSnapshot(snapshot);
    books.push(book);
  }
  return performance.now() - t0;
}
const createWasm = createMany(() => new WasmBook(options));
const createRef = createMany(() => new ReferenceBook(options));
console.log(
  `1000 books created + snapshot loaded: wasm ${createWasm.toFixed(0)} ms, reference ${
    createRef.toFixed(0)
  } ms`,
);
