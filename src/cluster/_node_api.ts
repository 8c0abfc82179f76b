/**
 * The node's read API for routers (hono): `GET /internal/v1/read` answers one side of one book
 * with its update id, `GET /internal/v1/health` the node id. Every request needs
 * `Authorization: Bearer <cluster secret>` (compared in constant time), except the probes a
 * process supervisor (Kubernetes) calls without it, which tell nothing but up / ready:
 * `GET /healthz` (the process serves) and `GET /readyz` (200 once the node has joined the
 * coordination store and is not stopping, 503 before).
 *
 * @module
 */
import type { Hono } from "hono";
import type { ExchangeName } from "../core/exchanges.ts";
import { DepthCacheOutOfSyncError } from "../depthcache/errors.ts";
import type { BinanceLocalDepthCacheManager } from "../depthcache/manager.ts";
import type { NodeReadRequest, NodeReadResponse } from "./protocol.ts";
import { answerText } from "./_read_wire.ts";
import type { SocketPeer } from "./server_http.ts";

/** Constant-time comparison of two strings (length leaks, content does not). */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** What the API needs from the node. */
export interface NodeApiHost {
  /** The node id. */
  readonly id: string;
  /** The manager hosting `exchange|market`, if this node hosts it. */
  managerOf(exchange: string, market: string): BinanceLocalDepthCacheManager | undefined;
  /** Whether the node has joined the cluster and serves (readiness); absent: always. */
  ready?(): boolean;
}

function answer(body: NodeReadResponse, status: number): Response {
  // a fresh headers object per response (see _envelope.ts)
  return new Response(answerText(body), { status, headers: { "content-type": "application/json" } });
}

/**
 * One read of a hosted replica: the update id and the levels come from the same book (one
 * synchronous step). Used by the HTTP API and, in the embedded cluster, by the router directly.
 *
 * @param host The node.
 * @param req What to read.
 * @returns The answer, or a RangeError for a bad limit or threshold.
 */
export function readReplica(host: NodeApiHost, req: NodeReadRequest): NodeReadResponse | RangeError {
  const dcm = host.managerOf(req.exchange, req.market);
  if (!dcm) return { ok: false, reason: "not_found", state: "NONE" };
  try {
    const head = dcm.getBook(req.market, { limitCount: 0 });
    const options = { limitCount: req.limitCount, thresholdVolume: req.thresholdVolume };
    const levels = req.side === "asks" ? dcm.getAsks(req.market, options) : dcm.getBids(req.market, options);
    return { ok: true, lastUpdateId: head.lastUpdateId, eventTime: head.eventTime, levels };
  } catch (e) {
    if (e instanceof DepthCacheOutOfSyncError) return { ok: false, reason: "out_of_sync", state: e.state };
    if (e instanceof RangeError) return e;
    return { ok: false, reason: "stopped", state: "STOPPED" };
  }
}

/**
 * The hono app of a node's read API.
 *
 * @param host The node.
 * @param secret The cluster secret.
 * @param HonoClass The `Hono` class (loaded on start: see `_hono.ts`).
 * @returns The app.
 */
export function nodeApi(host: NodeApiHost, secret: string, HonoClass: typeof Hono): Hono {
  const app = new HonoClass();
  const expected = `Bearer ${secret}`;
  // the probes: no secret needed, nothing but the verdict in the answer
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", (c) => {
    const ready = host.ready?.() ?? true;
    return c.json({ ready }, ready ? 200 : 503);
  });
  app.use("*", async (c, next) => {
    if (!safeEqual(c.req.header("authorization") ?? "", expected)) {
      return c.json({ error: "Unauthorized: this API needs the cluster secret" }, 401);
    }
    await next();
  });
  app.get("/internal/v1/health", (c) => c.json({ id: host.id }));
  app.get("/internal/v1/read", (c) => {
    const q = new URL(c.req.url).searchParams;
    const side = q.get("side");
    if (side !== "asks" && side !== "bids") {
      return c.json({ error: "Invalid side: expected asks or bids" }, 400);
    }
    const limit = q.get("limit_count");
    const threshold = q.get("threshold_volume");
    const r = readReplica(host, {
      exchange: (q.get("exchange") ?? "") as ExchangeName, // unknown exchanges find no manager
      market: q.get("market") ?? "",
      side,
      limitCount: limit === null ? undefined : Number(limit),
      thresholdVolume: threshold === null ? undefined : Number(threshold),
    });
    if (r instanceof RangeError) return c.json({ error: r.message }, 400);
    return answer(r, r.ok ? 200 : r.reason === "out_of_sync" ? 409 : r.reason === "not_found" ? 404 : 410);
  });
  return app;
}

/** A read over the router's WebSocket channel: `{ i, e, m, s, l?, t? }` (id, exchange, market, side, limit, threshold). */
interface ChannelRequest {
  readonly i: number;
  readonly e: string;
  readonly m: string;
  readonly s: "asks" | "bids";
  readonly l?: number;
  readonly t?: number;
}

/**
 * The node's side of the router's WebSocket read channel (`/internal/v1/ws`): the first frame
 * must be `{"auth": <cluster secret>}` within 5 s (else the socket closes with 4001), then every
 * frame carries one or more reads (one JSON object per line), answered in one frame with one
 * `{ i, …NodeReadResponse }` per line on the same socket.
 *
 * @param host The node.
 * @param secret The cluster secret.
 * @returns The socket handler for `listenHttp`.
 */
export function nodeSocket(host: NodeApiHost, secret: string): (peer: SocketPeer) => void {
  return (peer) => {
    let authed = false;
    // a socket that does not authenticate within 5 s is closed
    const deadline = setTimeout(() => authed || peer.close(4001, "Unauthorized"), 5000);
    peer.onClose = () => clearTimeout(deadline);
    const answerOne = (line: string): string | null => {
      let r: ChannelRequest;
      try {
        r = JSON.parse(line);
      } catch {
        return null;
      }
      if (!Number.isSafeInteger(r?.i) || (r.s !== "asks" && r.s !== "bids")) return null;
      const answer = readReplica(host, {
        exchange: r.e as ExchangeName, // unknown exchanges find no manager
        market: String(r.m),
        side: r.s,
        limitCount: r.l,
        thresholdVolume: r.t,
      });
      const body = answer instanceof RangeError
        ? '{"ok":false,"reason":"not_found","state":"BAD_REQUEST"}'
        : answerText(answer);
      // `{"i":N,` + the answer's fields: the router reads the head and passes the levels through
      return `{"i":${r.i},${body.slice(1)}`;
    };
    peer.onMessage = (text) => {
      if (!authed) {
        let given: unknown;
        try {
          given = JSON.parse(text)?.auth;
        } catch {
          return peer.close(4002, "Unreadable frame");
        }
        if (typeof given !== "string" || !safeEqual(given, secret)) return peer.close(4001, "Unauthorized");
        authed = true;
        return peer.send('{"ready":true}');
      }
      // one frame may carry several reads, one per line; their answers go back in one frame
      if (!text.includes("\n")) {
        const a = answerOne(text);
        if (a !== null) peer.send(a);
        return;
      }
      const answers: string[] = [];
      for (const line of text.split("\n")) {
        const a = answerOne(line);
        if (a !== null) answers.push(a);
      }
      if (answers.length > 0) peer.send(answers.join("\n"));
    };
  };
}
