/**
 * A per-connection send pacer: outgoing control messages leave at most `perSecond` per rolling
 * second, in order. Binance counts every incoming message of a connection (control messages,
 * pings and pongs) and closes it with 1008 above 5/s (spot) or 10/s (futures).
 *
 * @module
 */
import { showValue } from "../core/_options.ts";

/** Options of {@link SendPacer}. */
export interface SendPacerOptions {
  /** Messages allowed per rolling second (already reduced by any reserve). */
  readonly perSecond: number;
  /** Writes one message to the socket. */
  readonly send: (text: string) => void;
  /** Extra slack added to the one-second window, in ms (clock jitter). Default 50. */
  readonly marginMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
  /** Also keep `1000 / perSecond` ms between messages (no bursts). Default true. */
  readonly evenSpacing?: boolean;
}

/**
 * Sends queued messages no faster than `perSecond` per rolling second, evenly spaced.
 *
 * @example Usage
 * ```ts
 * import { SendPacer } from "./pacer.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const sent: string[] = [];
 * const pacer = new SendPacer({ perSecond: 2, send: (t) => sent.push(t) });
 * pacer.enqueue("a");
 * pacer.enqueue("b");
 * assertEquals(sent, ["a"]); // "b" waits about 525 ms
 * pacer.close();
 * ```
 */
export class SendPacer {
  readonly #perSecond: number;
  readonly #send: (text: string) => void;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #spacingMs: number;
  #lastAt = -Infinity;
  readonly #queue: string[] = [];
  readonly #sentAt: number[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  /**
   * @param options Rate, writer, margin and clock.
   * @throws {RangeError} When `perSecond` is not a positive number.
   */
  constructor(options: SendPacerOptions) {
    if (!(options.perSecond > 0)) {
      throw new RangeError(`Invalid perSecond ${showValue(options.perSecond)}: expected a positive number`);
    }
    this.#perSecond = Math.floor(options.perSecond) || 1;
    this.#send = options.send;
    this.#windowMs = 1000 + (options.marginMs ?? 50);
    this.#now = options.now ?? Date.now;
    // even spacing as well: a burst that network jitter compresses could break the limit
    this.#spacingMs = options.evenSpacing === false ? 0 : this.#windowMs / this.#perSecond;
  }

  /** Messages waiting to be sent. */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * Queues a message; sends it now when the window allows.
   *
   * @param text The serialized message.
   */
  enqueue(text: string): void {
    if (this.#closed) return;
    this.#queue.push(text);
    this.#drain();
  }

  /** Drops every queued message (a new connection resends its own set). */
  clear(): void {
    this.#queue.length = 0;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Stops the pacer: clears the queue and refuses new messages. */
  close(): void {
    this.#closed = true;
    this.clear();
  }

  #drain(): void {
    if (this.#timer !== undefined) return;
    while (this.#queue.length) {
      const now = this.#now();
      while (this.#sentAt.length && now - this.#sentAt[0] >= this.#windowMs) this.#sentAt.shift();
      const spacingWait = this.#lastAt + this.#spacingMs - now;
      if (this.#sentAt.length >= this.#perSecond || spacingWait > 0) {
        const wait = Math.max(
          spacingWait,
          this.#sentAt.length >= this.#perSecond ? this.#windowMs - (now - this.#sentAt[0]) : 0,
        );
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#drain();
        }, Math.max(1, wait));
        return;
      }
      this.#sentAt.push(now);
      this.#lastAt = now;
      this.#send(this.#queue.shift() as string);
    }
  }
}
