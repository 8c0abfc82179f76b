/**
 * Wiring of WebSocket-API streams and user-data streams into the manager: which transport a venue
 * uses, listenKey / listenToken handling, and request routing by stream id or label. Internal.
 *
 * @module
 */
import { BinanceApiError } from "../core/errors.ts";
import { getExchange } from "../core/exchanges.ts";
import { BinanceRestClient } from "../rest/client.ts";
import type { Params } from "../rest/_format.ts";
import { listenKeyCalls, listenKeyStream } from "./_listen_key.ts";
import { attachTokenStream } from "./_token_stream.ts";
import { StreamUnrepairableError } from "./errors.ts";
import { ApiSession, type UserDataMode, type WsApiResponse } from "./api_session.ts";
import type { ApiCallOptions } from "./api_methods.ts";
import type { ManagerContext } from "./_context.ts";
import { checkOptions } from "../core/_options.ts";
import { API_CALL_KEYS } from "./_option_keys.ts";
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
  if ((ex.userData === "ws-api" || ex.userData === "listen-token") && !apiSecret) {
    throw new TypeError(
      `Missing apiSecret: a ${ex.name} user-data stream is subscribed with a signed request (pass apiSecret: an HMAC secret or a PEM private key)`,
    );
  }
  if (ex.userData === "listen-token") {
    const client = restClient(ctx, apiKey, apiSecret);
    const rec = ctx.newRecord("userData", options);
    attachTokenStream(ctx, rec, {
      url: wsApiUrl(ctx, "spot"),
      apiKey,
      apiSecret,
      getToken: () =>
        client.createMarginListenToken({
          ...(options.isolatedSymbol ? { symbol: options.isolatedSymbol, isIsolated: "TRUE" } : {}),
          ...(options.listenTokenValidityMs ? { validity: options.listenTokenValidityMs } : {}),
        }).catch((e) => {
          throw unrepairableIfAuth(e);
        }),
    });
    ctx.bindAbort(rec, options.signal);
    rec.session!.start();
    return rec.id;
  }
  if (ex.userData === "ws-api") {
    const mode: UserDataMode = options.logon ? { kind: "logon" } : { kind: "signature" };
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
  const calls = ex.userData === "listen-key"
    ? listenKeyCalls(ex, restClient(ctx, apiKey, apiSecret))
    : undefined;
  if (calls === undefined) {
    // only the margin testnets: the spot testnet has no /sapi, so no listenToken (see docs/ws.md)
    throw new RangeError(
      `Exchange ${ex.name} has no user-data stream: Binance does not offer one there (userData: ${ex.userData})`,
    );
  }
  return listenKeyStream(ctx, calls, options, unrepairableIfAuth);
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
    onConnectFailed: (reason) => ctx.signal(rec, "CONNECT_FAILED", { connection: 0, reason }),
    onEvent: (text) => rec.status === "running" && ctx.data(rec, entry, text, undefined),
    onDeliver: (_res, text) => rec.status === "running" && ctx.data(rec, entry, text, undefined),
    onRotated: (conn, replaced) => {
      // make-before-break: the stream's connection is the replacement from now on
      rec.renewals++;
      rec.pastReconnects += replaced.reconnects;
      entry = { ...entry, conn };
      rec.conns[0] = entry;
    },
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
    checkOptions(options, `WebSocket API ${method} options`, API_CALL_KEYS);
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
