/**
 * Role `node`: hosts depth-cache replicas with `BinanceLocalDepthCacheManager` (one manager per
 * exchange and update interval, one REST client per exchange so the used-weight header covers
 * all of them) and keeps them matching the cluster's desired state:
 *
 * - it watches the desired depth caches and the node records, computes the leaderless placement
 *   (`placement.ts`) and starts the replicas assigned to it — all at once: the managers' snapshot
 *   schedulers pace them within the node's REST weight budget, no fixed stagger;
 * - a replica it is no longer assigned is kept until enough assigned replicas report LIVE
 *   (make-before-break), unless the depth cache was removed;
 * - it reports every replica (state SYNCING/LIVE/OUT_OF_SYNC/STOPPED, last update id, last event
 *   time, receive lag, resyncs) on every state change and every `config.reportMs`;
 * - it heartbeats its node record (URL, capacity, load, public key) every `config.heartbeatMs`;
 * - it serves reads to routers over HTTP, authenticated with the cluster secret, and the probes
 *   `GET /healthz` / `GET /readyz` (joined the store, not stopping) without it;
 * - it opens the credentials sealed for it and re-seals them for other nodes that need them; the
 *   REST client of each exchange carries the oldest key of the exchange's account group it holds,
 *   swapped in place (`setCredentials`) when keys are added or removed — running depth caches keep
 *   running.
 *
 * @module
 */
import { BinanceLocalDepthCacheManager, type DepthCacheManagerOptions } from "../depthcache/manager.ts";
import type { DepthCacheState, DepthCacheStateEvent } from "../depthcache/cache_types.ts";
import { BinanceRestClient, type RestClientOptions } from "../rest/mod.ts";
import type { BinanceWebSocketManagerOptions } from "../ws/mod.ts";
import type { Coordination } from "./coordination.ts";
import { credentialFor, type HeldCredential, resealed } from "./credentials.ts";
import { type ClusterLog, silentLog } from "./log.ts";
import { loadHono } from "./_hono.ts";
import { nodeApi, nodeSocket, readReplica } from "./_node_api.ts";
import {
  type ClusterConfig,
  dcId,
  type DesiredDepthCache,
  type NodeReadRequest,
  type NodeReadResponse,
  type ReplicaState,
} from "./protocol.ts";
import { type CredentialSecret, NodeKeys } from "./sealing.ts";
import { type HttpListener, listenHttp } from "./server_http.ts";
import { ClusterState } from "./state.ts";
import { checkOptions, optionKeys } from "../core/_options.ts";

/** Where a node reaches an exchange (the emulator in tests and local mode). */
export interface VenueOptions {
  /** Options of the REST client (e.g. `{ baseUrl: emu.restUrl }`). */
  readonly restOptions?: RestClientOptions;
  /** Options of the WebSocket manager (e.g. `{ streamBase: emu.wsUrl }`). */
  readonly wsOptions?: BinanceWebSocketManagerOptions;
}

/** Manager options a node passes to every manager it makes. */
export type NodeManagerOptions = Pick<
  DepthCacheManagerOptions,
  | "depth"
  | "snapshotLimit"
  | "weightBudget"
  | "budgetIntervalMs"
  | "snapshotConcurrency"
  | "marketsPerStream"
  | "reconnectGraceMs"
>;

const MANAGER_KEYS = optionKeys<NodeManagerOptions>({
  depth: true,
  snapshotLimit: true,
  weightBudget: true,
  budgetIntervalMs: true,
  snapshotConcurrency: true,
  marketsPerStream: true,
  reconnectGraceMs: true,
});

/** Options of {@link ClusterNode.start}. */
export interface ClusterNodeOptions {
  /** The coordination store. */
  readonly coordination: Coordination;
  /** Shared secret of node ↔ router traffic. */
  readonly clusterSecret: string;
  /** Node id (`[A-Za-z0-9_-]`, default random). */
  readonly id?: string;
  /** Human name (default the id). */
  readonly name?: string;
  /** Placement weight (default 1). */
  readonly capacity?: number;
  /** Interface of the read API (default 127.0.0.1). */
  readonly hostname?: string;
  /** Port of the read API (default 0: free). */
  readonly port?: number;
  /** URL routers use to reach this node (default from hostname and bound port). */
  readonly advertiseUrl?: string;
  /** Per exchange: where to reach it (default Binance). */
  readonly venue?: (exchange: string) => VenueOptions;
  /** Options for every manager. */
  readonly managerOptions?: NodeManagerOptions;
  /** Config for a new cluster (the stored one wins). */
  readonly config?: Partial<ClusterConfig>;
  /** Log sink. */
  readonly log?: ClusterLog;
}

const NODE_KEYS = optionKeys<ClusterNodeOptions>({
  coordination: true,
  clusterSecret: true,
  id: true,
  name: true,
  capacity: true,
  hostname: true,
  port: true,
  advertiseUrl: true,
  venue: true,
  managerOptions: true,
  config: true,
  log: true,
});

interface Hosted {
  readonly dc: DesiredDepthCache;
  readonly manager: BinanceLocalDepthCacheManager;
}

const VERSION = "0.1.0";

function replicaState(s: DepthCacheState): ReplicaState {
  return s === "RESYNCING" ? "OUT_OF_SYNC" : s;
}

/** A cluster node (see the module docs). */
export class ClusterNode implements AsyncDisposable {
  /** Node id. */
  readonly id: string;
  /** URL of its read API. */
  readonly url: string;
  /** The watched cluster state. */
  readonly state: ClusterState;
  readonly #o: ClusterNodeOptions;
  readonly #keys: NodeKeys;
  readonly #http: HttpListener;
  readonly #log: ClusterLog;
  readonly #startedAt = Date.now();
  readonly #hosted = new Map<string, Hosted>();
  readonly #managers = new Map<string, BinanceLocalDepthCacheManager>();
  readonly #rest = new Map<string, BinanceRestClient>();
  readonly #secrets = new Map<string, CredentialSecret & HeldCredential>();
  /** Per exchange: the credential id its REST client carries (null: none; absent: the venue's own). */
  readonly #applied = new Map<string, string | null>();
  #timers: ReturnType<typeof setInterval>[] = [];
  #unwatch: () => void = () => {};
  #pending = false;
  #running: Promise<void> | null = null;
  #stopped = false;
  #draining = false;

  private constructor(
    o: ClusterNodeOptions,
    id: string,
    keys: NodeKeys,
    http: HttpListener,
    state: ClusterState,
  ) {
    this.#o = o;
    this.id = id;
    this.#keys = keys;
    this.#http = http;
    this.url = o.advertiseUrl ?? http.url;
    this.state = state;
    this.#log = o.log ?? silentLog;
  }

  /**
   * Starts a node: key pair, read API, state view, registration, then reconciling.
   *
   * @param options Coordination, secret, identity, venues.
   * @returns The running node.
   * @throws {TypeError} On an invalid id or a missing cluster secret.
   */
  static async start(options: ClusterNodeOptions): Promise<ClusterNode> {
    checkOptions(options, "ClusterNode options", NODE_KEYS, { managerOptions: MANAGER_KEYS });
    checkOptions(options.managerOptions, "ClusterNode managerOptions", MANAGER_KEYS);
    const id = options.id ?? `node-${crypto.randomUUID().slice(0, 8)}`;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
      throw new TypeError(`Invalid id "${id}": must match [A-Za-z0-9_-]{1,64}`);
    }
    if (typeof options.clusterSecret !== "string" || options.clusterSecret.length < 16) {
      throw new TypeError("Invalid clusterSecret: must be a string of at least 16 characters");
    }
    const keys = await NodeKeys.generate();
    const state = await ClusterState.open(options.coordination, { config: options.config });
    const ref: { node?: ClusterNode } = {};
    const host = {
      id,
      managerOf: (ex: string, m: string) => ref.node?.managerOf(ex, m),
      ready: () => ref.node?.ready ?? false,
    };
    const app = nodeApi(host, options.clusterSecret, await loadHono("a cluster node"));
    const http = await listenHttp(app.fetch, {
      hostname: options.hostname,
      port: options.port,
      websocket: { path: "/internal/v1/ws", onSocket: nodeSocket(host, options.clusterSecret) },
    });
    const node = ref.node = new ClusterNode(options, id, keys, http, state);
    // a node restarted under the same id hosts nothing yet: the reports of its previous life (kept by
    // a durable store) would look LIVE as soon as its heartbeat does
    for (const [dcId, reports] of state.allReplicas) {
      if (reports.has(id)) await state.deleteReplica(dcId, id).catch(() => {});
    }
    await node.#heartbeat();
    node.#unwatch = state.onChange((kind) => {
      if (kind !== "replicas" || node.#hasExtras()) node.#schedule();
    });
    node.#timers.push(setInterval(() => {
      node.#heartbeat().catch(() => {});
      node.#schedule(); // liveness of the others changes with time
    }, state.config.heartbeatMs));
    node.#timers.push(setInterval(() => node.#reportAll(), state.config.reportMs));
    node.#log("info", "node started", { node: id, url: node.url });
    node.#schedule();
    return node;
  }

  /**
   * Readiness (what `GET /readyz` answers): the node's record is in the coordination store and its
   * heartbeat is current, and the node is not stopping.
   */
  get ready(): boolean {
    if (this.#stopped || this.#draining) return false;
    const me = this.state.nodes.get(this.id);
    return me !== undefined && this.state.isAlive(me);
  }

  /** The depth-cache ids this node hosts. */
  get hosted(): string[] {
    return [...this.#hosted.keys()].sort();
  }

  /**
   * The manager hosting a market (tests read it to compare with the truth).
   *
   * @param exchange Exchange name.
   * @param market Symbol.
   * @returns The manager, if hosted here.
   */
  managerOf(exchange: string, market: string): BinanceLocalDepthCacheManager | undefined {
    return this.#managerOf(exchange, market);
  }

  /**
   * Reads a hosted replica in process (what the read API answers over HTTP).
   *
   * @param req What to read.
   * @returns The answer.
   * @throws {RangeError} On a bad `limitCount` or `thresholdVolume`.
   */
  read(req: NodeReadRequest): NodeReadResponse {
    if (this.#stopped) return { ok: false, reason: "stopped", state: "STOPPED" };
    const r = readReplica({ id: this.id, managerOf: (ex, m) => this.#managerOf(ex, m) }, req);
    if (r instanceof RangeError) throw r;
    return r;
  }

  /**
   * The REST client this node's depth caches of an exchange share (snapshots and used weight),
   * carrying the cluster's key of the exchange's account group once the node holds one (tests read
   * it to see which key the node uses).
   *
   * @param exchange Exchange name.
   * @returns The client, or undefined before the node hosts a depth cache of the exchange.
   */
  restClientOf(exchange: string): BinanceRestClient | undefined {
    return this.#rest.get(exchange);
  }

  #managerOf(exchange: string, market: string): BinanceLocalDepthCacheManager | undefined {
    return this.#hosted.get(dcId(exchange, market))?.manager;
  }

  /** Resolves when the reconcile pass running now (and any it queued) is done. */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#pending = true;
    if (this.#running) return;
    this.#running = (async () => {
      while (this.#pending && !this.#stopped) {
        this.#pending = false;
        try {
          await this.#reconcile();
        } catch (e) {
          this.#log("error", "reconcile failed", { node: this.id, error: (e as Error).message });
        }
      }
      this.#running = null;
    })();
  }

  #hasExtras(): boolean {
    const placement = this.state.placement();
    for (const id of this.#hosted.keys()) if (!(placement.get(id) ?? []).includes(this.id)) return true;
    return false;
  }

  async #reconcile(): Promise<void> {
    await this.#openCredentials();
    this.#applyCredentials();
    const now = Date.now();
    const placement = this.state.placement(now);
    const desired = this.state.desired;
    for (const [id, nodes] of placement) {
      const dc = desired.get(id);
      const have = this.#hosted.get(id);
      if (!dc || !nodes.includes(this.id)) continue;
      if (have && have.dc.createdAt === dc.createdAt) continue;
      if (have) this.#stopReplica(id);
      this.#startReplica(id, dc);
    }
    const live = new Set(this.state.liveNodes(now).map((n) => n.id));
    for (const [id, h] of [...this.#hosted]) {
      const dc = desired.get(id);
      const nodes = placement.get(id) ?? [];
      if (dc && dc.createdAt === h.dc.createdAt && nodes.includes(this.id)) continue;
      if (dc && dc.createdAt === h.dc.createdAt) {
        // make-before-break: keep serving until the assigned replicas are LIVE
        const reports = this.state.replicas(id);
        const ready = nodes.filter((n) => live.has(n) && reports.get(n)?.state === "LIVE").length;
        if (ready < Math.min(dc.desiredQuantity, nodes.length)) continue;
      }
      this.#stopReplica(id);
      await this.state.deleteReplica(id, this.id).catch(() => {});
    }
    await this.#resealCredentials(now);
    await this.#sweep(now);
  }

  /** The lowest-id live node removes the reports of dead nodes (and their records much later). */
  async #sweep(now: number): Promise<void> {
    const live = this.state.liveNodes(now);
    if (live[0]?.id !== this.id) return;
    for (const [id, reports] of this.state.allReplicas) {
      for (const nodeId of [...reports.keys()]) {
        const n = this.state.nodes.get(nodeId);
        if (!n || !this.state.isAlive(n, now)) await this.state.deleteReplica(id, nodeId).catch(() => {});
      }
    }
    for (const n of this.state.nodes.values()) {
      if (now - n.heartbeatAt > 10 * this.state.config.nodeTimeoutMs) {
        await this.state.deleteNode(n.id).catch(() => {});
      }
    }
  }

  #manager(dc: DesiredDepthCache): BinanceLocalDepthCacheManager {
    const key = `${dc.exchange}|${dc.updateInterval ?? "default"}`;
    let m = this.#managers.get(key);
    if (m) return m;
    const venue = this.#o.venue?.(dc.exchange) ?? {};
    let rest = this.#rest.get(dc.exchange);
    if (!rest) {
      rest = new BinanceRestClient({ exchange: dc.exchange, maxRateLimitRetries: 0, ...venue.restOptions });
      this.#rest.set(dc.exchange, rest);
      this.#applyCredentials();
    }
    m = new BinanceLocalDepthCacheManager({
      exchange: dc.exchange,
      restClient: rest,
      wsOptions: venue.wsOptions,
      updateInterval: dc.updateInterval ?? undefined,
      ...this.#o.managerOptions,
      onStateChange: (ev) => this.#onState(ev, dc.exchange),
    });
    this.#managers.set(key, m);
    return m;
  }

  #startReplica(id: string, dc: DesiredDepthCache): void {
    const manager = this.#manager(dc);
    this.#hosted.set(id, { dc, manager });
    manager.createDepthCache(dc.market, {
      refreshInterval: dc.refreshInterval === null ? undefined : dc.refreshInterval * 1000,
    });
    this.#log("info", "replica started", { node: this.id, exchange: dc.exchange, market: dc.market });
  }

  #stopReplica(id: string): void {
    const h = this.#hosted.get(id);
    if (!h) return;
    this.#hosted.delete(id);
    try {
      h.manager.stopDepthCache(h.dc.market);
    } catch {
      // already gone with its manager
    }
    this.#log("info", "replica stopped", { node: this.id, exchange: h.dc.exchange, market: h.dc.market });
  }

  #onState(ev: DepthCacheStateEvent, exchange: string): void {
    const id = dcId(exchange, ev.market);
    if (this.#stopped || !this.#hosted.has(id)) return;
    this.#report(id).catch(() => {});
  }

  async #report(id: string): Promise<void> {
    const h = this.#hosted.get(id);
    if (!h || this.#stopped) return;
    const { manager, dc } = h;
    let state: ReplicaState = "STOPPED";
    let lastUpdateId = -1;
    let lastEventTime = 0;
    let receiveLagMs = 0;
    let resyncs = 0;
    try {
      state = replicaState(manager.getState(dc.market));
      resyncs = manager.getStats(dc.market).resyncs;
      if (state === "LIVE") {
        const b = manager.getBook(dc.market, { limitCount: 0 });
        lastUpdateId = b.lastUpdateId;
        lastEventTime = b.eventTime;
        receiveLagMs = b.eventTime > 0 ? Math.max(0, b.receivedAt - b.eventTime) : 0;
      }
    } catch {
      state = "STOPPED";
    }
    await this.state.putReplica({
      exchange: dc.exchange,
      market: dc.market,
      nodeId: this.id,
      state,
      lastUpdateId,
      lastEventTime,
      receiveLagMs,
      resyncs,
      reportedAt: Date.now(),
    });
  }

  #reportAll(): void {
    for (const id of this.#hosted.keys()) this.#report(id).catch(() => {});
  }

  async #heartbeat(): Promise<void> {
    if (this.#stopped) return;
    let used = 0;
    let limit = 0;
    for (const m of this.#managers.values()) {
      used += m.scheduler.used;
      limit += m.scheduler.weightLimit;
    }
    await this.state.putNode({
      id: this.id,
      name: this.#o.name ?? this.id,
      url: this.url,
      capacity: this.#o.capacity ?? 1,
      heartbeatAt: Date.now(),
      startedAt: this.#startedAt,
      publicKey: this.#keys.publicKey,
      load: { replicas: this.#hosted.size, weightUsed: used, weightLimit: limit },
      version: VERSION,
      ...(this.#draining ? { draining: true } : {}),
    });
  }

  /** Per-node counters for `/metrics`: replicas by state, resyncs, weight used. */
  stats(): { replicas: Record<ReplicaState, number>; resyncs: number; weightUsed: number } {
    const replicas: Record<ReplicaState, number> = { SYNCING: 0, LIVE: 0, OUT_OF_SYNC: 0, STOPPED: 0 };
    let resyncs = 0;
    for (const { manager, dc } of this.#hosted.values()) {
      try {
        replicas[replicaState(manager.getState(dc.market))]++;
        resyncs += manager.getStats(dc.market).resyncs;
      } catch {
        replicas.STOPPED++;
      }
    }
    let weightUsed = 0;
    for (const m of this.#managers.values()) weightUsed += m.scheduler.used;
    return { replicas, resyncs, weightUsed };
  }

  /**
   * Gives every REST client the key its account group should use now, in place: the managers and
   * their depth caches keep running, the next request carries the new key. Without a cluster key
   * a client goes back to the venue's own credentials (none by default).
   */
  #applyCredentials(): void {
    for (const [exchange, rest] of this.#rest) {
      const chosen = credentialFor(this.#secrets.values(), exchange);
      const id = chosen?.id ?? null;
      const applied = this.#applied.get(exchange);
      if (applied === id || (applied === undefined && id === null)) continue;
      const own = this.#o.venue?.(exchange)?.restOptions;
      // the venue's own key (checked when the client was made), or none
      const fallback = own?.apiKey !== undefined
        ? { apiKey: own.apiKey, apiSecret: own.apiSecret, privateKey: own.privateKey }
        : null;
      let message = id === null ? "credential cleared" : "credential applied";
      try {
        rest.setCredentials(chosen ? { apiKey: chosen.apiKey, apiSecret: chosen.apiSecret } : fallback);
      } catch (e) {
        // not retried on every pass; the client drops the key it carried (it may be a removed one).
        // The message names the field and the rule, never the value.
        rest.setCredentials(fallback);
        message = "credential not usable";
        this.#log("warn", message, { node: this.id, exchange, id, error: (e as Error).message });
      }
      this.#applied.set(exchange, id);
      if (message !== "credential not usable") {
        this.#log("info", message, { node: this.id, exchange, ...(id === null ? {} : { id }) });
      }
    }
  }

  async #openCredentials(): Promise<void> {
    for (const id of [...this.#secrets.keys()]) if (!this.state.credentials.has(id)) this.#secrets.delete(id);
    for (const [id, { record }] of this.state.credentials) {
      if (this.#secrets.has(id)) continue;
      const box = record.sealed[this.id];
      if (!box) continue;
      try {
        const s = await this.#keys.open(box, this.id);
        this.#secrets.set(id, { ...s, id, group: record.accountGroup, addedAt: record.addedAt });
        this.#log("info", "credential received", { node: this.id, id, accountGroup: record.accountGroup });
      } catch {
        this.#log("warn", "credential box did not open", { node: this.id, id });
      }
    }
  }

  async #resealCredentials(now: number): Promise<void> {
    const live = this.state.liveNodes(now).map((n) => n.id);
    for (const [id, { record, revision }] of this.state.credentials) {
      const secret = this.#secrets.get(id);
      if (!secret) continue;
      // one sealer at a time: the lowest-id live holder
      const holders = Object.keys(record.sealed).filter((n) => live.includes(n)).sort();
      if (holders[0] !== this.id) continue;
      const sealed = await resealed(this.state, record, secret, now);
      if (sealed) await this.state.updateCredential({ ...record, sealed }, revision);
    }
  }

  /**
   * Leaves gracefully. First it drains: the node record says `draining`, placement gives its
   * replicas to the other nodes, and it keeps serving each one until its replacement reports LIVE
   * (make-before-break; at most `drainTimeoutMs`). Then it stops, removes its reports and its node
   * record, and closes the read API.
   *
   * @param options `drainTimeoutMs` (default 30 000; 0 stops at once).
   */
  async stop(options: { readonly drainTimeoutMs?: number } = {}): Promise<void> {
    if (this.#stopped) return;
    const until = Date.now() + (options.drainTimeoutMs ?? 30_000);
    if (this.#hosted.size > 0 && until > Date.now()) {
      this.#draining = true;
      await this.#heartbeat().catch(() => {});
      this.#log("info", "node draining", { node: this.id, replicas: this.#hosted.size });
      while (this.#hosted.size > 0 && Date.now() < until && !this.#stopped) {
        this.#schedule();
        await this.settled();
        if (this.#hosted.size > 0) await new Promise((r) => setTimeout(r, 25));
      }
    }
    await this.settled();
    const ids = [...this.#hosted.keys()];
    await this.#shutdown();
    await Promise.allSettled(ids.map((id) => this.state.deleteReplica(id, this.id)));
    await this.state.deleteNode(this.id).catch(() => {});
    await this.state.close();
    this.#log("info", "node stopped", { node: this.id });
  }

  /**
   * Stops like a crash (for tests and `kill -9` drills): the read API and the books go away, the
   * node record and reports stay until the others see the heartbeat time out.
   */
  async kill(): Promise<void> {
    if (this.#stopped) return;
    await this.#shutdown();
    await this.state.close();
  }

  async #shutdown(): Promise<void> {
    this.#stopped = true;
    this.#unwatch();
    for (const t of this.#timers) clearInterval(t);
    await this.#http.close();
    this.#hosted.clear();
    await Promise.allSettled([...this.#managers.values()].map((m) => m.close()));
    this.#managers.clear();
    this.#secrets.clear();
  }

  /** Same as {@link stop}. @returns When stopped. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
