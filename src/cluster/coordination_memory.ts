/**
 * The in-process implementation of the cluster's coordination interface: the embedded
 * single-machine mode (`unicorn-binance cluster start` without `--nats`) needs nothing installed.
 * It keeps the same semantics as NATS JetStream KV (see `coordination.ts`); the contract suite
 * holds both to them.
 *
 * @module
 */
import {
  checkBucketName,
  checkKey,
  checkPrefix,
  checkWatchOptions,
  type Coordination,
  CoordinationConflictError,
  type KvBucket,
  type KvEntry,
  type KvWatch,
  type KvWatchEvent,
  type KvWatchOptions,
} from "./coordination.ts";
import { ReplayGate } from "./_replay_gate.ts";

/** Runs `fn` and turns its result or its exception into a promise (the interface never throws). */
function attempt<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e);
  }
}

interface Watcher {
  prefix: string;
  push(event: KvWatchEvent): void;
  stop(): void;
}

class MemoryBucket implements KvBucket {
  readonly name: string;
  #entries = new Map<string, KvEntry>();
  #revision = 0;
  #watchers = new Set<Watcher>();
  #closed = false;

  constructor(name: string) {
    this.name = name;
  }

  get(key: string): Promise<KvEntry | null> {
    return attempt(() => this.#entries.get(checkKey(key)) ?? null);
  }

  put(key: string, value: string): Promise<number> {
    return attempt(() => this.#write(checkKey(key), value));
  }

  create(key: string, value: string): Promise<number> {
    return attempt(() => {
      if (this.#entries.has(checkKey(key))) {
        throw new CoordinationConflictError(key, `Cannot create "${key}": the key exists`);
      }
      return this.#write(key, value);
    });
  }

  update(key: string, value: string, revision: number): Promise<number> {
    return attempt(() => {
      const current = this.#entries.get(checkKey(key));
      if (!current || current.revision !== revision) {
        throw new CoordinationConflictError(
          key,
          `Cannot update "${key}": expected revision ${revision}, found ${current?.revision ?? "none"}`,
        );
      }
      return this.#write(key, value);
    });
  }

  delete(key: string): Promise<void> {
    return attempt(() => {
      if (this.#entries.delete(checkKey(key))) {
        this.#emit({ op: "delete", key, value: "", revision: ++this.#revision });
      }
    });
  }

  list(prefix = ""): Promise<KvEntry[]> {
    return attempt(() => {
      checkPrefix(prefix);
      const out = [...this.#entries.values()].filter((e) => e.key.startsWith(prefix));
      out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return out;
    });
  }

  watch(options: KvWatchOptions = {}): KvWatch {
    checkWatchOptions(options);
    const prefix = checkPrefix(options.prefix ?? "");
    const queue: KvWatchEvent[] = [];
    const gate = new ReplayGate();
    let wake: (() => void) | null = null;
    let done = this.#closed || options.signal?.aborted === true;
    const watcher: Watcher = {
      prefix,
      push: (event) => {
        queue.push(event);
        gate.queued(event);
        wake?.();
      },
      stop: () => stop(),
    };
    // The initial state is taken and the watcher registered in one synchronous step, so no change
    // falls between the two.
    for (const entry of done ? [] : [...this.#entries.values()].sort((a, b) => a.revision - b.revision)) {
      if (entry.key.startsWith(prefix)) queue.push({ op: "put", ...entry, initial: true });
    }
    for (const e of queue) gate.queued(e);
    gate.complete();
    const stop = () => {
      done = true;
      queue.length = 0; // an aborted or closed watch delivers nothing more
      this.#watchers.delete(watcher);
      gate.ended();
      wake?.();
    };
    if (!done) this.#watchers.add(watcher);
    options.signal?.addEventListener("abort", stop, { once: true });
    if (done) gate.ended();
    const iterator: KvWatch = {
      caughtUp: gate.promise,
      [Symbol.asyncIterator]() {
        return iterator;
      },
      async next(): Promise<IteratorResult<KvWatchEvent>> {
        gate.asking();
        while (queue.length === 0 && !done) await new Promise<void>((r) => (wake = r));
        wake = null;
        if (queue.length > 0) {
          const value = queue.shift()!;
          gate.taken(value);
          return { value, done: false };
        }
        return { value: undefined, done: true };
      },
      return(): Promise<IteratorResult<KvWatchEvent>> {
        stop();
        queue.length = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
    return iterator;
  }

  close(): void {
    this.#closed = true;
    for (const w of [...this.#watchers]) w.stop();
  }

  #write(key: string, value: string): number {
    if (typeof value !== "string") throw new TypeError(`Invalid value for "${key}": must be a string`);
    const revision = ++this.#revision;
    this.#entries.set(key, { key, value, revision });
    this.#emit({ op: "put", key, value, revision });
    return revision;
  }

  #emit(change: Omit<KvWatchEvent, "initial">): void {
    for (const w of this.#watchers) {
      if (change.key.startsWith(w.prefix)) w.push({ ...change, initial: false });
    }
  }
}

/**
 * An in-process coordination store. Members that share one instance (the embedded cluster's
 * router, nodes and control plane in one process) see each other's writes at once.
 *
 * @example Create, conflict and watch
 * ```ts
 * import { assertEquals, assertRejects } from "@std/assert";
 * import { MemoryCoordination } from "./coordination_memory.ts";
 * import { CoordinationConflictError } from "./coordination.ts";
 *
 * await using store = new MemoryCoordination();
 * const dcs = await store.bucket("dcs");
 * const rev = await dcs.create("dc.x", "{}");
 * await assertRejects(() => dcs.create("dc.x", "{}"), CoordinationConflictError);
 * await dcs.update("dc.x", '{"n":2}', rev);
 * const w = dcs.watch({ prefix: "dc." });
 * assertEquals((await w.next()).value?.value, '{"n":2}');
 * await w.return?.();
 * ```
 */
export class MemoryCoordination implements Coordination {
  readonly kind: string = "memory";
  #buckets = new Map<string, MemoryBucket>();
  #closed = false;

  /**
   * Opens (creating when missing) a bucket.
   *
   * @param name The bucket's name (`[A-Za-z0-9_-]+`).
   * @returns The bucket.
   * @throws {TypeError} When the name is invalid.
   * @throws {Error} When the store is closed.
   */
  bucket(name: string): Promise<KvBucket> {
    if (this.#closed) {
      return Promise.reject(new Error("Cannot open a bucket: the coordination store is closed"));
    }
    try {
      checkBucketName(name);
    } catch (e) {
      return Promise.reject(e);
    }
    let b = this.#buckets.get(name);
    if (!b) this.#buckets.set(name, b = new MemoryBucket(name));
    return Promise.resolve(b);
  }

  /** Ends every watch; later calls to {@link bucket} fail. */
  close(): Promise<void> {
    this.#closed = true;
    for (const b of this.#buckets.values()) b.close();
    return Promise.resolve();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
