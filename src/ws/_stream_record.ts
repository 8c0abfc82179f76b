/**
 * Per-stream state of the manager: sets, connections, consumers, statistics and delivery.
 * Internal; the manager owns every record.
 *
 * Hot path: `deliver` runs for every data frame.
 *
 * @module
 */
import { BoundedQueue, type OverflowPolicy } from "./queue.ts";
import type { Connection } from "./connection.ts";
import type { ApiSession } from "./api_session.ts";
import type { UnicornfyMessage } from "../unicornfy/types.ts";

/** Output forms of stream data. */
export type OutputMode = "raw" | "parsed" | "unicornfy";

/** What {@link StreamMessage.data} holds for each output form. */
export interface OutputData {
  /** The frame text as received. */
  readonly raw: string;
  /** The frame parsed with 64-bit-safe integers (the text itself when it is not JSON). */
  readonly parsed: unknown;
  /** The UnicornFy object: `switch (msg.data.eventType)` narrows it to one interface per event. */
  readonly unicornfy: UnicornfyMessage;
}

/**
 * A stream id. It is a plain string at run time; its type remembers the stream's output form, so
 * `manager.stream(id)` and the stream's callbacks get typed data (a `string` id gives `unknown`).
 */
export type StreamId<O extends OutputMode = OutputMode> = string & { readonly __output?: O };

/** What every data consumer receives; `T` is the data type of the stream's output form. */
export interface StreamMessage<T = unknown> {
  /** Stream id. */
  readonly streamId: string;
  /** Stream label, if any. */
  readonly label?: string;
  /** Binance stream name (`btcusdt@trade`) for combined-stream frames; undefined otherwise. */
  readonly stream?: string;
  /** The frame: raw text (`"raw"`), the parsed frame (`"parsed"`) or the UnicornFy object. */
  readonly data: T;
  /** Epoch ms when the frame arrived. */
  readonly receivedAt: number;
}

/** A data callback; a returned promise is awaited before the stream's next frame is handed over. */
export type StreamDataCallback<T = unknown> = (message: StreamMessage<T>) => void | Promise<void>;

/** One connection of a stream. */
export interface ConnEntry {
  readonly index: number;
  readonly conn: Connection;
  readonly category?: "public" | "market" | "private";
  readonly names: Set<string>;
  /** Names the URL of the current socket carries; the others are subscribed on open. */
  inUrl: Set<string>;
  /** True until the first data frame of the current connected period. */
  awaitingFirst: boolean;
  /** Last data frame (raw text) of the connection. */
  lastRecord?: string;
}

/** Statistics of one stream (or, summed, of the manager). */
export interface StreamStatistics {
  /** Data frames received. */
  readonly messages: number;
  /** Characters of data frames received (≈ bytes for Binance's ASCII JSON). */
  readonly bytes: number;
  /** Bytes per second over the last full second. */
  readonly receivingSpeed: number;
  /** Frames per second over the last full second. */
  readonly messagesPerSecond: number;
  /** Reconnects of all connections. */
  readonly reconnects: number;
  /** Completed make-before-break rotations (and overlapping listen-token renewals). */
  readonly rotations: number;
  /** Epoch ms of the last data frame, 0 if none. */
  readonly lastDataTime: number;
  /** Items dropped by full buffers and iterators of this stream. */
  readonly dropped: number;
}

/** Stream kinds: market data, user data, or a WebSocket-API connection. */
export type StreamKind = "market" | "userData" | "api";

/** Internal stream record. */
export class StreamRecord {
  readonly id: string;
  label: string | undefined;
  readonly kind: StreamKind;
  readonly output: OutputMode;
  readonly bufferName: string | undefined;
  readonly onData: StreamDataCallback | undefined;
  readonly stopOnConsumerError: boolean;
  readonly singleConnection: boolean;
  readonly channels: Set<string> = new Set();
  readonly markets: Set<string> = new Set();
  readonly conns: ConnEntry[] = [];
  readonly iterators: Set<BoundedQueue<StreamMessage>> = new Set();
  status: "running" | "stopped" | "crashed" = "running";
  /** Why the stream crashed (the `STREAM_UNREPAIRABLE` reason). */
  failure: string | undefined;
  /** WebSocket-API session (API streams and WS-API user data). */
  session?: ApiSession;
  /** Market of an API stream. */
  apiMarket?: "spot" | "futures";
  /** Deliver API responses to the stream's consumers by default. */
  deliverResponses = false;
  /** Connections replaced by a rotation of the whole connection (listen-token renewals). */
  renewals = 0;
  /** Reconnects of connections replaced that way. */
  pastReconnects = 0;
  /** Run once when the stream stops (timers, sessions). */
  readonly cleanup: (() => void)[] = [];
  readonly startedAt: number = Date.now();
  messages = 0;
  bytes = 0;
  lastDataTime = 0;
  dropped = 0;
  #sec = 0;
  #secBytes = 0;
  #secMsgs = 0;
  lastSecBytes = 0;
  lastSecMsgs = 0;
  // sequential delivery to an async callback
  #cbBusy = false;
  #cbQueue: BoundedQueue<StreamMessage> | undefined;
  readonly #cbCapacity: number;
  readonly #cbOverflow: OverflowPolicy;

  constructor(init: {
    id: string;
    label?: string;
    kind: StreamKind;
    output: OutputMode;
    bufferName?: string;
    onData?: StreamDataCallback;
    stopOnConsumerError: boolean;
    singleConnection: boolean;
    capacity: number;
    overflow: OverflowPolicy;
  }) {
    this.id = init.id;
    this.label = init.label;
    this.kind = init.kind;
    this.output = init.output;
    this.bufferName = init.bufferName;
    this.onData = init.onData;
    this.stopOnConsumerError = init.stopOnConsumerError;
    this.singleConnection = init.singleConnection;
    this.#cbCapacity = init.capacity;
    this.#cbOverflow = init.overflow;
  }

  /** All stream names over all connections. */
  names(): string[] {
    return this.conns.flatMap((c) => [...c.names]);
  }

  /** Accounts one data frame. */
  count(length: number, now: number): void {
    this.messages++;
    this.bytes += length;
    this.lastDataTime = now;
    const sec = Math.floor(now / 1000);
    if (sec !== this.#sec) {
      this.lastSecBytes = sec === this.#sec + 1 ? this.#secBytes : 0;
      this.lastSecMsgs = sec === this.#sec + 1 ? this.#secMsgs : 0;
      this.#sec = sec;
      this.#secBytes = this.#secMsgs = 0;
    }
    this.#secBytes += length;
    this.#secMsgs++;
  }

  /** Current statistics. */
  statistics(): StreamStatistics {
    const nowSec = Math.floor(Date.now() / 1000);
    const fresh = nowSec === this.#sec + 1;
    const current = nowSec === this.#sec;
    let iterDropped = 0;
    for (const q of this.iterators) iterDropped += q.dropped;
    return {
      messages: this.messages,
      bytes: this.bytes,
      receivingSpeed: fresh ? this.#secBytes : current ? this.lastSecBytes : 0,
      messagesPerSecond: fresh ? this.#secMsgs : current ? this.lastSecMsgs : 0,
      reconnects: this.conns.reduce((n, c) => n + c.conn.reconnects, this.pastReconnects),
      rotations: this.conns.reduce((n, c) => n + c.conn.rotations, this.renewals),
      lastDataTime: this.lastDataTime,
      dropped: this.dropped + iterDropped + (this.#cbQueue?.dropped ?? 0),
    };
  }

  /**
   * Hands a message to the stream's iterators and callback.
   *
   * @returns True when some consumer (callback or iterator) took it.
   */
  deliver(
    msg: StreamMessage,
    fallback: StreamDataCallback | undefined,
    onError: (e: unknown) => void,
  ): boolean {
    let taken = false;
    if (this.iterators.size) {
      for (const q of this.iterators) {
        if (q.closed) this.iterators.delete(q);
        else {
          q.push(msg);
          taken = true;
        }
      }
    }
    const cb = this.onData ?? fallback;
    if (cb) {
      taken = true;
      if (this.#cbBusy) {
        this.#cbQueue ??= new BoundedQueue({ capacity: this.#cbCapacity, overflow: this.#cbOverflow });
        this.#cbQueue.push(msg);
      } else this.#call(cb, msg, onError);
    }
    return taken;
  }

  #call(cb: StreamDataCallback, msg: StreamMessage, onError: (e: unknown) => void): void {
    let r: void | Promise<void>;
    try {
      r = cb(msg);
    } catch (e) {
      onError(e);
      return;
    }
    if (r && typeof (r as Promise<void>).then === "function") {
      this.#cbBusy = true;
      (r as Promise<void>).then(
        () => this.#next(cb, onError),
        (e) => {
          onError(e);
          this.#next(cb, onError);
        },
      );
    }
  }

  #next(cb: StreamDataCallback, onError: (e: unknown) => void): void {
    this.#cbBusy = false;
    const next = this.#cbQueue?.shift();
    if (next !== undefined && this.status === "running") this.#call(cb, next, onError);
  }

  /** Ends every iterator (`error`: with that error). */
  endIterators(error?: unknown): void {
    for (const q of this.iterators) error === undefined ? q.close() : q.fail(error);
    this.iterators.clear();
    this.#cbQueue?.clear();
  }
}
