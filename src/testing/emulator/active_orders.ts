/**
 * The orders of an engine that are not final yet: the scans per simulator step and per request
 * walk these, not every order ever placed (a long run would slow down with its history). A final
 * order leaves the set the first time a scan meets it (final is final: no order is reopened).
 *
 * @module
 */

/** Orders not final yet (see the module doc). */
export class ActiveOrders<T> {
  readonly #items = new Set<T>();
  readonly #isFinal: (o: T) => boolean;

  /** @param isFinal Whether an order is final (FILLED, CANCELED, …). */
  constructor(isFinal: (o: T) => boolean) {
    this.#isFinal = isFinal;
  }

  /** A new order. */
  add(o: T): void {
    this.#items.add(o);
  }

  /** The orders not final now, in placement order (a copy: the caller may change them). */
  list(): T[] {
    const out: T[] = [];
    for (const o of this.#items) {
      if (this.#isFinal(o)) this.#items.delete(o);
      else out.push(o);
    }
    return out;
  }
}
