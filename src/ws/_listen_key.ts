/**
 * listenKey user-data streams of every venue that still uses one: USDⓈ-M (`/fapi/v1/listenKey`,
 * `/private/ws?listenKey=…&events=…`), COIN-M (`/dapi/v1/listenKey`), options
 * (`/eapi/v1/listenKey`), portfolio margin (`/papi/v1/listenKey`) and Binance.US / TR
 * (`/api/v3/userDataStream`, `/ws/<listenKey>`). The key is fetched before the first connect,
 * kept alive on a timer and replaced after `listenKeyExpired` or an unknown-key (-1125)
 * keep-alive. Internal.
 *
 * @module
 */
import { BinanceApiError } from "../core/errors.ts";
import { type Exchange, userDataStreamUrl } from "../core/exchanges.ts";
import type { BinanceRestClient } from "../rest/client.ts";
import { Connection } from "./connection.ts";
import type { ManagerContext } from "./_context.ts";
import type { ConnEntry } from "./_stream_record.ts";
import type { UserDataStreamOptions } from "./types.ts";

/** The REST calls of one venue's listenKey. */
export interface ListenKeyCalls {
  /** `POST`: a new key (or the active one, extended). */
  readonly create: () => Promise<string>;
  /** `PUT`: extends `key`. */
  readonly keepalive: (key: string) => Promise<void>;
}

/**
 * Picks the listenKey endpoints of a venue (the catalog's `userDataToken`).
 *
 * @returns The calls, or `undefined` when the venue has no listenKey endpoint.
 */
export function listenKeyCalls(ex: Exchange, rest: BinanceRestClient): ListenKeyCalls | undefined {
  switch (
    ex.userDataToken?.family === undefined || ex.userData !== "listen-key" ? "" : ex.userDataToken.path
  ) {
    case "/fapi/v1/listenKey":
      return {
        create: () => rest.futuresStreamGetListenKey(),
        keepalive: () => rest.futuresStreamKeepalive(),
      };
    case "/dapi/v1/listenKey":
      return {
        create: () => rest.futuresCoinStreamGetListenKey(),
        keepalive: () => rest.futuresCoinStreamKeepalive(),
      };
    case "/eapi/v1/listenKey":
      return {
        create: () => rest.optionsStreamGetListenKey(),
        keepalive: () => rest.optionsStreamKeepalive(),
      };
    case "/papi/v1/listenKey":
      return {
        create: () => rest.portfolioMarginStreamGetListenKey(),
        keepalive: () => rest.portfolioMarginStreamKeepalive(),
      };
    case "/api/v3/userDataStream":
      return {
        create: () => rest.streamGetListenKey(),
        keepalive: (listenKey) => rest.streamKeepalive({ listenKey }),
      };
    default:
      return undefined;
  }
}

/**
 * Points a catalog stream URL at the manager's `streamBase` override (the emulator): the
 * venue's stream base is replaced, the rest of the path kept.
 */
export function withStreamBase(url: string, ex: Exchange, override: string | undefined): string {
  if (!override || !ex.streamBase || !url.startsWith(ex.streamBase)) return url;
  return override + url.slice(ex.streamBase.length);
}

/** Opens a listenKey user-data stream; returns its id. */
export function listenKeyStream(
  ctx: ManagerContext,
  calls: ListenKeyCalls,
  options: UserDataStreamOptions,
  fail: (e: unknown) => unknown,
): string {
  const ex = ctx.exchange;
  let key: string | undefined;
  const rec = ctx.newRecord("userData", options);
  // deno-lint-ignore prefer-const
  let entry: ConnEntry;
  const conn = new Connection(
    {
      ...ctx.options,
      WebSocket: ctx.WebSocket,
      perSecond: ctx.perSecond(),
      stallTimeoutMs: 0,
      rotateAfterMs: 0,
    },
    {
      url: async () => {
        key ??= await calls.create().catch((e) => {
          throw fail(e);
        });
        return withStreamBase(
          userDataStreamUrl(ex, { listenKey: key, events: options.events }),
          ex,
          ctx.options.streamBase,
        );
      },
      onOpen: () => {
        entry.awaitingFirst = true;
        ctx.signal(rec, "CONNECT", { connection: 0 });
      },
      onFrame: (text) => {
        if (rec.status !== "running") return;
        if (text.includes('"listenKeyExpired"')) {
          // deliver the event, then come back with a fresh key
          ctx.data(rec, entry, text, undefined);
          key = undefined;
          return conn.reconnect("listenKeyExpired");
        }
        if (text.startsWith('{"result"') || text.startsWith('{"error"')) return;
        ctx.data(rec, entry, text, undefined);
      },
      onDisconnect: (reason) => ctx.onDisconnect(rec, entry, reason),
      onUnrepairable: (reason) => ctx.unrepairable(rec, reason),
      onConnectFailed: (reason) => ctx.signal(rec, "CONNECT_FAILED", { connection: 0, reason }),
    },
  );
  entry = { index: 0, conn, names: new Set(), inUrl: new Set(), awaitingFirst: true };
  rec.conns.push(entry);
  const keepalive = setInterval(() => {
    const current = key;
    if (!current) return;
    calls.keepalive(current).catch((e) => {
      // an unknown key (-1125) is replaced on the next connect
      if (e instanceof BinanceApiError && e.code === -1125 && key === current) {
        key = undefined;
        conn.reconnect("listenKey expired");
      }
    });
  }, ctx.options.listenKeyKeepaliveMs ?? 30 * 60_000);
  rec.cleanup.push(() => clearInterval(keepalive));
  ctx.bindAbort(rec, options.signal);
  conn.start();
  return rec.id;
}
