// Order-book side storage: a sorted array of integer price ticks (f64, exact below 2^53) and a
// parallel array of quantities, both in linear memory at fixed addresses. The best price sits at
// the END of the live window (bids ascending, asks descending) so the frequent top-of-book inserts
// and deletes move only the few levels above them. Searching uses a signed key (dir * tick) so one
// ascending binary search serves both sides; negating an integer-valued f64 is exact.
//
// The live levels are a window [off, off + len) of the `cap` slots. Pruning the worst levels just
// moves `off` up (no copy: pruning runs after every event and used to move the whole side). An
// insert or delete moves whichever part is shorter: the better levels towards the end, or the
// worse levels towards the start (using the free slots below `off`).

/** Bid side id. */
export const BID: i32 = 0;
/** Ask side id. */
export const ASK: i32 = 1;

/**
 * Addresses and sizes of one side. Unmanaged: the two headers live in the book's region, never
 * on a heap, so nothing is allocated after start-up.
 */
// @ts-ignore: decorator
@unmanaged
export class Side {
  ticks: usize;
  qtys: usize;
  len: i32;
  cap: i32;
  /** +1 for bids (ascending ticks), -1 for asks (descending ticks). */
  dir: f64;
  /** Slot of the worst live level. */
  off: i32;
}

// @ts-ignore: decorator
@inline
function slot(s: Side, i: i32): usize {
  return <usize>(s.off + i) << 3;
}

// @ts-ignore: decorator
@inline
function tickAt(s: Side, i: i32): f64 {
  return load<f64>(s.ticks + slot(s, i));
}

// @ts-ignore: decorator
@inline
function qtyAt(s: Side, i: i32): f64 {
  return load<f64>(s.qtys + slot(s, i));
}

// @ts-ignore: decorator
@inline
function put(s: Side, i: i32, tick: f64, qty: f64): void {
  const at = slot(s, i);
  store<f64>(s.ticks + at, tick);
  store<f64>(s.qtys + at, qty);
}

/**
 * Moves `n` slots from slot `from` to slot `to` (absolute slots; overlap-safe). Short moves (the
 * usual case near the top of the book) are plain loops: `memory.copy` is a runtime call whose
 * fixed cost exceeds copying a few doubles.
 */
function moveSlots(s: Side, to: i32, from: i32, n: i32): void {
  if (n <= 0) return;
  const t = s.ticks;
  const q = s.qtys;
  if (n <= 16) {
    if (to < from) {
      for (let i: i32 = 0; i < n; i++) {
        store<f64>(t + (<usize>(to + i) << 3), load<f64>(t + (<usize>(from + i) << 3)));
        store<f64>(q + (<usize>(to + i) << 3), load<f64>(q + (<usize>(from + i) << 3)));
      }
    } else {
      for (let i: i32 = n - 1; i >= 0; i--) {
        store<f64>(t + (<usize>(to + i) << 3), load<f64>(t + (<usize>(from + i) << 3)));
        store<f64>(q + (<usize>(to + i) << 3), load<f64>(q + (<usize>(from + i) << 3)));
      }
    }
    return;
  }
  const bytes = <usize>n << 3;
  memory.copy(t + (<usize>to << 3), t + (<usize>from << 3), bytes);
  memory.copy(q + (<usize>to << 3), q + (<usize>from << 3), bytes);
}

/** Empties the side. */
export function reset(s: Side): void {
  s.len = 0;
  s.off = 0;
}

/**
 * First index whose key (dir * tick) is >= the key of `tick` (the insertion point). Most updates
 * are near the top of the book, which is the end of the window: the search gallops from the best
 * level down (1, 2, 4, … levels) and then bisects the last gap without branches (`select`), so a
 * level k places from the top costs O(log k) probes and no mispredicted jumps.
 */
export function lowerBound(s: Side, tick: f64): i32 {
  const key = s.dir * tick;
  const dir = s.dir;
  const base = s.ticks + (<usize>s.off << 3);
  const len = s.len;
  // invariant: every index >= hi has a key >= key; every index < lo a key < key
  let hi = len;
  let step: i32 = 1;
  let probe = len - 1;
  while (probe >= 0 && dir * load<f64>(base + (<usize>probe << 3)) >= key) {
    hi = probe;
    step <<= 1;
    probe = hi - step;
  }
  let lo = probe < 0 ? 0 : probe + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const less = dir * load<f64>(base + (<usize>mid << 3)) < key;
    lo = select<i32>(mid + 1, lo, less);
    hi = select<i32>(hi, mid, less);
  }
  return lo;
}

/** Removes the level at index `i`, moving the shorter part. */
function removeAt(s: Side, i: i32): void {
  const len = s.len;
  const above = len - i - 1;
  if (above <= i) {
    moveSlots(s, s.off + i, s.off + i + 1, above);
  } else {
    moveSlots(s, s.off + 1, s.off, i);
    s.off++;
  }
  s.len = len - 1;
}

/** Inserts a level at index `i` (len < cap), moving the shorter part that has room to move. */
function insertAt(s: Side, i: i32, tick: f64, qty: f64): void {
  const len = s.len;
  const above = len - i;
  const roomAbove = s.off + len < s.cap;
  const roomBelow = s.off > 0;
  if (roomAbove && (above <= i || !roomBelow)) {
    moveSlots(s, s.off + i + 1, s.off + i, above);
  } else if (roomBelow) {
    moveSlots(s, s.off - 1, s.off, i);
    s.off--;
  } else {
    // unreachable with len < cap (one side always has room); kept as a safe fallback
    return;
  }
  s.len = len + 1;
  put(s, i, tick, qty);
}

/**
 * Sets the absolute quantity of one level: qty > 0 inserts or replaces, anything else deletes
 * (deleting an unknown level is a no-op, as Binance documents). When the side is full, a new level
 * evicts the worst level (index 0) if it is better than it, and is dropped otherwise.
 */
export function upsert(s: Side, tick: f64, qty: f64): void {
  const i = lowerBound(s, tick);
  const len = s.len;
  if (i < len && tickAt(s, i) == tick) {
    if (qty > 0) store<f64>(s.qtys + slot(s, i), qty);
    else removeAt(s, i);
    return;
  }
  if (!(qty > 0)) return;
  if (len < s.cap) {
    insertAt(s, i, tick, qty);
    return;
  }
  if (i == 0) return; // full and worse than every stored level
  // full: drop the worst level, then the insertion point moves down by one
  s.off++;
  s.len = len - 1;
  insertAt(s, i - 1, tick, qty);
}

/**
 * Applies `n` (tick, qty) pairs from the input arrays in order. With `bulk` (snapshots and the
 * continuation chunks of large events), a run that is strictly best-first, all positive and
 * entirely worse than the current worst level is placed below the stored levels (one memmove at
 * most) instead of n inserts at index 0; diffs skip that check (their levels are near the top).
 */
export function applyLevels(s: Side, inTicks: usize, inQtys: usize, n: i32, bulk: bool): void {
  if (n <= 0) return;
  if (bulk && s.len + n <= s.cap && isAppendableRun(s, inTicks, inQtys, n)) {
    if (s.off < n) {
      moveSlots(s, n, s.off, s.len); // make room below: the window then starts at slot n
      s.off = n;
    }
    s.off -= n;
    s.len += n;
    for (let k: i32 = 0; k < n; k++) {
      put(s, n - 1 - k, load<f64>(inTicks + (<usize>k << 3)), load<f64>(inQtys + (<usize>k << 3)));
    }
    return;
  }
  for (let k: i32 = 0; k < n; k++) {
    upsert(s, load<f64>(inTicks + (<usize>k << 3)), load<f64>(inQtys + (<usize>k << 3)));
  }
}

function isAppendableRun(s: Side, inTicks: usize, inQtys: usize, n: i32): bool {
  let prevKey = s.len > 0 ? s.dir * tickAt(s, 0) : Infinity;
  for (let k: i32 = 0; k < n; k++) {
    const key = s.dir * load<f64>(inTicks + (<usize>k << 3));
    if (!(key < prevKey)) return false;
    if (!(load<f64>(inQtys + (<usize>k << 3)) > 0)) return false;
    prevKey = key;
  }
  return true;
}

/** Keeps only the `depth` best levels (numeric order, never string order): O(1). */
export function prune(s: Side, depth: i32): void {
  const len = s.len;
  if (len <= depth) return;
  s.off += len - depth;
  s.len = depth;
}

/**
 * Number of best levels to return for a cumulative quote-notional limit (UBLDC semantics): walk
 * from the best level accumulating price * qty; the first level is always included; the level
 * that would push the total above `threshold` is excluded and the walk stops; at most `limit`.
 * `divisor` is 10^scale, so tick / divisor is the same double as parsing the price string.
 */
export function notionalCount(s: Side, threshold: f64, divisor: f64, limit: i32): i32 {
  let total: f64 = 0;
  let count: i32 = 0;
  let i = s.len - 1;
  while (i >= 0 && count < limit) {
    const notional = (tickAt(s, i) / divisor) * qtyAt(s, i);
    if (count > 0 && total + notional > threshold) break;
    total += notional;
    count++;
    i--;
  }
  return count;
}
