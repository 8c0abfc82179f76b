/**
 * The manager's internals that the session wiring (`_sessions.ts`) uses. Internal.
 *
 * @module
 */
import type { Exchange } from "../core/exchanges.ts";
import type { WebSocketConstructor } from "./connection.ts";
import type { StreamSignal, StreamSignalType } from "./signals.ts";
import type { BinanceWebSocketManagerOptions, CreateStreamOptions } from "./types.ts";
import type { ConnEntry, StreamKind, StreamRecord } from "./_stream_record.ts";

/** What `_sessions.ts` may do with the manager. */
export interface ManagerContext {
  readonly options: BinanceWebSocketManagerOptions;
  readonly exchange: Exchange;
  readonly WebSocket: WebSocketConstructor;
  /** Registers a new stream record. */
  newRecord(kind: StreamKind, options: CreateStreamOptions): StreamRecord;
  /** Stops the stream when the signal aborts. */
  bindAbort(rec: StreamRecord, signal: AbortSignal | undefined): void;
  /** Raises a signal. */
  signal(
    rec: StreamRecord,
    type: StreamSignalType,
    extra: Partial<Omit<StreamSignal, "type" | "streamId" | "label" | "time">>,
  ): void;
  /** Accounts and delivers one data frame. */
  data(rec: StreamRecord, e: ConnEntry, text: string, stream: string | undefined): void;
  /** Reports a disconnect of one connection. */
  onDisconnect(rec: StreamRecord, e: ConnEntry, reason: string): void;
  /** Gives the stream up. */
  unrepairable(rec: StreamRecord, reason: string): void;
  /** Control messages per second and connection. */
  perSecond(): number;
  /** A record by id (RangeError when unknown). */
  get(id: string): StreamRecord;
  /** Every record. */
  records(): Iterable<StreamRecord>;
  /** Streams per connection. */
  limit(): number;
}
