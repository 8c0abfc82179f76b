/**
 * The WebSocket API (spot `/ws-api/v3`, USD-M `/ws-fapi/v1`): request ids, signed requests
 * (sorted, not percent-encoded payload), `session.logon` (Ed25519), orders, account, market data,
 * user-data subscriptions with `{"subscriptionId", "event"}` delivery, and `rateLimits` in every
 * response. Shares the REST weight counter of its venue.
 * Over 400 lines on purpose: the method tables use the session's private state (logon,
 * subscriptions) and read best next to the dispatcher.
 *
 * @module
 */
import { accountJson, balancesJson } from "./futures_views.ts";
import { ApiError, badSymbol, missingParam } from "./api_error.ts";
import { checkTimestamp, type KeyEntry, rejectedKey, verifySignature } from "./auth.ts";
import type { Core, Trading, Venue } from "./core.ts";
import { Connection, type ConnectionLimits, type Peer } from "./peer.ts";
import { jsonParams, type Params } from "./order_params.ts";
import { depthSnapshot, fmtPrice, type Json } from "./payloads.ts";
import { futuresDepthWeight, spotDepthWeight } from "./rest_market.ts";
import { SERVER_ERRORS } from "./rest_kit.ts";
import type { SpotSink } from "./user_data.ts";
import { banError } from "./weights.ts";
import {
  allOrders,
  cancelAll,
  cancelReplace,
  commissionRates,
  legacyOco,
  myTrades,
  orderLists,
  orderRateLimits,
} from "./spot_queries.ts";

type Obj = Record<string, unknown>;
type Handler = (p: Obj, ctx: { apiKey: string | null }) => Json | Promise<Json>;

interface Method {
  readonly weight: number | ((p: Obj) => number);
  readonly signed: boolean;
  readonly run: Handler;
}

const ID_OK = (id: unknown): boolean =>
  id === null || (typeof id === "number" && Number.isInteger(id)) ||
  (typeof id === "string" && id.length <= 36);

/** The sorted, unencoded payload a WebSocket-API signature covers. */
export function wsSignaturePayload(params: Obj): string {
  return Object.keys(params).filter((k) => k !== "signature").sort().map((k) => {
    const v = params[k];
    return `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`;
  }).join("&");
}

/** One WebSocket-API connection. */
export class WsApiSession extends Connection {
  readonly #core: Core;
  readonly #t: Trading;
  readonly #returnRateLimits: boolean;
  #logon: KeyEntry | null = null;
  #nextSub = 0;
  readonly #subs: Map<
    number,
    { apiKey: string; sink: SpotSink; logon: boolean; margin?: string; endToken?: () => void }
  > = new Map();
  readonly #methods: Map<string, Method>;
  readonly connectedSince: number;

  /** Creates the session; connecting costs 2 weight. */
  constructor(
    peer: Peer,
    init: {
      readonly venue: Venue;
      readonly core: Core;
      readonly trading: Trading;
      readonly returnRateLimits: boolean;
      readonly limits: ConnectionLimits;
      readonly onGone: (c: Connection) => void;
    },
  ) {
    super(peer, init.venue, init.limits, init.onGone);
    this.#core = init.core;
    this.#t = init.trading;
    this.#returnRateLimits = init.returnRateLimits;
    this.connectedSince = init.core.now(init.venue);
    this.#methods = init.venue === "spot" ? this.#spotMethods() : this.#futuresMethods();
    init.core.weights[init.venue].add(2, init.core.realNow());
  }

  #rateLimits(): Json {
    const w = this.#core.weights[this.venue];
    return [{
      rateLimitType: "REQUEST_WEIGHT",
      interval: "MINUTE",
      intervalNum: 1,
      limit: w.settings.limit,
      count: w.used(this.#core.realNow()),
    }];
  }

  #respond(id: unknown, status: number, body: { result?: unknown; error?: unknown }, rl: boolean): void {
    const out: Obj = { id, status, ...body };
    if (rl) out.rateLimits = this.#rateLimits();
    this.send(JSON.stringify(out));
  }

  /** Handles one request frame. */
  protected handle(text: string): void {
    void this.#handle(text);
  }

  async #handle(text: string): Promise<void> {
    let req: { id?: unknown; method?: unknown; params?: unknown; returnRateLimits?: unknown };
    try {
      req = JSON.parse(text);
      if (req === null || typeof req !== "object" || Array.isArray(req)) {
        throw new SyntaxError("not an object");
      }
    } catch {
      return this.#respond(null, 400, {
        error: { code: -1000, msg: "Invalid JSON: expected a request object." },
      }, false);
    }
    const id = req.id ?? null;
    const rl = this.#returnRateLimits && req.returnRateLimits !== false;
    if (!ID_OK(id)) {
      return this.#respond(null, 400, {
        error: { code: -1100, msg: "Illegal characters found in parameter 'id'." },
      }, rl);
    }
    const name = typeof req.method === "string" ? req.method.replace(/^v\d+\//, "") : "";
    const method = this.#methods.get(name);
    if (!method) {
      return this.#respond(
        id,
        400,
        { error: { code: -1000, msg: `Unknown method: ${String(req.method)}.` } },
        rl,
      );
    }
    const params = (req.params ?? {}) as Obj;
    if (typeof params !== "object" || Array.isArray(params)) {
      return this.#respond(
        id,
        400,
        { error: { code: -1102, msg: "Parameter 'params' must be an object." } },
        rl,
      );
    }
    const venue = this.venue;
    const counter = this.#core.weights[venue];
    try {
      const ban = this.#core.faults.active("ban", venue);
      if (ban) throw banError(this.#core.realNow() + (ban.durationMs ?? 120_000), this.#core.realNow());
      if (this.#core.faults.take("rateLimit", venue)) throw counter.rateLimitError(this.#core.realNow());
      const latency = this.#core.faults.sumMs("latency", venue);
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      counter.charge(
        typeof method.weight === "number" ? method.weight : method.weight(params),
        this.#core.realNow(),
      );
      const se = this.#core.faults.take("serverError", venue);
      const status = se?.fault.status ?? 503;
      if (se && !se.fault.afterExecution) {
        const [code, msg] = SERVER_ERRORS[status];
        return this.#respond(id, status, { error: { code, msg } }, rl);
      }
      const apiKey = method.signed ? await this.#authenticate(params) : null;
      const result = await method.run(params, { apiKey });
      if (se) {
        // afterExecution: the request took effect, the client sees the 5xx
        const [code, msg] = SERVER_ERRORS[status];
        return this.#respond(id, status, { error: { code, msg } }, rl);
      }
      this.#respond(id, 200, { result }, rl);
    } catch (e) {
      if (!(e instanceof ApiError)) {
        return this.#respond(id, 500, {
          error: { code: -1000, msg: "An unknown error occurred while processing the request." },
        }, rl);
      }
      const error: Obj = { code: e.code, msg: e.message };
      if (e.status === 429 || e.status === 418) {
        error.data = { serverTime: this.#core.now(venue), retryAfter: e.data?.retryAfter };
      } else if (e.data) error.data = e.data;
      this.#respond(id, e.status, { error }, rl);
      // a banned IP is disconnected on the WebSocket API
      if (e.status === 418) setTimeout(() => this.close(1008, "IP banned"), 0);
    }
  }

  async #authenticate(params: Obj): Promise<string> {
    const now = this.#core.now(this.venue);
    const p = jsonParams(params);
    if (params.signature === undefined && this.#logon) {
      checkTimestamp(p, now);
      return this.#logon.apiKey;
    }
    const apiKey = p.get("apiKey");
    if (apiKey === null) throw missingParam("apiKey");
    const entry = this.#t.keys.get(apiKey);
    if (!entry) throw rejectedKey();
    const sig = p.get("signature");
    if (sig === null) throw missingParam("signature");
    checkTimestamp(p, now);
    if (!(await verifySignature(entry, wsSignaturePayload(params), sig))) {
      throw new ApiError(-1022, "Signature for this request is not valid.");
    }
    return apiKey;
  }

  /** Subscribes to an account's spot events and, for a listen token, its margin account's events. */
  #subscribe(apiKey: string, logon: boolean, marginAccount?: string): Json {
    for (const s of this.#subs.values()) {
      if (s.apiKey === apiKey) throw new ApiError(-2035, "User Data Stream subscription already active.");
    }
    const subscriptionId = this.#nextSub++;
    const sink: SpotSink = { deliver: (event) => this.send(JSON.stringify({ subscriptionId, event })) };
    const margin = marginAccount === undefined ? undefined : `margin:${marginAccount}`;
    this.#subs.set(subscriptionId, { apiKey, sink, logon, margin });
    this.#t.userData.addSpotSink(apiKey, sink);
    if (margin) this.#t.userData.addSpotSink(margin, sink);
    return { subscriptionId };
  }

  #unsubscribe(id: number): void {
    const s = this.#subs.get(id);
    if (!s) return;
    this.#subs.delete(id);
    s.endToken?.();
    this.#t.userData.removeSpotSink(s.apiKey, s.sink);
    if (s.margin) this.#t.userData.removeSpotSink(s.margin, s.sink);
    this.send(
      JSON.stringify({
        subscriptionId: id,
        event: { e: "eventStreamTerminated", E: this.#core.now("spot") },
      }),
    );
  }

  /** The session's user-data subscriptions are dropped with the connection. */
  dispose(): void {
    for (const s of this.#subs.values()) {
      this.#t.userData.removeSpotSink(s.apiKey, s.sink);
      if (s.margin) this.#t.userData.removeSpotSink(s.margin, s.sink);
      s.endToken?.();
    }
    this.#subs.clear();
  }

  /** WS-API framing of the shutdown notice. */
  override notifyShutdown(E: number): void {
    this.send(JSON.stringify({ event: { e: "serverShutdown", E } }));
  }

  #depth(venue: Venue): Method {
    return {
      weight: (p) => {
        const l = Number(p.limit ?? (venue === "spot" ? 100 : 500));
        return venue === "spot" ? spotDepthWeight(Math.min(l, 5000)) : futuresDepthWeight(l);
      },
      signed: false,
      run: (p) => {
        const m = this.#core.hub.market(venue, String(p.symbol ?? ""));
        if (p.symbol === undefined) throw missingParam("symbol");
        if (!m) throw badSymbol();
        return depthSnapshot(
          m,
          Math.min(Number(p.limit ?? (venue === "spot" ? 100 : 500)) || 100, 5000),
          this.#core.now(venue),
        );
      },
    };
  }

  #common(venue: Venue): Array<[string, Method]> {
    return [
      ["ping", { weight: 1, signed: false, run: () => ({}) }],
      ["time", { weight: 1, signed: false, run: () => ({ serverTime: this.#core.now(venue) }) }],
      ["depth", this.#depth(venue)],
      ["ticker.price", {
        weight: 2,
        signed: false,
        run: (p) => {
          const m = this.#core.hub.market(venue, String(p.symbol ?? ""));
          if (!m) throw badSymbol();
          return { symbol: m.spec.symbol, price: fmtPrice(m, m.lastPrice) };
        },
      }],
    ];
  }

  #spotMethods(): Map<string, Method> {
    const t = this.#t;
    const P = (p: Obj): Params => jsonParams(p);
    const has = (sym: string): boolean => this.#core.hub.market("spot", sym) !== undefined;
    const session = (): Json => ({
      apiKey: this.#logon?.apiKey ?? null,
      authorizedSince: this.#logon ? this.connectedSince : null,
      connectedSince: this.connectedSince,
      returnRateLimits: this.#returnRateLimits,
      serverTime: this.#core.now("spot"),
      userDataStream: this.#subs.size > 0,
    });
    return new Map<string, Method>([
      ...this.#common("spot"),
      ["session.logon", {
        weight: 2,
        signed: true,
        run: (_p, { apiKey }) => {
          const entry = t.keys.get(apiKey!)!;
          if (entry.type !== "Ed25519") throw new ApiError(-4056, `${entry.type} API key is not supported.`);
          this.#logon = entry;
          return session();
        },
      }],
      ["session.status", { weight: 2, signed: false, run: session }],
      ["session.logout", {
        weight: 2,
        signed: false,
        run: () => {
          for (const [id, s] of this.#subs) if (s.logon) this.#unsubscribe(id);
          this.#logon = null;
          return session();
        },
      }],
      ["session.subscriptions", {
        weight: 2,
        signed: false,
        run: () => [...this.#subs.keys()].map((subscriptionId) => ({ subscriptionId })),
      }],
      ["userDataStream.subscribe", {
        weight: 2,
        signed: false,
        run: () => {
          if (!this.#logon) throw new ApiError(-2015, "Invalid API-key, IP, or permissions for action.", 401);
          return this.#subscribe(this.#logon.apiKey, true);
        },
      }],
      ["userDataStream.subscribe.signature", {
        weight: 2,
        signed: true,
        run: (_p, { apiKey }) => this.#subscribe(apiKey!, false),
      }],
      ["userDataStream.subscribe.listenToken", {
        weight: 2,
        signed: false,
        run: (p) => {
          const tok = t.userData.tokens.get(String(p.listenToken ?? ""));
          if (!tok || tok.expires <= this.#core.realNow()) throw new ApiError(-1209, "Invalid listenToken.");
          const r = this.#subscribe(tok.apiKey, false, tok.account) as { subscriptionId: number };
          // the subscription ends with the token (no renewal): eventStreamTerminated
          const end = () => this.#unsubscribe(r.subscriptionId);
          const timer = setTimeout(end, Math.max(0, tok.expires - this.#core.realNow()));
          const off = t.userData.onTokenExpired(tok.token, end);
          this.#subs.get(r.subscriptionId)!.endToken = () => {
            clearTimeout(timer);
            off();
          };
          return { ...r, expirationTime: tok.expires } as Json;
        },
      }],
      ["userDataStream.unsubscribe", {
        weight: 2,
        signed: false,
        run: (p) => {
          if (p.subscriptionId === undefined) {
            if (this.#subs.size === 0) throw new ApiError(-2036, "User Data Stream subscription not active.");
            for (const id of [...this.#subs.keys()]) this.#unsubscribe(id);
            return {};
          }
          const id = Number(p.subscriptionId);
          if (!this.#subs.has(id)) throw new ApiError(-2036, "User Data Stream subscription not active.");
          this.#unsubscribe(id);
          return {};
        },
      }],
      ["order.place", { weight: 0, signed: true, run: (p, { apiKey }) => t.spot.place(apiKey!, P(p)) }],
      ["order.test", {
        weight: 1,
        signed: true,
        run: (p, { apiKey }) => t.spot.place(apiKey!, P(p), { test: true }),
      }],
      ["order.cancel", { weight: 0, signed: true, run: (p, { apiKey }) => t.spot.cancel(apiKey!, P(p)) }],
      ["order.status", {
        weight: 4,
        signed: true,
        run: (p, { apiKey }) => t.spot.orderJson(t.spot.find(apiKey!, P(p))),
      }],
      ["openOrders.status", {
        weight: (p) => (p.symbol ? 6 : 80),
        signed: true,
        run: (p, { apiKey }) =>
          t.spot.open(apiKey!, p.symbol as string | undefined).map((o) => t.spot.orderJson(o)),
      }],
      ["account.commission", { weight: 20, signed: true, run: (p) => commissionRates(t.spot, P(p)) }],
      ["account.status", {
        weight: 20,
        signed: true,
        run: (p, { apiKey }) =>
          t.spot.account(apiKey!).toJson(p.omitZeroBalances === true || p.omitZeroBalances === "true", 1),
      }],
      ["openOrders.cancelAll", {
        weight: 0,
        signed: true,
        run: (p, { apiKey }) => cancelAll(t.spot, apiKey!, P(p), has),
      }],
      ["order.cancelReplace", {
        weight: 0,
        signed: true,
        run: (p, { apiKey }) => cancelReplace(t.spot, apiKey!, P(p)),
      }],
      ["orderList.place", {
        weight: 0,
        signed: true,
        run: (p, { apiKey }) => legacyOco(t.spot, apiKey!, P(p)),
      }],
      ["orderList.place.oco", {
        weight: 0,
        signed: true,
        run: (p, { apiKey }) => t.spot.placeOco(apiKey!, P(p)),
      }],
      ["allOrders", {
        weight: 20,
        signed: true,
        run: (p, { apiKey }) => allOrders(t.spot, apiKey!, P(p), has),
      }],
      ["myTrades", {
        weight: 20,
        signed: true,
        run: (p, { apiKey }) => myTrades(t.spot, apiKey!, P(p), has),
      }],
      ["openOrderLists.status", {
        weight: 6,
        signed: true,
        run: (_p, { apiKey }) => orderLists(t.spot, apiKey!, true),
      }],
      ["allOrderLists", {
        weight: 20,
        signed: true,
        run: (_p, { apiKey }) => orderLists(t.spot, apiKey!, false),
      }],
      ["account.rateLimits.orders", {
        weight: 40,
        signed: true,
        run: (_p, { apiKey }) => orderRateLimits(t.spot, apiKey!, this.#core.now("spot")),
      }],
    ]);
  }

  #futuresMethods(): Map<string, Method> {
    const t = this.#t;
    const P = (p: Obj): Params => jsonParams(p);
    return new Map<string, Method>([
      ...this.#common("usdm"),
      ["order.place", { weight: 0, signed: true, run: (p, { apiKey }) => t.futures.place(apiKey!, P(p)) }],
      ["order.cancel", { weight: 1, signed: true, run: (p, { apiKey }) => t.futures.cancel(apiKey!, P(p)) }],
      ["algoOrder.place", {
        weight: 0,
        signed: true,
        run: (p, { apiKey }) => t.futures.algo!.place(apiKey!, P(p)),
      }],
      ["algoOrder.cancel", {
        weight: 1,
        signed: true,
        run: (p, { apiKey }) => t.futures.algo!.cancel(apiKey!, P(p)),
      }],
      ["order.status", {
        weight: 1,
        signed: true,
        run: (p, { apiKey }) => t.futures.orderJson(t.futures.find(apiKey!, P(p))),
      }],
      ["account.balance", {
        weight: 5,
        signed: true,
        run: (_p, { apiKey }) => balancesJson(t.futures, apiKey!, this.#core.now("usdm")),
      }],
      ["account.status", {
        weight: 5,
        signed: true,
        run: (_p, { apiKey }) => accountJson(t.futures, apiKey!, this.#core.now("usdm")),
      }],
      ["userDataStream.start", {
        weight: 1,
        signed: false,
        run: (p) => {
          const k = String(p.apiKey ?? "");
          if (!t.keys.has(k)) throw rejectedKey();
          return { listenKey: t.userData.createListenKey(k) };
        },
      }],
      ["userDataStream.ping", {
        weight: 1,
        signed: false,
        run: (p) => {
          const k = String(p.apiKey ?? "");
          if (!t.keys.has(k)) throw rejectedKey();
          return { listenKey: t.userData.keepAlive(k) };
        },
      }],
      ["userDataStream.stop", {
        weight: 1,
        signed: false,
        run: (p) => {
          const k = String(p.apiKey ?? "");
          if (!t.keys.has(k)) throw rejectedKey();
          t.userData.deleteListenKey(k);
          return {};
        },
      }],
    ]);
  }
}
