/**
 * A bounded FIFO with an explicit overflow policy and a dropped counter, plus an async iterator
 * over it.
 *
 * A WebSocket cannot be paused from a web-standard client, so backpressure here means a bounded
 * buffer: when a consumer falls behind, the queue holds at most `capacity` items and the
 * overflow policy decides which ones go. Memory stays bounded; `dropped` says how much was lost.
 *
 * - `"dropOldest"` (default): the oldest item is discarded to make room. Right for market data,
 *   where the newest frame matters most.
 * - `"dropNewest"`: the incoming item is discarded; what is queued stays intact.
 *
 * @module
 */
import { checkOptions, showValue } from "../core/_options.ts";
import { QUEUE_KEYS } from "./_option_keys.ts";

/** What a full queue discards. */
export type OverflowPolicy = "dropOldest" | "dropNewest";

/** Options of {@link BoundedQueue}. */
export interface BoundedQueueOptions {
  /** Most items held. Default 10 000. */
  readonly capacity?: number;
  /** Default `"dropOldest"`. */
  readonly overflow?: OverflowPolicy;
}

/**
 * Bounded FIFO queue (ring buffer) with an async iterator.
 *
 * @example Usage
 * ```ts
 * import { BoundedQueue } from "./queue.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const q = new BoundedQueue<number>({ capacity: 2 });
 * q.push(1);
 * q.push(2);
 * q.push(3); // drops 1
 * assertEquals([q.shift(), q.shift(), q.dropped], [2, 3, 1]);
 * ```
 */
export class BoundedQueue<T> implements AsyncIterable<T> {
  readonly #capacity: number;
  readonly #overflow: OverflowPolicy;
  #items: (T | undefined)[];
  #head = 0;
  #size = 0;
  #dropped = 0;
  #closed = false;
  #error: unknown = undefined;
  #waiter: ((r: IteratorResult<T>) => void) | undefined;
  #waiterReject: ((e: unknown) => void) | undefined;

  /**
   * Creates an empty queue.
   *
   * @param options Capacity and overflow policy.
   * @throws {RangeError} When the capacity is not a positive integer or the policy is unknown.
   */
  constructor(options: BoundedQueueOptions = {}) {
    checkOptions(options, "BoundedQueue options", QUEUE_KEYS);
    const capacity = options.capacity ?? 10_000;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Invalid capacity ${showValue(capacity)}: expected a positive integer`);
    }
    const overflow = options.overflow ?? "dropOldest";
    if (overflow !== "dropOldest" && overflow !== "dropNewest") {
      throw new RangeError(`Invalid overflow policy "${overflow}": expected "dropOldest" or "dropNewest"`);
    }
    this.#capacity = capacity;
    this.#overflow = overflow;
    this.#items = new Array(Math.min(capacity, 1024));
  }

  /** Items queued now. */
  get length(): number {
    return this.#size;
  }
  /** Most items held. */
  get capacity(): number {
    return this.#capacity;
  }
  /** The overflow policy. */
  get overflow(): OverflowPolicy {
    return this.#overflow;
  }
  /** Items discarded by the overflow policy since creation. */
  get dropped(): number {
    return this.#dropped;
  }
  /** True after {@link close} or {@link fail}. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Adds an item, or hands it straight to a waiting iterator.
   *
   * @param item The item.
   * @returns False when an item was dropped (this one or the oldest) or the queue is closed.
   */
  push(item: T): boolean {
    if (this.#closed) return false;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = this.#waiterReject = undefined;
      waiter({ value: item, done: false });
      return true;
    }
    if (this.#size === this.#capacity) {
      this.#dropped++;
      if (this.#overflow === "dropNewest") return false;
      this.#shiftRaw();
      this.#pushRaw(item);
      return false;
    }
    this.#pushRaw(item);
    return true;
  }

  /**
   * Removes the oldest item.
   *
   * @returns The item, or undefined when empty.
   */
  shift(): T | undefined {
    return this.#size ? this.#shiftRaw() : undefined;
  }

  /**
   * Removes the newest item.
   *
   * @returns The item, or undefined when empty.
   */
  pop(): T | undefined {
    if (!this.#size) return undefined;
    const i = (this.#head + this.#size - 1) % this.#items.length;
    const item = this.#items[i];
    this.#items[i] = undefined;
    this.#size--;
    return item;
  }

  /** Removes every queued item (the dropped counter is kept). */
  clear(): void {
    this.#items = new Array(Math.min(this.#capacity, 1024));
    this.#head = 0;
    this.#size = 0;
  }

  /** Ends iteration once the queued items are consumed; further pushes are refused. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const waiter = this.#waiter;
    this.#waiter = this.#waiterReject = undefined;
    waiter?.({ value: undefined, done: true });
  }

  /**
   * Ends iteration with an error once the queued items are consumed.
   *
   * @param error The error the iterator throws.
   */
  fail(error: unknown): void {
    if (this.#closed) return;
    this.#error = error;
    this.#closed = true;
    const reject = this.#waiterReject;
    this.#waiter = this.#waiterReject = undefined;
    reject?.(error);
  }

  /**
   * Waits for the next item.
   *
   * @returns The next item, or `done` once closed and empty.
   * @throws The error given to {@link fail}, once the queue is empty.
   */
  next(): Promise<IteratorResult<T>> {
    if (this.#size) return Promise.resolve({ value: this.#shiftRaw() as T, done: false });
    if (this.#closed) {
      return this.#error !== undefined
        ? Promise.reject(this.#error)
        : Promise.resolve({ value: undefined, done: true });
    }
    if (this.#waiter) throw new TypeError("Cannot read the queue: another reader is already waiting");
    return new Promise((resolve, reject) => {
      this.#waiter = resolve;
      this.#waiterReject = reject;
    });
  }

  /** Async iterator over the queue; ends when the queue is closed. @returns The iterator. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.next(),
      return: (): Promise<IteratorResult<T>> => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  #pushRaw(item: T): void {
    if (this.#size === this.#items.length) {
      // grow the ring up to capacity
      const grown = new Array<T | undefined>(Math.min(this.#capacity, this.#items.length * 2));
      for (let i = 0; i < this.#size; i++) grown[i] = this.#items[(this.#head + i) % this.#items.length];
      this.#items = grown;
      this.#head = 0;
    }
    this.#items[(this.#head + this.#size) % this.#items.length] = item;
    this.#size++;
  }

  #shiftRaw(): T | undefined {
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#items.length;
    this.#size--;
    return item;
  }
}
