/**
 * The transport under every REST method: URL and venue resolution, parameter encoding, signing,
 * server-time offset, usage headers and budget, 429/418 handling, retries of idempotent calls,
 * order placement that is never retried blindly, and error mapping.
 *
 * This file is longer than the house limit on purpose: the request pipeline reads best as one
 * piece (each step decides what the next may do).
 *
 * @module
 */
import {
  BinanceApiError,
  BinanceError,
  IpBannedError,
  parseBannedUntil,
  RateLimitError,
} from "../core/errors.ts";
import { type Exchange, getExchange, type RestFamily, type RestOrigins } from "../core/exchanges.ts";
import { parseJson } from "../core/json.ts";
import { backoffDelay } from "../core/backoff.ts";
import { ServerClock, sleep as coreSleep } from "../core/clock.ts";
import { checkOptions, type OptionKeys, optionKeys, showValue } from "../core/_options.ts";
import { describeNetworkError, originOf } from "../core/_network.ts";
import type { Params } from "./_format.ts";
import { OrderStatusUnknownError } from "./errors.ts";
import { encodeRestParams, type Signer, signRestPayload } from "./sign.ts";
import { checkCredentials } from "./_credentials.ts";
import type { CallOptions, EndpointSpec, RestClientOptions, RestClock } from "./client_types.ts";
import { readUsageHeaders, type UsageSnapshot, WeightBudget, type WeightBudgetOptions } from "./usage.ts";

export type {
  CallOptions,
  EndpointSpec,
  HttpMethod,
  RestClientOptions,
  RestClock,
  Security,
  WebCryptoKey,
} from "./client_types.ts";

const TIME_PATH: Readonly<Record<RestFamily, [RestFamily, string]>> = {
  api: ["api", "/api/v3/time"],
  sapi: ["api", "/api/v3/time"],
  fapi: ["fapi", "/fapi/v1/time"],
  dapi: ["dapi", "/dapi/v1/time"],
  eapi: ["eapi", "/eapi/v1/time"],
  // /papi serves ping but no time: portfolio-margin timestamps follow the spot clock
  papi: ["api", "/api/v3/time"],
  futuresData: ["fapi", "/fapi/v1/time"],
};

const REST_CLIENT_KEYS: OptionKeys = optionKeys<RestClientOptions>({
  exchange: true,
  apiKey: true,
  apiSecret: true,
  privateKey: true,
  baseUrl: true,
  baseUrls: true,
  fetch: true,
  recvWindow: true,
  timeSyncIntervalMs: true,
  timeoutMs: true,
  maxRetries: true,
  backoff: true,
  maxRateLimitRetries: true,
  maxRetryAfterMs: true,
  weightBudget: true,
  clientOrderIdPrefix: true,
  random: true,
  clock: true,
});
const CREDENTIAL_KEYS: OptionKeys = optionKeys<RestCredentials>({
  apiKey: true,
  apiSecret: true,
  privateKey: true,
});
const FAMILY_KEYS: OptionKeys = optionKeys<RestOrigins>({
  api: true,
  sapi: true,
  fapi: true,
  dapi: true,
  eapi: true,
  papi: true,
  futuresData: true,
});
const BACKOFF_KEYS: OptionKeys = optionKeys<NonNullable<RestClientOptions["backoff"]>>({
  baseMs: true,
  maxMs: true,
});

const DEFAULT_CLOCK: RestClock = { now: () => Date.now(), sleep: (ms, signal) => coreSleep(ms, signal) };

/** The credential fields of the options, as {@link RestClientCore.setCredentials} takes them. */
type RestCredentials = Pick<RestClientOptions, "apiKey" | "apiSecret" | "privateKey">;

/** The API key and signer one request uses from start to end (swapped as a whole). */
interface Credentials {
  readonly apiKey: string | undefined;
  readonly signer: Signer | undefined;
}

const NO_CREDENTIALS: Credentials = { apiKey: undefined, signer: undefined };

interface Attempt {
  readonly response?: Response;
  readonly error?: unknown;
  readonly timedOut?: boolean;
}

/**
 * The REST transport; `BinanceRestClient` adds the endpoint methods on top.
 */
export class RestClientCore {
  /** The option keys the constructor accepts (any other key is refused by name). */
  static readonly optionKeys: readonly string[] = REST_CLIENT_KEYS.list;
  /** The venue this client talks to. */
  readonly exchange: Exchange;
  #credentials: Credentials;
  #origins: RestOrigins;
  #fetch: typeof fetch;
  #recvWindow: number | undefined;
  #timeoutMs: number;
  #maxRetries: number;
  #backoffBase: number;
  #backoffMax: number;
  #maxRateLimitRetries: number;
  #maxRetryAfterMs: number;
  #budgetOptions: WeightBudgetOptions | undefined;
  #budgets = new Map<string, WeightBudget>();
  #usage: Partial<Record<RestFamily, UsageSnapshot>> = {};
  #serverClocks = new Map<string, ServerClock>();
  #bannedUntil = 0;
  #idPrefix: string;
  #idCounter = 0;
  #random: () => number;
  #clock: RestClock;
  #custom: boolean;
  #syncInterval: number;

  /**
   * Creates the transport.
   *
   * @param options Venue, credentials, transport and retry options.
   * @throws {RangeError} Unknown exchange, or `recvWindow`/`timeoutMs`/retry counts out of range.
   * @throws {TypeError} An unknown option key, both `apiSecret` and `privateKey` given, or an invalid key.
   */
  constructor(options: RestClientOptions = {}) {
    const ctor = new.target as { readonly name: string; readonly optionKeys: readonly string[] };
    const what = `${ctor.name} options`;
    const keys = ctor.optionKeys === REST_CLIENT_KEYS.list ? REST_CLIENT_KEYS : {
      list: ctor.optionKeys,
      set: new Set(ctor.optionKeys),
    };
    checkOptions(options, what, keys);
    checkOptions(options.baseUrls, `${what}.baseUrls`, FAMILY_KEYS);
    checkOptions(options.backoff, `${what}.backoff`, BACKOFF_KEYS);
    this.exchange = getExchange(options.exchange ?? "binance.com");
    this.#credentials = checkCredentials(options, what);
    const origins: Record<string, string | undefined> = {};
    for (const [family, origin] of Object.entries(this.exchange.rest)) {
      origins[family] = options.baseUrl ?? origin;
    }
    for (const [family, origin] of Object.entries(options.baseUrls ?? {})) origins[family] = origin;
    for (const [family, origin] of Object.entries(origins)) {
      if (origin !== undefined) origins[family] = origin.replace(/\/+$/, "");
    }
    this.#origins = origins;
    if (options.fetch === undefined && typeof globalThis.fetch !== "function") {
      throw new TypeError("Invalid fetch: no fetch implementation available");
    }
    // workerd and browsers throw "Illegal invocation" when fetch is called detached from globalThis
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    if (options.recvWindow !== undefined && !(options.recvWindow > 0 && options.recvWindow <= 60_000)) {
      throw new RangeError(
        `Invalid recvWindow: expected 0 < recvWindow <= 60000, got ${showValue(options.recvWindow)}`,
      );
    }
    this.#recvWindow = options.recvWindow;
    this.#timeoutMs = positive("timeoutMs", options.timeoutMs ?? 10_000);
    this.#maxRetries = count("maxRetries", options.maxRetries ?? 3);
    this.#maxRateLimitRetries = count("maxRateLimitRetries", options.maxRateLimitRetries ?? 2);
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.#backoffBase = options.backoff?.baseMs ?? 200;
    this.#backoffMax = options.backoff?.maxMs ?? 5_000;
    this.#budgetOptions = options.weightBudget;
    if (options.weightBudget) new WeightBudget(options.weightBudget); // validates early
    this.#idPrefix = options.clientOrderIdPrefix ?? "ub";
    this.#random = options.random ?? Math.random;
    this.#clock = options.clock ?? DEFAULT_CLOCK;
    this.#custom = options.clock !== undefined;
    this.#syncInterval = positive("timeSyncIntervalMs", options.timeSyncIntervalMs ?? 900_000);
  }

  /** API-key type of the current secret/private key, or `undefined` without one. */
  get keyType(): "hmac" | "rsa" | "ed25519" | undefined {
    return this.#credentials.signer?.keyType;
  }

  /**
   * Replaces the credentials (a rotated key, a cluster node receiving a key) or clears them with
   * `null`. They are checked exactly as the constructor checks them; on a bad value nothing
   * changes. The next request uses them; requests already started keep the key and secret they
   * began with (also for their retries). After `null`, key-protected and signed calls fail before
   * sending, as on a client made without keys. A PEM key is imported on its first signature.
   *
   * @example Rotate the key of a client, then clear it
   * ```ts
   * import { assertEquals, assertRejects } from "@std/assert";
   * import { BinanceRestClient } from "./client.ts";
   *
   * const client = new BinanceRestClient({ apiKey: "old-key", apiSecret: "old-secret" });
   * client.setCredentials({ apiKey: "new-key", apiSecret: "new-secret" });
   * assertEquals(client.keyType, "hmac");
   * client.setCredentials(null);
   * assertEquals(client.keyType, undefined);
   * await assertRejects(() => client.getAccount(), TypeError, "Missing apiKey");
   * ```
   *
   * @param credentials `apiKey` with `apiSecret` (HMAC secret or PEM key) or `privateKey` (PEM or
   *   `CryptoKey`), or `apiKey` alone; `null` clears them.
   * @throws {TypeError} An unknown key, a missing `apiKey`, or an invalid key or secret (naming the
   *   field and the rule, never the value).
   */
  setCredentials(credentials: Pick<RestClientOptions, "apiKey" | "apiSecret" | "privateKey"> | null): void {
    const what = `${(this.constructor as { readonly name: string }).name}.setCredentials credentials`;
    if (credentials === null) {
      this.#credentials = NO_CREDENTIALS;
      return;
    }
    if (credentials === undefined) {
      throw new TypeError(`Invalid ${what}: expected an object, or null to clear them, got undefined`);
    }
    checkOptions(credentials, what, CREDENTIAL_KEYS);
    const checked = checkCredentials(credentials, what);
    if (checked.apiKey === undefined) {
      throw new TypeError(`Missing ${what}.apiKey: pass null to clear the credentials`);
    }
    this.#credentials = checked;
  }

  /** Used weight and order counts from the last response of each API family. */
  get usage(): Readonly<Partial<Record<RestFamily, UsageSnapshot>>> {
    return { ...this.#usage };
  }

  /**
   * Server-time offset (server − local, ms) measured for an API family, or `undefined` before
   * the first signed call on it.
   *
   * @param family The API family (default `"api"`).
   * @returns The offset in milliseconds.
   */
  timeOffset(family: RestFamily = "api"): number | undefined {
    const origin = this.#origins[TIME_PATH[family][0]];
    const clock = origin === undefined ? undefined : this.#serverClocks.get(origin);
    return clock?.synced ? clock.offsetMs : undefined;
  }

  /**
   * Tells whether this client can call an API family (the venue serves it or a base URL was given).
   *
   * @param family The API family.
   * @returns `true` when requests to the family can be sent.
   */
  serves(family: RestFamily): boolean {
    return this.#origins[family] !== undefined;
  }

  /**
   * Measures the server-time offset of an API family now (GET `…/time`).
   *
   * @param family The API family whose server to ask (default `"api"`).
   * @param options Abort signal.
   * @returns The offset in milliseconds (server − local).
   * @throws {BinanceError} When the time request fails.
   */
  async syncTime(family: RestFamily = "api", options: CallOptions = {}): Promise<number> {
    const [timeFamily, path] = TIME_PATH[family];
    const origin = this.#originOf({ method: "GET", family: timeFamily, path, security: "NONE" });
    const clock = this.#serverClock(origin);
    const sentAt = clock.monotonicNow();
    const body = await this.request<{ serverTime: number }>(
      { method: "GET", family: timeFamily, path, security: "NONE" },
      {},
      options,
    );
    clock.update({ serverTime: Number(body.serverTime), sentAt, receivedAt: clock.monotonicNow() });
    return clock.offsetMs;
  }

  /**
   * Generates a client order id (`<prefix>-<time base36>-<counter>-<random>`, ≤ 36 chars,
   * matching Binance's `^[\.A-Z\:/a-z0-9_-]{1,36}$`).
   *
   * @returns A fresh id.
   */
  newClientOrderId(): string {
    const rnd = Math.floor(this.#random() * 36 ** 6).toString(36).padStart(6, "0");
    return `${this.#idPrefix}-${this.#clock.now().toString(36)}-${(++this.#idCounter).toString(36)}-${rnd}`
      .slice(0, 36);
  }

  #originOf(spec: EndpointSpec): string {
    const origin = this.#origins[spec.family];
    if (origin === undefined) {
      throw new RangeError(
        `Endpoint ${spec.method} ${spec.path} is not served by exchange ${this.exchange.name} (no ${spec.family} API)`,
      );
    }
    return origin;
  }

  #serverClock(origin: string): ServerClock {
    let c = this.#serverClocks.get(origin);
    if (!c) {
      const now = () => this.#clock.now();
      c = this.#custom ? new ServerClock({ wallClock: now, monotonic: now }) : new ServerClock();
      this.#serverClocks.set(origin, c);
    }
    return c;
  }

  /** Server time (epoch ms) as estimated for an origin; the local clock before any sync. */
  #serverNow(origin: string): number {
    const c = this.#serverClocks.get(origin);
    return c?.synced ? c.now() : this.#clock.now();
  }

  #budget(origin: string): WeightBudget | undefined {
    if (!this.#budgetOptions) return undefined;
    let b = this.#budgets.get(origin);
    if (!b) this.#budgets.set(origin, b = new WeightBudget(this.#budgetOptions));
    return b;
  }

  /**
   * Sends one endpoint call and returns its parsed JSON body (64-bit integers as `bigint`).
   *
   * @param spec The endpoint.
   * @param params Parameters in send order (`undefined`/`null` dropped).
   * @param options Abort signal.
   * @returns The response body.
   * @throws {RangeError} The venue does not serve the endpoint (nothing is sent).
   * @throws {TypeError} Credentials missing for a key-protected or signed endpoint.
   * @throws {BinanceApiError} Binance answered with an error (`RateLimitError` for 429, `IpBannedError` for 418).
   * @throws {OrderStatusUnknownError} An order placement's outcome is unknown.
   * @throws {BinanceError} Network failure or timeout after the allowed retries.
   */
  async request<T>(spec: EndpointSpec, params: Params = {}, options: CallOptions = {}): Promise<T> {
    const origin = this.#originOf(spec);
    const endpoint = `${spec.method} ${spec.path}`;
    // one request, one key: a setCredentials meanwhile applies to the next request
    const credentials = this.#credentials;
    if ((spec.security === "API_KEY" || spec.security === "SIGNED") && !credentials.apiKey) {
      throw new TypeError(`Missing apiKey: ${endpoint} needs an API key`);
    }
    if (spec.security === "SIGNED" && !credentials.signer) {
      throw new TypeError(`Missing apiSecret or privateKey: ${endpoint} is a signed endpoint`);
    }
    let clientOrderId: string | undefined;
    if (spec.placesOrder) {
      const field = spec.placesOrder;
      const given = params[field];
      clientOrderId = typeof given === "string" && given !== "" ? given : this.newClientOrderId();
      params = { ...params, [field]: clientOrderId };
    }
    if (spec.security === "SIGNED") {
      const clock = this.#serverClocks.get(origin);
      // measured on the first signed call and again once older than timeSyncIntervalMs (clocks drift)
      if (!clock?.synced || clock.ageMs() > this.#syncInterval) await this.syncTime(spec.family, options);
    }

    let retries = 0;
    let rateLimitWaits = 0;
    let resynced = false;
    for (;;) {
      if (this.#bannedUntil > this.#clock.now()) {
        throw new IpBannedError(
          `IP banned until ${new Date(this.#bannedUntil).toISOString()}: ${endpoint} not sent`,
          {
            status: 418,
            endpoint,
            until: this.#bannedUntil,
          },
        );
      }
      const budget = this.#budget(origin);
      if (budget) {
        const weight = spec.weight ?? 1;
        const wait = budget.delayFor(weight, this.#serverNow(origin));
        if (wait > 0) await this.#clock.sleep(wait, options.signal);
        budget.add(weight, this.#serverNow(origin));
      }
      const { url, init } = await this.#build(spec, origin, params, credentials);
      const attempt = await this.#send(url, init, options.signal);
      const res = attempt.response;

      if (!res) {
        if (options.signal?.aborted) throw options.signal.reason;
        // the origin only: the path and query (signature, listenKey) stay out of messages
        const why = attempt.timedOut
          ? `no answer from ${originOf(origin)} within ${this.#timeoutMs} ms: timed out`
          : `cannot reach ${originOf(origin)}: ${describeNetworkError(attempt.error)}`;
        if (clientOrderId !== undefined) {
          throw new OrderStatusUnknownError(`Order status unknown after ${endpoint}: ${why}`, {
            newClientOrderId: clientOrderId,
            symbol: typeof params.symbol === "string" ? params.symbol : undefined,
            endpoint,
            orderList: spec.placesOrder === "listClientOrderId",
            ...isolatedOf(params),
            cause: attempt.error,
          });
        }
        if (spec.method === "GET" && retries < this.#maxRetries) {
          await this.#clock.sleep(this.#backoff(retries++), options.signal);
          continue;
        }
        throw new BinanceError(`${why[0].toUpperCase()}${why.slice(1)} (${endpoint})`, {
          cause: attempt.error,
        });
      }

      const now = this.#clock.now();
      const usage = readUsageHeaders(res.headers, now);
      if (usage) {
        this.#usage[spec.family] = usage;
        const w = usage.weight["1M"] ?? usage.weight["IP-1M"];
        if (budget && w !== undefined) budget.observe(w, this.#serverNow(origin));
      }
      const text = await res.text();
      if (res.ok) {
        try {
          return parseJson<T>(text);
        } catch (cause) {
          throw new BinanceApiError(`Invalid response from ${endpoint}: body is not JSON`, {
            status: res.status,
            endpoint,
            cause,
          });
        }
      }

      const { code, msg, data } = errorBody(text);
      const retryAfterMs = retryAfter(res.headers);
      if (res.status === 418) {
        const until = parseBannedUntil(msg) ?? now + (retryAfterMs ?? 120_000);
        this.#bannedUntil = Math.max(this.#bannedUntil, until);
        throw new IpBannedError(
          `IP banned until ${new Date(until).toISOString()}: ${endpoint} refused (${msg})`,
          {
            code,
            status: 418,
            endpoint,
            until,
          },
        );
      }
      if (res.status === 429) {
        const wait = retryAfterMs ?? this.#backoff(rateLimitWaits);
        if (rateLimitWaits < this.#maxRateLimitRetries && wait <= this.#maxRetryAfterMs) {
          rateLimitWaits++;
          await this.#clock.sleep(wait, options.signal);
          continue;
        }
        throw new RateLimitError(`Rate limit hit on ${endpoint}: ${msg}`, {
          code,
          status: 429,
          endpoint,
          retryAfter: wait,
        });
      }
      if (code === -1021 && spec.security === "SIGNED" && !resynced) {
        resynced = true;
        await this.syncTime(spec.family, options);
        continue;
      }
      const unknownOutcome = res.status >= 500 || code === -1007;
      if (unknownOutcome && clientOrderId !== undefined) {
        throw new OrderStatusUnknownError(
          `Order status unknown after ${endpoint}: HTTP ${res.status} ${msg}`,
          {
            newClientOrderId: clientOrderId,
            symbol: typeof params.symbol === "string" ? params.symbol : undefined,
            endpoint,
            orderList: spec.placesOrder === "listClientOrderId",
            ...isolatedOf(params),
            status: res.status,
            code,
          },
        );
      }
      if (res.status >= 500 && spec.method === "GET" && retries < this.#maxRetries) {
        await this.#clock.sleep(this.#backoff(retries++), options.signal);
        continue;
      }
      throw new BinanceApiError(`Binance rejected ${endpoint}: ${msg}${code ? ` (code ${code})` : ""}`, {
        code,
        status: res.status,
        endpoint,
        ...(data === undefined ? {} : { data }),
      });
    }
  }

  /**
   * Calls an endpoint with an options object that mixes parameters and `signal`.
   *
   * @param spec The endpoint.
   * @param options Parameters in send order plus an optional `signal`.
   * @returns The response body.
   */
  protected call<T>(spec: EndpointSpec, options?: object): Promise<T> {
    const { signal, ...params } = (options ?? {}) as Record<string, unknown> & CallOptions;
    return this.request<T>(spec, params as Params, { signal });
  }

  #backoff(attempt: number): number {
    return backoffDelay(attempt, {
      baseMs: this.#backoffBase,
      maxMs: this.#backoffMax,
      random: this.#random,
    });
  }

  async #build(
    spec: EndpointSpec,
    origin: string,
    params: Params,
    credentials: Credentials,
  ): Promise<{ url: string; init: RequestInit }> {
    const headers: Record<string, string> = {};
    // Binance TR wants the key even on public calls; MARKET_DATA endpoints take it when present
    const sendKey = spec.security !== "NONE" || this.exchange.name === "trbinance.com";
    if (sendKey && credentials.apiKey) headers["X-MBX-APIKEY"] = credentials.apiKey;
    let all: Params = params;
    if (spec.security === "SIGNED") {
      all = {
        ...params,
        recvWindow: params.recvWindow ?? this.#recvWindow,
        timestamp: this.#serverNow(origin),
      };
    }
    let text = encodeRestParams(all);
    const inBody = spec.method === "POST" || spec.method === "PUT";
    if (spec.security === "SIGNED") {
      // query and body are signed as one string; with everything in one part that is that part
      const sig = await signRestPayload(credentials.signer!, text);
      text = text === "" ? `signature=${sig}` : `${text}&signature=${sig}`;
    }
    const init: RequestInit = { method: spec.method, headers };
    let url = origin + spec.path;
    if (inBody && text !== "") {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      init.body = text;
    } else if (text !== "") {
      url += "?" + text;
    }
    return { url, init };
  }

  async #send(url: string, init: RequestInit, signal?: AbortSignal): Promise<Attempt> {
    if (signal?.aborted) return { error: signal.reason };
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException("Request timed out", "TimeoutError"));
    }, this.#timeoutMs);
    const onAbort = () => controller.abort(signal!.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await this.#fetch(url, { ...init, signal: controller.signal });
      return { response };
    } catch (error) {
      return { error: scrubError(error), timedOut };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }
}

/** Drops query strings (signature, listenKey) from URLs quoted in error messages, e.g. Deno's
 * "error sending request for url (https://…?timestamp=…&signature=…)", along the cause chain. */
/** Margin placements: the `isIsolated` they were sent with, so a reconcile asks the same account. */
function isolatedOf(params: Params): { isIsolated?: "TRUE" | "FALSE" } {
  const v = params.isIsolated;
  if (v === undefined || v === null) return {};
  return { isIsolated: String(v).toUpperCase() === "TRUE" ? "TRUE" : "FALSE" };
}

function scrubError(e: unknown, depth = 0): unknown {
  if (!(e instanceof Error) || depth > 4) return e;
  const message = e.message.replace(/\?[^\s)"'<>]*/g, "?…");
  const cause = scrubError(e.cause, depth + 1);
  if (message === e.message && cause === e.cause) return e;
  const copy = new Error(message, cause === undefined ? undefined : { cause });
  copy.name = e.name;
  return copy;
}

function errorBody(text: string): { code: number; msg: string; data?: unknown } {
  try {
    const body = JSON.parse(text) as { code?: unknown; msg?: unknown; data?: unknown };
    const code = typeof body.code === "number" && Number.isInteger(body.code) ? body.code : 0;
    const msg = typeof body.msg === "string" ? body.msg : "no message";
    return body.data === undefined ? { code, msg } : { code, msg, data: body.data };
  } catch {
    // HTML from a WAF or geo-block page, or an empty body: say so without echoing it all
    const snippet = text.replace(/\s+/g, " ").trim().slice(0, 80);
    return { code: 0, msg: snippet === "" ? "empty body" : `non-JSON body: ${snippet}` };
  }
}

function retryAfter(headers: Headers): number | undefined {
  const v = headers.get("Retry-After");
  if (v === null) return undefined;
  const s = Number(v);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function positive(name: string, v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) {
    throw new RangeError(`Invalid ${name}: expected a positive number, got ${showValue(v)}`);
  }
  return v;
}

function count(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0) {
    throw new RangeError(`Invalid ${name}: expected an integer >= 0, got ${showValue(v)}`);
  }
  return v;
}
