/**
 * The coordination interface of the depth-cache cluster: a small key-value store with revisions,
 * compare-and-set and push watches. Everything the cluster shares (desired depth caches, node
 * membership, replica reports, sealed credentials) lives in its buckets; routers and nodes watch
 * them, so no member polls a central process and no member broadcasts a full database.
 *
 * Two implementations pass one contract suite (`tests/cluster/coordination_contract_test.ts`):
 * an in-process one for the embedded single-machine mode (`coordination_memory.ts`, nothing to
 * install) and NATS JetStream KV for the multi-host form (`coordination_nats.ts`). The semantics are
 * the subset both can keep exactly:
 *
 * - every write gets a revision that is unique and increasing within a bucket;
 * - `create` succeeds only when the key is absent (or was deleted), `update` only when the key is
 *   at the given revision; a lost race is a {@link CoordinationConflictError}, never a silent
 *   overwrite;
 * - `watch` first delivers the current value of every matching key (`initial: true`), then one
 *   event per change in revision order, with `delete` events for deleted keys; its `caughtUp`
 *   resolves once the consumer has taken that replay (no separate `list` to line up with);
 * - keys are dot-separated tokens of `[A-Za-z0-9_=-]` (NATS subject rules), validated on every call;
 *   list and watch prefixes are plain string prefixes of such keys (`dc.`, `dc.binance_com.BTC`);
 *   bucket names match `[A-Za-z0-9_-]+`; a bad key, prefix or name rejects with a `TypeError`;
 * - the promise-returning methods report every failure by rejecting, never by throwing synchronously;
 *   `watch` checks its prefix when called and throws there.
 *
 * Liveness is not a bucket feature: node records carry a heartbeat time and every member decides
 * "alive" from it with the same timeout (the NATS server in Debian, 2.9, has no per-key TTL).
 *
 * @module
 */
import { checkOptions, optionKeys } from "../core/_options.ts";

/** One stored value and the revision that wrote it. */
export interface KvEntry {
  /** The key, e.g. `dc.binance_com.BTCUSDT`. */
  readonly key: string;
  /** The stored bytes, UTF-8 JSON by convention of the cluster layer. */
  readonly value: string;
  /** The bucket-wide revision of the write that produced this value. */
  readonly revision: number;
}

/** One change seen by a watch. */
export interface KvWatchEvent {
  /** `put` for a create or update, `delete` for a delete (then `value` is `""`). */
  readonly op: "put" | "delete";
  /** The key that changed. */
  readonly key: string;
  /** The new value (`""` on delete). */
  readonly value: string;
  /** The revision of the change. */
  readonly revision: number;
  /** True for the events that replay the state present when the watch started. */
  readonly initial: boolean;
}

/** Options of {@link KvBucket.watch}. */
export interface KvWatchOptions {
  /** Only keys that start with this prefix (a whole token prefix such as `dc.` or `node.`). */
  readonly prefix?: string;
  /** Stops the watch; the iterator then ends at once (events not yet read are dropped). */
  readonly signal?: AbortSignal;
}

/** A running watch: the events as an async iterator, and when the initial replay was taken. */
export interface KvWatch extends AsyncIterableIterator<KvWatchEvent> {
  /**
   * Resolves once the consumer has taken every event of the initial replay and asked for the next
   * one — at once when the replay is empty — so a `for await` loop has applied the state present at
   * the start; also when the watch ends. It never waits for a later change, and a key deleted
   * while the watch starts cannot hold it up.
   */
  readonly caughtUp: Promise<void>;
}

/** A bucket: one namespace of keys with its own revision sequence. */
export interface KvBucket {
  /** The bucket's name. */
  readonly name: string;
  /** The current entry of `key`, or `null` when absent or deleted. */
  get(key: string): Promise<KvEntry | null>;
  /** Writes `value` whatever is there; returns the new revision. */
  put(key: string, value: string): Promise<number>;
  /** Writes only when `key` is absent; throws {@link CoordinationConflictError} otherwise. */
  create(key: string, value: string): Promise<number>;
  /** Writes only when `key` is at `revision`; throws {@link CoordinationConflictError} otherwise. */
  update(key: string, value: string, revision: number): Promise<number>;
  /** Deletes `key` (no error when absent). */
  delete(key: string): Promise<void>;
  /** Every live entry, optionally under a prefix, in key order. */
  list(prefix?: string): Promise<KvEntry[]>;
  /** Current state then every change, as an async iterator (see the module rules). */
  watch(options?: KvWatchOptions): KvWatch;
}

/** A connection to the coordination store. */
export interface Coordination extends AsyncDisposable {
  /** `"memory"` or `"nats"`, for logs and `/get_cluster_info`. */
  readonly kind: string;
  /** Opens (creating when missing) a bucket. */
  bucket(name: string): Promise<KvBucket>;
  /** Closes the connection; watches end. */
  close(): Promise<void>;
}

/** A `create` or `update` lost a race (the key existed, or was at another revision). */
export class CoordinationConflictError extends Error {
  /** The key of the failed write. */
  readonly key: string;
  /**
   * Creates the error.
   *
   * @param key The key of the failed write.
   * @param message What was expected.
   */
  constructor(key: string, message: string) {
    super(message);
    this.name = "CoordinationConflictError";
    this.key = key;
  }
}

const WATCH_KEYS = optionKeys<KvWatchOptions>({ prefix: true, signal: true });

/**
 * Refuses unknown keys in the options of {@link KvBucket.watch} (both implementations).
 *
 * @param options The watch options.
 * @throws {TypeError} On an unknown key, naming it.
 */
export function checkWatchOptions(options: KvWatchOptions): void {
  checkOptions(options, "watch options", WATCH_KEYS);
}

const KEY_TOKEN = /^[A-Za-z0-9_=-]+$/;

/**
 * Validates a key for both implementations (NATS subject token rules).
 *
 * @param key The key to check.
 * @returns The key.
 * @throws {TypeError} When a token is empty or has a character outside `[A-Za-z0-9_=-]`.
 *
 * @example Valid and invalid keys
 * ```ts
 * import { assertThrows } from "@std/assert";
 * import { checkKey } from "./coordination.ts";
 * checkKey("dc.binance_com.BTCUSDT");
 * assertThrows(() => checkKey("dc..x"), TypeError);
 * ```
 */
export function checkKey(key: string): string {
  if (typeof key !== "string" || key.length === 0) {
    throw new TypeError("Invalid key: must be a non-empty string");
  }
  for (const token of key.split(".")) {
    if (!KEY_TOKEN.test(token)) {
      throw new TypeError(`Invalid key "${key}": each dot-separated token must match [A-Za-z0-9_=-]+`);
    }
  }
  return key;
}

const PREFIX = /^[A-Za-z0-9_=.-]*$/;

/**
 * Validates a list or watch prefix for both implementations: a plain string prefix of keys (empty
 * for all keys), made of key characters and dots.
 *
 * @param prefix The prefix to check.
 * @returns The prefix.
 * @throws {TypeError} When it is not a string or has a character outside `[A-Za-z0-9_=.-]`.
 *
 * @example Valid and invalid prefixes
 * ```ts
 * import { assertThrows } from "@std/assert";
 * import { checkPrefix } from "./coordination.ts";
 * checkPrefix("dc.binance_com.");
 * assertThrows(() => checkPrefix("dc.*"), TypeError);
 * ```
 */
export function checkPrefix(prefix: string): string {
  if (typeof prefix !== "string" || !PREFIX.test(prefix)) {
    throw new TypeError(`Invalid prefix "${String(prefix)}": must be a string of [A-Za-z0-9_=.-]`);
  }
  return prefix;
}

const BUCKET = /^[A-Za-z0-9_-]+$/;

/**
 * Validates a bucket name for both implementations (NATS stream name rules, no dots).
 *
 * @param name The bucket name to check.
 * @returns The name.
 * @throws {TypeError} When it is empty or has a character outside `[A-Za-z0-9_-]`.
 *
 * @example Valid and invalid bucket names
 * ```ts
 * import { assertThrows } from "@std/assert";
 * import { checkBucketName } from "./coordination.ts";
 * checkBucketName("ubdcc_dcs");
 * assertThrows(() => checkBucketName("a.b"), TypeError);
 * ```
 */
export function checkBucketName(name: string): string {
  if (typeof name !== "string" || !BUCKET.test(name)) {
    throw new TypeError(`Invalid bucket name "${String(name)}": must match [A-Za-z0-9_-]+`);
  }
  return name;
}
