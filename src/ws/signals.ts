/**
 * Stream signals: the lifecycle of every stream told to the user, with the Python suite's names.
 *
 * Order for one connection: `CONNECT` → `FIRST_RECEIVED_DATA` → … → `DISCONNECT` (with the last
 * received record) → `CONNECT` again after a reconnect (and `FIRST_RECEIVED_DATA` again, once per
 * connected period — unlike UBWA's once per lifetime) … → `DISCONNECT` → `STOP`. `STREAM_UNREPAIRABLE`
 * (with the reason) replaces the reconnect when retrying cannot help and is followed by `STOP`.
 * `CONSUMER_ERROR` reports an exception thrown by a data callback (see the manager's rule).
 * `CONNECT_FAILED` (with the reason, naming the URL's origin) reports an attempt that never opened
 * (refused, DNS, TLS, timeout, HTTP status); the connection retries after its back-off.
 *
 * @module
 */

/** Signal names. */
export type StreamSignalType =
  | "CONNECT"
  | "FIRST_RECEIVED_DATA"
  | "DISCONNECT"
  | "STOP"
  | "STREAM_UNREPAIRABLE"
  | "CONSUMER_ERROR"
  | "CONNECT_FAILED";

/** One signal. */
export interface StreamSignal {
  /** The signal name. */
  readonly type: StreamSignalType;
  /** Stream id. */
  readonly streamId: string;
  /** Stream label, if any. */
  readonly label?: string;
  /** Epoch ms when the signal was raised. */
  readonly time: number;
  /** Index of the stream's connection the signal concerns (streams may span several). */
  readonly connection?: number;
  /** `FIRST_RECEIVED_DATA`: the first record; `DISCONNECT`: the last received record (or undefined). */
  readonly data?: unknown;
  /**
   * `STREAM_UNREPAIRABLE` / `DISCONNECT` / `CONSUMER_ERROR` / `CONNECT_FAILED`: why
   * (`CONNECT_FAILED`: `"Cannot reach wss://stream.binance.com:9443: connection refused"`).
   */
  readonly reason?: string;
  /** `CONSUMER_ERROR`: the thrown value. */
  readonly error?: unknown;
}
