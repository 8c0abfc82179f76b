/**
 * De-duplication of the events two overlapping connections carry for one subscription (a
 * listen-token renewal, a WebSocket-API rotation). Internal.
 *
 * @module
 */

/** How many event keys one source remembers for matching (a bounded window). */
const KEYS_MAX = 4096;

/**
 * Delivers each event once while two sources carry the same subscription: an event is a
 * duplicate when another source already delivered an identical one that was not matched yet.
 * Sources record only while another is live ({@link OverlapDedupe.overlapping}); the retired
 * source's record is kept to match the late copies of its successor.
 */
export class OverlapDedupe<S> {
  readonly #seen = new Map<S, { keys: Map<string, number>; order: string[] }>();
  /** Events dropped as the second copy. */
  duplicates = 0;
  /** Whether more than one source is live (then every source records). */
  overlapping = false;

  /**
   * Decides whether to deliver an event.
   *
   * @param source Where it arrived.
   * @param key Its identity (the event text without the envelope).
   * @returns False for the second copy of an event another source delivered.
   */
  admit(source: S, key: string): boolean {
    for (const [other, rec] of this.#seen) {
      if (other === source) continue;
      const n = rec.keys.get(key);
      if (n === undefined) continue;
      if (n > 1) rec.keys.set(key, n - 1);
      else rec.keys.delete(key);
      this.duplicates++;
      return false;
    }
    if (this.overlapping) {
      let rec = this.#seen.get(source);
      if (!rec) this.#seen.set(source, rec = { keys: new Map(), order: [] });
      rec.keys.set(key, (rec.keys.get(key) ?? 0) + 1);
      rec.order.push(key);
      if (rec.order.length > KEYS_MAX) {
        const old = rec.order.shift() as string;
        const n = rec.keys.get(old) ?? 0;
        if (n > 1) rec.keys.set(old, n - 1);
        else rec.keys.delete(old);
      }
    }
    return true;
  }

  /** Forgets every source except `keep` (an overlap long past). */
  forgetExcept(keep: readonly S[]): void {
    for (const s of [...this.#seen.keys()]) if (!keep.includes(s)) this.#seen.delete(s);
  }
}
