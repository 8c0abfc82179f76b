/**
 * Depth-cache benchmark, one run, the same streams for every book:
 *
 * - apply throughput (levels/s) of the WASM core, the TypeScript reference book, ccxt's
 *   `OrderBook` (npm `ccxt`, fed through ccxt's own Binance `handleDeltas`) and a re-creation of
 *   the Python suite's approach (UBLDC: a dict per side, `float()` per level, the side sorted and
 *   cut to 1000 levels after every event), measured twice:
 *   - "from the wire": every book gets each event as the frame text a WebSocket delivers
 *     (`{"stream":…,"data":{…}}`) and does what its library does with it: the WASM book parses the
 *     bytes in the core (`applyFrame`, falling back to `JSON.parse` + `applyDiff` for a frame it
 *     does not take, e.g. the first one after a snapshot), the others `JSON.parse` and apply;
 *   - "from parsed events": every book gets the already parsed event objects (strings inside
 *     are still parsed on the way in);
 * - read latency of a top-20 read and of a notional-threshold read;
 * - memory per cache with 1 000 markets (each a 1000-level snapshot per side).
 *
 * Streams: the real spot and USD-M recordings of `../shared/data/depth/` (every symbol's diff
 * events after its snapshot, replayed 200 times; symbols with fewer than 2 such events are left
 * out) and a synthetic spot stream (20 000 events of 1..40 levels clustered near the top, a third
 * deletes). Each replay starts from the snapshot; its first event (the sync step) is not timed. Strings are parsed on the way in, as in
 * production. Best of 5 rounds after a warm-up, the books taking turns within each round.
 *
 *   deno run -A --v8-flags=--expose-gc bench/depthcache.ts
 *   bun bench/depthcache.ts
 *   node --expose-gc bench/depthcache.ts     (Node >= 23.6 strips the types)
 *
 * @module
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import ccxt from "ccxt";
import type { DepthDiff, DepthSnapshot, OrderBook, PriceLevel } from "../src/depthcache/book_types.ts";
import { ReferenceBook } from "../src/depthcache/reference_book.ts";
import { DepthSync } from "../src/depthcache/sync.ts";
import { MarketCache } from "../src/depthcache/_market_cache.ts";
import { detectScale, formatTicks, wireDecimals } from "../src/depthcache/ticks.ts";
import { init } from "../src/depthcache/wasm.ts";
import { WasmBook } from "../src/depthcache/wasm_book.ts";

const DEPTH = 1000;

// ---------------------------------------------------------------- the books under test

/** What the benchmark needs from a book. */
interface Bench {
  load(s: DepthSnapshot): void;
  apply(d: DepthDiff): void;
  /** The same event as frame text (a combined-stream wrapper). */
  applyText(text: string): void;
  top(n: number): unknown;
  threshold(notional: number): unknown;
  /** WASM linear memory of the book, if any. */
  readonly bytes?: number;
}

function core(book: OrderBook): Bench {
  const apply = (d: DepthDiff) => {
    if (book.applyDiff(d) !== "applied") {
      throw new Error("Cannot run the benchmark: a diff was not applied");
    }
  };
  const wasm = book instanceof WasmBook ? book : undefined;
  return {
    load: (s) => book.loadSnapshot(s),
    apply,
    applyText: wasm
      ? (text) => {
        // what the manager does: the core takes the frame, or JSON.parse + applyDiff
        const verdict = wasm.applyFrame(text, true);
        if (verdict === undefined) apply(JSON.parse(text).data);
        else if (verdict !== "applied") throw new Error("Cannot run the benchmark: a frame was not applied");
      }
      : (text) => apply(JSON.parse(text).data),
    top: (n) => book.read("asks", { limit: n }),
    threshold: (v) => book.read("asks", { thresholdVolume: v }),
    bytes: book instanceof WasmBook ? book.memoryBytes : 0,
  };
}

// deno-lint-ignore no-explicit-any
const ccxtBinance: any = new (ccxt as any).pro.binance();
function ccxtBook(): Bench {
  // deno-lint-ignore no-explicit-any
  let ob: any;
  const apply = (d: DepthDiff) => {
    // ccxt's own path for a Binance depthUpdate (handleOrderBookMessage minus the dispatch)
    ccxtBinance.handleDeltas(ob.asks, d.a);
    ccxtBinance.handleDeltas(ob.bids, d.b);
    ob.nonce = d.u;
  };
  return {
    load: (s) => {
      ob = ccxtBinance.orderBook({}, DEPTH);
      ob.reset({
        bids: s.bids.map(([p, q]) => [Number(p), Number(q)]),
        asks: s.asks.map(([p, q]) => [Number(p), Number(q)]),
        nonce: s.lastUpdateId,
      });
    },
    apply,
    applyText: (text) => apply(JSON.parse(text).data),
    top: (n) => ob.asks.slice(0, n),
    threshold: (v) => {
      const out: [number, number][] = [];
      let total = 0;
      for (let i = 0; i < ob.asks.length; i++) {
        const [p, q] = ob.asks[i];
        if (total !== 0 && total + p * q > v) break;
        total += p * q;
        out.push([p, q]);
      }
      return out;
    },
  };
}

/** UBLDC 2.x: `side[price_string] = float(qty)`, delete on 0, then sort and cut to 1000 per event. */
function pythonBook(): Bench {
  let bids = new Map<string, number>();
  let asks = new Map<string, number>();
  const prune = (side: Map<string, number>, desc: boolean): Map<string, number> => {
    const sorted = [...side].sort((a, b) => desc ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0]));
    return sorted.length > DEPTH ? new Map(sorted.slice(0, DEPTH)) : side;
  };
  const set = (side: Map<string, number>, levels: readonly PriceLevel[]) => {
    for (const [p, q] of levels) {
      const v = Number(q);
      if (v === 0) side.delete(p);
      else side.set(p, v);
    }
  };
  const apply = (d: DepthDiff) => {
    set(asks, d.a);
    set(bids, d.b);
    asks = prune(asks, false);
    bids = prune(bids, true);
  };
  const sortedAsks = (): [number, number][] =>
    [...asks].map(([p, q]) => [Number(p), q] as [number, number]).sort((a, b) => a[0] - b[0]);
  return {
    load: (s) => {
      bids = new Map();
      asks = new Map();
      set(bids, s.bids);
      set(asks, s.asks);
    },
    apply,
    applyText: (text) => apply(JSON.parse(text).data),
    top: (n) => sortedAsks().slice(0, n),
    threshold: (v) => {
      const out: [number, number][] = [];
      let total = 0;
      for (const [p, q] of sortedAsks()) {
        if (total !== 0 && total + p * q > v) break;
        total += p * q;
        out.push([p, q]);
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------- streams

interface Stream {
  readonly name: string;
  readonly family: "spot" | "futures";
  readonly scale: number;
  readonly snapshot: DepthSnapshot;
  readonly events: DepthDiff[];
  /** The events as the frame text of a combined stream (fresh, flat strings as a WebSocket gives). */
  readonly frames: string[];
  readonly levels: number;
  readonly repeat: number;
}

function splitLine(line: string): [string, unknown] {
  const i = line.indexOf(": {");
  return [line.slice(0, i), JSON.parse(line.slice(i + 2))];
}

/** Per symbol: the recorded snapshot and the diff events that apply after it (synced with DepthSync). */
function recorded(exchange: string, family: "spot" | "futures"): Stream[] {
  const dir = "../shared/data/depth";
  const snaps = new Map<string, DepthSnapshot>();
  for (const line of readFileSync(`${dir}/${exchange}.http.0.0`, "utf8").split("\n").filter(Boolean)) {
    const [prefix, json] = splitLine(line);
    snaps.set(new URL(prefix.split(" -> ")[0]).searchParams.get("symbol")!, json as DepthSnapshot);
  }
  const diffs = new Map<string, DepthDiff[]>();
  for (
    const line of readFileSync(`${dir}/${exchange}.ws.1.0`, "utf8").split("\n").filter((l) =>
      l.startsWith("1")
    )
  ) {
    const data = (splitLine(line)[1] as { data: DepthDiff & { e: string; s: string } }).data;
    if (data.e === "depthUpdate") (diffs.get(data.s) ?? diffs.set(data.s, []).get(data.s)!).push(data);
  }
  const out: Stream[] = [];
  for (const [symbol, snapshot] of snaps) {
    const prices = [...snapshot.bids, ...snapshot.asks].map(([p]) => p);
    const scale = family === "spot" ? wireDecimals(prices[0]) : detectScale(prices);
    // keep the events a synchronized book applies (drop the pre-snapshot ones)
    const sync = new DepthSync(new ReferenceBook({ family, priceScale: scale, depth: 5000 }));
    sync.onSnapshot(snapshot);
    const events = (diffs.get(symbol) ?? []).filter((d) => sync.onDiff(d).verdict === "applied");
    if (events.length < 2) continue; // nothing to time after the sync step
    const levels = events.reduce((n, d) => n + d.a.length + d.b.length, 0);
    const stream = `${symbol.toLowerCase()}@depth@100ms`;
    const frames = events.map((data) => JSON.stringify({ stream, data }));
    out.push({ name: `${exchange} ${symbol}`, family, scale, snapshot, events, frames, levels, repeat: 200 });
  }
  return out;
}

function synthetic(): Stream {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
  const MID = 10_000_000;
  const level = (side: 1 | -1): PriceLevel => {
    const tick = MID - side * (1 + Math.floor(-Math.log(1 - random()) * 60));
    return [
      formatTicks(tick, 2),
      random() < 0.33 ? "0.00000000" : (Math.floor(random() * 1e8) / 1e6).toFixed(8),
    ];
  };
  const snapshot: DepthSnapshot = {
    lastUpdateId: 1000,
    bids: Array.from({ length: DEPTH }, (_, i) => [formatTicks(MID - 1 - i, 2), "1.00000000"] as const),
    asks: Array.from({ length: DEPTH }, (_, i) => [formatTicks(MID + 1 + i, 2), "1.00000000"] as const),
  };
  const events: DepthDiff[] = [];
  let levels = 0;
  for (let i = 0; i < 20_000; i++) {
    const b = Array.from({ length: 1 + Math.floor(random() * 20) }, () => level(1));
    const a = Array.from({ length: 1 + Math.floor(random() * 20) }, () => level(-1));
    const U = 1001 + i;
    events.push(
      { e: "depthUpdate", E: 1_700_000_000_000 + i * 100, s: "SYNTHUSDT", U, u: U, b, a } as DepthDiff,
    );
    levels += a.length + b.length;
  }
  const frames = events.map((data) => JSON.stringify({ stream: "synthusdt@depth@100ms", data }));
  return { name: "synthetic", family: "spot", scale: 2, snapshot, events, frames, levels, repeat: 1 };
}

// ---------------------------------------------------------------- measurements

type Kind = "wasm" | "reference" | "ccxt" | "python";
const KINDS: Kind[] = ["wasm", "reference", "ccxt", "python"];

function make(kind: Kind, s: { family: "spot" | "futures"; scale: number }): Bench {
  const options = { family: s.family, priceScale: s.scale, depth: DEPTH };
  if (kind === "wasm") return core(new WasmBook(options));
  if (kind === "reference") return core(new ReferenceBook(options));
  return kind === "ccxt" ? ccxtBook() : pythonBook();
}

/**
 * Milliseconds to apply every stream once (`repeat` times each) with a fresh book per stream: a
 * live book's work, so each replay's first event (the sync step after the snapshot) is untimed.
 */
function timeOnce(
  kind: Kind,
  streams: Stream[],
  wire: boolean,
  slow: boolean,
): { ms: number; levels: number } {
  let ms = 0;
  let levels = 0;
  for (const s of streams) {
    const book = make(kind, s);
    const repeat = slow ? Math.max(1, Math.round(s.repeat / 50)) : s.repeat;
    const n = s.events.length;
    for (let r = 0; r < repeat; r++) {
      // the first event after the snapshot is the sync step (untimed): then the book is live
      book.load(s.snapshot);
      if (wire) book.applyText(s.frames[0]);
      else book.apply(s.events[0]);
      const t0 = performance.now();
      if (wire) { for (let i = 1; i < n; i++) book.applyText(s.frames[i]); }
      else for (let i = 1; i < n; i++) book.apply(s.events[i]);
      ms += performance.now() - t0;
      levels += s.levels - s.events[0].a.length - s.events[0].b.length;
    }
  }
  return { ms, levels };
}

/**
 * Levels per second of each book over a set of streams (only diff application is timed). The
 * books take turns within each of 6 rounds (round 0 warms up) and each keeps its best round, so a
 * slow phase of a shared machine hits every book alike. The Python-style book is ~100x slower:
 * it replays 1/50 of the repetitions, in 2 rounds.
 */
function throughputs(streams: Stream[], wire: boolean): Map<Kind, number> {
  const best = new Map<Kind, { ms: number; levels: number }>();
  for (let round = 0; round < 6; round++) {
    for (const kind of KINDS) {
      const slow = kind === "python";
      if (slow && round > 1) continue;
      const t = timeOnce(kind, streams, wire, slow);
      if (round === 0) continue; // warm-up
      const b = best.get(kind);
      if (b === undefined || t.ms < b.ms) best.set(kind, t);
    }
  }
  return new Map(KINDS.map((k) => {
    const b = best.get(k)!;
    return [k, b.levels / (b.ms / 1000)];
  }));
}

/** Mean microseconds of one read on the synthetic book after its stream. */
function readLatency(kind: Kind, s: Stream): { top: number; threshold: number } {
  const book = make(kind, s);
  book.load(s.snapshot);
  for (const d of s.events) book.apply(d);
  const notional = 15 * 100_000; // ~ the best 15 levels of 1.0 at 100 000
  const time = (fn: () => unknown): number => {
    const n = kind === "python" ? 300 : 20_000;
    for (let i = 0; i < n / 10; i++) fn();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    return (performance.now() - t0) * 1000 / n;
  };
  return { top: time(() => book.top(20)), threshold: time(() => book.threshold(notional)) };
}

function gc(): void {
  const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
  for (let i = 0; i < 3; i++) {
    if (g.Bun) g.Bun.gc(true);
    else g.gc?.();
  }
}

/**
 * Bytes per cache with 1000 markets, after a full GC: JS heap plus, for WASM books, the
 * linear-memory region of each book (`memoryBytes`: runtimes count the shared arenas differently),
 * for the others array buffers and external memory. `"manager cache"` is the manager's real
 * per-market record (MarketCache: DepthSync + WASM book + state) loaded the way the manager loads it.
 */
async function memoryPerCache(kind: Kind | "manager cache", s: Stream): Promise<number> {
  gc();
  const m0 = process.memoryUsage();
  const keep: unknown[] = [];
  let wasmBytes = 0;
  for (let i = 0; i < 1000; i++) {
    if (kind === "manager cache") {
      const cache = new MarketCache(`M${i}`, { family: "spot", depth: DEPTH }, {
        fetch: (c, slot) => queueMicrotask(() => c.onSnapshot(slot, s.snapshot)),
        changed: () => {},
        failed: () => {},
      });
      cache.onDiff(s.events[0], 0, 0); // buffers the first event and asks for the snapshot
      keep.push(cache);
    } else {
      const b = make(kind, s);
      b.load(s.snapshot);
      keep.push(b);
      wasmBytes += b.bytes ?? 0;
    }
  }
  await new Promise((r) => setTimeout(r, 0)); // the manager caches load their snapshots
  gc();
  const m1 = process.memoryUsage();
  const heap = m1.heapUsed - m0.heapUsed;
  // WASM books: their linear-memory regions (runtimes count the shared arenas differently);
  // the others: array buffers and external memory (ccxt's Float64Array indexes)
  const native = kind === "wasm" || kind === "manager cache"
    ? 0
    : (m1.arrayBuffers - m0.arrayBuffers) + (m1.external - m0.external);
  const bytes = heap + native;
  if (kind === "manager cache") {
    for (const c of keep as MarketCache[]) {
      if (c.state !== "LIVE" || c.book?.lastUpdateId !== s.events[0].u) {
        throw new Error("Cannot measure: a cache did not load its snapshot");
      }
      wasmBytes += (c.book as WasmBook).memoryBytes;
    }
  }
  return (bytes + wasmBytes) / 1000;
}

// ---------------------------------------------------------------- run

await init();
const runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";
const spot = recorded("BINANCE", "spot");
const usdm = recorded("BINANCE_FUTURES", "futures");
const synth = synthetic();
const sets: [string, Stream[]][] = [["recorded spot", spot], ["recorded USD-M", usdm], ["synthetic", [
  synth,
]]];
console.log(`runtime ${runtime}, depth ${DEPTH}`);
for (const wire of [true, false]) {
  console.log(`\napply throughput ${wire ? "from the wire (frame text)" : "from parsed events"}`);
  for (const [name, streams] of sets) {
    const events = streams.reduce((n, s) => n + (s.events.length - 1) * s.repeat, 0);
    const levels = streams.reduce(
      (n, s) => n + (s.levels - s.events[0].a.length - s.events[0].b.length) * s.repeat,
      0,
    );
    console.log(`  ${name}: ${events} timed events, ${levels} levels`);
    const rates = throughputs(streams, wire);
    for (const k of KINDS) {
      const r = rates.get(k)!;
      console.log(
        `    ${k.padEnd(10)} ${(r / 1e6).toFixed(2).padStart(7)} M levels/s   ${
          (r / rates.get("ccxt")!).toFixed(2).padStart(6)
        }x ccxt`,
      );
    }
  }
}
console.log(`\nreads on the synthetic book (µs per read): top-20 / threshold (~15 levels)`);
for (const k of KINDS) {
  const r = readLatency(k, synth);
  console.log(`  ${k.padEnd(10)} ${r.top.toFixed(2).padStart(9)} / ${r.threshold.toFixed(2).padStart(9)}`);
}
console.log(`\nmemory per cache, 1000 markets with a 1000-level snapshot per side (KiB)`);
for (const k of [...KINDS, "manager cache"] as const) {
  console.log(`  ${k.padEnd(14)} ${((await memoryPerCache(k, synth)) / 1024).toFixed(1).padStart(8)}`);
}
