// The order-book core of unicorn-binance: one market per instance.
//
// Memory: imported from JS as `env.memory`, created with initial == maximum pages so it never
// grows and JS views on it stay valid. Several instances may share one memory (JS places each
// book in its own region of an arena); so the module keeps NO data in memory outside the region
// given to setup() and has no data segments (a segment would be re-written by every
// instantiation). The region at `base` holds:
//   bid header | ask header | frame info | bid ticks | bid qtys | ask ticks | ask qtys | input ticks
//   | input qtys
// (headers 32 bytes each, laid out as the Side class: ticks, qtys, len, cap at bytes 0..15, dir at
// 16, off at 24; frame info 16 bytes: f64 event time, f64 quantity decimals of the last frame;
// arrays f64). JS reads lengths and offsets straight from the headers: a call into one of many
// instances costs more than the read (JS call sites that see many instances go megamorphic). JS writes a batch of levels (bids first, then asks) into
// the input arrays and makes one call; reads go through views on the side arrays (best level at
// the end). Nothing is allocated, so the stub runtime never runs; aborts are compiled out
// (`--use abort=`) and errors are returned as codes.

// AssemblyScript has no `import type`; Side is a type only here.
// deno-lint-ignore verbatim-module-syntax
import { applyLevels, ASK, notionalCount, prune, reset, Side } from "./side";
import { APPLIED, FUTURES, GAP, SPOT, verdict } from "./sequence";
import { fAsks, fBids, fEvent, fFirst, fLast, fPrev, fQtyDec, parseFrame } from "./frame";

/** setup() result: ok. */
const OK: i32 = 0;
/** setup() result: an argument is out of range. */
const E_ARGUMENT: i32 = 1;
/** setup() result: the memory is too small for the requested capacities. */
const E_MEMORY: i32 = 2;

/** frame() result: not handled (JS takes the JSON.parse path). */
const NOT_HANDLED: i32 = -1;

/** Book state: nothing loaded. */
const STATE_EMPTY: i32 = 0;
/** Book state: snapshot loaded, waiting for the first applicable diff. */
const STATE_SNAPSHOT: i32 = 1;
/** Book state: synchronized (a diff has been applied on top of the snapshot). */
const STATE_SYNCED: i32 = 2;

/** Bytes reserved for each side header in the region. */
const HEADER: usize = 32;
/** Bytes of the frame info block after the headers. */
const INFO: usize = 16;

let bids: Side = changetype<Side>(0);
let asks: Side = changetype<Side>(0);
let info: usize = 0;
let inTicks: usize = 0;
let inQtys: usize = 0;
let batchCap: i32 = 0;
let depth: i32 = 0;
let family: i32 = 0; // SPOT
let divisor: f64 = 1;
let priceScale: i32 = 0;
let state: i32 = 0; // STATE_EMPTY
let lastId: f64 = -1;

// @ts-ignore: decorator

function sideOf(side: i32): Side {
  return side == ASK ? asks : bids;
}

/**
 * Lays out the book in the region starting at `base` (8-aligned, at or above heapBase()).
 * `capacity` levels per side (hard limit), `batch` input levels per call, `maxDepth` levels kept
 * per side after each snapshot/diff (<= capacity), `fam` SPOT or FUTURES, `priceDivisor` =
 * 10^scale. Returns OK, E_ARGUMENT or E_MEMORY.
 */
export function setup(
  base: usize,
  capacity: i32,
  batch: i32,
  maxDepth: i32,
  fam: i32,
  priceDivisor: f64,
): i32 {
  if (capacity < 1 || batch < 1 || maxDepth < 1 || maxDepth > capacity) return E_ARGUMENT;
  if (fam != SPOT && fam != FUTURES) return E_ARGUMENT;
  if (!(priceDivisor >= 1)) return E_ARGUMENT;
  if ((base & 7) != 0 || base < heapBase()) return E_ARGUMENT;
  const need = <u64>base + <u64>bytesNeeded(capacity, batch);
  if (need > (<u64>memory.size() << 16)) return E_MEMORY;
  const cap = <usize>capacity << 3;
  bids = changetype<Side>(base);
  asks = changetype<Side>(base + HEADER);
  info = base + HEADER * 2;
  const arrays = info + INFO;
  bids.ticks = arrays;
  bids.qtys = arrays + cap;
  asks.ticks = arrays + cap * 2;
  asks.qtys = arrays + cap * 3;
  inTicks = arrays + cap * 4;
  inQtys = inTicks + (<usize>batch << 3);
  bids.cap = capacity;
  asks.cap = capacity;
  bids.dir = 1;
  asks.dir = -1;
  batchCap = batch;
  depth = maxDepth;
  family = fam;
  divisor = priceDivisor;
  priceScale = 0;
  for (let d = priceDivisor; d >= 10; d /= 10) priceScale++;
  clear();
  return OK;
}

/** Bytes of one book region for these capacities. */
export function bytesNeeded(capacity: i32, batch: i32): f64 {
  return <f64>(HEADER * 2 + INFO) + <f64>capacity * 32 + <f64>batch * 16;
}

/** First address JS may give to setup() (above any static data, 64-aligned). */
export function heapBase(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}

/**
 * Address of a region: 0 bid ticks, 1 bid qtys, 2 ask ticks, 3 ask qtys, 4 input ticks,
 * 5 input qtys, 6 frame info.
 */
export function region(which: i32): usize {
  switch (which) {
    case 0:
      return bids.ticks;
    case 1:
      return bids.qtys;
    case 2:
      return asks.ticks;
    case 3:
      return asks.qtys;
    case 4:
      return inTicks;
    case 5:
      return inQtys;
    case 6:
      return info;
    default:
      return 0;
  }
}

/** Empties both sides and forgets the update id. */
export function clear(): void {
  reset(bids);
  reset(asks);
  state = STATE_EMPTY;
  lastId = -1;
}

/** Local update id (-1 before a snapshot). */
export function lastUpdateId(): f64 {
  return lastId;
}

/** 0 empty, 1 snapshot loaded, 2 synchronized. */
export function syncState(): i32 {
  return state;
}

/** Applies the input levels: `bulk` for snapshots and continuation chunks (see applyLevels). */
function applyInput(nBids: i32, nAsks: i32, bulk: bool): void {
  applyLevels(bids, inTicks, inQtys, nBids, bulk);
  applyLevels(asks, inTicks + (<usize>nBids << 3), inQtys + (<usize>nBids << 3), nAsks, bulk);
}

/** Starts a snapshot: empties the book and records its lastUpdateId. Levels follow via levels(). */
export function beginSnapshot(updateId: f64): void {
  clear();
  lastId = updateId;
  state = STATE_SNAPSHOT;
}

/**
 * Applies `nBids` + `nAsks` levels from the input arrays without a sequence check (snapshot chunks
 * and continuation chunks of a large diff); prunes when `final` is non-zero. Returns -1 when the
 * counts do not fit the input arrays, else 0.
 */
export function levels(nBids: i32, nAsks: i32, final: i32): i32 {
  if (nBids < 0 || nAsks < 0 || nBids + nAsks > batchCap) return -1;
  applyInput(nBids, nAsks, true);
  if (final != 0) pruneBook();
  return 0;
}

/**
 * Checks a diff event against the sequence rules of the family and applies its first (or only)
 * chunk of levels when it fits. Returns APPLIED, IGNORED_OLD or GAP (GAP also when no snapshot is
 * loaded), or -1 when the counts do not fit the input arrays. `prev` is `pu` (NaN on spot).
 */
export function diff(first: f64, last: f64, prev: f64, nBids: i32, nAsks: i32, final: i32): i32 {
  if (nBids < 0 || nAsks < 0 || nBids + nAsks > batchCap) return -1;
  if (state == STATE_EMPTY) return GAP;
  const v = verdict(family, state == STATE_SYNCED, lastId, first, last, prev);
  if (v != APPLIED) return v;
  applyInput(nBids, nAsks, final == 0); // a whole small event skips the bulk check
  if (final != 0) pruneBook();
  lastId = last;
  state = STATE_SYNCED;
  return APPLIED;
}

/**
 * Parses a diff-depth frame (UTF-8 JSON text at [ptr, ptr + len) followed by a NUL byte, anywhere in memory; `wrapped`
 * non-zero for a combined-stream `{"stream", "data"}` wrapper) and applies it to a synchronized
 * book. The frame's event time and quantity decimals go to the info block (also for IGNORED_OLD and
 * GAP). Returns APPLIED, IGNORED_OLD or GAP (nothing applied unless APPLIED), or NOT_HANDLED
 * (-1) when the book is not synchronized or the frame is not one the parser vouches for
 * (frame.ts): JS then takes the JSON.parse path, which gives the same result for every frame
 * this function handles.
 */
export function frame(ptr: usize, len: i32, wrapped: i32): i32 {
  if (state != STATE_SYNCED || len < 0) return NOT_HANDLED;
  if (!parseFrame(ptr, len, wrapped != 0, family == FUTURES, priceScale, inTicks, inQtys, batchCap)) {
    return NOT_HANDLED;
  }
  const last = fLast;
  store<f64>(info, fEvent);
  store<f64>(info + 8, <f64>fQtyDec);
  const v = verdict(family, true, lastId, fFirst, last, fPrev);
  if (v != APPLIED) return v;
  applyInput(fBids, fAsks, false);
  pruneBook();
  lastId = last;
  return APPLIED;
}

/** Trims both sides to the configured depth (numeric order: keeps the best levels). */
export function pruneBook(): void {
  prune(bids, depth);
  prune(asks, depth);
}

/** Changes the depth kept per side (1..capacity) and prunes; returns 0, or -1 if out of range. */
export function setDepth(maxDepth: i32): i32 {
  if (maxDepth < 1 || maxDepth > bids.cap) return -1;
  depth = maxDepth;
  pruneBook();
  return 0;
}

/** Number of best levels until the cumulative quote notional would cross `threshold` (UBLDC). */
export function untilNotional(side: i32, threshold: f64, limit: i32): i32 {
  return notionalCount(sideOf(side), threshold, divisor, limit);
}
