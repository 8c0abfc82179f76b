/**
 * Role `router`: the client-facing HTTP API (hono). Stateless — it keeps only a watched view of
 * the cluster state — so any number can run side by side. Reads go to a LIVE replica taken from
 * the view (no lookup per read) and fail over to the next one; writes go to the coordination
 * store with compare-and-set.
 *
 * Paths: the UBDCC-compatible ones (`router_ubdcc.ts`), the versioned `/v1` API (`router_v1.ts`),
 * `GET /healthz` (the process runs), `GET /readyz` (the view is loaded and a node is live) and
 * `GET /metrics` (Prometheus text).
 *
 * Security: with `apiToken` set, every path except `/healthz` and `/readyz` needs
 * `Authorization: Bearer <apiToken>` (401 otherwise); router → node reads carry the separate
 * cluster secret. Neither secret, nor any API key, appears in an answer or a log line.
 *
 * @example An in-process router answering `/test` (no node needed)
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { MemoryCoordination } from "./coordination_memory.ts";
 * import { ClusterRouter } from "./router.ts";
 *
 * await using store = new MemoryCoordination();
 * await using router = await ClusterRouter.start({ coordination: store, clusterSecret: "s".repeat(32) });
 * const body = await (await fetch(`${router.url}/test`)).json();
 * assertEquals([body.result, body.event], ["OK", "TEST"]);
 * ```
 *
 * @module
 */
import { loadHono } from "./_hono.ts";
import type { Coordination } from "./coordination.ts";
import { type ClusterLog, silentLog } from "./log.ts";
import { RouterMetrics } from "./_metrics.ts";
import { safeEqual } from "./_node_api.ts";
import { NodeChannels } from "./_node_channel.ts";
import { type LocalNodeReader, RouterOps } from "./_router_ops.ts";
import type { ClusterConfig } from "./protocol.ts";
import { fastUbdccReads } from "./_read_route.ts";
import { registerUbdcc } from "./router_ubdcc.ts";
import { registerV1 } from "./router_v1.ts";
import { DASHBOARD_HTML } from "./dashboard_html.ts";
import { type HttpListener, listenHttp } from "./server_http.ts";
import { ClusterState } from "./state.ts";

/** Options of {@link ClusterRouter.start}. */
export interface ClusterRouterOptions {
  /** The coordination store. */
  readonly coordination: Coordination;
  /** Shared secret of node ↔ router traffic. */
  readonly clusterSecret: string;
  /** Client API token (bearer); none = open (bind to loopback then). */
  readonly apiToken?: string;
  /** Interface (default 127.0.0.1). */
  readonly hostname?: string;
  /** Port (default 0: free; the CLI uses 42081). */
  readonly port?: number;
  /** Per-replica read timeout before failing over (default 2000 ms). */
  readonly readTimeoutMs?: number;
  /** Config for a new cluster (the stored one wins). */
  readonly config?: Partial<ClusterConfig>;
  /** Log sink. */
  readonly log?: ClusterLog;
  /**
   * Nodes in this process, read without HTTP (the embedded cluster passes its nodes); a node it
   * does not know is read over HTTP.
   */
  readonly localNodes?: (nodeId: string) => LocalNodeReader | undefined;
  /**
   * How reads reach nodes: `"websocket"` (default; one socket per node, HTTP while it is not open)
   * or `"http"` (one request per read).
   */
  readonly nodeTransport?: "websocket" | "http";
}

const OPTION_KEYS = new Set([
  "localNodes",
  "nodeTransport",
  "coordination",
  "clusterSecret",
  "apiToken",
  "hostname",
  "port",
  "readTimeoutMs",
  "config",
  "log",
]);

/** A router (see the module docs). */
export class ClusterRouter implements AsyncDisposable {
  /** The router's fetch handler, for in-process requests (the CLI's admin API uses it). */
  readonly fetch: (request: Request) => Promise<Response>;
  /** The watched cluster state. */
  readonly state: ClusterState;
  /** Base URL. */
  readonly url: string;
  /** Bound port. */
  readonly port: number;
  readonly #http: HttpListener;
  readonly #log: ClusterLog;
  readonly #closeChannels: () => void;

  private constructor(
    handle: (request: Request) => Response | Promise<Response>,
    state: ClusterState,
    http: HttpListener,
    log: ClusterLog,
    closeChannels: () => void,
  ) {
    this.#closeChannels = closeChannels;
    this.fetch = async (request) => await handle(request);
    this.state = state;
    this.#http = http;
    this.url = http.url;
    this.port = http.port;
    this.#log = log;
  }

  /**
   * Starts a router.
   *
   * @param options Coordination, secrets, address.
   * @returns The listening router.
   * @throws {TypeError} On an unknown option or a short secret.
   */
  static async start(options: ClusterRouterOptions): Promise<ClusterRouter> {
    for (const k of Object.keys(options)) {
      if (!OPTION_KEYS.has(k)) throw new TypeError(`Unknown option "${k}"`);
    }
    if (typeof options.clusterSecret !== "string" || options.clusterSecret.length < 16) {
      throw new TypeError("Invalid clusterSecret: must be a string of at least 16 characters");
    }
    if (
      options.apiToken !== undefined && (typeof options.apiToken !== "string" || options.apiToken.length < 16)
    ) {
      throw new TypeError("Invalid apiToken: must be a string of at least 16 characters");
    }
    const log = options.log ?? silentLog;
    const state = await ClusterState.open(options.coordination, { config: options.config });
    const timeout = options.readTimeoutMs ?? 2000;
    const transport = options.nodeTransport ?? "websocket";
    if (transport !== "websocket" && transport !== "http") {
      throw new TypeError(`Invalid nodeTransport "${transport}": expected "websocket" or "http"`);
    }
    const channels = transport === "http" ? undefined : new NodeChannels(options.clusterSecret, timeout);
    const ops = new RouterOps(state, options.clusterSecret, timeout, options.localNodes, channels);
    const metrics = new RouterMetrics();
    const HonoClass = await loadHono("a cluster router");
    const app = new HonoClass();
    const token = options.apiToken === undefined ? undefined : `Bearer ${options.apiToken}`;
    app.get("/healthz", (c) => c.json({ status: "ok" }));
    app.get("/readyz", (c) => {
      const live = state.liveNodes().length;
      return c.json({ ready: live > 0, liveNodes: live }, live > 0 ? 200 : 503);
    });
    // The page is public (it holds no data); every API call it makes carries the client token.
    app.get("/dashboard", (c) => c.html(DASHBOARD_HTML));
    app.use("*", async (c, next) => {
      if (token !== undefined && !safeEqual(c.req.header("authorization") ?? "", token)) {
        return c.json({
          error: { id: "#1100", message: "Unauthorized: this API needs the client API token" },
        }, 401);
      }
      await next();
    });
    app.get(
      "/metrics",
      (c) =>
        c.body(metrics.render(state), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }),
    );
    registerUbdcc(app, ops, metrics);
    registerV1(app, ops, metrics);
    app.notFound((c) =>
      c.json(
        { error: { id: "#1404", message: `Not found: ${c.req.method} ${new URL(c.req.url).pathname}` } },
        404,
      )
    );
    app.onError((e, c) => {
      log("error", "request failed", { path: new URL(c.req.url).pathname, error: e.name });
      return c.json({ error: { id: "#9000", message: "Internal error: the router could not answer" } }, 500);
    });
    // plain UBDCC reads are answered before hono (_read_route.ts); everything else goes through it
    const fast = fastUbdccReads(ops, metrics, token);
    const handle = (request: Request): Response | Promise<Response> => fast(request) ?? app.fetch(request);
    const http = await listenHttp(handle, { hostname: options.hostname, port: options.port });
    log("info", "router started", { url: http.url, coordination: state.kind });
    return new ClusterRouter(handle, state, http, log, () => channels?.close());
  }

  /** Stops listening and the watches. */
  async close(): Promise<void> {
    this.#closeChannels();
    await this.#http.close();
    await this.state.close();
    this.#log("info", "router stopped", { url: this.url });
  }

  /** Same as {@link close}. @returns When closed. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
