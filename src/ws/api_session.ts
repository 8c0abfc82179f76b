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
 * Rotation (after `rotateAfterMs`, default 23.5 h, and on `serverShutdown`) is make-before-break:
 * a second connection opens, logs on and subscribes the user data; then new requests go to it,
 * requests in flight on the old one settle there, and the old one closes once none is left (or
 * after `rotationOverlapMaxMs`). User-data events both carry meanwhile are delivered once.
 *
 * @module
 */
import { BinanceApiError } from "../core/errors.ts";
import { parseJson, stringifyJson } from "../core/json.ts";
import { createSigner, type Signer, signWsApiParams } from "../rest/sign.ts";
import type { Params } from "../rest/_format.ts";
import { toApiError, wireParams } from "./_api_wire.ts";
import { OverlapDedupe } from "./_overlap_dedupe.ts";
import { Connection } from "./connection.ts";
import { StreamUnrepairableError, WebSocketRequestError } from "./errors.ts";

export type { ApiRequestOptions, ApiSessionOptions, UserDataMode, WsApiResponse } from "./api_types.ts";
import type { ApiRequestOptions, ApiSessionOptions, WsApiResponse } from "./api_types.ts";

interface Pending {
  readonly method: string;
  readonly resolve: (r: WsApiResponse) => void;
  readonly reject: (e: unknown) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly options: ApiRequestOptions;
  /** Builds the frame at send time (fresh timestamp and signature). */
  readonly build: () => Promise<string>;
  /** The connection it went out on (undefined while queued). */
  link: Link | undefined;
  /** Send on this connection only (logon and subscription of a rotation replacement). */
  readonly pin?: Link;
}

/** One physical connection of a session (two during a rotation). */
interface Link {
  readonly conn: Connection;
  /** Logged on and subscribed: requests may go out. */
  ready: boolean;
}

/** Binance codes that retrying with the same key cannot fix. */
const AUTH_CODES = new Set([-2014, -2015, -1022, -1099]);

/** One WebSocket-API session: one connection, two while it rotates. */
export class ApiSession {
  readonly #o: ApiSessionOptions;
  readonly #signer: Signer | undefined;
  readonly #logon: boolean;
  readonly #pending = new Map<string, Pending>();
  readonly #outbox: string[] = [];
  readonly #rotateAfterMs: number;
  readonly #drainMaxMs: number;
  readonly #dedupe = new OverlapDedupe<Link>();
  #active: Link;
  #next: Link | undefined;
  #draining: Link | undefined;
  #drainTimer: ReturnType<typeof setTimeout> | undefined;
  #rotateTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #tokenTimer: ReturnType<typeof setTimeout> | undefined;
  /** Completed rotations. */
  rotations = 0;

  /**
   * @param options URL, constructor, keys, user-data mode and callbacks.
   * @throws {TypeError} On an invalid key, or logon requested with a key that is not Ed25519.
   */
  constructor(options: ApiSessionOptions) {
    this.#o = options;
    this.#signer = options.apiSecret ? createSigner(options.apiSecret, "apiSecret") : undefined;
    const ed = this.#signer?.keyType === "ed25519";
    if (options.logon && !ed) throw new TypeError("Invalid logon: session.logon needs an Ed25519 key");
    this.#logon = options.logon ?? ed;
    if (options.userData?.kind === "logon" && !this.#logon) {
      throw new TypeError("Invalid userData: subscribing after logon needs an Ed25519 key");
    }
    // listen-token sessions are replaced by their renewals (see _token_stream.ts)
    this.#rotateAfterMs = options.userData?.kind === "listenToken"
      ? 0
      : options.rotateAfterMs ?? 23.5 * 3600_000;
    this.#drainMaxMs = options.rotationOverlapMaxMs ?? 10_000;
    this.#active = this.#newLink();
  }

  #newLink(): Link {
    const o = this.#o;
    const link: Link = {
      // one frame per request, no SUBSCRIBE pacing; the session rotates itself (see above)
      conn: new Connection(
        { ...o, WebSocket: o.WebSocket, perSecond: 1000, rotateAfterMs: 0, stallTimeoutMs: 0 },
        {
          url: () => o.url,
          onOpen: () => void this.#onOpen(link),
          onFrame: (text) => this.#onFrame(link, text),
          onDisconnect: (reason) => this.#onLinkDown(link, reason),
          onUnrepairable: (reason) => {
            if (link === this.#next) return this.#abandonNext();
            if (link !== this.#active) return;
            this.#shutdown("stop", reason);
            o.onUnrepairable(reason);
          },
          onConnectFailed: (reason) => {
            if (link === this.#active) o.onConnectFailed?.(reason);
            else if (link === this.#next) this.#abandonNext();
          },
          probe: () => JSON.stringify({ id: crypto.randomUUID(), method: "ping" }),
        },
      ),
      ready: false,
    };
    return link;
  }

  /** The connection new requests go to. */
  get conn(): Connection {
    return this.#active.conn;
  }

  /** The key type of the session's key, if it has one. */
  get keyType(): Signer["keyType"] | undefined {
    return this.#signer?.keyType;
  }

  /** Requests waiting for a response (sent or queued). */
  get inFlight(): number {
    return this.#pending.size;
  }

  /**
   * Connects.
   *
   * @param options `replacement`: the session replaces one that keeps delivering until it is up
   *   (a listen-token renewal): its first connection attempt does not wait for the attempt budget.
   */
  start(options: { readonly replacement?: boolean } = {}): void {
    this.#active.conn.start(options);
  }

  /**
   * Starts a make-before-break rotation now (no-op while one runs or the session is not open).
   */
  rotate(): void {
    if (this.#stopped || this.#next || !this.#active.ready || this.#isToken()) return;
    this.#next = this.#newLink();
    this.#dedupe.overlapping = true;
    this.#next.conn.start();
  }

  #isToken(): boolean {
    return this.#o.userData?.kind === "listenToken";
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
    return this.#request(undefined, method, params, options);
  }

  #request(
    pin: Link | undefined,
    method: string,
    params: Params,
    options: ApiRequestOptions,
  ): Promise<WsApiResponse> {
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
      this.#pending.set(id, { method, resolve, reject, timer, options, build, link: undefined, pin });
    });
    // with a callback route the caller may not await: keep a rejection from going unhandled
    if (options.onResponse || options.deliver) promise.catch(() => {});
    if (pin !== undefined || this.#active.ready || method === "session.logon") void this.#send(id);
    else this.#outbox.push(id);
    return promise;
  }

  /** Stops the session; every open request rejects with reason `stop`. */
  stop(): void {
    this.#shutdown("stop", "the manager stopped the stream");
    for (const l of [this.#active, this.#next, this.#draining]) l?.conn.stop();
    this.#next = this.#draining = undefined;
  }

  #shutdown(reason: "stop", detail: string): void {
    this.#stopped = true;
    this.#active.ready = false;
    for (const t of [this.#tokenTimer, this.#drainTimer, this.#rotateTimer]) clearTimeout(t);
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
    this.#maybeDrained();
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
    // the connection is chosen when the frame goes out: a rotation may have finished meanwhile
    const link = p.pin ?? this.#active;
    if (!link.conn.send(text)) {
      if (p.pin === undefined) this.#outbox.push(id);
      return;
    }
    p.link = link;
  }

  /** Rejects the requests sent on `link` (they got no answer: `disconnect`); queued ones wait. */
  #rejectSent(link: Link, detail: string): void {
    for (const [id, p] of this.#pending) {
      if (p.link !== link && p.pin !== link) {
        if (p.link === undefined && p.pin === undefined && !this.#outbox.includes(id)) this.#outbox.push(id);
        continue;
      }
      clearTimeout(p.timer);
      this.#pending.delete(id);
      p.reject(
        new WebSocketRequestError(`Request ${p.method} got no response: connection lost (${detail})`, {
          reason: "disconnect",
          requestId: id,
          method: p.method,
        }),
      );
    }
  }

  #onLinkDown(link: Link, reason: string): void {
    link.ready = false;
    this.#rejectSent(link, reason);
    if (link === this.#active) {
      clearTimeout(this.#rotateTimer);
      this.#o.onDisconnect(reason);
    } else if (link === this.#next) this.#abandonNext();
    else if (link === this.#draining) this.#finishDrain();
  }

  async #onOpen(link: Link): Promise<void> {
    const rotation = link === this.#next;
    if (!rotation) this.#o.onConnect();
    try {
      if (this.#logon) await this.#signedRaw(link, "session.logon");
      if (rotation) {
        await this.#subscribeUserData(link);
        if (link === this.#next) this.#promote(link);
        return;
      }
      link.ready = true;
      for (const id of this.#outbox.splice(0)) void this.#send(id);
      await this.#subscribeUserData(link);
      if (this.#o.userData && !this.#stopped) this.#o.onSubscribed?.();
      if (this.#rotateAfterMs > 0 && link === this.#active) {
        clearTimeout(this.#rotateTimer);
        this.#rotateTimer = setTimeout(() => this.rotate(), this.#rotateAfterMs);
      }
    } catch (e) {
      if (rotation) this.#abandonNext();
      else this.#handleSetupError(e);
    }
  }

  /** The replacement is logged on and subscribed: new requests go there, the old one drains. */
  #promote(link: Link): void {
    const old = this.#active;
    // the old connection was lost meanwhile (DISCONNECT was reported): this is its reconnect
    const wasDown = !old.ready;
    this.#next = undefined;
    this.#active = link;
    link.ready = true;
    old.ready = false;
    if (wasDown) this.#o.onConnect();
    this.#dedupe.overlapping = false;
    this.#dedupe.forgetExcept([old, link]);
    this.rotations++;
    this.#o.onRotated?.(link.conn, old.conn);
    for (const id of this.#outbox.splice(0)) void this.#send(id);
    this.#draining = old;
    this.#drainTimer = setTimeout(() => this.#finishDrain(), this.#drainMaxMs);
    this.#maybeDrained();
    if (this.#rotateAfterMs > 0) {
      clearTimeout(this.#rotateTimer);
      this.#rotateTimer = setTimeout(() => this.rotate(), this.#rotateAfterMs);
    }
  }

  #maybeDrained(): void {
    const d = this.#draining;
    if (d === undefined) return;
    for (const p of this.#pending.values()) if (p.link === d) return;
    this.#finishDrain();
  }

  #finishDrain(): void {
    const d = this.#draining;
    if (d === undefined) return;
    this.#draining = undefined;
    clearTimeout(this.#drainTimer);
    // what is still open there gets no answer any more
    this.#rejectSent(d, "rotated");
    d.conn.stop();
  }

  #abandonNext(): void {
    const n = this.#next;
    if (n === undefined) return;
    this.#next = undefined;
    this.#dedupe.overlapping = false;
    n.conn.stop();
    this.#rejectSent(n, "rotation abandoned");
  }

  async #subscribeUserData(link: Link): Promise<void> {
    const ud = this.#o.userData;
    if (!ud || this.#stopped) return;
    if (ud.kind === "signature") await this.#signedRaw(link, "userDataStream.subscribe.signature");
    else if (ud.kind === "logon") await this.#request(link, "userDataStream.subscribe", {}, {});
    else await this.#subscribeToken(link, await ud.getToken());
  }

  /** Subscribes a listen token and schedules its renewal (by the owner, see `UserDataMode`). */
  async #subscribeToken(link: Link, fresh: { token: string; expirationTime: number }): Promise<void> {
    await this.#request(link, "userDataStream.subscribe.listenToken", { listenToken: fresh.token }, {});
    // no auto-renewal on Binance's side: renew after a quarter of the remaining validity, well
    // before the token expires (a renewal after expiry races the server's eventStreamTerminated;
    // the slack covers a slow REST call or a busy event loop)
    const wait = Math.max(100, (fresh.expirationTime - Date.now()) * 0.25);
    clearTimeout(this.#tokenTimer);
    this.#tokenTimer = setTimeout(() => this.#renewDue(), wait);
  }

  #renewDue(): void {
    const ud = this.#o.userData;
    if (this.#stopped || ud?.kind !== "listenToken") return;
    // without an owner renewing on a second connection, a reconnect subscribes a fresh token
    if (ud.renew) ud.renew();
    else this.#active.conn.reconnect("listenToken renewal");
  }

  /** `session.logon` / `userDataStream.subscribe.signature`: apiKey + timestamp signed. */
  async #signedRaw(link: Link, method: string): Promise<WsApiResponse> {
    if (!this.#signer || !this.#o.apiKey) {
      throw new StreamUnrepairableError(`Missing apiKey/apiSecret for ${method}`);
    }
    const p: Record<string, unknown> = { apiKey: this.#o.apiKey, timestamp: Date.now() };
    p.signature = await signWsApiParams(this.#signer, p as Params);
    return this.#request(link, method, p as Params, {});
  }

  #handleSetupError(e: unknown): void {
    if (this.#stopped) return;
    if (e instanceof BinanceApiError && (AUTH_CODES.has(e.code) || e.status === 401)) {
      this.#active.conn.fail(`authentication failed: ${e.message}`);
    } else if (e instanceof StreamUnrepairableError) {
      this.#active.conn.fail(e.message);
    } else {
      this.#active.conn.reconnect(`setup failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  #onFrame(link: Link, text: string): void {
    let obj: Record<string, unknown>;
    try {
      obj = parseJson<Record<string, unknown>>(text);
    } catch {
      return;
    }
    const id = obj?.id;
    if (typeof id === "string" || typeof id === "number") {
      link.conn.markData();
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
      if (p.link === this.#draining) this.#maybeDrained();
      return;
    }
    if (link !== this.#active && link !== this.#next && link !== this.#draining) return;
    if (obj && "status" in obj && obj.status === 401) {
      // the logged-on key was revoked: {"id":null,"status":401,…}
      link.conn.fail(`authentication revoked: ${(obj.error as { msg?: string } | undefined)?.msg ?? "401"}`);
      return;
    }
    const ev = obj?.event as { e?: string } | undefined;
    if (ev?.e === "serverShutdown") {
      // make-before-break: the replacement takes over before this connection closes
      if (this.#isToken()) this.#renewDue();
      else if (link === this.#active && this.#rotateAfterMs > 0 && this.#active.ready) this.rotate();
      else if (link === this.#active) link.conn.reconnect("serverShutdown");
      return;
    }
    if (ev?.e === "eventStreamTerminated" && this.#isToken() && link === this.#active) this.#renewDue();
    link.conn.markData();
    const i = text.indexOf('"event":');
    if (this.#dedupe.admit(link, i < 0 ? text : text.slice(i))) this.#o.onEvent(text);
  }
}
