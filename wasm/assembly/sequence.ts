// Binance diff-depth sequence rules (binance-api.md §7.4), evaluated before a diff is applied.
// Update ids travel as f64: exact integers below 2^53 (USD-M ids are ~6e11), and i64 would cost a
// BigInt at the JS boundary.

/** Spot family (spot, margin, Binance.US, TR): `U`/`u` continuity. */
export const SPOT: i32 = 0;
/** Futures family (USD-M, COIN-M, options): `pu` chaining. */
export const FUTURES: i32 = 1;

/** The diff was applied. */
export const APPLIED: i32 = 0;
/** The diff is older than the book and was ignored. */
export const IGNORED_OLD: i32 = 1;
/** Events are missing between the book and the diff: resync. */
export const GAP: i32 = 2;

/**
 * Verdict for a diff `[first, last]` (prev = `pu`, NaN on spot) against local id `x`.
 * `synced` false means only a snapshot with lastUpdateId `x` has been loaded so far, so the
 * first-event rule applies.
 */
export function verdict(family: i32, synced: bool, x: f64, first: f64, last: f64, prev: f64): i32 {
  if (family == SPOT) {
    if (!synced) {
      // spot pre-sync: drop u <= L; first event must satisfy U <= L+1 <= u
      if (last <= x) return IGNORED_OLD;
      return first <= x + 1 ? APPLIED : GAP;
    }
    // spot live: ignore u < X; gap when U > X+1 (overlaps are allowed)
    if (last < x) return IGNORED_OLD;
    return first > x + 1 ? GAP : APPLIED;
  }
  if (!synced) {
    // futures pre-sync: drop u < L; first event must satisfy U <= L <= u
    if (last < x) return IGNORED_OLD;
    return first <= x ? APPLIED : GAP;
  }
  // futures live: ignore u < X; continuity only through pu == X
  if (last < x) return IGNORED_OLD;
  return prev == x ? APPLIED : GAP;
}
