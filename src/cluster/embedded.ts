/**
 * An embedded cluster in one process: the in-process coordination store (`MemoryCoordination`,
 * nothing to install), N nodes and a router, against the emulator as Binance by default — what
 * tests, examples and `unicorn-binance cluster start` without `--nats` run. The roles are the same
 * classes the multi-host form runs, talking HTTP over loopback; only the store is in memory.
 *
 * @example Two nodes, one market with two replicas, a read through the router
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { startEmbeddedCluster } from "./embedded.ts";
 *
 * await using cluster = await startEmbeddedCluster({ nodes: 2, emulator: { seed: 1 } });
 * const create = await fetch(`${cluster.url}/create_depthcache?exchange=binance.com&market=BTCUSDT&desired_quantity=2`);
 * assertEquals((await create.json()).result, "OK");
 * await cluster.waitLive("binance.com", "BTCUSDT", 2);
 * const asks = await (await fetch(`${cluster.url}/get_asks?exchange=binance.com&market=BTCUSDT&limit_count=3`)).json();
 * assertEquals(asks.asks.length, 3);
 * ```
 *
 * @module
 */
import { getExchange } from "../core/exchanges.ts";
import { type EmulatorOptions, startEmulator } from "../testing/mod.ts";
import type { Emulator } from "../testing/mod.ts";
import type { Coordination } from "./coordination.ts";
import { MemoryCoordination } from "./coordination_memory.ts";
import { type ClusterLog, silentLog } from "./log.ts";
import { ClusterNode, type NodeManagerOptions, type VenueOptions } from "./node.ts";
import { dcId } from "./protocol.ts";
import type { ClusterConfig } from "./protocol.ts";
import { ClusterRouter } from "./router.ts";
import { checkOptions, optionKeys } from "../core/_options.ts";

/** The URLs of an emulator (or anything laid out like it). */
export interface EmulatorUrls {
  /** Spot REST origin. */
  readonly restUrl: string;
  /** Spot stream base. */
  readonly wsUrl: string;
  /** USD-M / COIN-M REST origin. */
  readonly futuresRestUrl: string;
  /** USD-M stream base. */
  readonly futuresWsUrl: string;
  /** COIN-M stream base. */
  readonly coinmWsUrl: string;
}

/**
 * The emulator's URL layout from its HTTP origin (`--exchange-url http://127.0.0.1:9000`).
 *
 * @param origin `http://host:port`.
 * @returns The URLs.
 * @throws {TypeError} When the origin is not an http(s) URL.
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { emulatorUrls } from "./embedded.ts";
 * assertEquals(emulatorUrls("http://127.0.0.1:9000").futuresWsUrl, "ws://127.0.0.1:9000/fstream");
 * ```
 */
export function emulatorUrls(origin: string): EmulatorUrls {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    throw new TypeError(`Invalid exchange URL "${origin}": expected http://host:port`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new TypeError(`Invalid exchange URL "${origin}": expected http://host:port`);
  }
  const ws = `${u.protocol === "https:" ? "wss" : "ws"}://${u.host}`;
  return {
    restUrl: u.origin,
    wsUrl: ws,
    futuresRestUrl: u.origin,
    futuresWsUrl: `${ws}/fstream`,
    coinmWsUrl: `${ws}/dstream`,
  };
}

/**
 * A node's venue function for an emulator: spot-like exchanges on its spot URLs, USD-M and
 * COIN-M on the futures ones.
 *
 * @param urls The emulator's URLs.
 * @returns The venue function.
 */
export function emulatorVenue(urls: EmulatorUrls): (exchange: string) => VenueOptions {
  return (exchange) => {
    const m = getExchange(exchange).market;
    if (m === "usdm") {
      return { restOptions: { baseUrl: urls.futuresRestUrl }, wsOptions: { streamBase: urls.futuresWsUrl } };
    }
    if (m === "coinm") {
      return { restOptions: { baseUrl: urls.futuresRestUrl }, wsOptions: { streamBase: urls.coinmWsUrl } };
    }
    return { restOptions: { baseUrl: urls.restUrl }, wsOptions: { streamBase: urls.wsUrl } };
  };
}

/** Options of {@link startEmbeddedCluster}. */
export interface EmbeddedClusterOptions {
  /** Nodes to start (default 3). */
  readonly nodes?: number;
  /** Emulator options (default `{}`), or `false` to use `venue` / real Binance. */
  readonly emulator?: EmulatorOptions | false;
  /** Where nodes reach each exchange when `emulator` is false (default Binance itself). */
  readonly venue?: (exchange: string) => VenueOptions;
  /** Coordination store (default a new `MemoryCoordination`). */
  readonly coordination?: Coordination;
  /** Router port (default 0). */
  readonly port?: number;
  /** Interface of router and nodes (default 127.0.0.1). */
  readonly hostname?: string;
  /** Cluster secret (default random). */
  readonly clusterSecret?: string;
  /** Client API token (default none). */
  readonly apiToken?: string;
  /** Options for every node's managers. */
  readonly managerOptions?: NodeManagerOptions;
  /** Cluster config (heartbeat, timeout, report period). */
  readonly config?: Partial<ClusterConfig>;
  /** Per-replica read timeout of the router. */
  readonly readTimeoutMs?: number;
  /** Log sink. */
  readonly log?: ClusterLog;
  /**
   * The router reads its in-process nodes directly instead of over loopback HTTP (default true;
   * a killed or removed node is then reached over HTTP, which fails, so failover shows as usual).
   */
  readonly inProcessReads?: boolean;
  /** How the router reaches nodes it does not read in process (default `"websocket"`). */
  readonly nodeTransport?: "websocket" | "http";
}

const EMBEDDED_KEYS = optionKeys<EmbeddedClusterOptions>({
  nodes: true,
  emulator: true,
  venue: true,
  coordination: true,
  port: true,
  hostname: true,
  clusterSecret: true,
  apiToken: true,
  managerOptions: true,
  config: true,
  readTimeoutMs: true,
  log: true,
  inProcessReads: true,
  nodeTransport: true,
});

/** A running embedded cluster. */
export interface EmbeddedCluster extends AsyncDisposable {
  /** The router's base URL. */
  readonly url: string;
  /** The router. */
  readonly router: ClusterRouter;
  /** The running nodes. */
  readonly nodes: readonly ClusterNode[];
  /** The emulator, when one was started. */
  readonly emulator: Emulator | undefined;
  /** The coordination store. */
  readonly coordination: Coordination;
  /** The cluster secret (for extra nodes; never shown by the API). */
  readonly clusterSecret: string;
  /** Starts one more node. */
  addNode(id?: string): Promise<ClusterNode>;
  /** Stops a node gracefully (it leaves; its replicas move at once). */
  removeNode(id: string): Promise<void>;
  /** Stops a node like a crash (its record times out). */
  killNode(id: string): Promise<void>;
  /** Resolves when `count` replicas of the depth cache report LIVE on live nodes. */
  waitLive(exchange: string, market: string, count: number, timeoutMs?: number): Promise<void>;
  /** Stops router, nodes, emulator and (when made here) the store. */
  close(): Promise<void>;
}

function randomSecret(): string {
  const b = crypto.getRandomValues(new Uint8Array(24));
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * Starts an embedded cluster (see the module docs).
 *
 * @param options Nodes, emulator, store, secrets.
 * @returns The running cluster.
 * @throws {RangeError} When `nodes` is not an integer from 0 to 64.
 */
export async function startEmbeddedCluster(options: EmbeddedClusterOptions = {}): Promise<EmbeddedCluster> {
  checkOptions(options, "startEmbeddedCluster options", EMBEDDED_KEYS);
  const count = options.nodes ?? 3;
  if (!Number.isInteger(count) || count < 0 || count > 64) {
    throw new RangeError(`Invalid nodes ${count}: must be an integer from 0 to 64`);
  }
  const log = options.log ?? silentLog;
  const emulator = options.emulator === false ? undefined : await startEmulator(options.emulator ?? {});
  const venue = emulator ? emulatorVenue(emulator) : options.venue;
  const ownStore = options.coordination === undefined;
  const coordination = options.coordination ?? new MemoryCoordination();
  const clusterSecret = options.clusterSecret ?? randomSecret();
  const nodes: ClusterNode[] = [];
  let seq = 0;
  const addNode = async (id?: string) => {
    const node = await ClusterNode.start({
      coordination,
      clusterSecret,
      id: id ?? `node-${++seq}`,
      hostname: options.hostname,
      venue,
      managerOptions: options.managerOptions,
      config: options.config,
      log,
    });
    nodes.push(node);
    return node;
  };
  const take = (id: string) => {
    const i = nodes.findIndex((n) => n.id === id);
    if (i < 0) throw new RangeError(`Unknown node "${id}"`);
    return nodes.splice(i, 1)[0];
  };
  for (let i = 0; i < count; i++) await addNode();
  const router = await ClusterRouter.start({
    coordination,
    clusterSecret,
    apiToken: options.apiToken,
    hostname: options.hostname,
    port: options.port,
    config: options.config,
    readTimeoutMs: options.readTimeoutMs,
    log,
    nodeTransport: options.nodeTransport,
    localNodes: options.inProcessReads === false ? undefined : (id) => nodes.find((n) => n.id === id),
  });
  const close = async () => {
    await router.close();
    await Promise.allSettled(nodes.splice(0).map((n) => n.stop()));
    if (ownStore) await coordination.close();
    await emulator?.close();
  };
  return {
    url: router.url,
    router,
    nodes,
    emulator,
    coordination,
    clusterSecret,
    addNode,
    removeNode: (id) => take(id).stop(),
    killNode: (id) => take(id).kill(),
    waitLive: (exchange, market, want, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const state = router.state;
        const id = dcId(exchange, market.toUpperCase());
        const check = () => {
          let n = 0;
          for (const r of state.replicas(id).values()) {
            const node = state.nodes.get(r.nodeId);
            if (r.state === "LIVE" && node && state.isAlive(node)) n++;
          }
          return n >= want;
        };
        if (check()) return resolve();
        const timer = setTimeout(() => {
          off();
          reject(
            new Error(
              `Timed out after ${timeoutMs} ms waiting for ${want} LIVE replicas of ${exchange} ${market}`,
            ),
          );
        }, timeoutMs);
        const off = state.onChange(() => {
          if (!check()) return;
          clearTimeout(timer);
          off();
          resolve();
        });
      }),
    close,
    [Symbol.asyncDispose]: close,
  };
}
