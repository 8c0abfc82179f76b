/**
 * Small pure selectors of the trailing engine: which stream and field give the reference price,
 * how an order error is handled (retry, recompute, reconcile or stop), and the engine's own
 * clientOrderIds (own orders only: never "the first STOP_LOSS_LIMIT on the symbol").
 *
 * @module
 */
import type { Venue } from "./_rules.ts";
import type { StopSide } from "./_stop.ts";

/** Reference price: last trade (`aggTrade`), best bid/ask (`bookTicker`) or futures mark price. */
export type PriceSource = "last" | "book" | "mark";

/** The stream and field that carry the reference price. */
export interface PriceSourceSpec {
  /** The chosen source. */
  readonly source: PriceSource;
  /** Stream channel: `<symbol>@aggTrade`, `<symbol>@bookTicker` or `<symbol>@markPrice@1s`. */
  readonly channel: "aggTrade" | "bookTicker" | "markPrice@1s";
  /** Raw field (`p`, `b` for a SELL stop: what a sell gets, `a` for a BUY stop). */
  readonly field: "p" | "b" | "a";
  /** The UnicornFy field of the same value. */
  readonly unicornfyField: "price" | "bestBidPrice" | "bestAskPrice" | "markPrice";
}

/**
 * The stream and field of a price source.
 *
 * @param venue Where the position is.
 * @param side Stop side (selects bid for SELL, ask for BUY with `"book"`).
 * @param source The source; default `"last"`.
 * @returns The stream channel and field.
 * @throws {RangeError} If `"mark"` is asked for outside futures, or the source is unknown.
 *
 * @example
 * ```ts
 * import { priceSource } from "./_source.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(priceSource("spot", "SELL", "book").field, "b");
 * ```
 */
export function priceSource(venue: Venue, side: StopSide, source: PriceSource = "last"): PriceSourceSpec {
  switch (source) {
    case "last":
      return { source, channel: "aggTrade", field: "p", unicornfyField: "price" };
    case "book":
      return side === "SELL"
        ? { source, channel: "bookTicker", field: "b", unicornfyField: "bestBidPrice" }
        : { source, channel: "bookTicker", field: "a", unicornfyField: "bestAskPrice" };
    case "mark":
      if (venue !== "usdm" && venue !== "coinm") {
        throw new RangeError(
          `Invalid price source mark: a mark price exists on usdm and coinm only, not on ${venue}`,
        );
      }
      return { source, channel: "markPrice@1s", field: "p", unicornfyField: "markPrice" };
    default:
      throw new RangeError(
        `Invalid price source: expected last, book or mark, got ${JSON.stringify(source)}`,
      );
  }
}

/** A reference price read from a stream event. */
export interface PriceReading {
  /** The price (decimal string). */
  readonly price: string;
  /** Event or trade time (ms) when the event has one. */
  readonly time?: number;
}

/**
 * Reads the reference price from a raw stream event or its UnicornFy form.
 *
 * @param spec From {@link priceSource}.
 * @param event The event (`{ e: "aggTrade", p, T, … }`, a bookTicker, a markPriceUpdate, or the
 *   UnicornFy objects of these).
 * @returns The price and time, or `undefined` when the event does not carry the field.
 *
 * @example
 * ```ts
 * import { priceFromEvent, priceSource } from "./_source.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const spec = priceSource("spot", "SELL");
 * assertEquals(priceFromEvent(spec, { e: "aggTrade", p: "65000.10", T: 5 }), { price: "65000.10", time: 5 });
 * ```
 */
export function priceFromEvent(
  spec: PriceSourceSpec,
  event: Readonly<Record<string, unknown>>,
): PriceReading | undefined {
  if (event === null || typeof event !== "object") return undefined;
  const raw = event[spec.unicornfyField] ?? event[spec.field];
  if (typeof raw !== "string" || !/^(?:\d+\.?\d*|\.\d+)$/.test(raw) || /^[0.]+$/.test(raw)) return undefined;
  const t = event.tradeTime ?? event.T ?? event.eventTime ?? event.E;
  return typeof t === "number" ? { price: raw, time: t } : { price: raw };
}

/** How to handle an order error. */
export type OrderErrorClass =
  | "would-trigger" // recompute the stop from the current price; never retry the same order
  | "insufficient-balance" // re-read balances; stop with onError when it persists
  | "filter" // recompute against the rules; the message names the filter
  | "rate-limit" // wait retryAfter, then retry
  | "unknown-outcome" // the order may exist: reconcile over REST before anything else
  | "unknown-order" // the order is gone (filled or cancelled): reconcile
  | "transient" // retry with capped back-off
  | "fatal"; // stop with onError

/**
 * Classifies a failed order request (T9: "would trigger immediately" and "insufficient balance"
 * share `-2010` on spot; they need different handling).
 *
 * @param error Binance `code`, HTTP `status` and `message` (a `BinanceApiError` fits).
 * @returns The class.
 *
 * @example
 * ```ts
 * import { classifyOrderError } from "./_source.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(classifyOrderError({ code: -2010, status: 400, message: "Order would trigger immediately." }), "would-trigger");
 * assertEquals(classifyOrderError({ code: -2010, status: 400, message: "Account has insufficient balance for requested action." }), "insufficient-balance");
 * ```
 */
export function classifyOrderError(
  error: { readonly code?: number; readonly status?: number; readonly message?: string },
): OrderErrorClass {
  const code = error.code ?? 0;
  const status = error.status ?? 0;
  const msg = (error.message ?? "").toLowerCase();
  // spot cancelReplace: HTTP 409 + -2021 when only one half succeeded; futures -2021 (HTTP 400)
  // is "Order would immediately trigger"
  if (status === 409) return "unknown-outcome";
  if (/trigger immediately|immediately trigger/.test(msg) || code === -2021) return "would-trigger";
  if (/insufficient|margin is insufficient/.test(msg) || code === -2019 || code === -2018) {
    return "insufficient-balance";
  }
  if (code === -1013 || /filter failure/.test(msg)) return "filter";
  if (status === 429 || status === 418 || code === -1003 || code === -1015) return "rate-limit";
  // -1007: "Send status unknown; execution status unknown"; a 5xx answer says nothing either
  if (code === -1007 || code === -1006 || status >= 500 || (status === 0 && code === 0)) {
    return "unknown-outcome";
  }
  if (code === -2011 || code === -2013) return "unknown-order";
  if (code === -1001 || code === -1021 || code === -1008) return "transient";
  return "fatal";
}

const PREFIX = /^[A-Za-z0-9_.:/]{1,20}$/;

/**
 * The clientOrderId of the engine's `seq`-th order: `<prefix>-<seq in base 36>` (Binance allows
 * `^[.A-Z:/a-z0-9_-]{1,36}$`).
 *
 * @param prefix The engine's prefix (1–20 of `A-Za-z0-9_.:/`; no `-`).
 * @param seq A non-negative safe integer.
 * @returns The id.
 * @throws {TypeError} If the prefix or sequence number is malformed.
 *
 * @example
 * ```ts
 * import { isOwnOrder, ownClientOrderId } from "./_source.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ownClientOrderId("ubtsl_7f3a", 40), "ubtsl_7f3a-14");
 * assertEquals(isOwnOrder("ubtsl_7f3a", "ubtsl_7f3a-14"), true);
 * ```
 */
export function ownClientOrderId(prefix: string, seq: number): string {
  if (typeof prefix !== "string" || !PREFIX.test(prefix)) {
    throw new TypeError(
      `Invalid clientOrderId prefix: expected 1-20 characters of A-Za-z0-9_.:/, got ${
        JSON.stringify(prefix)
      }`,
    );
  }
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new TypeError(`Invalid clientOrderId sequence: expected a non-negative integer, got ${seq}`);
  }
  return `${prefix}-${seq.toString(36)}`;
}

/**
 * Tells whether a clientOrderId is one of the engine's own (made by {@link ownClientOrderId}
 * with the same prefix).
 *
 * @param prefix The engine's prefix.
 * @param clientOrderId The order's clientOrderId (`c` of an executionReport).
 * @returns `true` for the engine's own orders only.
 *
 * @example
 * ```ts
 * import { isOwnOrder } from "./_source.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(isOwnOrder("ubtsl_1", "web_8d3c"), false);
 * ```
 */
export function isOwnOrder(prefix: string, clientOrderId: string): boolean {
  if (typeof clientOrderId !== "string" || !clientOrderId.startsWith(`${prefix}-`)) return false;
  return /^[0-9a-z]{1,15}$/.test(clientOrderId.slice(prefix.length + 1));
}
