/**
 * Persistence of the trail so a restart resumes the same ratchet: the interface the manager
 * takes and an in-memory implementation (a file-backed one is in `state_file_node.ts`).
 *
 * @module
 */

/** What the manager keeps between runs, per engine key (`<exchange>:<market>:<prefix>`). */
export interface TrailingState {
  /** Format version (1). */
  readonly version: 1;
  /** The engine's client order id prefix. */
  readonly prefix: string;
  /** Next client order id sequence number. */
  readonly seq: number;
  /** Best reference price seen (the ratchet). */
  readonly reference?: string;
  /** The current stop's client order id. */
  readonly stopClientOrderId?: string;
  /** The current stop's trigger price. */
  readonly stopPrice?: string;
  /** Quantity the engine protects. */
  readonly quantity?: string;
  /** Cumulative filled quantity of earlier stops (partial fills). */
  readonly filled?: string;
  /** Cumulative quote amount of those fills. */
  readonly filledQuote?: string;
}

/** Where the manager loads and saves its state. */
export interface TrailingStateStore {
  /** The state of `key`, or `null`. */
  load(key: string): Promise<TrailingState | null>;
  /** Replaces the state of `key`. */
  save(key: string, state: TrailingState): Promise<void>;
  /** Forgets `key` (the trail finished). */
  clear(key: string): Promise<void>;
}

/**
 * A state store in memory (for tests, or to share one store between engines of one process).
 *
 * @example Save and load
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { MemoryStateStore } from "./state_store.ts";
 *
 * const store = new MemoryStateStore();
 * await store.save("k", { version: 1, prefix: "t1", seq: 3 });
 * assertEquals((await store.load("k"))?.seq, 3);
 * await store.clear("k");
 * assertEquals(await store.load("k"), null);
 * ```
 */
export class MemoryStateStore implements TrailingStateStore {
  readonly #map = new Map<string, string>();

  /**
   * The state of `key`.
   *
   * @param key Engine key.
   * @returns A copy of the saved state, or `null`.
   */
  load(key: string): Promise<TrailingState | null> {
    const text = this.#map.get(key);
    return Promise.resolve(text === undefined ? null : JSON.parse(text) as TrailingState);
  }

  /**
   * Saves a copy of `state`.
   *
   * @param key Engine key.
   * @param state State to keep.
   * @returns Nothing.
   */
  save(key: string, state: TrailingState): Promise<void> {
    this.#map.set(key, JSON.stringify(state));
    return Promise.resolve();
  }

  /**
   * Forgets `key`.
   *
   * @param key Engine key.
   * @returns Nothing.
   */
  clear(key: string): Promise<void> {
    this.#map.delete(key);
    return Promise.resolve();
  }
}
