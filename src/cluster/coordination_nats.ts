/**
 * The NATS JetStream implementation of the cluster's coordination interface (the multi-host form):
 * one KV bucket (a JetStream stream `KV_<name>`) per coordination bucket, the stream sequence as
 * the revision, compare-and-set through the `Nats-Expected-Last-Subject-Sequence` header, and a
 * watch that resumes after reconnects and failovers (`_nats_watch.ts`).
 *
 * Works with nats-server 2.9 (Debian's package) and later: it uses no per-message TTL, no
 * multi-filter consumers, no direct get (reads go to the stream leader, so a read after a write sees
 * it) and no stream metadata. Every write carries a `Nats-Msg-Id`, so a write retried after a
 * timeout or during a leader election is stored once (the server's duplicate window), never twice.
 *
 * @module
 */
import {
  connect,
  type ConnectionOptions,
  credsAuthenticator,
  headers,
  type NatsConnection,
  nuid,
} from "@nats-io/transport-node";
import {
  jetstream,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
  StorageType,
} from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import { z } from "zod";
import { backoffDelay } from "../core/backoff.ts";
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
  type KvWatchOptions,
} from "./coordination.ts";
import { entriesOf, NatsWatch, type NatsWatchSource } from "./_nats_watch.ts";

// the types of the interface this implements, for users of the `./cluster/nats` entry point
export type {
  Coordination,
  KvBucket,
  KvEntry,
  KvWatch,
  KvWatchEvent,
  KvWatchOptions,
} from "./coordination.ts";
export { CoordinationConflictError } from "./coordination.ts";

/** TLS settings of the connection (PEM file paths or PEM text). */
export interface NatsTlsOptions {
  /** CA certificate(s) to verify the servers with: a file path. */
  readonly caFile?: string;
  /** CA certificate(s) as PEM text. */
  readonly ca?: string;
  /** Client certificate for mutual TLS: a file path. */
  readonly certFile?: string;
  /** Client certificate as PEM text. */
  readonly cert?: string;
  /** Client private key: a file path. */
  readonly keyFile?: string;
  /** Client private key as PEM text. */
  readonly key?: string;
}

/** Options of {@link NatsCoordination.connect}. */
export interface NatsCoordinationOptions {
  /** Server URLs, e.g. `nats://10.0.0.1:4222` (the client also learns the other cluster members). */
  readonly servers: string | readonly string[];
  /** Cluster secret as a server auth token (exclusive with `user`/`password` and `creds`). */
  readonly token?: string;
  /** User name (with `password`). */
  readonly user?: string;
  /** Password (with `user`). */
  readonly password?: string;
  /** The text of a NATS `.creds` file (JWT + NKey seed). */
  readonly creds?: string;
  /** TLS; `{}` requires TLS with the system CAs. */
  readonly tls?: NatsTlsOptions;
  /** Replicas of buckets this member creates: 1, or 3 for the HA setup (default 1). */
  readonly replicas?: 1 | 3;
  /** Timeout of one request to the servers in ms (default 2000; a timed-out write is retried and stored once). */
  readonly timeoutMs?: number;
  /**
   * How long a read or write keeps retrying through a failover before it rejects, in ms (default
   * 20000); `connect` asks JetStream that long too before it gives up.
   */
  readonly retryForMs?: number;
  /** Idle heartbeat of watches in ms; silence for three recreates the consumer (default 1000). */
  readonly heartbeatMs?: number;
  /** Connection name shown by the server's monitoring (default `unicorn-binance-cluster`). */
  readonly name?: string;
}

const text = z.string().min(1);
const OptionsSchema = z.object({
  servers: z.union([text, z.array(text).min(1)]),
  token: text.optional(),
  user: text.optional(),
  password: text.optional(),
  creds: text.optional(),
  tls: z.object({
    caFile: text.optional(),
    ca: text.optional(),
    certFile: text.optional(),
    cert: text.optional(),
    keyFile: text.optional(),
    key: text.optional(),
  }).strict().optional(),
  replicas: z.union([z.literal(1), z.literal(3)]).optional(),
  timeoutMs: z.number().int().min(100).max(600_000).optional(),
  retryForMs: z.number().int().min(0).max(3_600_000).optional(),
  heartbeatMs: z.number().int().min(100).max(60_000).optional(),
  name: text.optional(),
}).strict();

/**
 * Validates the options (unknown keys included) and fills the defaults.
 *
 * @param options The options.
 * @returns The options with defaults.
 * @throws {TypeError} Naming the option and the rule (never its value: secrets stay out).
 */
function parseOptions(options: NatsCoordinationOptions):
  & Required<
    Pick<NatsCoordinationOptions, "replicas" | "timeoutMs" | "retryForMs" | "heartbeatMs" | "name">
  >
  & NatsCoordinationOptions {
  const r = OptionsSchema.safeParse(options);
  if (!r.success) {
    const issue = r.error.issues[0];
    if (issue.code === "unrecognized_keys") {
      const where = issue.path.length ? ` in ${issue.path.join(".")}` : "";
      throw new TypeError(`Invalid NATS coordination options: unknown option "${issue.keys[0]}"${where}`);
    }
    throw new TypeError(`Invalid NATS coordination option "${issue.path.join(".")}": ${issue.message}`);
  }
  const o = r.data;
  const kinds = [
    o.token !== undefined,
    o.user !== undefined || o.password !== undefined,
    o.creds !== undefined,
  ];
  if (kinds.filter(Boolean).length > 1) {
    throw new TypeError("Invalid NATS coordination options: token, user/password and creds are exclusive");
  }
  if ((o.user === undefined) !== (o.password === undefined)) {
    throw new TypeError("Invalid NATS coordination options: user and password go together");
  }
  return {
    replicas: 1,
    timeoutMs: 2000,
    retryForMs: 20_000,
    heartbeatMs: 1000,
    name: "unicorn-binance-cluster",
    ...o,
  };
}

type Parsed = ReturnType<typeof parseOptions>;

const WRONG_LAST_SEQUENCE = 10071;

function isConflict(e: unknown): boolean {
  return e instanceof JetStreamApiError && e.code === WRONG_LAST_SEQUENCE;
}

/** The last stored message of a key (a delete marker has `removed`). */
interface RawEntry {
  readonly value: string;
  readonly revision: number;
  readonly removed: boolean;
}

/** What the buckets share with their store. */
interface StoreState {
  closed: boolean;
  readonly watches: Set<NatsWatch>;
}

class NatsBucket implements KvBucket {
  readonly name: string;
  readonly #kv: KV;
  readonly #js: JetStreamClient;
  readonly #store: StoreState;
  readonly #o: Parsed;
  readonly #source: NatsWatchSource;
  readonly #jsm: JetStreamManager;
  readonly #strictCas: boolean;

  constructor(
    name: string,
    kv: KV,
    js: JetStreamClient,
    store: StoreState,
    src: NatsWatchSource,
    o: Parsed,
    strictCas: boolean,
  ) {
    this.name = name;
    this.#jsm = src.jsm;
    this.#strictCas = strictCas;
    this.#kv = kv;
    this.#js = js;
    this.#store = store;
    this.#source = src;
    this.#o = o;
  }

  async get(key: string): Promise<KvEntry | null> {
    checkKey(key);
    const e = await this.#raw(key);
    return e && !e.removed ? { key, value: e.value, revision: e.revision } : null;
  }

  async put(key: string, value: string): Promise<number> {
    checkKey(key);
    checkValue(key, value);
    return await this.#publish("put", key, value, undefined);
  }

  async create(key: string, value: string): Promise<number> {
    checkKey(key);
    checkValue(key, value);
    const r = await this.#cas("create", key, value, (last) => {
      if (last && !last.removed) {
        throw new CoordinationConflictError(key, `Cannot create "${key}": the key exists`);
      }
      return last?.revision ?? 0; // over a delete marker, or a key never written
    });
    return r!;
  }

  async update(key: string, value: string, revision: number): Promise<number> {
    checkKey(key);
    checkValue(key, value);
    const r = await this.#cas("update", key, value, (last) => {
      // a deleted key has no revision to update from, even the delete marker's (as in memory)
      if (!last || last.removed || last.revision !== revision) {
        const found = !last || last.removed ? "none" : last.revision;
        throw new CoordinationConflictError(
          key,
          `Cannot update "${key}": expected revision ${revision}, found ${found}`,
        );
      }
      return revision;
    });
    return r!;
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    // one delete marker per deletion: an absent key writes nothing, racing deletes write one marker
    await this.#cas("delete", key, "", (last) => (!last || last.removed ? null : last.revision), true);
  }

  /**
   * A conditional write: `expect` looks at the key's last entry and returns the revision to write
   * over (`null`: nothing to write), or throws the conflict. The stream leader checks the revision
   * again when it stores the message; a lost race re-reads and asks `expect` again.
   *
   * On a replicated stream of a server before 2.11 the per-key check is not atomic (2.9 checks it
   * against stored messages only, so two writes in flight both pass — measured: lost updates), so
   * the write also expects the stream's last sequence, which the leader checks against proposals
   * in flight; a write to another key in between then only costs a retry.
   */
  async #cas(
    op: string,
    key: string,
    value: string,
    expect: (last: RawEntry | null) => number | null,
    del = false,
  ): Promise<number | null> {
    const deadline = Date.now() + this.#o.retryForMs;
    for (let attempt = 0;; attempt++) {
      const streamSeq = this.#strictCas ? await this.#lastStreamSeq(key) : undefined;
      const rev = expect(await this.#raw(key));
      if (rev === null) return null;
      try {
        return await this.#publish(op, key, value, rev, del, streamSeq);
      } catch (e) {
        if (!(e instanceof CoordinationConflictError)) throw e;
        if (Date.now() >= deadline) throw e;
        if (attempt > 2) {
          await new Promise((r) =>
            setTimeout(r, backoffDelay(Math.min(attempt, 6), { baseMs: 5, maxMs: 200 }))
          );
        }
      }
    }
  }

  async #lastStreamSeq(key: string): Promise<number> {
    const si = await this.#retry("read", key, () => this.#jsm.streams.info(this.#source.stream));
    return si.state.last_seq;
  }

  async list(prefix = ""): Promise<KvEntry[]> {
    checkPrefix(prefix);
    const w = this.#watch(prefix);
    const what = `Cannot list bucket "${this.name}"`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        w.initial,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`${what}: no answer within ${this.#o.retryForMs} ms`)),
            this.#o.retryForMs,
          );
        }),
      ]);
      if (!w.replayed) throw new Error(`${what}: the store is closed`);
      return entriesOf(w.snapshot);
    } finally {
      clearTimeout(timer);
      w.stop();
    }
  }

  watch(options: KvWatchOptions = {}): KvWatch {
    checkWatchOptions(options);
    return this.#watch(checkPrefix(options.prefix ?? ""), options.signal);
  }

  #watch(prefix: string, signal?: AbortSignal): NatsWatch {
    const watches = this.#store.watches;
    const w = new NatsWatch(this.#source, prefix, signal, (ended) => watches.delete(ended));
    if (!w.done) watches.add(w);
    return w;
  }

  /** The last stored entry of `key`, delete markers included. */
  async #raw(key: string): Promise<RawEntry | null> {
    const e = await this.#retry("read", key, () => this.#kv.get(key));
    if (!e) return null;
    return { value: e.string(), revision: e.revision, removed: e.operation !== "PUT" };
  }

  async #publish(
    op: string,
    key: string,
    value: string,
    expect: number | undefined,
    del = false,
    streamSeq?: number,
  ): Promise<number> {
    const msgID = nuid.next();
    const subject = `${this.#source.subjectPrefix}${key}`;
    return await this.#retry(op, key, async () => {
      const h = headers();
      if (del) h.set("KV-Operation", "DEL");
      const pa = await this.#js.publish(subject, value, {
        msgID,
        headers: h,
        timeout: this.#o.timeoutMs,
        ...(expect === undefined ? {} : { expect: { lastSubjectSequence: expect, lastSequence: streamSeq } }),
      });
      return pa.seq;
    });
  }

  /** Runs `fn`, retrying transient failures (timeouts, no leader yet, reconnecting) for `retryForMs`. */
  async #retry<T>(op: string, key: string, fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#o.retryForMs;
    for (let attempt = 0;; attempt++) {
      if (this.#store.closed) {
        throw new Error(`Cannot ${op} "${key}" in bucket "${this.name}": the store is closed`);
      }
      try {
        return await fn();
      } catch (e) {
        if (isConflict(e)) throw new CoordinationConflictError(key, `Cannot ${op} "${key}": the key changed`);
        if (this.#store.closed || Date.now() >= deadline) {
          const why = e instanceof Error ? e.message : String(e);
          throw new Error(`Cannot ${op} "${key}" in bucket "${this.name}": ${why}`, { cause: e });
        }
        await new Promise((r) =>
          setTimeout(r, backoffDelay(Math.min(attempt, 8), { baseMs: 50, maxMs: 1000 }))
        );
      }
    }
  }
}

function checkValue(key: string, value: unknown): void {
  if (typeof value !== "string") throw new TypeError(`Invalid value for "${key}": must be a string`);
}

/**
 * The coordination store on NATS JetStream KV. Use {@link NatsCoordination.connect}; members that
 * connect to the same NATS cluster share every bucket.
 *
 * @example Options are checked before anything connects
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { NatsCoordination, type NatsCoordinationOptions } from "./coordination_nats.ts";
 *
 * const bad = { servers: "nats://127.0.0.1:4222", replica: 3 } as unknown as NatsCoordinationOptions;
 * await assertRejects(() => NatsCoordination.connect(bad), TypeError, 'unknown option "replica"');
 * ```
 */
export class NatsCoordination implements Coordination {
  readonly kind: string = "nats";
  readonly #nc: NatsConnection;
  readonly #jsm: JetStreamManager;
  readonly #js: JetStreamClient;
  readonly #o: Parsed;
  #buckets = new Map<string, Promise<NatsBucket>>();
  readonly #state: StoreState = { closed: false, watches: new Set() };

  private constructor(nc: NatsConnection, jsm: JetStreamManager, o: Parsed) {
    this.#nc = nc;
    this.#jsm = jsm;
    this.#js = jetstream(nc, { timeout: o.timeoutMs });
    this.#o = o;
  }

  /**
   * Connects to a NATS server or cluster with JetStream enabled. The connection reconnects for
   * ever (to any server of the cluster); reads and writes retry for `retryForMs` meanwhile.
   *
   * @param options Servers, the cluster secret (token, user/password or creds), TLS, replicas and timeouts.
   * @returns The connected store.
   * @throws {TypeError} On an unknown or invalid option.
   * @throws {Error} When no server answers or JetStream is not enabled.
   */
  static async connect(options: NatsCoordinationOptions): Promise<NatsCoordination> {
    const o = parseOptions(options);
    const copts: ConnectionOptions = {
      servers: typeof o.servers === "string" ? [o.servers] : [...o.servers],
      name: o.name,
      timeout: o.timeoutMs,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 10_000,
      maxPingOut: 3,
    };
    if (o.token !== undefined) copts.token = o.token;
    if (o.user !== undefined) Object.assign(copts, { user: o.user, pass: o.password });
    if (o.creds !== undefined) copts.authenticator = credsAuthenticator(new TextEncoder().encode(o.creds));
    if (o.tls !== undefined) copts.tls = { ...o.tls };
    const nc = await connect(copts);
    // JetStream may not answer yet (a cluster electing its meta leader as it starts beside this
    // member, a busy server): ask again within retryForMs, like every write does
    const deadline = Date.now() + o.retryForMs;
    for (let attempt = 0;; attempt++) {
      try {
        const jsm = await jetstreamManager(nc, { timeout: o.timeoutMs });
        return new NatsCoordination(nc, jsm, o);
      } catch (e) {
        const left = deadline - Date.now();
        if (left > 0 && !nc.isClosed()) {
          const wait = Math.min(left, backoffDelay(Math.min(attempt, 8), { baseMs: 50, maxMs: 1000 }));
          await new Promise((r) => setTimeout(r, wait));
          continue;
        }
        await nc.close().catch(() => {});
        throw new Error(`Cannot use NATS for coordination: ${e instanceof Error ? e.message : String(e)}`, {
          cause: e,
        });
      }
    }
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.#state.closed;
  }

  /**
   * Opens a bucket, creating its stream (`KV_<name>`, file storage, `replicas`) when missing.
   *
   * @param name The bucket's name (`[A-Za-z0-9_-]+`).
   * @returns The bucket.
   * @throws {TypeError} When the name is invalid.
   * @throws {Error} When the store is closed or the stream cannot be created.
   */
  bucket(name: string): Promise<KvBucket> {
    if (this.#state.closed) {
      return Promise.reject(new Error("Cannot open a bucket: the coordination store is closed"));
    }
    try {
      checkBucketName(name);
    } catch (e) {
      return Promise.reject(e);
    }
    let b = this.#buckets.get(name);
    if (!b) {
      b = this.#open(name);
      this.#buckets.set(name, b);
      b.catch(() => this.#buckets.delete(name));
    }
    return b;
  }

  async #open(name: string): Promise<NatsBucket> {
    const deadline = Date.now() + this.#o.retryForMs;
    for (let attempt = 0;; attempt++) {
      try {
        const kv = await new Kvm(this.#js).create(name, {
          history: 1,
          replicas: this.#o.replicas,
          storage: StorageType.File,
          allow_direct: false,
          timeout: this.#o.timeoutMs,
        });
        const src: NatsWatchSource = {
          nc: this.#nc,
          jsm: this.#jsm,
          stream: `KV_${name}`,
          subjectPrefix: `$KV.${name}.`,
          heartbeatMs: this.#o.heartbeatMs,
        };
        const si = await this.#jsm.streams.info(src.stream);
        const [major, minor] = (this.#nc.info?.version ?? "0.0").split(".").map(Number);
        const strictCas = si.config.num_replicas > 1 && (major < 2 || (major === 2 && minor < 11));
        return new NatsBucket(name, kv, this.#js, this.#state, src, this.#o, strictCas);
      } catch (e) {
        if (this.#state.closed || Date.now() >= deadline) {
          throw new Error(`Cannot open bucket "${name}": ${e instanceof Error ? e.message : String(e)}`, {
            cause: e,
          });
        }
        await new Promise((r) =>
          setTimeout(r, backoffDelay(Math.min(attempt, 8), { baseMs: 100, maxMs: 1000 }))
        );
      }
    }
  }

  /** Ends every watch and closes the connection; later calls fail. */
  async close(): Promise<void> {
    if (this.#state.closed) return;
    this.#state.closed = true;
    for (const w of [...this.#state.watches]) w.stop();
    await this.#nc.close().catch(() => {});
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
