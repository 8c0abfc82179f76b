/**
 * Types of the WebSocket-API session (`api_session.ts`): responses, request options, user-data
 * modes and session options.
 *
 * @module
 */
import type { ConnectionTimings, WebSocketConstructor } from "./connection.ts";
import type { Connection } from "./connection.ts";

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
    /**
     * Called instead of the session's own renewal when the token is due (a quarter of its validity)
     * or a foreign `eventStreamTerminated` arrives: the owner renews on a second connection
     * that overlaps this one (the manager does; see `_token_stream.ts`).
     */
    readonly renew?: () => void;
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
  /** A connection attempt failed before it opened (the reason names the origin). */
  readonly onConnectFailed?: (reason: string) => void;
  /** A frame without a request id: a user-data event (or another server event). */
  readonly onEvent: (text: string) => void;
  /** A response whose request asked for `deliver`. */
  readonly onDeliver: (response: WsApiResponse, text: string) => void;
  /** The user-data subscription was acknowledged (after every (re)connect). */
  readonly onSubscribed?: () => void;
  /** A rotation finished: `conn` is the connection new requests go to now. */
  readonly onRotated?: (conn: Connection, replaced: Connection) => void;
}
