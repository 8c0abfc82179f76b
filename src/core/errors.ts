/**
 * The error hierarchy of unicorn-binance.
 *
 * Bad arguments raise the built-in `TypeError` / `RangeError`; failures of Binance or of the
 * connection to it raise a {@link BinanceError} (or a subclass), so a caller can tell "I called
 * it wrong" from "Binance said no" with one `instanceof`:
 *
 * ```
 * BinanceError                 base, `cause` preserved
 * └─ BinanceApiError           Binance answered with an error: `code`, `status`, `endpoint`
 *    ├─ RateLimitError         HTTP 429 / -1003 / -1015: `retryAfter` (ms to wait)
 *    └─ IpBannedError          HTTP 418: `until` (epoch ms when the ban ends)
 * ```
 *
 * Every class sets a literal `name`, and the `is*` guards accept an error from another realm
 * (a worker, an iframe, a second copy of this package) by its `name` when `instanceof` fails.
 * Messages never contain secrets: `endpoint` is reduced to method and path, any query string
 * (which may carry a signature) is cut off.
 *
 * @module
 */

/** Options of {@link BinanceApiError} (and the base of the subclasses' options). */
export interface BinanceApiErrorOptions {
  /** Binance error code (`-1121`, `-2010`, …); 0 when the answer had none. */
  readonly code?: number;
  /** HTTP status (or the WebSocket-API `status` field); 0 when there was none. */
  readonly status?: number;
  /** Method and path of the failed call, e.g. `"GET /api/v3/order"`; a query string is cut off. */
  readonly endpoint?: string;
  /** The `data` of Binance's error answer (e.g. the halves of a partly failed cancel-replace). */
  readonly data?: unknown;
  /** The underlying error, kept as `error.cause`. */
  readonly cause?: unknown;
}

/** Options of {@link RateLimitError}. */
export interface RateLimitErrorOptions extends BinanceApiErrorOptions {
  /** Milliseconds to wait before retrying (from `Retry-After`, seconds × 1000, or WS-API `retryAfter`). */
  readonly retryAfter: number;
}

/** Options of {@link IpBannedError}. */
export interface IpBannedErrorOptions extends BinanceApiErrorOptions {
  /** Epoch milliseconds at which the IP ban ends. */
  readonly until: number;
}

/**
 * Base class of every domain failure raised by unicorn-binance.
 *
 * @example Catching every library failure
 * ```ts
 * import { BinanceError } from "./errors.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const err = new BinanceError("Cannot reach Binance: connection refused", { cause: new Error("ECONNREFUSED") });
 * assertEquals(err.name, "BinanceError");
 * assertEquals((err.cause as Error).message, "ECONNREFUSED");
 * ```
 */
export class BinanceError extends Error {
  /**
   * Creates the error.
   *
   * @param message What failed and why (sentence case, no trailing period, no secrets).
   * @param options `cause`: the underlying error.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BinanceError";
  }
}

/**
 * Binance answered a request with an error (REST error body, WebSocket-API error response).
 *
 * @example
 * ```ts
 * import { BinanceApiError } from "./errors.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const err = new BinanceApiError("Binance rejected the order: Invalid symbol", {
 *   code: -1121,
 *   status: 400,
 *   endpoint: "POST /api/v3/order?symbol=X&signature=abc",
 * });
 * assertEquals([err.code, err.status, err.endpoint], [-1121, 400, "POST /api/v3/order"]);
 * ```
 */
export class BinanceApiError extends BinanceError {
  /** Binance error code (`-1121`, …); 0 when the answer had none. */
  readonly code: number;
  /** HTTP status (or the WebSocket-API `status` field); 0 when there was none. */
  readonly status: number;
  /** Method and path of the failed call (never a query string or signature). */
  declare readonly endpoint?: string;
  /**
   * The `data` of Binance's error answer, when it had one: a partly failed `order.cancelReplace`
   * (HTTP 409, `-2021`) carries `cancelResult`, `newOrderResult`, `cancelResponse` and
   * `newOrderResponse` there.
   */
  declare readonly data?: unknown;

  /**
   * Creates the error.
   *
   * @param message What failed and why (no secrets).
   * @param options Binance `code`, HTTP `status`, `endpoint`, `cause`.
   * @throws {TypeError} If `code` or `status` is not an integer.
   */
  constructor(message: string, options: BinanceApiErrorOptions = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.name = "BinanceApiError";
    this.code = integerField("code", options.code ?? 0);
    this.status = integerField("status", options.status ?? 0);
    const endpoint = sanitizeEndpoint(options.endpoint);
    if (endpoint !== undefined) this.endpoint = endpoint;
    if (options.data !== undefined) this.data = options.data;
  }
}

/**
 * A rate limit was hit (HTTP 429, `-1003 TOO_MANY_REQUESTS`, `-1015 TOO_MANY_ORDERS`): wait
 * `retryAfter` milliseconds before the next request of the same kind.
 */
export class RateLimitError extends BinanceApiError {
  /** Milliseconds to wait before retrying. */
  readonly retryAfter: number;

  /**
   * Creates the error.
   *
   * @param message What failed and why.
   * @param options `retryAfter` (ms) plus the {@link BinanceApiErrorOptions}.
   * @throws {RangeError} If `retryAfter` is negative or not finite.
   */
  constructor(message: string, options: RateLimitErrorOptions) {
    super(message, options);
    this.name = "RateLimitError";
    this.retryAfter = nonNegativeField("retryAfter", options.retryAfter);
  }
}

/**
 * The IP is banned (HTTP 418, after continuing despite 429s); bans last from 2 minutes to 3 days.
 * Nothing sent before `until` will succeed.
 */
export class IpBannedError extends BinanceApiError {
  /** Epoch milliseconds at which the ban ends. */
  readonly until: number;

  /**
   * Creates the error.
   *
   * @param message What failed and why.
   * @param options `until` (epoch ms) plus the {@link BinanceApiErrorOptions}.
   * @throws {RangeError} If `until` is negative or not finite.
   */
  constructor(message: string, options: IpBannedErrorOptions) {
    super(message, options);
    this.name = "IpBannedError";
    this.until = nonNegativeField("until", options.until);
  }
}

const API_ERROR_NAMES: ReadonlySet<string> = new Set(["BinanceApiError", "RateLimitError", "IpBannedError"]);
const ALL_NAMES: ReadonlySet<string> = new Set(["BinanceError", ...API_ERROR_NAMES]);
const RATE_LIMIT_NAMES: ReadonlySet<string> = new Set(["RateLimitError"]);
const IP_BANNED_NAMES: ReadonlySet<string> = new Set(["IpBannedError"]);

function hasName(e: unknown, names: ReadonlySet<string>): boolean {
  return typeof e === "object" && e !== null && typeof (e as { name?: unknown }).name === "string" &&
    names.has((e as { name: string }).name) && typeof (e as { message?: unknown }).message === "string";
}

/**
 * Tells whether a value is a {@link BinanceError} (any subclass), also across realms.
 *
 * @param e Any caught value.
 * @returns `true` for a `BinanceError` or an error object named like one of its classes.
 */
export function isBinanceError(e: unknown): e is BinanceError {
  return e instanceof BinanceError || hasName(e, ALL_NAMES);
}

/**
 * Tells whether a value is a {@link BinanceApiError} (incl. rate-limit and ban errors), also across realms.
 *
 * @param e Any caught value.
 * @returns `true` when `e` carries Binance's `code` and `status`.
 */
export function isBinanceApiError(e: unknown): e is BinanceApiError {
  return e instanceof BinanceApiError || hasName(e, API_ERROR_NAMES);
}

/**
 * Tells whether a value is a {@link RateLimitError}, also across realms.
 *
 * @param e Any caught value.
 * @returns `true` when `e` is a rate-limit error.
 */
export function isRateLimitError(e: unknown): e is RateLimitError {
  return e instanceof RateLimitError || hasName(e, RATE_LIMIT_NAMES);
}

/**
 * Tells whether a value is an {@link IpBannedError}, also across realms.
 *
 * @param e Any caught value.
 * @returns `true` when `e` is an IP-ban error.
 */
export function isIpBannedError(e: unknown): e is IpBannedError {
  return e instanceof IpBannedError || hasName(e, IP_BANNED_NAMES);
}

/**
 * Reads the ban end from a Binance `-1003` message such as
 * `"Way too much request weight used; IP banned until 1659146400000. Please use WebSocket Streams …"`.
 *
 * @param message The `msg` of the error body.
 * @returns The epoch milliseconds after "banned until", or `undefined` when the message has none.
 *
 * @example
 * ```ts
 * import { parseBannedUntil } from "./errors.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(parseBannedUntil("Way too much request weight used; IP banned until 1659146400000."), 1659146400000);
 * assertEquals(parseBannedUntil("Too many requests"), undefined);
 * ```
 */
export function parseBannedUntil(message: string): number | undefined {
  const m = /banned until (\d{10,16})/i.exec(message);
  return m ? Number(m[1]) : undefined;
}

function integerField(name: string, value: number): number {
  if (!Number.isInteger(value)) {
    throw new TypeError(`Invalid ${name}: expected an integer, got ${String(value)}`);
  }
  return value;
}

function nonNegativeField(name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`Invalid ${name}: expected a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/** Keeps method and path; drops query string and fragment (they may hold a signature or listenKey). */
function sanitizeEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  const cut = endpoint.search(/[?#]/);
  return (cut === -1 ? endpoint : endpoint.slice(0, cut)).trim();
}
