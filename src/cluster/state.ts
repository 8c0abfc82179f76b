/**
 * The typed cluster state over the coordination buckets, with a local view kept current by
 * watches (push; no member polls the store):
 *
 * | Bucket | Keys | Record |
 * |---|---|---|
 * | `ubc_desired` | `dc.<exchange token>.<MARKET>` | {@link DesiredDepthCache} |
 * | `ubc_nodes` | `node.<id>`, `config` | {@link NodeRecord} (rewritten each heartbeat), {@link ClusterConfig} |
 * | `ubc_replicas` | `replica.<exchange token>.<MARKET>.<node id>` | {@link ReplicaReport} |
 * | `ubc_credentials` | `cred.<uuid>` | {@link CredentialRecord} (the keys only sealed per node) |
 *
 * Liveness: a node is alive while `now - heartbeatAt < config.nodeTimeoutMs`; the config is
 * written once (`create`) by the first member and read by every other, so every member uses the
 * same timeout. Records that do not parse are left out of the view.
 *
 * @example Desired state and a live node in one process
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { MemoryCoordination } from "./coordination_memory.ts";
 * import { ClusterState } from "./state.ts";
 *
 * await using store = new MemoryCoordination();
 * await using state = await ClusterState.open(store);
 * await state.createDesired({
 *   exchange: "binance.com", market: "BTCUSDT", desiredQuantity: 1,
 *   updateInterval: null, refreshInterval: null, createdAt: Date.now(),
 * });
 * assertEquals([...state.desired.keys()], ["binance=com.BTCUSDT"]);
 * ```
 *
 * @module
 */
import type { Coordination, KvBucket, KvWatchEvent } from "./coordination.ts";
import { CoordinationConflictError } from "./coordination.ts";
import { place } from "./placement.ts";
import {
  type ClusterConfig,
  ClusterConfigSchema,
  type CredentialRecord,
  CredentialRecordSchema,
  dcId,
  DEFAULT_CLUSTER_CONFIG,
  type DesiredDepthCache,
  DesiredDepthCacheSchema,
  type NodeRecord,
  NodeRecordSchema,
  type ReplicaReport,
  ReplicaReportSchema,
} from "./protocol.ts";
import { checkOptions, optionKeys } from "../core/_options.ts";

/** Which part of the view changed. */
export type StateChangeKind = "desired" | "nodes" | "replicas" | "credentials";

/** Options of {@link ClusterState.open}. */
export interface ClusterStateOptions {
  /** Settings to write if the cluster has none yet (the stored ones win). */
  readonly config?: Partial<ClusterConfig>;
  /** Clock (epoch ms), default `Date.now`. */
  readonly now?: () => number;
  /** How long `open` waits for the store to replay a bucket before it fails (default 30 000 ms). */
  readonly startTimeoutMs?: number;
}

const STATE_KEYS = optionKeys<ClusterStateOptions>({ config: true, now: true, startTimeoutMs: true });

/** A credential record and the revision it was read at (for compare-and-set updates). */
export interface StoredCredential {
  /** The record. */
  readonly record: CredentialRecord;
  /** Its revision. */
  readonly revision: number;
}

interface Section<T> {
  readonly bucket: KvBucket;
  readonly prefix: string;
  readonly parse: (v: unknown) => T;
  readonly kind: StateChangeKind;
  readonly apply: (key: string, value: T | null, revision: number) => void;
}

/** The cluster state and its watched local view (see the module docs). */
export class ClusterState implements AsyncDisposable {
  /** The settings every member uses. */
  readonly config: ClusterConfig;
  /** The coordination kind (`memory`, `nats`). */
  readonly kind: string;
  readonly #b: { desired: KvBucket; nodes: KvBucket; replicas: KvBucket; creds: KvBucket };
  readonly #now: () => number;
  readonly #abort = new AbortController();
  readonly #listeners = new Set<(kind: StateChangeKind, key: string) => void>();
  readonly #desired = new Map<string, DesiredDepthCache>();
  readonly #nodes = new Map<string, NodeRecord>();
  readonly #replicas = new Map<string, Map<string, ReplicaReport>>();
  readonly #creds = new Map<string, StoredCredential>();
  #desiredVersion = 0;
  #placementKey = "";
  #placement = new Map<string, string[]>();
  #loops: Promise<void>[] = [];

  private constructor(
    kind: string,
    buckets: { desired: KvBucket; nodes: KvBucket; replicas: KvBucket; creds: KvBucket },
    config: ClusterConfig,
    now: () => number,
  ) {
    this.kind = kind;
    this.#b = buckets;
    this.config = config;
    this.#now = now;
  }

  /**
   * Opens the buckets, reads (or writes) the config and waits until the view holds everything
   * that was stored when it started.
   *
   * @param coordination The coordination store.
   * @param options Config for a new cluster, clock.
   * @returns The state with a current view.
   * @throws {TypeError} When `options.config` is invalid.
   * @throws {Error} When the store does not replay a bucket within `startTimeoutMs`.
   */
  static async open(coordination: Coordination, options: ClusterStateOptions = {}): Promise<ClusterState> {
    checkOptions(options, "ClusterState options", STATE_KEYS);
    const startTimeoutMs = options.startTimeoutMs ?? 30_000;
    if (!Number.isFinite(startTimeoutMs) || startTimeoutMs <= 0) {
      throw new TypeError("Invalid startTimeoutMs: must be a positive number of milliseconds");
    }
    const [desired, nodes, replicas, creds] = await Promise.all(
      ["ubc_desired", "ubc_nodes", "ubc_replicas", "ubc_credentials"].map((n) => coordination.bucket(n)),
    );
    const wanted = ClusterConfigSchema.safeParse({ ...DEFAULT_CLUSTER_CONFIG, ...options.config });
    if (!wanted.success) {
      const issue = wanted.error.issues[0];
      throw new TypeError(`Invalid config.${issue.path.join(".")}: ${issue.message}`);
    }
    let config = wanted.data;
    try {
      await nodes.create("config", JSON.stringify(config));
    } catch (e) {
      if (!(e instanceof CoordinationConflictError)) throw e;
      const stored = await nodes.get("config");
      const parsed = stored ? ClusterConfigSchema.safeParse(JSON.parse(stored.value)) : undefined;
      if (parsed?.success) config = parsed.data;
    }
    const state = new ClusterState(
      coordination.kind,
      { desired, nodes, replicas, creds },
      config,
      options.now ?? Date.now,
    );
    try {
      await state.#start(startTimeoutMs);
    } catch (e) {
      await state.close();
      throw e;
    }
    return state;
  }

  async #start(timeoutMs: number): Promise<void> {
    const sections: Section<unknown>[] = [
      {
        bucket: this.#b.desired,
        prefix: "dc.",
        parse: (v) => DesiredDepthCacheSchema.parse(v),
        kind: "desired",
        apply: (key, v) => {
          const id = key.slice(3);
          if (v) this.#desired.set(id, v as DesiredDepthCache);
          else this.#desired.delete(id);
          this.#desiredVersion++;
        },
      },
      {
        bucket: this.#b.nodes,
        prefix: "node.",
        parse: (v) => NodeRecordSchema.parse(v),
        kind: "nodes",
        apply: (key, v) => {
          if (v) this.#nodes.set(key.slice(5), v as NodeRecord);
          else this.#nodes.delete(key.slice(5));
        },
      },
      {
        bucket: this.#b.replicas,
        prefix: "replica.",
        parse: (v) => ReplicaReportSchema.parse(v),
        kind: "replicas",
        apply: (key, v) => {
          // replica.<token>.<MARKET>.<node>: the dc id is everything between
          const rest = key.slice(8);
          const cut = rest.lastIndexOf(".");
          const id = rest.slice(0, cut);
          const nodeId = rest.slice(cut + 1);
          let m = this.#replicas.get(id);
          if (v) {
            if (!m) this.#replicas.set(id, m = new Map());
            m.set(nodeId, v as ReplicaReport);
          } else if (m) {
            m.delete(nodeId);
            if (m.size === 0) this.#replicas.delete(id);
          }
        },
      },
      {
        bucket: this.#b.creds,
        prefix: "cred.",
        parse: (v) => CredentialRecordSchema.parse(v),
        kind: "credentials",
        apply: (key, v, revision) => {
          if (v) this.#creds.set(key.slice(5), { record: v as CredentialRecord, revision });
          else this.#creds.delete(key.slice(5));
        },
      },
    ];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const slow = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `Cannot open the cluster state: the store did not replay its buckets within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([Promise.all(sections.map((sec) => this.#follow(sec))), slow]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Starts the watch of one section and resolves once the view has applied the watch's replay of
   * the state present at its start (the watch's own `caughtUp`: no separate `list` to line up with,
   * so a key deleted or changed while the watch starts cannot hold start-up).
   */
  async #follow(sec: Section<unknown>): Promise<void> {
    const watch = sec.bucket.watch({ prefix: sec.prefix, signal: this.#abort.signal });
    const onEvent = (ev: KvWatchEvent) => {
      let value: unknown = null;
      if (ev.op === "put") {
        try {
          value = sec.parse(JSON.parse(ev.value));
        } catch {
          value = null; // a record this version cannot read is left out of the view
        }
      }
      sec.apply(ev.key, value, ev.revision);
      for (const l of this.#listeners) {
        try {
          l(sec.kind, ev.key);
        } catch {
          // a failing listener must not stop the view
        }
      }
    };
    this.#loops.push((async () => {
      try {
        for await (const ev of watch) onEvent(ev);
      } catch {
        // the store closed under the watch: the view stays as it was
      }
    })());
    await watch.caughtUp;
  }

  // ------------------------------------------------------------------ view

  /** Desired depth caches by id (`dcId`). */
  get desired(): ReadonlyMap<string, DesiredDepthCache> {
    return this.#desired;
  }

  /** Every node record in the view (alive or not) by id. */
  get nodes(): ReadonlyMap<string, NodeRecord> {
    return this.#nodes;
  }

  /** Credentials by id, with their revisions. */
  get credentials(): ReadonlyMap<string, StoredCredential> {
    return this.#creds;
  }

  /**
   * Whether a node is alive (its last heartbeat is younger than `config.nodeTimeoutMs`).
   *
   * @param node The record.
   * @param now Epoch ms (default the clock).
   * @returns True when alive.
   */
  isAlive(node: NodeRecord, now: number = this.#now()): boolean {
    return now - node.heartbeatAt < this.config.nodeTimeoutMs;
  }

  /**
   * The live nodes, sorted by id.
   *
   * @param now Epoch ms (default the clock).
   * @returns Their records.
   */
  liveNodes(now: number = this.#now()): NodeRecord[] {
    return [...this.#nodes.values()].filter((n) => this.isAlive(n, now)).sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0
    );
  }

  /**
   * The reports of the replicas of one depth cache, by node id.
   *
   * @param id The depth cache's id (`dcId`).
   * @returns Reports (empty map when none).
   */
  replicas(id: string): ReadonlyMap<string, ReplicaReport> {
    return this.#replicas.get(id) ?? new Map();
  }

  /** Every replica report, by depth-cache id then node id. */
  get allReplicas(): ReadonlyMap<string, ReadonlyMap<string, ReplicaReport>> {
    return this.#replicas;
  }

  /**
   * The placement of every desired depth cache over the live nodes that are not draining
   * (computed by `place`, cached until the desired set or that membership changes).
   *
   * @param now Epoch ms (default the clock).
   * @returns Depth-cache id → node ids.
   */
  placement(now: number = this.#now()): ReadonlyMap<string, readonly string[]> {
    // a draining node gets nothing new: its replicas move while it still serves them
    const live = this.liveNodes(now).filter((n) => n.draining !== true);
    const key = `${this.#desiredVersion}|${live.map((n) => `${n.id}:${n.capacity}`).join(",")}`;
    if (key !== this.#placementKey) {
      this.#placement = place([...this.#desired.values()], live);
      this.#placementKey = key;
    }
    return this.#placement;
  }

  /**
   * Calls `listener` after every change the watches deliver.
   *
   * @param listener Gets the part and the key that changed.
   * @returns A function that removes the listener.
   */
  onChange(listener: (kind: StateChangeKind, key: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ------------------------------------------------------------------ writes

  /**
   * Adds a desired depth cache unless one exists (compare-and-set: of two racing creators one wins).
   *
   * @param dc The record.
   * @returns False when the depth cache existed.
   */
  async createDesired(dc: DesiredDepthCache): Promise<boolean> {
    const record = DesiredDepthCacheSchema.parse(dc);
    try {
      await this.#b.desired.create(`dc.${dcId(record.exchange, record.market)}`, JSON.stringify(record));
      return true;
    } catch (e) {
      if (e instanceof CoordinationConflictError) return false;
      throw e;
    }
  }

  /**
   * Removes a desired depth cache.
   *
   * @param exchange Exchange name.
   * @param market Symbol.
   * @returns False when there was none.
   */
  async deleteDesired(exchange: string, market: string): Promise<boolean> {
    const key = `dc.${dcId(exchange, market)}`;
    if (!(await this.#b.desired.get(key))) return false;
    await this.#b.desired.delete(key);
    return true;
  }

  /**
   * Writes a node record (registration and heartbeat).
   *
   * @param node The record.
   */
  async putNode(node: NodeRecord): Promise<void> {
    await this.#b.nodes.put(`node.${node.id}`, JSON.stringify(NodeRecordSchema.parse(node)));
  }

  /**
   * Removes a node record (a graceful leave: the others re-place its replicas at once).
   *
   * @param id Node id.
   */
  async deleteNode(id: string): Promise<void> {
    await this.#b.nodes.delete(`node.${id}`);
  }

  /**
   * Writes a replica report.
   *
   * @param report The report.
   */
  async putReplica(report: ReplicaReport): Promise<void> {
    const key = `replica.${dcId(report.exchange, report.market)}.${report.nodeId}`;
    await this.#b.replicas.put(key, JSON.stringify(ReplicaReportSchema.parse(report)));
  }

  /**
   * Removes a replica report.
   *
   * @param id Depth-cache id.
   * @param nodeId Node id.
   */
  async deleteReplica(id: string, nodeId: string): Promise<void> {
    await this.#b.replicas.delete(`replica.${id}.${nodeId}`);
  }

  /**
   * Stores a new credential record.
   *
   * @param record The record (keys sealed).
   */
  async createCredential(record: CredentialRecord): Promise<void> {
    await this.#b.creds.create(`cred.${record.id}`, JSON.stringify(CredentialRecordSchema.parse(record)));
  }

  /**
   * Replaces a credential record if it is still at `revision`.
   *
   * @param record The new record.
   * @param revision The revision it was read at.
   * @returns False when another member changed it first.
   */
  async updateCredential(record: CredentialRecord, revision: number): Promise<boolean> {
    try {
      await this.#b.creds.update(
        `cred.${record.id}`,
        JSON.stringify(CredentialRecordSchema.parse(record)),
        revision,
      );
      return true;
    } catch (e) {
      if (e instanceof CoordinationConflictError) return false;
      throw e;
    }
  }

  /**
   * Removes a credential.
   *
   * @param id Its id.
   * @returns False when there was none.
   */
  async deleteCredential(id: string): Promise<boolean> {
    if (!this.#creds.has(id) && !(await this.#b.creds.get(`cred.${id}`))) return false;
    await this.#b.creds.delete(`cred.${id}`);
    return true;
  }

  /** Stops the watches (the coordination store stays open). */
  async close(): Promise<void> {
    this.#abort.abort();
    this.#listeners.clear();
    await Promise.allSettled(this.#loops);
  }

  /** Same as {@link close}. @returns When closed. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
