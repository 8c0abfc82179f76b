/**
 * One WebSocket-API connection (spot `ws-api/v3`, USDⓈ-M `ws-fapi/v1`): request ids, signing
 * (HMAC, RSA, Ed25519 via `rest/sign.ts`), `session.logon` for Ed25519 keys (again after every
 * reconnect), user-data subscriptions (`userDataStream.subscribe.signature`,
 * `userDataStream.subscribe` after logon, `userDataStream.subscribe.listenToken` with renewal)
 * and settlement of every request: it resolves with its response, or rejects on an error
 * response, on timeout, on disconnect or on stop — never waits forever.
 *
 * Waiters are registered before a request is sent; requests made while the socket is down or
 * logging on wait in an outbox (their timeout runs) and go out once it is ready.
 *
 * @module
 */
import { BinanceApiError, IpBannedError, RateLimitError } from "../core/errors.ts";
import { parseJson, stringifyJson } from "../core/json.ts";
import { createSigner, type Signer, signWsApiParams } from "../rest/sign.ts";
import { formatNumber, type Params } from "../rest/_format.ts";
import { Connection, type ConnectionTimings, type WebSocketConstructor } from "./connection.ts";
import { StreamUnrepairableError, WebSocketRequestError } from "./errors.ts";

/** A WebSocket-API response. */
export interface WsApiResponse {
  /** The request id. */
  readonly id: string;
  /** HTTP-like status (200 = success). */
  readonly status: number;
  /** The result on success. */
  readonly result?: unknown;
  /** The error on failure. */
  readonly error?: { readonly code: number; readonly msg: string; readonly data?: unknown };
  /** Rate-limit counters, when Binance sends them. */
  readonly rateLimits?: readonly unknown[];
}

/** Per-request options. */
export interface ApiRequestOptions {
  /** Add `timestamp` and sign (or rely on `session.logon`). */
  readonly signed?: boolean;
  /** Reject with a `timeout` {@link WebSocketRequestError} after this long. Default: the session's (10 000). */
  readonly timeoutMs?: number;
  /** Called with the response (success or error). */
  readonly onResponse?: (response: WsApiResponse) => void;
  /** Also hand the response to the stream's consumers (callback, iterator, buffer). */
  readonly deliver?: boolean;
  /** Request id; default a random UUID (36 characters, as Binance allows). */
  readonly requestId?: string;
}

/** How a session subscribes user data. */
export type UserDataMode =
  | { readonly kind: "signature" }
  | { readonly kind: "logon" }
  | {
    readonly kind: "listenToken";
    /** Fetches a fresh token (`POST /sapi/v1/userListenToken`). */
    readonly getToken: () => Promise<{ readonly token: string; readonly expirationTime: number }>;
  };

/** Options of {@link ApiSession}. */
export interface ApiSessionOptions extends ConnectionTimings {
  readonly url: string;
  readonly WebSocket: WebSocketConstructor;
  readonly apiKey?: string;
  /** HMAC secret or PEM private key. */
  readonly apiSecret?: string;
  /** Log on with `session.logon` (Ed25519 keys only). Default: true for Ed25519 keys. */
  readonly logon?: boolean;
  readonly userData?: UserDataMode;
  readonly requestTimeoutMs?: number;
  readonly onConnect: () => void;
  readonly onDisconnect: (reason: string) => void;
  readonly onUnrepairable: (reason: string) => void;
  /** A frame without a request id: a user-data event (or another server event). */
  readonly onEvent: (text: string) => void;
  /** A response whose request asked for `deliver`. */
  readonly onDeliver: (response: WsApiResponse, text: string) => void;
}

interface Pending {
  readonly method: string;
  readonly resolve: (r: WsApiResponse) => void;
  readonly reject: (e: unknown) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly options: ApiRequestOptions;
  /** Builds the frame at send time (fresh timestamp and signature). */
  readonly build: () => Promise<string>;
  sent: boolean;
}

/** Binance codes that retrying with the same key cannot fix. */
const AUTH_CODES = new Set([-2014, -2015, -1022, -1099]);

/** One WebSocket-API connection. */
export class ApiSession {
  readonly #o: ApiSessionOptions;
  readonly #signer: Signer | undefined;
  readonly #logon: boolean;
  readonly conn: Connection;
  readonly #pending = new Map<string, Pending>();
  readonly #outbox: string[] = [];
  #ready = false;
  #stopped = false;
  #tokenTimer: ReturnType<typeof setTimeout> | undefined;
  #subscriptionId: unknown = undefined;
  #selfTerminations = 0;
  /** The renewal in flight: a timer and an `eventStreamTerminated` must not renew twice at once. */
  #renewing: Promise<void> | undefined;

  /**
   * @param options URL, constructor, keys, user-data mode and callbacks.
   * @throws {TypeError} On an invalid key, or logon requested with a key that is not Ed25519.
   */
  constructor(options: ApiSessionOptions) {
    this.#o = options;
    this.#signer = options.apiSecret ? createSigner(options.apiSecret) : undefined;
    const ed = this.#signer?.keyType === "ed25519";
    if (options.logon && !ed) throw new TypeError("Invalid logon: session.logon needs an Ed25519 key");
    this.#logon = options.logon ?? ed;
    if (options.userData?.kind === "logon" && !this.#logon) {
      throw new TypeError("Invalid userData: subscribing after logon needs an Ed25519 key");
    }
    this.conn = new Connection(
      // one frame per request, no SUBSCRIBE pacing; no rotation (it would duplicate requests)
      { ...options, WebSocket: options.WebSocket, perSecond: 1000, rotateAfterMs: 0, stallTimeoutMs: 0 },
      {
        url: () => options.url,
        onOpen: () => void this.#onOpen(),
        onFrame: (text) => this.#onFrame(text),
        onDisconnect: (reason) => {
          this.#ready = false;
          this.#rejectSent("disconnect", reason);
          options.onDisconnect(reason);
        },
        onUnrepairable: (reason) => {
          this.#shutdown("stop", reason);
          options.onUnrepairable(reason);
        },
        probe: () => JSON.stringify({ id: crypto.randomUUID(), method: "ping" }),
      },
    );
  }

  /** The key type of the session's key, if it has one. */
  get keyType(): Signer["keyType"] | undefined {
    return this.#signer?.keyType;
  }

  /** Requests waiting for a response (sent or queued). */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** Connects. */
  start(): void {
    this.conn.start();
  }

  /**
   * Sends a request and waits for its response.
   *
   * @param method WebSocket-API method, e.g. `"order.place"`.
   * @param params Its params (`apiKey`, `timestamp`, `signature` are added for signed calls).
   * @param options Signing, timeout and response routes.
   * @returns The response (status 2xx).
   * @throws {BinanceApiError} (or `RateLimitError` / `IpBannedError`) for an error response.
   * @throws {WebSocketRequestError} On timeout, disconnect or stop.
   */
  request(method: string, params: Params = {}, options: ApiRequestOptions = {}): Promise<WsApiResponse> {
    const id = options.requestId ?? crypto.randomUUID();
    if (this.#stopped) {
      return Promise.reject(
        new WebSocketRequestError(`Cannot send ${method}: the session is stopped`, {
          reason: "stop",
          requestId: id,
          method,
        }),
      );
    }
    if (options.signed && !this.#signer && !this.#logon) {
      return Promise.reject(new TypeError(`Missing apiSecret: ${method} is a signed method`));
    }
    const build = async (): Promise<string> => {
      let p: Record<string, unknown> = wireParams(params);
      if (options.signed) {
        p.timestamp = Date.now();
        if (!this.#logon) {
          p = { apiKey: this.#o.apiKey, ...p };
          p.signature = await signWsApiParams(this.#signer as Signer, p as Params);
        }
      }
      return stringifyJson(Object.keys(p).length ? { id, method, params: p } : { id, method });
    };
    const timeoutMs = options.timeoutMs ?? this.#o.requestTimeoutMs ?? 10_000;
    const promise = new Promise<WsApiResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#forget(id);
        reject(
          new WebSocketRequestError(`No response to ${method} within ${timeoutMs} ms`, {
            reason: "timeout",
            requestId: id,
            method,
          }),
        );
      }, timeoutMs);
      this.#pending.set(id, { method, resolve, reject, timer, options, build, sent: false });
    });
    // with a callback route the caller may not await: keep a rejection from going unhandled
    if (options.onResponse || options.deliver) promise.catch(() => {});
    if (this.#ready || method === "session.logon") void this.#send(id);
    else this.#outbox.push(id);
    return promise;
  }

  /** Stops the session; every open request rejects with reason `stop`. */
  stop(): void {
    this.#shutdown("stop", "the manager stopped the stream");
    this.conn.stop();
  }

  #shutdown(reason: "stop", detail: string): void {
    this.#stopped = true;
    this.#ready = false;
    if (this.#tokenTimer !== undefined) clearTimeout(this.#tokenTimer);
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      p.reject(
        new WebSocketRequestError(`Request ${p.method} ended: ${detail}`, {
          reason,
          requestId: id,
          method: p.method,
        }),
      );
    }
    this.#pending.clear();
    this.#outbox.length = 0;
  }

  #forget(id: string): void {
    this.#pending.delete(id);
    const i = this.#outbox.indexOf(id);
    if (i >= 0) this.#outbox.splice(i, 1);
  }

  async #send(id: string): Promise<void> {
    const p = this.#pending.get(id);
    if (!p) return;
    let text: string;
    try {
      text = await p.build();
    } catch (e) {
      this.#forget(id);
      clearTimeout(p.timer);
      p.reject(e);
      return;
    }
    if (!this.#pending.has(id)) return;
    if (!this.conn.send(text)) {
      this.#outbox.push(id);
      return;
    }
    p.sent = true;
  }

  #rejectSent(reason: "disconnect", detail: string): void {
    for (const [id, p] of this.#pending) {
      if (!p.sent) {
        if (!this.#outbox.includes(id)) this.#outbox.push(id);
        continue;
      }
      clearTimeout(p.timer);
      this.#pending.delete(id);
      p.reject(
        new WebSocketRequestError(`Request ${p.method} got no response: connection lost (${detail})`, {
          reason,
          requestId: id,
          method: p.method,
        }),
      );
    }
  }

  async #onOpen(): Promise<void> {
    this.#o.onConnect();
    try {
      if (this.#logon) {
        await this.#signedRaw("session.logon");
      }
      this.#ready = true;
      for (const id of this.#outbox.splice(0)) void this.#send(id);
      await this.#subscribeUserData();
    } catch (e) {
      this.#handleSetupError(e);
    }
  }

  async #subscribeUserData(): Promise<void> {
    const ud = this.#o.userData;
    if (!ud || this.#stopped) return;
    let res: WsApiResponse;
    if (ud.kind === "signature") {
      res = await this.#signedRaw("userDataStream.subscribe.signature");
    } else if (ud.kind === "logon") {
      res = await this.request("userDataStream.subscribe");
    } else {
      res = await this.#subscribeToken(await ud.getToken());
    }
    this.#subscriptionId = (res.result as { subscriptionId?: unknown } | undefined)?.subscriptionId;
  }

  #renewToken(): Promise<void> {
    this.#renewing ??= this.#renewTokenOnce().finally(() => {
      this.#renewing = undefined;
    });
    return this.#renewing;
  }

  async #renewTokenOnce(): Promise<void> {
    const ud = this.#o.userData;
    if (this.#stopped || !this.#ready || ud?.kind !== "listenToken") return;
    try {
      // The new token first (a REST round trip), then the old subscription is replaced.
      const fresh = await ud.getToken();
      if (this.#stopped || !this.#ready) return;
      const res = await this.#subscribeToken(fresh, this.#subscriptionId);
      this.#subscriptionId = (res.result as { subscriptionId?: unknown } | undefined)?.subscriptionId;
    } catch (e) {
      this.#handleSetupError(e);
    }
  }

  /**
   * Subscribes a listen token, replacing `replacing` when given, and schedules its renewal. One
   * subscription per account and connection is allowed, so the old one must end first: the
   * unsubscribe and the subscribe go out back to back, without waiting in between, and the server
   * handles a connection's requests in order — no event falls between the two subscriptions.
   */
  async #subscribeToken(
    fresh: { token: string; expirationTime: number },
    replacing?: unknown,
  ): Promise<WsApiResponse> {
    let unsubscribed: Promise<unknown> | undefined;
    if (replacing !== undefined) {
      this.#selfTerminations++;
      unsubscribed = this.request("userDataStream.unsubscribe", { subscriptionId: replacing as number });
    }
    const subscribed = this.request("userDataStream.subscribe.listenToken", { listenToken: fresh.token });
    if (unsubscribed) await unsubscribed;
    const res = await subscribed;
    // no auto-renewal on Binance's side: renew at 80 % of the remaining validity, well before the
    // token expires (a renewal after expiry races the server's eventStreamTerminated)
    const wait = Math.max(100, (fresh.expirationTime - Date.now()) * 0.8);
    if (this.#tokenTimer !== undefined) clearTimeout(this.#tokenTimer);
    this.#tokenTimer = setTimeout(() => void this.#renewToken(), wait);
    return res;
  }

  /** `userDataStream.subscribe.signature`: apiKey + timestamp signed, even on a logged-on session. */
  async #signedRaw(method: string): Promise<WsApiResponse> {
    if (!this.#signer || !this.#o.apiKey) {
      throw new StreamUnrepairableError(`Missing apiKey/apiSecret for ${method}`);
    }
    const p: Record<string, unknown> = { apiKey: this.#o.apiKey, timestamp: Date.now() };
    p.signature = await signWsApiParams(this.#signer, p as Params);
    return this.request(method, p as Params);
  }

  #handleSetupError(e: unknown): void {
    if (this.#stopped) return;
    if (e instanceof BinanceApiError && (AUTH_CODES.has(e.code) || e.status === 401)) {
      this.conn.fail(`authentication failed: ${e.message}`);
    } else if (e instanceof StreamUnrepairableError) {
      this.conn.fail(e.message);
    } else {
      this.conn.reconnect(`setup failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  #onFrame(text: string): void {
    let obj: Record<string, unknown>;
    try {
      obj = parseJson<Record<string, unknown>>(text);
    } catch {
      return;
    }
    const id = obj?.id;
    if (typeof id === "string" || typeof id === "number") {
      this.conn.markData();
      const p = this.#pending.get(String(id));
      if (!p) return;
      this.#pending.delete(String(id));
      clearTimeout(p.timer);
      const res = obj as unknown as WsApiResponse;
      if (p.options.onResponse) {
        try {
          p.options.onResponse(res);
        } catch {
          // a failing per-request callback must not break the session
        }
      }
      if (p.options.deliver) this.#o.onDeliver(res, text);
      if (res.status >= 200 && res.status < 300) p.resolve(res);
      else p.reject(toApiError(p.method, res));
      return;
    }
    if (obj && "status" in obj && obj.status === 401) {
      // the logged-on key was revoked: {"id":null,"status":401,…}
      this.conn.fail(`authentication revoked: ${(obj.error as { msg?: string } | undefined)?.msg ?? "401"}`);
      return;
    }
    const ev = obj?.event as { e?: string } | undefined;
    if (ev?.e === "serverShutdown") {
      this.conn.reconnect("serverShutdown");
      return;
    }
    if (ev?.e === "eventStreamTerminated" && this.#o.userData?.kind === "listenToken") {
      // our own unsubscribe during a renewal also ends with this event: only a foreign one renews
      if (this.#selfTerminations > 0) this.#selfTerminations--;
      else void this.#renewToken();
    }
    this.conn.markData();
    this.#o.onEvent(text);
  }
}

/** Drops null/undefined and writes fractional numbers as plain decimals (never `1e-7`), so the
 * JSON carries exactly the text that is signed. */
function wireParams(params: Params): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    out[k] = typeof v === "number" && !Number.isInteger(v) ? formatNumber(v) : v;
  }
  return out;
}

function toApiError(method: string, res: WsApiResponse): BinanceApiError {
  const code = typeof res.error?.code === "number" ? res.error.code : 0;
  const message = `Binance rejected ${method}: ${res.error?.msg ?? "unknown error"}`;
  const data = res.error?.data as { retryAfter?: number } | undefined;
  const endpoint = `WS ${method}`;
  if (res.status === 418) {
    return new IpBannedError(message, {
      code,
      status: 418,
      endpoint,
      until: data?.retryAfter ?? Date.now() + 120_000,
    });
  }
  if (res.status === 429) {
    const retryAfter = Math.max(0, (data?.retryAfter ?? Date.now()) - Date.now());
    return new RateLimitError(message, { code, status: 429, endpoint, retryAfter });
  }
  return new BinanceApiError(message, { code, status: res.status, endpoint });
}
