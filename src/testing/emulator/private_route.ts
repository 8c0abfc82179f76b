/**
 * The listen-key user-data stream routes: USD-M `<futuresWsUrl>/private/ws?listenKey=<k>&events=<E1/E2>`
 * (since 2026-04-23; without `events` nothing is delivered, as on Binance), options
 * `<futuresWsUrl>/private/ws/<listenKey>`, portfolio margin `<futuresWsUrl>/pm/ws/<listenKey>`,
 * COIN-M `<coinmWsUrl>/ws/<listenKey>` and the Binance.US / TR spot form `<wsUrl>/ws/<listenKey>`
 * (every event; other paths under the shared `/ws/` are market streams).
 *
 * @module
 */
import type { Context, Hono } from "hono";
import type { UpgradeWebSocket } from "hono/ws";
import { toPeer } from "./adapter.ts";
import type { ResolvedLimits } from "./options.ts";
import type { Connection } from "./peer.ts";
import {
  COINM_STREAM_PREFIX,
  connectionLimits,
  type ConnectionSet,
  FUTURES_STREAM_PREFIX,
} from "./stream_routes.ts";
import { type ListenKeyVenue, PrivateSession, type UserData } from "./user_data.ts";

const KEY = ":key{[A-Za-z0-9]{64}}";
const unknownKey = { code: -1125, msg: "This listenKey does not exist." };

/** Registers the private routes (before the market-stream routes: the COIN-M one shares `/ws/`). */
export function registerPrivateRoute(
  app: Hono,
  upgrade: UpgradeWebSocket,
  userData: UserData,
  limits: ResolvedLimits,
  conns: ConnectionSet,
): void {
  app.get(`${FUTURES_STREAM_PREFIX}/private/ws`, (c) => {
    const key = c.req.query("listenKey") ?? "";
    if (!userData.validKey(key)) return c.json({ code: -1125, msg: "This listenKey does not exist." }, 400);
    const events = new Set((c.req.query("events") ?? "").split("/").filter((e) => e !== ""));
    return open(c, key, events);
  });
  // the path forms: options and portfolio margin own their paths, an unknown key is refused
  const own: Array<[string, ListenKeyVenue]> = [["/private", "options"], ["/pm", "pm"]];
  for (const [sub, venue] of own) {
    app.get(`${FUTURES_STREAM_PREFIX}${sub}/ws/${KEY}`, (c) => {
      const key = c.req.param("key");
      return userData.validKey(key, venue) ? open(c, key, null) : Promise.resolve(c.json(unknownKey, 400));
    });
  }
  // COIN-M and Binance.US / TR share `/ws/` with market streams: anything but a live key is a stream name
  const shared: Array<[string, ListenKeyVenue]> = [[COINM_STREAM_PREFIX, "coinm"], ["", "spot"]];
  for (const [prefix, venue] of shared) {
    app.get(`${prefix}/ws/${KEY}`, async (c, next) => {
      const key = c.req.param("key");
      if (userData.validKey(key, venue)) return await open(c, key, null, venue === "spot" ? "spot" : "usdm");
      await next();
    });
  }

  async function open(
    c: Context,
    key: string,
    events: ReadonlySet<string> | null,
    venue: "spot" | "usdm" = "usdm",
  ): Promise<Response> {
    let session: PrivateSession | undefined;
    const res = await upgrade(() => ({
      onOpen: (_e, ws) => {
        const gone = (s: Connection): void => {
          userData.detach(s as PrivateSession);
          conns.delete(s);
        };
        session = new PrivateSession(toPeer(ws), key, events, connectionLimits(limits, venue), gone, venue);
        conns.add(session);
        userData.attach(session);
      },
      onMessage: (e) => {
        if (typeof e.data === "string") session?.receive(e.data);
      },
      onClose: () => session?.gone(),
      onError: () => session?.gone(),
    }))(c, () => Promise.resolve());
    return res ?? c.json({ code: -1000, msg: "WebSocket upgrade failed." }, 400);
  }
}
