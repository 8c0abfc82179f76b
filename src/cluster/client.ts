/**
 * `BinanceDepthCacheClusterClient`: the typed client of the cluster's `/v1` API — the Python UBLDC
 * `Cluster` client's methods in camelCase (`create_depthcache` → `createDepthCache`, …), fetch
 * based and web-standard. Failures raise {@link ClusterApiError} with the cluster's error id
 * (`#6000` out of sync, `#7000` not found, …), the HTTP status and, for refused input, the field
 * and the rule. A read served after a failover carries `failover` (`#5001` and the failures).
 *
 * @example Against an embedded cluster
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { BinanceDepthCacheClusterClient } from "./client.ts";
 * import { startEmbeddedCluster } from "./embedded.ts";
 *
 * await using cluster = await startEmbeddedCluster({ nodes: 1, emulator: { seed: 2 } });
 * const client = new BinanceDepthCacheClusterClient({ baseUrl: cluster.url });
 * await client.createDepthCache("binance.com", "ETHUSDT");
 * await cluster.waitLive("binance.com", "ETHUSDT", 1);
 * const bids = await client.getBids("binance.com", "ETHUSDT", { limitCount: 5 });
 * assertEquals(bids.levels.length, 5);
 * ```
 *
 * @module
 */
import { BinanceError } from "../core/errors.ts";
import type { ReplicaReport } from "./protocol.ts";

/** Options of {@link BinanceDepthCacheClusterClient}. */
export interface ClusterClientOptions {
  /** The router's base URL (`http://127.0.0.1:42081`). */
  readonly baseUrl: string;
  /** Client API token, if the router needs one. */
  readonly apiToken?: string;
  /** A fetch implementation (default the global one). */
  readonly fetch?: typeof fetch;
  /** Timeout per request in ms (default 10 000). */
  readonly timeoutMs?: number;
}

/** Options of the create calls. */
export interface ClusterCreateOptions {
  /** Replicas on distinct nodes (default 1). */
  readonly desiredQuantity?: number;
  /** Diff stream period in ms (default the venue's). */
  readonly updateInterval?: number;
  /** Refresh interval in seconds (default none). */
  readonly refreshInterval?: number;
}

/** Options of the reads. */
export interface ClusterReadOptions {
  /** At most this many levels. */
  readonly limitCount?: number;
  /** UBLDC threshold volume (quote notional). */
  readonly thresholdVolume?: number;
}

/** One side of a book read through the cluster. */
export interface ClusterLevels {
  /** Exchange name. */
  readonly exchange: string;
  /** Symbol. */
  readonly market: string;
  /** `asks` or `bids`. */
  readonly side: "asks" | "bids";
  /** `[price, quantity]`, best first. */
  readonly levels: [number, number][];
  /** Update id of the book that served. */
  readonly lastUpdateId: number;
  /** Event time of its last event (epoch ms). */
  readonly eventTime: number;
  /** The node that served. */
  readonly servedBy: string;
  /** Set when other replicas failed first (`#5001`). */
  readonly failover: { readonly id: string; readonly failures: { node: string; reason: string }[] } | null;
}

/** A depth cache as the cluster shows it. */
export interface ClusterDepthCache {
  /** Exchange name. */
  readonly exchange: string;
  /** Symbol. */
  readonly market: string;
  /** Replicas wanted. */
  readonly desiredQuantity: number;
  /** Diff stream period in ms or null. */
  readonly updateInterval: number | null;
  /** Refresh interval in s or null. */
  readonly refreshInterval: number | null;
  /** Epoch ms of creation. */
  readonly createdAt: number;
  /** Nodes placement assigns now. */
  readonly assignedNodes: string[];
  /** Reports of the replicas on live nodes. */
  readonly replicas: ReplicaReport[];
}

/** A credential as listed (masked). */
export interface ClusterCredential {
  /** Id. */
  readonly id: string;
  /** Account group. */
  readonly account_group: string;
  /** Epoch seconds when added. */
  readonly added_timestamp: number;
  /** Nodes holding a sealed copy. */
  readonly assigned_dcns: string[];
  /** First 4 and last 2 characters of the key. */
  readonly api_key_preview: string;
}

/** The cluster overview of `getClusterInfo`. */
export interface ClusterInfo {
  /** `memory` or `nats`. */
  readonly coordination: string;
  /** Heartbeat, timeout and report periods. */
  readonly config: { heartbeatMs: number; nodeTimeoutMs: number; reportMs: number };
  /** Nodes (alive or timed out). */
  readonly nodes: {
    id: string;
    name: string;
    url: string;
    capacity: number;
    alive: boolean;
    heartbeatAt: number;
    startedAt: number;
    load: { replicas: number; weightUsed: number; weightLimit: number };
    version: string;
  }[];
  /** Depth caches. */
  readonly depthCaches: ClusterDepthCache[];
  /** Credentials (masked). */
  readonly credentials: ClusterCredential[];
  /** Router version. */
  readonly version: string;
}

/** The cluster refused a request or could not serve it. */
export class ClusterApiError extends BinanceError {
  /** The cluster's error id (`#6000`, `#7000`, `#1017`, …). */
  readonly errorId: string;
  /** HTTP status. */
  readonly status: number;
  /** The refused field, for 400s. */
  readonly field: string | undefined;
  /** The rule it broke, for 400s. */
  readonly rule: string | undefined;
  /**
   * Creates the error.
   *
   * @param message What failed.
   * @param info Id, status, field, rule.
   */
  constructor(message: string, info: { errorId: string; status: number; field?: string; rule?: string }) {
    super(message);
    this.name = "ClusterApiError";
    this.errorId = info.errorId;
    this.status = info.status;
    this.field = info.field;
    this.rule = info.rule;
  }
}

function strict(o: object | undefined, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(o ?? {})) {
    if (!allowed.includes(k)) throw new TypeError(`Unknown option "${k}" of ${what}`);
  }
}

const seg = (s: string) => encodeURIComponent(s);

/** The typed client of the cluster (see the module docs). */
export class BinanceDepthCacheClusterClient {
  readonly #base: string;
  readonly #headers: Record<string, string>;
  readonly #fetch: typeof fetch;
  readonly #timeout: number;

  /**
   * Creates a client (nothing connects until the first call).
   *
   * @param options Base URL, token, fetch, timeout.
   * @throws {TypeError} On an unknown option or a base URL that is not http(s).
   */
  constructor(options: ClusterClientOptions) {
    strict(options, ["baseUrl", "apiToken", "fetch", "timeoutMs"], "BinanceDepthCacheClusterClient");
    if (!/^https?:\/\//.test(options.baseUrl ?? "")) {
      throw new TypeError(`Invalid baseUrl "${options.baseUrl}": expected http://host:port`);
    }
    this.#base = options.baseUrl.replace(/\/+$/, "");
    this.#headers = { accept: "application/json" };
    if (options.apiToken !== undefined) this.#headers.authorization = `Bearer ${options.apiToken}`;
    this.#fetch = options.fetch ?? fetch;
    this.#timeout = options.timeoutMs ?? 10_000;
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers = body === undefined
      ? this.#headers
      : { ...this.#headers, "content-type": "application/json" };
    const res = await this.#fetch(`${this.#base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.#timeout),
    });
    const json = await res.json().catch(() => ({})) as Record<string, unknown>;
    if (!res.ok) {
      const e = (json.error ?? {}) as { id?: string; message?: string; field?: string; rule?: string };
      throw new ClusterApiError(
        `${method} ${path.split("?")[0]} failed: ${e.message ?? `HTTP ${res.status}`}`,
        {
          errorId: e.id ?? `HTTP ${res.status}`,
          status: res.status,
          field: e.field,
          rule: e.rule,
        },
      );
    }
    return json as T;
  }

  /**
   * Creates one depth cache — Python `create_depthcache`.
   *
   * @param exchange Exchange name.
   * @param market Symbol.
   * @param options Replicas, intervals.
   * @returns When stored.
   * @throws {ClusterApiError} `#1024` when it exists, `#1017` on refused input.
   */
  async createDepthCache(
    exchange: string,
    market: string,
    options: ClusterCreateOptions = {},
  ): Promise<void> {
    strict(options, ["desiredQuantity", "updateInterval", "refreshInterval"], "createDepthCache");
    await this.#call("POST", "/v1/depthcaches", { exchange, market, ...options });
  }

  /**
   * Creates depth caches; existing ones are left alone — Python `create_depthcaches`.
   *
   * @param exchange Exchange name.
   * @param markets Symbols.
   * @param options Replicas, intervals.
   * @returns The created and the already existing markets.
   */
  createDepthCaches(
    exchange: string,
    markets: readonly string[],
    options: ClusterCreateOptions = {},
  ): Promise<{ created: string[]; existing: string[] }> {
    strict(options, ["desiredQuantity", "updateInterval", "refreshInterval"], "createDepthCaches");
    return this.#call("POST", "/v1/depthcaches", { exchange, markets, ...options });
  }

  #read(
    side: "asks" | "bids",
    exchange: string,
    market: string,
    options: ClusterReadOptions,
  ): Promise<ClusterLevels> {
    strict(options, ["limitCount", "thresholdVolume"], side === "asks" ? "getAsks" : "getBids");
    const q = new URLSearchParams();
    if (options.limitCount !== undefined) q.set("limitCount", String(options.limitCount));
    if (options.thresholdVolume !== undefined) q.set("thresholdVolume", String(options.thresholdVolume));
    const qs = q.size > 0 ? `?${q}` : "";
    return this.#call("GET", `/v1/depthcaches/${seg(exchange)}/${seg(market)}/${side}${qs}`);
  }

  /**
   * Asks from a LIVE replica — Python `get_asks`.
   *
   * @param exchange Exchange name.
   * @param market Symbol.
   * @param options `limitCount`, `thresholdVolume`.
   * @returns The levels with update id, node and failover info.
   * @throws {ClusterApiError} `#6000` out of sync, `#7000` not found, `#4000` / `#5000` no replica.
   */
  getAsks(exchange: string, market: string, options: ClusterReadOptions = {}): Promise<ClusterLevels> {
    return this.#read("asks", exchange, market, options);
  }

  /**
   * Bids from a LIVE replica — Python `get_bids`.
   *
   * @param exchange Exchange name.
   * @param market Symbol.
   * @param options `limitCount`, `thresholdVolume`.
   * @returns The levels with update id, node and failover info.
   * @throws {ClusterApiError} `#6000` out of sync, `#7000` not found, `#4000` / `#5000` no replica.
   */
  getBids(exchange: string, market: string, options: ClusterReadOptions = {}): Promise<ClusterLevels> {
    return this.#read("bids", exchange, market, options);
  }

  /** Nodes, depth caches and credentials (masked) — Python `get_cluster_info`. @returns The overview. */
  getClusterInfo(): Promise<ClusterInfo> {
    return this.#call("GET", "/v1/cluster");
  }

  /** Every depth cache with its replicas — Python `get_depthcache_list`. @returns The list. */
  async getDepthCacheList(): Promise<ClusterDepthCache[]> {
    return (await this.#call<{ depthCaches: ClusterDepthCache[] }>("GET", "/v1/depthcaches")).depthCaches;
  }

  /**
   * One depth cache with its replicas — Python `get_depthcache_info`.
   *
   * @param exchange Exchange name.
   * @param market Symbol.
   * @returns The depth cache.
   * @throws {ClusterApiError} `#7000` when unknown.
   */
  async getDepthCacheInfo(exchange: string, market: string): Promise<ClusterDepthCache> {
    const r = await this.#call<{ depthCache: ClusterDepthCache }>(
      "GET",
      `/v1/depthcaches/${seg(exchange)}/${seg(market)}`,
    );
    return r.depthCache;
  }

  /**
   * Stops (removes) a depth cache on every node — Python `stop_depthcache`.
   *
   * @param exchange Exchange name.
   * @param market Symbol.
   * @throws {ClusterApiError} `#7000` when unknown.
   */
  async stopDepthCache(exchange: string, market: string): Promise<void> {
    await this.#call("DELETE", `/v1/depthcaches/${seg(exchange)}/${seg(market)}`);
  }

  /**
   * Adds an API key; it is sealed for the nodes that need it and never returned —
   * Python `add_credentials`.
   *
   * @param credentials Account group, key, secret.
   * @returns The credential's id.
   * @throws {ClusterApiError} `#1031` invalid group, `#1032` invalid key or no live node.
   */
  async addCredentials(
    credentials: { accountGroup: string; apiKey: string; apiSecret: string },
  ): Promise<string> {
    strict(credentials, ["accountGroup", "apiKey", "apiSecret"], "addCredentials");
    return (await this.#call<{ id: string }>("POST", "/v1/credentials", credentials)).id;
  }

  /**
   * Removes a credential — Python `remove_credentials`.
   *
   * @param id Its id.
   * @throws {ClusterApiError} `#1034` when unknown.
   */
  async removeCredentials(id: string): Promise<void> {
    await this.#call("DELETE", `/v1/credentials/${seg(id)}`);
  }

  /** The credentials, masked — Python `get_credentials_list`. @returns The list. */
  async getCredentialsList(): Promise<ClusterCredential[]> {
    return (await this.#call<{ credentials: ClusterCredential[] }>("GET", "/v1/credentials")).credentials;
  }

  /** Checks the connection — Python `test_connection` / `get_test`. @returns The router's greeting. */
  test(): Promise<{ message: string; version: string }> {
    return this.#call("GET", "/v1/test");
  }
}
