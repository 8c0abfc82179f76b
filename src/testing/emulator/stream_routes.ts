/**
 * WebSocket routes of the market streams: spot `/ws/<streams>`, `/stream?streams=`, USD-M
 * under the futures base path with `/public`, `/market` and the legacy root, and COIN-M under its
 * own base path (no category routing on `dstream`).
 *
 * @module
 */
import type { Context, Hono } from "hono";
import type { UpgradeWebSocket } from "hono/ws";
import { toPeer } from "./adapter.ts";
import { AttemptWindow } from "./connect_limit.ts";
import type { Core } from "./core.ts";
import type { StreamVenue } from "./stream_names.ts";
import type { Connection, ConnectionLimits } from "./peer.ts";
import type { ResolvedLimits } from "./options.ts";
import { type StreamRoute, StreamSession } from "./stream_session.ts";

/** Path prefix of the USD-M stream host inside the emulator. */
export const FUTURES_STREAM_PREFIX = "/fstream";
/** Path prefix of the COIN-M stream host inside the emulator. */
export const COINM_STREAM_PREFIX = "/dstream";

/** Connection limits of a venue. */
export function connectionLimits(limits: ResolvedLimits, venue: StreamVenue): ConnectionLimits {
  return venue === "spot"
    ? {
      maxIncomingPerSecond: limits.maxIncomingPerSecond,
      pingIntervalMs: limits.pingIntervalMs,
      maxLifeMs: limits.maxConnectionLifeMs,
      pongTimeoutMs: limits.pongTimeoutMs,
    }
    : {
      maxIncomingPerSecond: limits.futuresMaxIncomingPerSecond,
      pingIntervalMs: limits.futuresPingIntervalMs,
      maxLifeMs: limits.maxConnectionLifeMs,
      pongTimeoutMs: limits.futuresPongTimeoutMs,
    };
}

/** Registry of open connections (for drop / rotation faults and close()). */
export type ConnectionSet = Set<Connection>;

/** Percent-decodes a stream name; malformed escapes stay as they are (the name is then invalid). */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Registers the market-stream WebSocket routes. */
export function registerStreamRoutes(
  app: Hono,
  core: Core,
  upgrade: UpgradeWebSocket,
  limits: ResolvedLimits,
  conns: ConnectionSet,
): void {
  const attempts = new AttemptWindow(limits.connectionAttempts, limits.connectionAttemptWindowMs);
  const open = async (
    c: Context,
    venue: StreamVenue,
    route: StreamRoute,
    combined: boolean,
    names: string[],
  ): Promise<Response> => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      return c.json({ code: -1000, msg: "Expected a WebSocket upgrade request." }, 400);
    }
    // Binance: 300 connection attempts per 5 minutes per IP (one client address here; each
    // stream host counts its own); the handshake is answered 429 with Retry-After
    const verdict = attempts.admit(venue, Date.now());
    if (!verdict.ok) {
      const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
      c.header("Retry-After", String(seconds));
      return c.json({
        code: -1003,
        msg: `Too many connection attempts: ${verdict.count} in ${limits.connectionAttemptWindowMs} ms ` +
          `(limit ${limits.connectionAttempts}); retry after ${seconds} s.`,
      }, 429);
    }
    // Deno cannot send pings itself: its idle timeout pings a client silent for half of it and
    // closes one silent for all of it (1001), so half of it is the venue's ping interval
    const idleTimeout = 2 * connectionLimits(limits, venue).pingIntervalMs / 1000;
    let session: StreamSession | undefined;
    const handler = upgrade(() => ({
      onOpen: (_evt, ws) => {
        session = new StreamSession(toPeer(ws), {
          venue,
          route,
          combined,
          maxStreams: venue === "spot" ? limits.maxStreams : limits.futuresMaxStreams,
          limits: connectionLimits(limits, venue),
          registry: core.hub,
          onGone: (s) => {
            (s as StreamSession).dispose();
            conns.delete(s);
          },
        });
        conns.add(session);
        const err = session.subscribeInitial(names);
        if (err) {
          session.send(JSON.stringify({ error: { code: 2, msg: err }, id: null }));
          session.close(1008, "Invalid stream name");
        }
      },
      onMessage: (evt) => {
        if (typeof evt.data === "string") session?.receive(evt.data);
      },
      onClose: () => session?.gone(),
      onError: () => session?.gone(),
    }), { idleTimeout });
    const res = await handler(c, () => Promise.resolve());
    return res ?? c.json({ code: -1000, msg: "WebSocket upgrade failed." }, 400);
  };
  const pathStreams = (c: Context, prefix: string): string[] => {
    const path = new URL(c.req.url).pathname.slice(prefix.length);
    return path.split("/").filter((s) => s !== "").map(safeDecode);
  };
  const queryStreams = (c: Context): string[] =>
    (c.req.query("streams") ?? "").split("/").filter((s) => s !== "").map(safeDecode);

  app.get("/ws", (c) => open(c, "spot", "spot", false, []));
  app.get("/ws/*", (c) => open(c, "spot", "spot", false, pathStreams(c, "/ws/")));
  app.get("/stream", (c) => open(c, "spot", "spot", true, queryStreams(c)));
  const routes: Array<[string, StreamRoute]> = [["", "legacy"], ["/public", "public"], ["/market", "market"]];
  for (const [sub, route] of routes) {
    const base = `${FUTURES_STREAM_PREFIX}${sub}`;
    app.get(`${base}/ws`, (c) => open(c, "usdm", route, false, []));
    app.get(`${base}/ws/*`, (c) => open(c, "usdm", route, false, pathStreams(c, `${base}/ws/`)));
    app.get(`${base}/stream`, (c) => open(c, "usdm", route, true, queryStreams(c)));
  }
  const d = COINM_STREAM_PREFIX;
  app.get(`${d}/ws`, (c) => open(c, "coinm", "legacy", false, []));
  app.get(`${d}/ws/*`, (c) => open(c, "coinm", "legacy", false, pathStreams(c, `${d}/ws/`)));
  app.get(`${d}/stream`, (c) => open(c, "coinm", "legacy", true, queryStreams(c)));
}
