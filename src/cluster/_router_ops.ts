/**
 * What a router does, independent of the API shape (UBDCC paths or `/v1`): reads routed to a LIVE
 * replica from the watched view (no lookup per read) with failover, and the control operations on
 * the cluster state. Both API layers map these results to their envelopes and status codes.
 *
 * @module
 */
import { newCredential } from "./credentials.ts";
import {
  type CreateParams,
  dcId,
  type DesiredDepthCache,
  type NodeReadRequest,
  type NodeReadResponse,
  type NodeRecord,
  type ReadParams,
  type ReplicaReport,
} from "./protocol.ts";
import type { NodeChannels } from "./_node_channel.ts";
import { parseAnswerText, type RawNodeAnswer } from "./_read_wire.ts";
import type { ClusterState } from "./state.ts";

/** The outcome of a read. */
export type ReadOutcome =
  | {
    readonly kind: "ok";
    /** The levels as JSON text, as the node wrote them (`[[price, quantity], …]`). */
    readonly levelsJson: string;
    readonly lastUpdateId: number;
    readonly eventTime: number;
    readonly node: { readonly id: string; readonly name: string };
    /** Replicas that failed before this one answered (failover when non-empty). */
    readonly failures: readonly { readonly node: string; readonly reason: string }[];
  }
  | { readonly kind: "not_found" }
  | { readonly kind: "no_replica" }
  | { readonly kind: "out_of_sync"; readonly states: readonly string[] }
  | {
    readonly kind: "failed";
    readonly failures: readonly { readonly node: string; readonly reason: string }[];
  };

/** A depth cache with its replicas, as the info endpoints show it. */
export interface DepthCacheInfo {
  /** The desired record. */
  readonly dc: DesiredDepthCache;
  /** The reports of replicas on live nodes, plus the nodes placement assigns. */
  readonly replicas: readonly ReplicaReport[];
  /** Node ids placement assigns now. */
  readonly assigned: readonly string[];
}

/** A node in the router's own process, read without HTTP (the embedded cluster). */
export interface LocalNodeReader {
  /** Reads a hosted replica. */
  read(req: NodeReadRequest): NodeReadResponse;
}

interface Candidates {
  readonly version: number;
  readonly validUntil: number;
  readonly live: readonly NodeRecord[];
  readonly states: readonly string[];
}

/**
 * How long a read refused by every replica as not hosted (or finding none LIVE) waits in all for
 * the view to catch up with a move: it is read again on every change of the view until then.
 */
const VIEW_LAG_MS = 750;

interface ReadRun {
  readonly p: ReadParams;
  readonly side: "asks" | "bids";
  readonly live: readonly NodeRecord[];
  readonly start: number;
  readonly failures: { node: string; reason: string }[];
  outOfSync: number;
}

/** Router operations over one cluster view. */
export class RouterOps {
  readonly state: ClusterState;
  readonly #secret: string;
  readonly #timeoutMs: number;
  readonly #local: ((nodeId: string) => LocalNodeReader | undefined) | undefined;
  readonly #channels: NodeChannels | undefined;
  readonly #now: () => number;
  readonly #cache = new Map<string, Candidates>();
  #version = 0;
  #turn = 0;

  constructor(
    state: ClusterState,
    clusterSecret: string,
    readTimeoutMs: number,
    local?: (nodeId: string) => LocalNodeReader | undefined,
    channels?: NodeChannels,
    now: () => number = Date.now,
  ) {
    this.state = state;
    this.#secret = `Bearer ${clusterSecret}`;
    this.#timeoutMs = readTimeoutMs;
    this.#local = local;
    this.#channels = channels;
    this.#now = now;
    // every change of the view invalidates the cached read candidates
    state.onChange(() => {
      this.#version++;
      if (this.#cache.size > 10_000) this.#cache.clear();
    });
  }

  /**
   * The LIVE replicas of one depth cache on live nodes, and the states of all replicas on live
   * nodes; cached per depth cache until the view changes or the first of those nodes' heartbeats
   * expires (no lookups or allocations per read while nothing changes).
   */
  #candidates(id: string, now: number): Candidates {
    const hit = this.#cache.get(id);
    if (hit && hit.version === this.#version && now < hit.validUntil) return hit;
    const live: NodeRecord[] = [];
    const states: string[] = [];
    let validUntil = Infinity;
    const timeout = this.state.config.nodeTimeoutMs;
    for (const r of this.state.replicas(id).values()) {
      const node = this.state.nodes.get(r.nodeId);
      if (!node || !this.state.isAlive(node, now)) continue;
      validUntil = Math.min(validUntil, node.heartbeatAt + timeout);
      states.push(r.state);
      if (r.state === "LIVE") live.push(node);
    }
    const c = { version: this.#version, validUntil, live, states };
    this.#cache.set(id, c);
    return c;
  }

  /**
   * Reads one side from a LIVE replica, failing over to the next. Synchronous (no promise) when a
   * node in this process answers; a promise when a node is read over the network.
   */
  read(p: ReadParams, side: "asks" | "bids"): ReadOutcome | Promise<ReadOutcome> {
    const o = this.#read(p, side);
    return o instanceof Promise ? o.then((r) => this.#settle(p, side, r)) : this.#settle(p, side, o);
  }

  /**
   * A read every LIVE-claimed replica refused as not hosted (`not_found` / `stopped`) means this
   * router's view lags a move (the old node stopped its replica after seeing the new one LIVE, and
   * this view has not seen that report yet): it is read again after each change of the view until
   * it is served or {@link VIEW_LAG_MS} have passed (a change may be another market's report, and
   * on a loaded machine the LIVE report can come a few changes later), so a move never refuses a
   * read.
   */
  #settle(
    p: ReadParams,
    side: "asks" | "bids",
    o: ReadOutcome,
    deadline?: number,
  ): ReadOutcome | Promise<ReadOutcome> {
    // an out-of-sync verdict during a move (the draining node's book already stopped, the new
    // replica's LIVE report not yet in this view) is read again after the view changes too;
    // if it is still out of sync at the deadline, #6000 stands (nothing stale is ever served)
    const lagging = o.kind === "out_of_sync" ||
      (o.kind === "failed" && o.failures.every((f) => /^(not_found|stopped) /.test(f.reason)));
    if (!lagging) return o;
    const end = deadline ?? Date.now() + VIEW_LAG_MS;
    const left = end - Date.now();
    if (left <= 0) return o;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, left);
      const off = this.state.onChange(done);
      function done() {
        clearTimeout(timer);
        off();
        resolve();
      }
    }).then(() => {
      const again = this.#read(p, side);
      return again instanceof Promise
        ? again.then((r) => this.#settle(p, side, r, end))
        : this.#settle(p, side, again, end);
    });
  }

  #read(p: ReadParams, side: "asks" | "bids"): ReadOutcome | Promise<ReadOutcome> {
    const id = dcId(p.exchange, p.market);
    if (!this.state.desired.has(id)) return { kind: "not_found" };
    const { live, states } = this.#candidates(id, this.#now());
    if (states.length === 0) return { kind: "no_replica" };
    if (live.length === 0) return { kind: "out_of_sync", states };
    // round robin over the LIVE replicas; the others follow as fallbacks
    const run: ReadRun = { p, side, live, start: this.#turn++ % live.length, failures: [], outOfSync: 0 };
    for (let k = 0; k < live.length; k++) {
      const node = live[(run.start + k) % live.length];
      const local = this.#local?.(node.id);
      if (!local) return this.#readRemote(run, k);
      const done = this.#judge(run, node, this.#readLocal(local, p, side));
      if (done) return done;
    }
    return this.#verdict(run);
  }

  /** The rest of a read from candidate `k` on, over the network where a node is not local. */
  async #readRemote(run: ReadRun, from: number): Promise<ReadOutcome> {
    const { p, side, live } = run;
    for (let k = from; k < live.length; k++) {
      const node = live[(run.start + k) % live.length];
      const local = this.#local?.(node.id);
      let answer: RawNodeAnswer | null;
      if (local) answer = this.#readLocal(local, p, side);
      else {
        const channel = this.#channels?.ready(node.url);
        try {
          answer = channel ? await channel.read(p, side) : await this.#httpRead(node.url, p, side);
        } catch (e) {
          run.failures.push({ node: node.name, reason: `unreachable: ${(e as Error).name}` });
          continue;
        }
      }
      const done = this.#judge(run, node, answer);
      if (done) return done;
    }
    return this.#verdict(run);
  }

  #readLocal(local: LocalNodeReader, p: ReadParams, side: "asks" | "bids"): RawNodeAnswer {
    const r = local.read({ ...p, side });
    return r.ok
      ? {
        ok: true,
        lastUpdateId: r.lastUpdateId,
        eventTime: r.eventTime,
        levelsJson: JSON.stringify(r.levels),
      }
      : r;
  }

  /** The outcome when `answer` serves the read; otherwise notes the failure and returns undefined. */
  #judge(run: ReadRun, node: NodeRecord, answer: RawNodeAnswer | null): ReadOutcome | undefined {
    if (answer === null) {
      run.failures.push({ node: node.name, reason: "unreachable: unreadable answer" });
      return undefined;
    }
    if (answer.ok) {
      return {
        kind: "ok",
        levelsJson: answer.levelsJson,
        lastUpdateId: answer.lastUpdateId,
        eventTime: answer.eventTime,
        node: { id: node.id, name: node.name },
        failures: run.failures,
      };
    }
    if (answer.reason === "out_of_sync") run.outOfSync++;
    run.failures.push({ node: node.name, reason: `${answer.reason} (${answer.state})` });
    return undefined;
  }

  #verdict(run: ReadRun): ReadOutcome {
    if (run.outOfSync === run.failures.length) {
      return { kind: "out_of_sync", states: run.failures.map((f) => f.reason) };
    }
    return { kind: "failed", failures: run.failures };
  }

  /** One read over HTTP (`GET /internal/v1/read`, bearer cluster secret). */
  async #httpRead(url: string, p: ReadParams, side: "asks" | "bids"): Promise<RawNodeAnswer | null> {
    let qs = `exchange=${encodeURIComponent(p.exchange)}&market=${encodeURIComponent(p.market)}&side=${side}`;
    if (p.limitCount !== undefined) qs += `&limit_count=${p.limitCount}`;
    if (p.thresholdVolume !== undefined) qs += `&threshold_volume=${p.thresholdVolume}`;
    const res = await fetch(`${url}/internal/v1/read?${qs}`, {
      headers: { authorization: this.#secret },
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    return parseAnswerText(await res.text());
  }

  /** Creates depth caches; returns the created and the already existing markets. */
  async create(p: CreateParams): Promise<{ created: string[]; existing: string[] }> {
    const created: string[] = [];
    const existing: string[] = [];
    const now = Date.now();
    for (const market of new Set(p.markets)) {
      const ok = await this.state.createDesired({
        exchange: p.exchange,
        market,
        desiredQuantity: p.desiredQuantity,
        updateInterval: p.updateInterval,
        refreshInterval: p.refreshInterval,
        createdAt: now,
      });
      (ok ? created : existing).push(market);
    }
    return { created, existing };
  }

  /** Stops (removes) a depth cache; false when it did not exist. */
  stop(exchange: string, market: string): Promise<boolean> {
    return this.state.deleteDesired(exchange, market);
  }

  /** One depth cache with its replicas, or null. */
  info(exchange: string, market: string): DepthCacheInfo | null {
    const id = dcId(exchange, market);
    const dc = this.state.desired.get(id);
    if (!dc) return null;
    const replicas = [...this.state.replicas(id).values()].filter((r) => {
      const n = this.state.nodes.get(r.nodeId);
      return n !== undefined && this.state.isAlive(n);
    }).sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1));
    return { dc, replicas, assigned: [...(this.state.placement().get(id) ?? [])] };
  }

  /** Every depth cache with its replicas, sorted by exchange and market. */
  list(): DepthCacheInfo[] {
    return [...this.state.desired.values()]
      .sort((a, b) => a.exchange.localeCompare(b.exchange) || a.market.localeCompare(b.market))
      .map((dc) => this.info(dc.exchange, dc.market)!);
  }

  /** Stores a credential sealed for its nodes; null when no node is live to receive it. */
  async addCredentials(accountGroup: string, apiKey: string, apiSecret: string): Promise<string | null> {
    const record = await newCredential(this.state, accountGroup, { apiKey, apiSecret });
    if (!record) return null;
    await this.state.createCredential(record);
    return record.id;
  }

  /** Removes a credential; false when unknown. */
  removeCredentials(id: string): Promise<boolean> {
    return this.state.deleteCredential(id);
  }

  /** The credentials, masked (never a key or secret). */
  credentialsList(): {
    id: string;
    account_group: string;
    added_timestamp: number;
    assigned_dcns: string[];
    api_key_preview: string;
  }[] {
    return [...this.state.credentials.values()].map(({ record }) => ({
      id: record.id,
      account_group: record.accountGroup,
      added_timestamp: record.addedAt / 1000,
      assigned_dcns: Object.keys(record.sealed).sort(),
      api_key_preview: record.apiKeyPreview,
    })).sort((a, b) => a.added_timestamp - b.added_timestamp);
  }
}
