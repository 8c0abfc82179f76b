/**
 * When a watch's consumer has taken its whole initial replay: shared by both coordination
 * implementations for `KvWatch.caughtUp`.
 *
 * @module
 */
import type { KvWatchEvent } from "./coordination.ts";

/**
 * Resolves `KvWatch.caughtUp` once (a) the replay is complete, (b) no replayed event is still
 * queued, and (c) the consumer is not holding an event it was handed (it asked for the next one, or
 * never took one) — so a `for await` loop has applied every replayed event by then. Also resolves
 * when the watch ends, so nothing waits for ever.
 */
export class ReplayGate {
  #queued = 0;
  #complete = false;
  #holding = false;
  #resolve!: () => void;
  /** The promise behind `caughtUp`. */
  readonly promise: Promise<void> = new Promise<void>((r) => (this.#resolve = r));

  /** An event was queued for the consumer. */
  queued(event: KvWatchEvent): void {
    if (event.initial) this.#queued++;
  }

  /** `next()` was called: the consumer is done with what it was handed. */
  asking(): void {
    this.#holding = false;
    this.#check();
  }

  /** `next()` handed out an event. */
  taken(event: KvWatchEvent): void {
    if (event.initial) this.#queued--;
    this.#holding = true;
  }

  /** The replay of the state present at the start is complete (every replayed event queued). */
  complete(): void {
    this.#complete = true;
    this.#check();
  }

  /** The watch ended. */
  ended(): void {
    this.#resolve();
  }

  #check(): void {
    if (this.#complete && this.#queued <= 0 && !this.#holding) this.#resolve();
  }
}
