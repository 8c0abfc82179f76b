/**
 * WebSocket-specific failures, under the project's {@link BinanceError} base.
 *
 * @module
 */
import { BinanceError } from "../core/errors.ts";

/**
 * A stream cannot be repaired by retrying (invalid key, unknown symbol, repeated authentication
 * failure). Thrown by URL providers to stop the reconnect loop; reported as `STREAM_UNREPAIRABLE`.
 */
export class StreamUnrepairableError extends BinanceError {
  /**
   * Creates the error.
   *
   * @param message Why retrying cannot help (no secrets).
   * @param options `cause`: the underlying error.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StreamUnrepairableError";
  }
}

/** Why a WebSocket-API request settled without a response. */
export type RequestFailure = "timeout" | "disconnect" | "stop";

/**
 * A WebSocket-API request got no response: it timed out, its connection dropped, or the manager
 * stopped. `reason` says which; for `disconnect` the request may or may not have reached Binance
 * (query an order's status before re-sending it).
 */
export class WebSocketRequestError extends BinanceError {
  /** `"timeout"`, `"disconnect"` or `"stop"`. */
  readonly reason: RequestFailure;
  /** The request id. */
  readonly requestId: string;
  /** The WebSocket-API method, e.g. `"order.place"`. */
  readonly method: string;

  /**
   * Creates the error.
   *
   * @param message What failed (no secrets).
   * @param options Reason, request id, method and `cause`.
   */
  constructor(
    message: string,
    options: { reason: RequestFailure; requestId: string; method: string; cause?: unknown },
  ) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.name = "WebSocketRequestError";
    this.reason = options.reason;
    this.requestId = options.requestId;
    this.method = options.method;
  }
}
