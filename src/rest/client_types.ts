/**
 * Option and endpoint-description types of the REST client.
 *
 * @module
 */
import type { RestFamily, RestOrigins } from "../core/exchanges.ts";
import type { WeightBudgetOptions } from "./usage.ts";

/** HTTP methods Binance REST uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/**
 * Security of an endpoint: public; `MARKET_DATA` (public, the API key is sent when configured);
 * API-key header only (listenKey); or signed.
 */
export type Security = "NONE" | "MARKET_DATA" | "API_KEY" | "SIGNED";

/** Describes one Binance endpoint. */
export interface EndpointSpec {
  /** HTTP method. */
  readonly method: HttpMethod;
  /** API family whose origin serves the path. */
  readonly family: RestFamily;
  /** Path incl. version prefix (`/api/v3/order`). */
  readonly path: string;
  /** Security type. */
  readonly security: Security;
  /** Request weight (for the client-side budget); default 1. */
  readonly weight?: number;
  /**
   * Order placement: the named client-id parameter is filled when absent, and the call is never
   * retried blindly (`newClientOrderId` for orders, `listClientOrderId` for order lists,
   * `clientAlgoId` for USDⓈ-M algo orders).
   */
  readonly placesOrder?: "newClientOrderId" | "listClientOrderId" | "clientAlgoId" | "clientOrderId";
}

/** Test and simulation hooks for time. */
export interface RestClock {
  /** Local epoch milliseconds. */
  now(): number;
  /** Waits `ms` milliseconds; rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * A Web Crypto key (`CryptoKey`), spelled through the global `CryptoKey` value that the DOM, Deno
 * and `@types/node` libs all declare (`@types/node` declares no global `CryptoKey` type), so the
 * declarations type-check for Node users without the `dom` lib.
 */
export type WebCryptoKey = typeof CryptoKey.prototype;

/** Options of the REST client. */
export interface RestClientOptions {
  /** Venue (a suite exchange string); default `"binance.com"`. */
  readonly exchange?: string;
  /** API key, sent as `X-MBX-APIKEY` on key-protected and signed calls only. */
  readonly apiKey?: string;
  /** HMAC secret, or a PEM private key (the type is detected from the key). */
  readonly apiSecret?: string;
  /** RSA or Ed25519 PEM private key, or a `CryptoKey` with the `sign` usage. */
  readonly privateKey?: string | WebCryptoKey;
  /** Origin used for every API family the venue serves (e.g. the emulator's `restUrl`). */
  readonly baseUrl?: string;
  /** Origins per API family; win over `baseUrl` and the venue's defaults. */
  readonly baseUrls?: RestOrigins;
  /** `fetch` implementation (a proxy-aware one, a test fake); default the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** `recvWindow` sent with signed calls (ms, at most 60000); omitted when unset. */
  readonly recvWindow?: number;
  /** Re-measure the server-time offset when the last measurement is older than this (ms, default 900 000). */
  readonly timeSyncIntervalMs?: number;
  /** Per-request timeout in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Retries of idempotent GETs after network errors or 5xx (default 3). */
  readonly maxRetries?: number;
  /** Jittered backoff of those retries (default base 200 ms, cap 5 000 ms). */
  readonly backoff?: { readonly baseMs?: number; readonly maxMs?: number };
  /** Waits after a 429 before giving up with `RateLimitError` (default 2). */
  readonly maxRateLimitRetries?: number;
  /** A `Retry-After` longer than this (ms) is not waited for (default 60 000). */
  readonly maxRetryAfterMs?: number;
  /** Client-side weight budget per API family (spot `api`/`sapi` share Binance's IP limit). */
  readonly weightBudget?: WeightBudgetOptions;
  /** Prefix of generated client order ids (default `"ub"`). */
  readonly clientOrderIdPrefix?: string;
  /** Random source for jitter and ids (tests). */
  readonly random?: () => number;
  /** Time source and sleep (tests, simulations). */
  readonly clock?: RestClock;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call (and any wait inside it). */
  readonly signal?: AbortSignal;
}
