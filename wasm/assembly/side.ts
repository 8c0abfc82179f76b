// Order-book side storage: a sorted array of integer price ticks (f64, exact below 2^53) and a
// parallel array of quantities, both in linear memory at fixed addresses. The best price sits at
// the END of the array (bids ascending, asks descending) so the frequent top-of-book inserts and
// deletes move only the few levels above them. Searching uses a signed key (dir * tick) so one
// ascending binary search serves both sides; negating an integer-valued f64 is exact.

/** Bid side id. */
export const BID: i32 = 0;
/** Ask side id. */
export const ASK: i32 = 1;

/**
 * Addresses and sizes of one side. Unmanaged: the two headers live in static data
 * (`memory.data`), never on a heap, so nothing is allocated after start-up.
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
}

// @ts-ignore: decorator

function tickAt(s: Side, i: i32): f64 {
  return load<f64>(s.ticks + (<usize> i << 3));
}

// @ts-ignore: decorator

function qtyAt(s: Side, i: i32): f64 {
  return load<f64>(s.qtys + (<usize> i << 3));
}

/** Moves `n` levels from index `from` to index `to` (overlap-safe memmove). */
// @ts-ignore: decorator

function moveLevels(s: Side, to: i32, from: i32, n: i32): void {
  if (n <= 0) return;
  const bytes = <usize> n << 3;
  memory.copy(s.ticks + (<usize> to << 3), s.ticks + (<usize> from << 3), bytes);
  memory.copy(s.qtys + (<usize> to << 3), s.qtys + (<usize> from << 3), bytes);
}

/** First index whose key (dir * tick) is >= the key of `tick` (the insertion point). */
export function lowerBound(s: Side, tick: f64): i32 {
  const key = s.dir * tick;
  let lo: i32 = 0;
  let hi: i32 = s.len;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s.dir * tickAt(s, mid) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
    if (qty > 0) {
      store<f64>(s.qtys + (<usize> i << 3), qty);
    } else {
      moveLevels(s, i, i + 1, len - i - 1);
      s.len = len - 1;
    }
    return;
  }
  if (!(qty > 0)) return;
  if (len < s.cap) {
    moveLevels(s, i + 1, i, len - i);
    s.len = len + 1;
    store<f64>(s.ticks + (<usize> i << 3), tick);
    store<f64>(s.qtys + (<usize> i << 3), qty);
    return;
  }
  if (i == 0) return; // full and worse than every stored level
  moveLevels(s, 0, 1, i - 1);
  store<f64>(s.ticks + (<usize> (i - 1) << 3), tick);
  store<f64>(s.qtys + (<usize> (i - 1) << 3), qty);
}

/**
 * Applies `n` (tick, qty) pairs from the input arrays in order. Fast path for snapshots: a run that
 * is strictly best-first, all positive and entirely worse than the current worst level is placed
 * below the stored levels with one memmove instead of n inserts at index 0.
 */
export function applyLevels(s: Side, inTicks: usize, inQtys: usize, n: i32): void {
  if (n <= 0) return;
  if (s.len + n <= s.cap && isAppendableRun(s, inTicks, inQtys, n)) {
    moveLevels(s, n, 0, s.len);
    for (let k: i32 = 0; k < n; k++) {
      const dst = <usize> (n - 1 - k) << 3;
      store<f64>(s.ticks + dst, load<f64>(inTicks + (<usize> k << 3)));
      store<f64>(s.qtys + dst, load<f64>(inQtys + (<usize> k << 3)));
    }
    s.len += n;
    return;
  }
  for (let k: i32 = 0; k < n; k++) {
    upsert(s, load<f64>(inTicks + (<usize> k << 3)), load<f64>(inQtys + (<usize> k << 3)));
  }
}

function isAppendableRun(s: Side, inTicks: usize, inQtys: usize, n: i32): bool {
  let prevKey = s.len > 0 ? s.dir * tickAt(s, 0) : Infinity;
  for (let k: i32 = 0; k < n; k++) {
    const key = s.dir * load<f64>(inTicks + (<usize> k << 3));
    if (!(key < prevKey)) return false;
    if (!(load<f64>(inQtys + (<usize> k << 3)) > 0)) return false;
    prevKey = key;
  }
  return true;
}

/** Keeps only the `depth` best levels (numeric order, never string order). */
export function prune(s: Side, depth: i32): void {
  const len = s.len;
  if (len <= depth) return;
  moveLevels(s, 0, len - depth, depth);
  s.len = depth;
}

/** Best tick, or -1 when the side is empty. */
export function bestTick(s: Side): f64 {
  return s.len > 0 ? tickAt(s, s.len - 1) : -1;
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
