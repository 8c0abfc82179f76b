/**
 * Seeded pseudo-random numbers for the market simulator (mulberry32): the same seed gives the
 * same sequence on every runtime.
 *
 * @module
 */

/** Hashes a seed and a label (e.g. a symbol) into a 32-bit seed (FNV-1a). */
export function mixSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A small deterministic random number generator. */
export class Rng {
  #state: number;

  /** Creates a generator from a 32-bit seed. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Returns a float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Returns an integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Returns true with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Returns a geometric-like distance >= 0 (small values likely). */
  geometric(p: number): number {
    let n = 0;
    while (this.next() > p && n < 10_000) n++;
    return n;
  }
}
