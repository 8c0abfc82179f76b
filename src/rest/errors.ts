/**
 * REST-specific failure: an order placement whose outcome is unknown.
 *
 * Binance answers 5xx or `-1007 TIMEOUT` when the request reached it but the result is not known
 * ("execution status unknown"), and a network timeout leaves the same doubt. Resending could
 * place the order twice, so the client raises this error instead, carrying the client order id it
 * sent; `client.reconcileOrder(error)` looks the order up.
 *
 * @module
 */
import { BinanceError } from "../core/errors.ts";

/** Options of {@link OrderStatusUnknownError}. */
export interface OrderStatusUnknownErrorOptions {
  /** The `newClientOrderId` (or `listClientOrderId` for order lists) sent with the order. */
  readonly newClientOrderId: string;
  /** The order's symbol, when it had one. */
  readonly symbol?: string;
  /** Method and path of the call, e.g. `"POST /api/v3/order"`. */
  readonly endpoint: string;
  /** `true` when the id is a `listClientOrderId` (order lists: OCO, OTO, OTOCO). */
  readonly orderList?: boolean;
  /** Margin: `"TRUE"` when the order was sent to an isolated margin account. */
  readonly isIsolated?: "TRUE" | "FALSE";
  /** HTTP status when Binance answered (5xx), 0 for a timeout or network failure. */
  readonly status?: number;
  /** Binance code when it answered with one (`-1007`), else 0. */
  readonly code?: number;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * An order was sent but whether Binance executed it is unknown (timeout, network failure,
 * HTTP 5xx or `-1007`). Never resend blindly: reconcile with `client.reconcileOrder(error)`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { OrderStatusUnknownError } from "./errors.ts";
 *
 * const err = new OrderStatusUnknownError("Order status unknown after POST /api/v3/order: request timed out", {
 *   newClientOrderId: "ub-1",
 *   symbol: "BTCUSDT",
 *   endpoint: "POST /api/v3/order",
 * });
 * assertEquals([err.name, err.newClientOrderId], ["OrderStatusUnknownError", "ub-1"]);
 * ```
 */
export class OrderStatusUnknownError extends BinanceError {
  /** The client order id that was sent (list client order id for order lists). */
  readonly newClientOrderId: string;
  /** The order's symbol, when it had one. */
  readonly symbol?: string;
  /** Method and path of the call. */
  readonly endpoint: string;
  /** `true` when {@link OrderStatusUnknownError.newClientOrderId} is a `listClientOrderId`. */
  readonly orderList: boolean;
  /** Margin: `"TRUE"` for an isolated margin order (`reconcileOrder` looks it up there). */
  readonly isIsolated?: "TRUE" | "FALSE";
  /** HTTP status when Binance answered, else 0. */
  readonly status: number;
  /** Binance code when it answered with one, else 0. */
  readonly code: number;

  /**
   * Creates the error.
   *
   * @param message What failed and why (no secrets).
   * @param options The client order id, symbol, endpoint and cause.
   */
  constructor(message: string, options: OrderStatusUnknownErrorOptions) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.name = "OrderStatusUnknownError";
    this.newClientOrderId = options.newClientOrderId;
    if (options.symbol !== undefined) this.symbol = options.symbol;
    this.endpoint = options.endpoint;
    this.orderList = options.orderList ?? false;
    if (options.isIsolated !== undefined) this.isIsolated = options.isIsolated;
    this.status = options.status ?? 0;
    this.code = options.code ?? 0;
  }
}

/**
 * Tells whether a value is an {@link OrderStatusUnknownError}, also across realms.
 *
 * @param e Any caught value.
 * @returns `true` for the error or an object named like it carrying a `newClientOrderId`.
 */
export function isOrderStatusUnknownError(e: unknown): e is OrderStatusUnknownError {
  return e instanceof OrderStatusUnknownError ||
    (typeof e === "object" && e !== null && (e as { name?: unknown }).name === "OrderStatusUnknownError" &&
      typeof (e as { newClientOrderId?: unknown }).newClientOrderId === "string");
}
