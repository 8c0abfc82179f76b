/**
 * Classification of placement failures: what the manager does next depends on why Binance said no
 * (Python retried every `-2010` forever, T9, and only logged the rest, T10).
 *
 * @module
 */
import { BinanceError, isBinanceApiError, isIpBannedError, isRateLimitError } from "../core/errors.ts";
import { isOrderStatusUnknownError } from "../rest/errors.ts";
import { classifyOrderError } from "./engine.ts";

/** Why a call failed, as far as the next step is concerned. */
export type FailureClass =
  | "unknown-outcome" // timeout, disconnect, 5xx: the order may exist — reconcile before anything else
  | "rate-limit" // 429 / 418: wait `waitMs`
  | "insufficient-balance" // re-read the holding once, then give up
  | "would-trigger" // the market moved through the stop: recompute from the latest price
  | "fatal" // filters, permissions, keys: retrying cannot help
  | "retry"; // anything else: capped back-off

/** A classified failure. */
export interface Classified {
  readonly kind: FailureClass;
  /** Minimum wait before the next call (rate limits). */
  readonly waitMs?: number;
}

/**
 * Classifies an error of an order call: transport outcomes here, Binance's answers by the
 * engine's `classifyOrderError`.
 *
 * @param e The error.
 * @returns What to do next.
 */
export function classifyFailure(e: unknown): Classified {
  if (isOrderStatusUnknownError(e)) return { kind: "unknown-outcome" };
  if ((e as { name?: string })?.name === "WebSocketRequestError") {
    const reason = (e as { reason?: string }).reason;
    return { kind: reason === "stop" ? "retry" : "unknown-outcome" };
  }
  if (isIpBannedError(e)) return { kind: "rate-limit", waitMs: Math.max(0, e.until - Date.now()) };
  if (isRateLimitError(e)) return { kind: "rate-limit", waitMs: e.retryAfter };
  if (isBinanceApiError(e)) {
    const c = classifyOrderError({ code: e.code, status: e.status, message: e.message });
    switch (c) {
      case "would-trigger":
      case "insufficient-balance":
      case "rate-limit":
      case "unknown-outcome":
      case "fatal":
        return { kind: c };
      case "filter":
        return { kind: "fatal" };
      default:
        return { kind: "retry" };
    }
  }
  if (e instanceof TypeError || e instanceof RangeError) return { kind: "fatal" };
  return { kind: "retry" };
}

/** A failure of the trailing engine (placement gave up, nothing to protect, venue refused). */
export class TrailingStopError extends BinanceError {
  /** Class of the underlying failure. */
  readonly kind: FailureClass | "config" | "nothing-to-protect" | "external-cancel";

  /**
   * Creates the error.
   *
   * @param message What failed and why.
   * @param options Class and cause.
   */
  constructor(
    message: string,
    options: { readonly kind: TrailingStopError["kind"]; readonly cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = "TrailingStopError";
    this.kind = options.kind;
  }
}
