/**
 * Wiring of WebSocket-API streams and user-data streams into the manager: which transport a venue
 * uses, listenKey / listenToken handling, and request routing by stream id or label. Internal.
 *
 * @module
 */
import { BinanceApiError } from "../core/errors.ts";
import { getExchange, userDataStreamUrl } from "../core/exchanges.ts";
import { BinanceRestClient } from "../rest/client.ts";
import type { Params } from "../rest/_format.ts";
import { Connection } from "./connection.ts";
import { StreamUnrepairableError } from "./errors.ts";
import { ApiSession, type UserDataMode, type WsApiResponse } from "./api_session.ts";
import type { ApiCallOptions } from "./api_methods.ts";
import type { ManagerContext } from "./_context.ts";
import type { ConnEntry, StreamRecord } from "./_stream_record.ts";
import type { ApiStreamOptions, UserDataStreamOptions } from "./types.ts";

/** Opens a WebSocket-API stream (see `BinanceWebSocketManager.createApiStream`). */
export function openApiStream(ctx: ManagerContext, options: ApiStreamOptions): string {
  const market = options.market ?? (ctx.exchange.market === "usdm" ? "futures" : "spot");
  const url = wsApiUrl(ctx, market);
  const rec = ctx.newRecord("api", options);
  rec.apiMarket = market;
  rec.deliverResponses = options.deliverResponses ?? false;
  attachSession(ctx, rec, {
    url,
    apiKey: options.apiKey ?? ctx.options.apiKey,
    apiSecret: options.apiSecret ?? ctx.options.apiSecret,
    logon: options.logon,
  });
  ctx.bindAbort(rec, options.signal);
  rec.session!.start();
  return rec.id;
}

/** Opens a user-data stream (see `BinanceWebSocketManager.createUserDataStream`). */
export function openUserDataStream(ctx: ManagerContext, options: UserDataStreamOptions): string {
  const apiKey = options.apiKey ?? ctx.options.apiKey;
  const apiSecret = options.apiSecret ?? ctx.options.apiSecret;
  if (!apiKey) throw new TypeError("Missing apiKey: a user-data stream needs the account's API key");
  const ex = ctx.exchange;
  if (ex.userData === "ws-api" || ex.userData === "listen-token") {
    let mode: UserDataMode;
    if (ex.userData === "listen-token") {
      const client = restClient(ctx, apiKey, apiSecret);
      mode = {
        kind: "listenToken",
        getToken: () =>
          client.createMarginListenToken({
            ...(options.isolatedSymbol ? { symbol: options.isolatedSymbol, isIsolated: "TRUE" } : {}),
            ...(options.listenTokenValidityMs ? { validity: options.listenTokenValidityMs } : {}),
          }).catch((e) => {
            throw unrepairableIfAuth(e);
          }),
      };
    } else mode = options.logon ? { kind: "logon" } : { kind: "signature" };
    const rec = ctx.newRecord("userData", options);
    attachSession(ctx, rec, {
      url: wsApiUrl(ctx, "spot"),
      apiKey,
      apiSecret,
      logon: options.logon,
      userData: mode,
    });
    ctx.bindAbort(rec, options.signal);
    rec.session!.start();
    return rec.id;
  }
  if (ex.userData !== "listen-key" || (ex.market !== "usdm" && ex.market !== "coinm")) {
    throw new RangeError(
      `Exchange ${ex.name} has no user-data stream this manager supports (${ex.userData})`,
    );
  }
  return listenKeyStream(ctx, apiKey, apiSecret, options);
}

function listenKeyStream(
  ctx: ManagerContext,
  apiKey: string,
  apiSecret: string | undefined,
  options: UserDataStreamOptions,
): string {
  const ex = ctx.exchange;
  const rest = restClient(ctx, apiKey, apiSecret);
  const coin = ex.market === "coinm";
  const getKey = (): Promise<string> =>
    (coin ? rest.futuresCoinStreamGetListenKey() : rest.futuresStreamGetListenKey()).catch((e) => {
      throw unrepairableIfAuth(e);
    });
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
        key ??= await getKey();
        let url = userDataStreamUrl(ex, { listenKey: key, events: options.events });
        if (ctx.options.streamBase && ex.streamBase) {
          url = ctx.options.streamBase + url.slice(ex.streamBase.length);
        }
        return url;
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
    },
  );
  entry = { index: 0, conn, names: new Set(), inUrl: new Set(), awaitingFirst: true };
  rec.conns.push(entry);
  const keepalive = setInterval(() => {
    if (!key) return;
    (coin ? rest.futuresCoinStreamKeepalive() : rest.futuresStreamKeepalive()).catch((e) => {
      // an unknown key (-1125) is replaced on the next connect
      if (e instanceof BinanceApiError && e.code === -1125) {
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

function restClient(ctx: ManagerContext, apiKey: string, apiSecret: string | undefined): BinanceRestClient {
  return new BinanceRestClient({
    exchange: ctx.exchange.name,
    apiKey,
    apiSecret,
    baseUrl: ctx.options.restUrl,
    fetch: ctx.options.fetch,
  });
}

function wsApiUrl(ctx: ManagerContext, market: "spot" | "futures"): string {
  const override = market === "spot" ? ctx.options.wsApiUrl : ctx.options.futuresWsApiUrl;
  if (override) return override;
  const ex = ctx.exchange;
  const own = (market === "futures") === (ex.market === "usdm") ? ex.wsApiBase : null;
  const url = own ??
    getExchange(
      market === "spot"
        ? (ex.testnet ? "binance.com-testnet" : "binance.com")
        : (ex.testnet ? "binance.com-futures-testnet" : "binance.com-futures"),
    ).wsApiBase;
  if (!url) throw new RangeError(`Exchange ${ex.name} has no ${market} WebSocket API`);
  return url;
}

function attachSession(
  ctx: ManagerContext,
  rec: StreamRecord,
  init: { url: string; apiKey?: string; apiSecret?: string; logon?: boolean; userData?: UserDataMode },
): void {
  // deno-lint-ignore prefer-const
  let entry: ConnEntry;
  const session = new ApiSession({
    ...ctx.options,
    ...init,
    WebSocket: ctx.WebSocket,
    requestTimeoutMs: ctx.options.requestTimeoutMs,
    onConnect: () => {
      entry.awaitingFirst = true;
      ctx.signal(rec, "CONNECT", { connection: 0 });
    },
    onDisconnect: (reason) => ctx.onDisconnect(rec, entry, reason),
    onUnrepairable: (reason) => ctx.unrepairable(rec, reason),
    onEvent: (text) => rec.status === "running" && ctx.data(rec, entry, text, undefined),
    onDeliver: (_res, text) => rec.status === "running" && ctx.data(rec, entry, text, undefined),
  });
  rec.session = session;
  entry = { index: 0, conn: session.conn, names: new Set(), inUrl: new Set(), awaitingFirst: true };
  rec.conns.push(entry);
  rec.cleanup.push(() => session.stop());
}

/** Sends a request on the API stream the options select. */
export function apiCall(
  ctx: ManagerContext,
  market: "spot" | "futures",
  method: string,
  params: Params,
  signed: boolean,
  options: ApiCallOptions,
): Promise<WsApiResponse> {
  let rec: StreamRecord | undefined;
  try {
    rec = apiRecord(ctx, market, options);
  } catch (e) {
    return Promise.reject(e);
  }
  const { streamId: _s, label: _l, ...req } = options;
  return rec.session!.request(method, params, { deliver: rec.deliverResponses, ...req, signed });
}

function apiRecord(ctx: ManagerContext, market: "spot" | "futures", options: ApiCallOptions): StreamRecord {
  if (options.streamId !== undefined) {
    const rec = ctx.get(options.streamId);
    if (rec.kind !== "api") throw new RangeError(`Stream "${rec.id}" is not a WebSocket-API stream`);
    return rec;
  }
  const candidates = [...ctx.records()].filter((r) =>
    r.kind === "api" && r.apiMarket === market && r.status === "running" &&
    (options.label === undefined || r.label === options.label)
  );
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1) {
    throw new RangeError(
      `Cannot route the request: ${candidates.length} ${market} API streams; pass streamId or label`,
    );
  }
  if (options.label !== undefined) {
    throw new RangeError(`Unknown ${market} API stream label "${options.label}"`);
  }
  // none yet: open one with the manager's keys
  return ctx.get(openApiStream(ctx, { market }));
}

function unrepairableIfAuth(e: unknown): unknown {
  // an invalid key or signature cannot be fixed by retrying
  if (e instanceof BinanceApiError && [-2014, -2015, -1022, -2008].includes(e.code)) {
    return new StreamUnrepairableError(`authentication failed: ${e.message}`, { cause: e });
  }
  return e;
}
