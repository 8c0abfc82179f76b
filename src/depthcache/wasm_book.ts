/**
 * The WASM-backed order book: one small WebAssembly instance per market, its data in a region of
 * a shared, fixed-size linear memory.
 *
 * Memory: a book's region holds both sides (16 B per level: f64 tick + f64 quantity, `capacity`
 * levels each) and the input batch (16 B per level): `80 + 32 * capacity + 16 * batchCapacity`
 * bytes. With the defaults (depth 1000, capacity 1256, batch 512) that is 48 KiB, so 1 000
 * markets cost about 48 MiB of linear memory (plus a 64 KiB frame scratch area per arena). Regions
 * live in arenas of 2 MiB (`_wasm_arena.ts`) created with initial == maximum pages, so views never
 * detach; many instances import the same arena memory. Per-market instances keep the core free of per-call book pointers; shared arenas
 * avoid one `WebAssembly.Memory` per market (expensive to create, on Bun a full GC each).
 *
 * Data flow: JS parses each level's strings straight into views on the instance's input arrays
 * (ticks, quantities) and makes one call per event (`diff`); events larger than `batchCapacity`
 * are handed over in chunks (ids checked on the first chunk, pruning after the last). A live book
 * also takes a frame's text directly (`applyFrame`: UTF-8 bytes into the arena's scratch area, one
 * call parses, checks and applies). Reads use views on the live window of the side arrays (slots
 * offset..offset+length), best level last.
 *
 * @example
 * ```ts
 * import { init } from "./wasm.ts";
 * import { WasmBook } from "./wasm_book.ts";
 * import { assertEquals } from "@std/assert";
 *
 * await init();
 * const book = new WasmBook({ family: "futures", priceScale: 1, depth: 2 });
 * book.loadSnapshot({ lastUpdateId: 100, bids: [["10.0", "1"], ["9.9", "2"], ["9.8", "3"]], asks: [] });
 * assertEquals(book.read("bids"), [[10, 1], [9.9, 2]]);
 * assertEquals(book.applyDiff({ U: 90, u: 105, pu: 89, b: [["10.0", "0"]], a: [] }), "applied");
 * assertEquals(book.applyDiff({ U: 110, u: 111, pu: 107, b: [], a: [] }), "gap");
 * ```
 *
 * @module
 */
import type {
  BookOptions,
  BookSide,
  BookState,
  DepthDiff,
  DepthSnapshot,
  DiffVerdict,
  OrderBook,
  PriceLevel,
  ReadOptions,
  SideView,
  SyncFamily,
} from "./book_types.ts";
import {
  checkDepth,
  checkUpdateId,
  diffIds,
  parseQuantity,
  readLimit,
  readThreshold,
  resolveBookOptions,
} from "./_book_common.ts";
import { parseTicks, scaleDivisor } from "./ticks.ts";
import { wasmModule } from "./wasm.ts";
import { allocateRegion } from "./_wasm_arena.ts";

/** Exports of the core (wasm/assembly/index.ts). */
interface CoreExports {
  setup(
    base: number,
    capacity: number,
    batch: number,
    depth: number,
    family: number,
    divisor: number,
  ): number;
  bytesNeeded(capacity: number, batch: number): number;
  heapBase(): number;
  region(which: number): number;
  clear(): void;
  lastUpdateId(): number;
  syncState(): number;
  beginSnapshot(updateId: number): void;
  levels(nBids: number, nAsks: number, final: number): number;
  diff(first: number, last: number, prev: number, nBids: number, nAsks: number, final: number): number;
  setDepth(depth: number): number;
  untilNotional(side: number, threshold: number, limit: number): number;
  frame(ptr: number, len: number, wrapped: number): number;
}

/** Int32 indexes of a side's `len` and `off` in the headers (wasm/assembly/index.ts layout). */
const BID_LEN = 2;
const BID_OFF = 6;
const ASK_LEN = 10;
const ASK_OFF = 14;

const VERDICTS: readonly DiffVerdict[] = ["applied", "old", "gap"];
const STATES: readonly BookState[] = ["empty", "snapshot", "synced"];
const probes = new WeakMap<WebAssembly.Module, CoreExports>();
const encoder = new TextEncoder();

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): CoreExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as CoreExports;
}

/** An instance that only answers layout questions (heap base, region sizes), one per module. */
function probe(module: WebAssembly.Module): CoreExports {
  let core = probes.get(module);
  if (core === undefined) {
    core = instantiate(module, new WebAssembly.Memory({ initial: 1, maximum: 1 }));
    probes.set(module, core);
  }
  return core;
}

/** A side's arrays as views on linear memory, and where its header keeps `len` and `off`. */
interface SideArrays {
  readonly ticks: Float64Array;
  readonly qtys: Float64Array;
  readonly id: number;
  readonly len: number;
  readonly off: number;
}

/** An order book whose data lives in a WASM instance (see the module docs). */
export class WasmBook implements OrderBook {
  /** Sequence-rule family. */
  readonly family: SyncFamily;
  /** Price decimals. */
  readonly priceScale: number;
  /** Hard limit of levels per side. */
  readonly capacity: number;
  /** Levels handed to the core per call. */
  readonly batchCapacity: number;
  /** Bytes of linear memory used by this book (its region of a shared arena). */
  readonly memoryBytes: number;
  readonly #core: CoreExports;
  readonly #divisor: number;
  readonly #bids: SideArrays;
  readonly #asks: SideArrays;
  readonly #inTicks: Float64Array;
  readonly #inQtys: Float64Array;
  /** The two side headers as int32 (lengths and offsets are read here, not through calls). */
  readonly #headers: Int32Array;
  /** Event time and quantity decimals of the last frame. */
  readonly #info: Float64Array;
  readonly #scratch: Uint8Array<ArrayBuffer>;
  readonly #scratchBase: number;
  #depth: number;

  /**
   * Creates an empty book in a new instance of the core.
   *
   * @param options Family, price scale, depth, capacity, batchCapacity.
   * @throws {RangeError} When an option is out of range.
   * @throws {Error} When `init()` has not completed.
   */
  constructor(options: BookOptions) {
    const o = resolveBookOptions(options);
    const module = wasmModule();
    this.family = o.family;
    this.priceScale = o.priceScale;
    this.capacity = o.capacity;
    this.batchCapacity = o.batchCapacity;
    this.#depth = o.depth;
    this.#divisor = scaleDivisor(o.priceScale);
    const layout = probe(module);
    const region = allocateRegion(this, layout.heapBase(), layout.bytesNeeded(o.capacity, o.batchCapacity));
    this.memoryBytes = region.bytes;
    const core = instantiate(module, region.memory);
    const family = o.family === "spot" ? 0 : 1;
    const status = core.setup(region.base, o.capacity, o.batchCapacity, o.depth, family, this.#divisor);
    if (status !== 0) throw new RangeError(`Cannot create a WASM book: setup failed with code ${status}`);
    this.#core = core;
    const buffer = region.memory.buffer;
    const f64 = (which: number, n: number) => new Float64Array(buffer, core.region(which), n);
    this.#bids = { ticks: f64(0, o.capacity), qtys: f64(1, o.capacity), id: 0, len: BID_LEN, off: BID_OFF };
    this.#asks = { ticks: f64(2, o.capacity), qtys: f64(3, o.capacity), id: 1, len: ASK_LEN, off: ASK_OFF };
    this.#headers = new Int32Array(buffer, region.base, 16);
    this.#info = f64(6, 2);
    this.#inTicks = f64(4, o.batchCapacity);
    this.#inQtys = f64(5, o.batchCapacity);
    this.#scratch = region.scratch;
    this.#scratchBase = region.scratchBase;
  }

  /** Levels kept per side after each update. */
  get depth(): number {
    return this.#depth;
  }

  /** Update id of the last applied snapshot or diff, -1 when empty. */
  get lastUpdateId(): number {
    return this.#core.lastUpdateId();
  }

  /** Synchronisation state. */
  get state(): BookState {
    return STATES[this.#core.syncState()];
  }

  #side(side: BookSide): SideArrays {
    return side === "asks" ? this.#asks : this.#bids;
  }

  /**
   * Parses up to `batchCapacity` levels, bids from index `bi` then asks from `ai`, into the input
   * arrays. Returns [bids written, asks written].
   */
  #fill(bids: readonly PriceLevel[], bi: number, asks: readonly PriceLevel[], ai: number): [number, number] {
    const scale = this.priceScale;
    const ticks = this.#inTicks;
    const qtys = this.#inQtys;
    const room = this.batchCapacity;
    const nb = Math.min(bids.length - bi, room);
    for (let k = 0; k < nb; k++) {
      const level = bids[bi + k];
      ticks[k] = parseTicks(level[0], scale);
      qtys[k] = parseQuantity(level[1]);
    }
    const na = Math.min(asks.length - ai, room - nb);
    for (let k = 0; k < na; k++) {
      const level = asks[ai + k];
      ticks[nb + k] = parseTicks(level[0], scale);
      qtys[nb + k] = parseQuantity(level[1]);
    }
    return [nb, na];
  }

  /** Hands the remaining levels to the core in chunks (no sequence check), pruning at the end. */
  #rest(bids: readonly PriceLevel[], bi: number, asks: readonly PriceLevel[], ai: number): void {
    while (bi < bids.length || ai < asks.length) {
      const [nb, na] = this.#fill(bids, bi, asks, ai);
      bi += nb;
      ai += na;
      this.#core.levels(nb, na, bi === bids.length && ai === asks.length ? 1 : 0);
    }
  }

  /** Parses the levels a refused chunked diff did not hand over (throws on a bad one). */
  #validate(bids: readonly PriceLevel[], bi: number, asks: readonly PriceLevel[], ai: number): void {
    const scale = this.priceScale;
    for (const side of [bids.slice(bi), asks.slice(ai)]) {
      for (const level of side) {
        parseTicks(level[0], scale);
        parseQuantity(level[1]);
      }
    }
  }

  /**
   * Replaces the book with a snapshot.
   *
   * @param snapshot `lastUpdateId`, `bids`, `asks` as Binance sends them.
   * @throws {RangeError} On a bad update id, price or quantity (the book is then empty).
   * @throws {SyntaxError} On a malformed price (the book is then empty).
   */
  loadSnapshot(snapshot: DepthSnapshot): void {
    const id = checkUpdateId("lastUpdateId", snapshot.lastUpdateId);
    this.#core.beginSnapshot(id);
    try {
      this.#rest(snapshot.bids, 0, snapshot.asks, 0);
      if (snapshot.bids.length === 0 && snapshot.asks.length === 0) this.#core.levels(0, 0, 1);
    } catch (error) {
      this.#core.clear();
      throw error;
    }
  }

  /**
   * Validates a diff against the sequence rules and applies it when they allow.
   *
   * @param diff A `depthUpdate` event (`U`, `u`, `pu` for futures, `b`, `a`).
   * @returns The verdict; nothing is applied unless it is `"applied"`.
   * @throws {RangeError} On bad ids, prices or quantities (after a bad level the book is empty).
   * @throws {SyntaxError} On a malformed price (the book is then empty).
   */
  applyDiff(diff: DepthDiff): DiffVerdict {
    const [first, last, prev] = diffIds(diff, this.family);
    const { b, a } = diff;
    try {
      const [nb, na] = this.#fill(b, 0, a, 0);
      const whole = nb === b.length && na === a.length;
      const verdict = this.#core.diff(first, last, prev, nb, na, whole ? 1 : 0);
      if (!whole) {
        if (verdict === 0) this.#rest(b, nb, a, na);
        else this.#validate(b, nb, a, na); // a bad level raises whatever the verdict, as in one batch
      }
      return VERDICTS[verdict];
    } catch (error) {
      this.#core.clear();
      throw error;
    }
  }

  /**
   * Applies a diff-depth frame straight from the text the WebSocket delivered: the core parses the
   * UTF-8 bytes into its input arrays, checks the ids and applies, in one call (no `JSON.parse`,
   * no objects). Only a synchronized book takes frames, and only frames the core's strict parser
   * vouches for (`wasm/assembly/frame.ts`); for anything else it returns `undefined` with the book
   * unchanged and the caller takes the `JSON.parse` + {@link applyDiff} path, which gives the
   * same result for every frame this method handles.
   *
   * @param text The frame: a `depthUpdate` event, or a combined-stream wrapper when `wrapped`.
   * @param wrapped True for `{"stream": ..., "data": {...}}` (the `/stream` endpoint).
   * @returns The verdict (nothing applied unless `"applied"`), or `undefined`: not handled.
   */
  applyFrame(text: string, wrapped: boolean): DiffVerdict | undefined {
    const scratch = this.#scratch;
    if (text.length >= scratch.length) return undefined;
    const { read, written } = encoder.encodeInto(text, scratch);
    if (read !== text.length || written === scratch.length) return undefined;
    scratch[written] = 0; // the terminator the core's parser stops on
    const code = this.#core.frame(this.#scratchBase, written, wrapped ? 1 : 0);
    return code < 0 ? undefined : VERDICTS[code];
  }

  /** `E` (event time) of the last frame {@link applyFrame} handled, 0 when it had none. */
  get frameEventTime(): number {
    return this.#info[0];
  }

  /** Most decimals written in a quantity of the last frame {@link applyFrame} handled. */
  get frameQtyDecimals(): number {
    return this.#info[1];
  }

  /**
   * Changes the depth kept per side and prunes now.
   *
   * @param depth 1..capacity.
   * @throws {RangeError} When out of range.
   */
  setDepth(depth: number): void {
    this.#depth = checkDepth(depth, this.capacity);
    this.#core.setDepth(depth);
  }

  /** Empties the book. */
  clear(): void {
    this.#core.clear();
  }

  /**
   * Number of levels on a side.
   *
   * @param side `"bids"` or `"asks"`.
   * @returns The count.
   */
  length(side: BookSide): number {
    return this.#headers[this.#side(side).len];
  }

  /**
   * Best price of a side in ticks.
   *
   * @param side `"bids"` or `"asks"`.
   * @returns The tick, -1 when the side is empty.
   */
  bestTick(side: BookSide): number {
    return this.#best(this.#side(side));
  }

  #best(s: SideArrays): number {
    const h = this.#headers;
    const n = h[s.len];
    return n === 0 ? -1 : s.ticks[h[s.off] + n - 1];
  }

  /**
   * Whether best bid >= best ask (one call, O(1)).
   *
   * @returns True for a crossed book.
   */
  isCrossed(): boolean {
    const bid = this.#best(this.#bids);
    const ask = this.#best(this.#asks);
    return bid !== -1 && ask !== -1 && bid >= ask;
  }

  /**
   * Number of best levels a read returns.
   *
   * @param side `"bids"` or `"asks"`.
   * @param options `limit` and/or `thresholdVolume`.
   * @returns The count.
   * @throws {RangeError} On invalid options.
   */
  count(side: BookSide, options?: ReadOptions): number {
    const s = this.#side(side);
    const id = s.id;
    const limit = readLimit(options, this.#headers[s.len]);
    const threshold = readThreshold(options);
    return threshold === undefined ? limit : this.#core.untilNotional(id, threshold, limit);
  }

  /**
   * Zero-copy view of a side, worst to best (valid until the next update; do not write).
   *
   * @param side `"bids"` or `"asks"`.
   * @returns The view.
   */
  view(side: BookSide): SideView {
    const s = this.#side(side);
    const n = this.#headers[s.len];
    const off = this.#headers[s.off];
    return { ticks: s.ticks.subarray(off, off + n), quantities: s.qtys.subarray(off, off + n), length: n };
  }

  /**
   * Best-first `[price, quantity]` pairs.
   *
   * @param side `"bids"` or `"asks"`.
   * @param options `limit` and/or `thresholdVolume`.
   * @returns The levels.
   * @throws {RangeError} On invalid options.
   */
  read(side: BookSide, options?: ReadOptions): [number, number][] {
    const s = this.#side(side);
    const n = this.count(side, options);
    const top = this.#headers[s.off] + this.#headers[s.len] - 1;
    const out: [number, number][] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = [s.ticks[top - i] / this.#divisor, s.qtys[top - i]];
    return out;
  }
}
