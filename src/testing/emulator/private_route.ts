/**
 * The USD-M user-data stream route: `<futuresWsUrl>/private/ws?listenKey=<k>&events=<E1/E2>`
 * (since 2026-04-23; without `events` nothing is delivered, as on Binance).
 *
 * @module
 */
import type { Hono } from "hono";
import type { UpgradeWebSocket } from "hono/ws";
import { toPeer } from "./adapter.ts";
import type { ResolvedLimits } from "./options.ts";
import { connectionLimits, type ConnectionSet, FUTURES_STREAM_PREFIX } from "./stream_routes.ts";
import { PrivateSession, type UserData } from "./user_data.ts";

/** Registers the private route. */
export function registerPrivateRoute(
  app: Hono,
  upgrade: UpgradeWebSocket,
  userData: UserData,
  limits: ResolvedLimits,
  conns: ConnectionSet,
): void {
  app.get(`${FUTURES_STREAM_PREFIX}/private/ws`, async (c) => {
    const key = c.req.query("listenKey") ?? "";
    if (!userData.validKey(key)) return c.json({ code: -1125, msg: "This listenKey does not exist." }, 400);
    const events = new Set((c.req.query("events") ?? "").split("/").filter((e) => e !== ""));
    let session: PrivateSession | undefined;
    const res = await upgrade(() => ({
      onOpen: (_e, ws) => {
        session = new PrivateSession(toPeer(ws), key, events, connectionLimits(limits, "usdm"), (s) => {
          userData.detach(s as PrivateSession);
          conns.delete(s);
        });
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
  });
}
