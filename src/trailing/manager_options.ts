/**
 * Options of `BinanceTrailingStopLossManager`: the interface, its strict zod schema (an unknown
 * key is an error naming it) and the resolved form the manager works with.
 *
 * @module
 */
import { z } from "zod";
import type { BinanceRestClient, BinanceRestClientOptions } from "../rest/client.ts";
import type { BinanceWebSocketManager } from "../ws/manager.ts";
import type { BinanceWebSocketManagerOptions } from "../ws/types.ts";
import type { TrailingEvent } from "./events.ts";
import type { TrailingStateStore } from "./state_store.ts";

/** A distance: `"1.5%"` of the reference price or `"50"` quote units (absolute). */
export type DistanceInput = string;

/** How the trail is executed. */
export type TrailMode = "client" | "native" | "auto";

/** Options of {@link BinanceTrailingStopLossManager}. */
export interface TrailingStopLossOptions {
  /** Exchange string (`"binance.com"`, `"binance.com-isolated_margin"`, `"binance.com-futures"`, …). Default `"binance.com"`. */
  readonly exchange?: string;
  /** Symbol, e.g. `"BTCUSDT"` (futures `"BTCUSDT"`, COIN-M `"BTCUSD_PERP"`). */
  readonly market: string;
  /** API key (not needed when `restClient` and `wsManager` carry the credentials). */
  readonly apiKey?: string;
  /** HMAC secret, or a PEM RSA / Ed25519 private key. */
  readonly apiSecret?: string;
  /** Trail distance: `"1.5%"` or an absolute `"50"`. */
  readonly stopLossLimit: DistanceInput;
  /** Distance used for the first stop only (Python `stop_loss_start_limit`); default `stopLossLimit`. */
  readonly stopLossStartLimit?: DistanceInput;
  /** `LIMIT` (spot `STOP_LOSS_LIMIT`, futures `STOP`) or `MARKET` (`STOP_LOSS`, `STOP_MARKET`). Default `LIMIT` on spot and margin, `MARKET` on futures. */
  readonly stopLossOrderType?: "LIMIT" | "MARKET";
  /** Gap between the limit price and the trigger (`"0.1%"` of the price or absolute); default one tick. */
  readonly triggerGap?: DistanceInput;
  /** Initial stop trigger price; otherwise derived from the first reference price. */
  readonly stopLossPrice?: string;
  /** `long` (SELL stop, default) or `short` (BUY stop; margin and futures). */
  readonly side?: "long" | "short";
  /** Base quantity to protect; default: the free balance (+ what the own stop locks) or the position. */
  readonly quantity?: string;
  /** Amount not to sell: `"20%"` of the holding or an absolute base amount. */
  readonly keepThreshold?: DistanceInput;
  /** Reference price: `aggTrade` (default), `bookTicker` (bid for long, ask for short), `markPrice` (futures). */
  readonly priceSource?: "aggTrade" | "bookTicker" | "markPrice";
  /** `client` (default): the manager moves the stop; `native`: Binance trails it (`trailingDelta` / `TRAILING_STOP_MARKET`); `auto`: native when the distance fits Binance's bounds. */
  readonly mode?: TrailMode;
  /** `trail` (default) or `jump-in-and-trail` (buy first, then trail). */
  readonly engine?: "trail" | "jump-in-and-trail";
  /**
   * Spot stops of the client trail carry the symbol's smallest `trailingDelta` next to their
   * `stopPrice` (default `true`), so a move the market crosses while the cancel-replace is in
   * flight still leaves a stop on the book: Binance refuses a plain stop whose `stopPrice` the
   * market is already through (the old stop is gone by then), while a trailing one is accepted and
   * starts tracking. Such a stop fires when the price, having reached `stopPrice`, falls by that
   * delta (0.1 % at Binance's usual minimum of 10 BIPS) from its highest since: never earlier than
   * a plain stop, at most that delta lower on a straight fall. `STOP_LOSS` stops are always
   * guarded, `STOP_LOSS_LIMIT` ones when `triggerGap` is at least the delta (the limit must stay
   * marketable at the later trigger). `false` sends plain stops. Needs the symbol's
   * TRAILING_DELTA filter; margin and futures are never guarded.
   */
  readonly crossGuard?: boolean;
  /** Jump-in order: `MARKET` or `LIMIT` with `price` and `timeoutMs`; `quoteQuantity` or `quantity`. */
  readonly jumpIn?: {
    readonly type?: "MARKET" | "LIMIT";
    readonly quantity?: string;
    readonly quoteQuantity?: string;
    readonly price?: string;
    readonly timeoutMs?: number;
  };
  /** Minimum move of the stop before it is replaced: `"0.1%"` or absolute; default one tick. */
  readonly minStep?: DistanceInput;
  /** At most one replace per this many ms (the latest price wins); default 1000. */
  readonly debounceMs?: number;
  /** What to do when someone else cancels the stop: `replace` (default) or `stop`. */
  readonly onExternalCancel?: "replace" | "stop";
  /** Futures: `reduceOnly` stops with the position's quantity (default) or `closePosition`. */
  readonly futuresClose?: "reduceOnly" | "closePosition";
  /** Futures trigger price type (default `CONTRACT_PRICE`). */
  readonly workingType?: "CONTRACT_PRICE" | "MARK_PRICE";
  /** Prefix of the engine's client order ids (≤ 20 characters of `[A-Za-z0-9_-]`); default derived from the market and a random tag. */
  readonly clientOrderIdPrefix?: string;
  /** Where the ratchet state is kept so a restart resumes it. */
  readonly stateStore?: TrailingStateStore;
  /** Retries of a failed placement before `onError` ends the engine (default 5). */
  readonly maxRetries?: number;
  /** Cap of the wait a 429 / 418 imposes (its Retry-After) before the next attempt; default 120 000 ms. */
  readonly maxRateLimitWaitMs?: number;
  /** Back-off between retries (default 250–10 000 ms). */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  /** Interval of the safety reconciliation of the own stop over REST (default 60 000 ms; 0 = off). */
  readonly reconcileIntervalMs?: number;
  /** Margin: validity of the user-data listen token (ms; renewed at 80 %). Default Binance's 24 h. */
  readonly listenTokenValidityMs?: number;
  /** Send replaces through the WebSocket API (default `true` where the venue has one). */
  readonly useWebSocketApi?: boolean;
  /** REST client to use (shared; not closed by the manager). */
  readonly restClient?: BinanceRestClient;
  /** Options of the REST client the manager makes (e.g. `{ baseUrl: emu.restUrl }`). */
  readonly restOptions?: BinanceRestClientOptions;
  /** WebSocket manager to use (shared; not closed by the manager). */
  readonly wsManager?: BinanceWebSocketManager;
  /** Options of the WebSocket manager the manager makes. */
  readonly wsOptions?: BinanceWebSocketManagerOptions;
  /** Start at construction (default `true`); otherwise call `start()`. */
  readonly autoStart?: boolean;
  /** Called with every failure the engine reports. */
  readonly onError?: (error: Error) => void;
  /** Called once when the stop filled completely. */
  readonly onFinished?: (event: Extract<TrailingEvent, { type: "finished" }>) => void;
  /** Called on each partial fill of the stop. */
  readonly onPartiallyFilled?: (event: Extract<TrailingEvent, { type: "partiallyFilled" }>) => void;
  /** Called whenever the stop was placed or moved. */
  readonly onStopMoved?: (event: Extract<TrailingEvent, { type: "stopMoved" }>) => void;
}

const DISTANCE = /^(?:\d+(?:\.\d+)?|\.\d+)%?$/;
const distance = (what: string) =>
  z.string().regex(DISTANCE, `expected a positive decimal, optionally with %, for ${what}`);
const decimal = z.string().regex(/^(?:\d+(?:\.\d+)?|\.\d+)$/, "expected a plain decimal string");
const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", "expected a function");
const obj = z.custom<object>((v) => typeof v === "object" && v !== null, "expected an object");

const SCHEMA = z.strictObject({
  exchange: z.string().optional(),
  market: z.string().regex(/^[A-Z0-9_]{2,30}$/, "expected an uppercase symbol like BTCUSDT"),
  apiKey: z.string().min(1).optional(),
  apiSecret: z.string().min(1).optional(),
  stopLossLimit: distance("stopLossLimit"),
  stopLossStartLimit: distance("stopLossStartLimit").optional(),
  stopLossOrderType: z.enum(["LIMIT", "MARKET"]).optional(),
  triggerGap: distance("triggerGap").optional(),
  stopLossPrice: decimal.optional(),
  side: z.enum(["long", "short"]).optional(),
  quantity: decimal.optional(),
  keepThreshold: distance("keepThreshold").optional(),
  priceSource: z.enum(["aggTrade", "bookTicker", "markPrice"]).optional(),
  mode: z.enum(["client", "native", "auto"]).optional(),
  engine: z.enum(["trail", "jump-in-and-trail"]).optional(),
  crossGuard: z.boolean().optional(),
  jumpIn: z.strictObject({
    type: z.enum(["MARKET", "LIMIT"]).optional(),
    quantity: decimal.optional(),
    quoteQuantity: decimal.optional(),
    price: decimal.optional(),
    timeoutMs: z.number().int().positive().optional(),
  }).optional(),
  minStep: distance("minStep").optional(),
  debounceMs: z.number().int().min(0).optional(),
  onExternalCancel: z.enum(["replace", "stop"]).optional(),
  futuresClose: z.enum(["reduceOnly", "closePosition"]).optional(),
  workingType: z.enum(["CONTRACT_PRICE", "MARK_PRICE"]).optional(),
  clientOrderIdPrefix: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, "expected 1-20 of [A-Za-z0-9_-]").optional(),
  stateStore: obj.optional(),
  maxRetries: z.number().int().min(0).max(100).optional(),
  maxRateLimitWaitMs: z.number().int().min(0).optional(),
  backoff: z.strictObject({ baseMs: z.number().positive(), maxMs: z.number().positive() }).optional(),
  reconcileIntervalMs: z.number().int().min(0).optional(),
  useWebSocketApi: z.boolean().optional(),
  listenTokenValidityMs: z.number().int().positive().optional(),
  restClient: obj.optional(),
  restOptions: obj.optional(),
  wsManager: obj.optional(),
  wsOptions: obj.optional(),
  autoStart: z.boolean().optional(),
  onError: fn.optional(),
  onFinished: fn.optional(),
  onPartiallyFilled: fn.optional(),
  onStopMoved: fn.optional(),
});

/**
 * Validates manager options: unknown keys and bad values are a `TypeError` naming the key and the rule.
 *
 * @param options What the caller passed.
 * @returns The same object, typed.
 * @throws {TypeError} Unknown key or invalid value.
 *
 * @example Unknown keys are refused
 * ```ts
 * import { assertThrows } from "@std/assert";
 * import { validateTrailingOptions } from "./manager_options.ts";
 *
 * assertThrows(
 *   () => validateTrailingOptions({ market: "BTCUSDT", stopLossLimit: "1%", stopLoss: "1%" }),
 *   TypeError,
 *   'unknown key "stopLoss"',
 * );
 * ```
 */
export function validateTrailingOptions(options: unknown): TrailingStopLossOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Invalid options: expected an object with market and stopLossLimit");
  }
  const r = SCHEMA.safeParse(options);
  if (r.success) return options as TrailingStopLossOptions;
  const issue = r.error.issues[0];
  if (issue.code === "unrecognized_keys") {
    const keys = (issue as { keys: string[] }).keys;
    const where = issue.path.length ? ` in ${issue.path.join(".")}` : "";
    throw new TypeError(`Invalid options: unknown key ${keys.map((k) => `"${k}"`).join(", ")}${where}`);
  }
  const key = issue.path.join(".") || "options";
  const got = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown>)?.[k], options);
  const secret = key === "apiKey" || key === "apiSecret";
  const shown = secret
    ? "a hidden value"
    : typeof got === "function"
    ? "a function"
    : JSON.stringify(got) ?? "undefined";
  throw new TypeError(`Invalid ${key}: ${issue.message} (got ${shown})`);
}
