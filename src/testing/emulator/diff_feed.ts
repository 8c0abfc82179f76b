/**
 * Diff-depth feed of one symbol at one speed: merges commits until the period is due, then
 * emits one `depthUpdate` (spot: `U`/`u`; USD-M and COIN-M: plus `pu` = this feed's previous `u`;
 * COIN-M also `ps`, the pair).
 *
 * @module
 */
import type { Commit, Market } from "./market.ts";
import { type Json, levels } from "./payloads.ts";

/** Accumulates commits for one depth stream speed. */
export class DiffFeed {
  readonly periodMs: number;
  #U = -1;
  #u = -1;
  #pu: number;
  #bids: Map<number, number> = new Map();
  #asks: Map<number, number> = new Map();

  /** Starts a feed whose first event will chain (`pu`) from `lastUpdateId`. */
  constructor(periodMs: number, lastUpdateId: number) {
    this.periodMs = periodMs;
    this.#pu = lastUpdateId;
  }

  /** Merges one commit (later quantities for the same price replace earlier ones). */
  add(c: Commit): void {
    if (c.bids.length === 0 && c.asks.length === 0) return;
    if (this.#U < 0) this.#U = c.U;
    this.#u = c.u;
    for (const [p, q] of c.bids) this.#bids.set(p, q);
    for (const [p, q] of c.asks) this.#asks.set(p, q);
  }

  /**
   * Emits the merged event, or null when nothing changed.
   *
   * @param drop when true the event is built and discarded (the "depth gap" fault): the next
   * event then no longer chains from the previous one
   */
  flush(m: Market, E: number, drop = false): Json | null {
    if (this.#U < 0) return null;
    const b = levels(m, [...this.#bids].sort((x, y) => y[0] - x[0]));
    const a = levels(m, [...this.#asks].sort((x, y) => x[0] - y[0]));
    const ev: Json = m.spec.market === "spot"
      ? { e: "depthUpdate", E, s: m.spec.symbol, U: this.#U, u: this.#u, b, a }
      : m.spec.market === "coinm"
      ? {
        e: "depthUpdate",
        E,
        T: E,
        s: m.spec.symbol,
        ps: m.spec.pair,
        U: this.#U,
        u: this.#u,
        pu: this.#pu,
        b,
        a,
      }
      : { e: "depthUpdate", E, T: E, s: m.spec.symbol, U: this.#U, u: this.#u, pu: this.#pu, b, a };
    this.#pu = this.#u;
    this.#U = -1;
    this.#bids = new Map();
    this.#asks = new Map();
    return drop ? null : ev;
  }
}
