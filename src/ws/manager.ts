/**
 * `BinanceWebSocketManager`: one manager for many Binance streams — the TypeScript form of the
 * Python suite's `BinanceWebSocketApiManager`, without its defects (no connect stall, one
 * SUBSCRIBE per reconnect, jittered backoff, consumer errors surfaced, bounded buffers).
 *
 * Consumption rule: every data frame goes to (1) each open `stream(id)` iterator of the stream,
 * (2) the stream's `onData` callback, else the manager's `onStreamData`, and (3) a buffer — the
 * stream's named buffer when it has `bufferName`, else the global buffer, but the global buffer
 * only when neither an iterator nor a callback took the frame. Buffers and iterators are bounded;
 * the overflow policy (default `"dropOldest"`) and a dropped counter are documented in `queue.ts`.
 *
 * Consumer errors: a callback that throws (or rejects) raises a `CONSUMER_ERROR` signal with the
 * error; the stream keeps running. With `stopOnConsumerError: true` (per stream or manager) the
 * stream instead stops: `STREAM_UNREPAIRABLE` ("consumer error: …") and `STOP` follow.
 *
 * @module
 */
import { ConnectAttemptBudget } from "./attempt_budget.ts";
import { type Exchange, getExchange } from "../core/exchanges.ts";
import { parseJson } from "../core/json.ts";
import { createUnicornfy, type UnicornfyExchange } from "../unicornfy/mod.ts";
import type { WebSocketConstructor } from "./connection.ts";
import { BoundedQueue, type OverflowPolicy } from "./queue.ts";
import type { StreamSignal, StreamSignalType } from "./signals.ts";
import { StreamUnrepairableError } from "./errors.ts";
import { FuturesApi, SpotApi } from "./api_methods.ts";
import { apiCall, openApiStream, openUserDataStream } from "./_sessions.ts";
import { MarketWiring } from "./_market.ts";
import type { ManagerContext } from "./_context.ts";
import { checkOptions } from "../core/_options.ts";
import { checkCredentials } from "../rest/_credentials.ts";
import {
  API_STREAM_KEYS,
  CHANGE_KEYS,
  LIST_KEYS,
  MANAGER_KEYS,
  QUEUE_KEYS,
  REPLACE_KEYS,
  STREAM_KEYS,
  USER_DATA_KEYS,
} from "./_option_keys.ts";
import type {
  ApiStreamOptions,
  BinanceWebSocketManagerOptions,
  ConnectionInfo,
  CreateStreamOptions,
  StreamInfo,
  UserDataStreamOptions,
  WebSocketManagerBaseOptions,
} from "./types.ts";
import {
  type ConnEntry,
  type OutputData,
  type OutputMode,
  type StreamDataCallback,
  type StreamId,
  type StreamKind,
  type StreamMessage,
  StreamRecord,
  type StreamStatistics,
} from "./_stream_record.ts";

export type { OutputData, OutputMode, StreamDataCallback, StreamId, StreamMessage, StreamStatistics };
export type {
  ApiStreamOptions,
  BinanceWebSocketManagerOptions,
  ConnectionInfo,
  CreateStreamOptions,
  StreamInfo,
  UserDataStreamOptions,
  WebSocketManagerBaseOptions,
};

/** A stream's own keys: a key alone is fine (the manager's secret may go with it), a secret alone is not. */
function checkStreamCredentials(o: { apiKey?: unknown; apiSecret?: unknown }, where: string): void {
  if (o.apiSecret !== undefined && o.apiKey === undefined) {
    throw new TypeError(`Missing ${where}.apiKey: a stream's own apiSecret needs its own apiKey`);
  }
  checkCredentials({ apiKey: o.apiKey, apiSecret: o.apiSecret }, where);
}

/**
 * One manager for many Binance streams.
 *
 * @typeParam D The output form of streams that do not choose one, inferred from `outputDefault`:
 *   with `outputDefault: "unicornfy"` every such stream yields `UnicornfyMessage` data.
 *
 * @example Usage (no network: nothing connects until a stream is created)
 * ```ts
 * import { BinanceWebSocketManager } from "./manager.ts";
 * import { assertEquals } from "@std/assert";
 *
 * await using ws = new BinanceWebSocketManager({ exchange: "binance.com" });
 * assertEquals(ws.getStreamList(), []);
 * ```
 */
export class BinanceWebSocketManager<D extends OutputMode = OutputMode> implements AsyncDisposable {
  /** The option keys the constructor accepts (any other key is refused by name). */
  static readonly optionKeys: readonly string[] = MANAGER_KEYS.list;
  /** The venue. */
  readonly exchange: Exchange;
  readonly #o: BinanceWebSocketManagerOptions;
  readonly #WebSocket: WebSocketConstructor;
  readonly #streams = new Map<string, StreamRecord>();
  readonly #buffers = new Map<string, BoundedQueue<StreamMessage>>();
  readonly #globalBuffer: BoundedQueue<StreamMessage>;
  readonly #signalBuffer: BoundedQueue<StreamSignal>;
  readonly #signalIterators = new Set<BoundedQueue<StreamSignal>>();
  readonly #lastSignal = new Map<string, StreamSignalType>();
  readonly #marketWiring: MarketWiring;
  #closed = false;
  #unicornfy: ((frame: string) => unknown) | undefined;
  readonly #ctx: ManagerContext;
  /** WebSocket-API methods: `api.spot.*` and `api.futures.*` (see `api_methods.ts`). */
  readonly api: { readonly spot: SpotApi; readonly futures: FuturesApi };

  /**
   * Creates a manager; nothing connects until a stream is created.
   *
   * @param options Exchange, keys, output, consumers, WebSocket constructor, timings.
   * @throws {RangeError} On an unknown exchange.
   * @throws {TypeError} On an unknown option key, or when no WebSocket constructor is available.
   */
  constructor(options: BinanceWebSocketManagerOptions<D> = {}) {
    checkOptions(options, "BinanceWebSocketManager options", MANAGER_KEYS);
    checkCredentials(options, "BinanceWebSocketManager options");
    this.#o = options;
    this.exchange = getExchange(options.exchange ?? "binance.com");
    const ctor = options.WebSocket ??
      (globalThis as unknown as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!ctor) {
      throw new TypeError(
        "Invalid WebSocket: no global WebSocket; pass one (e.g. the ws package) as options.WebSocket",
      );
    }
    this.#WebSocket = ctor;
    const capacity = options.bufferCapacity ?? 10_000;
    const overflow = options.bufferOverflow ?? "dropOldest";
    this.#globalBuffer = new BoundedQueue({ capacity, overflow });
    this.#signalBuffer = new BoundedQueue({ capacity: 10_000, overflow: "dropOldest" });
    // one attempt budget for all connections of the manager (Binance counts per IP)
    const budget = options.connectAttemptBudget === false
      ? undefined
      : options.connectAttemptBudget ?? new ConnectAttemptBudget();
    this.#ctx = {
      options: { ...options, connectAttemptBudget: budget },
      exchange: this.exchange,
      WebSocket: ctor,
      newRecord: (kind, o) => this.#newRecord(kind, o),
      bindAbort: (rec, signal) => this.#bindAbort(rec, signal),
      signal: (rec, type, extra) => this.#signal(rec, type, extra),
      data: (rec, e, text, stream) => this.#data(rec, e, text, stream),
      onDisconnect: (rec, e, reason) => this.#onDisconnect(rec, e, reason),
      unrepairable: (rec, reason) => this.#unrepairable(rec, reason),
      perSecond: () => this.#perSecond(),
      get: (id) => this.#get(id),
      records: () => this.#streams.values(),
      limit: () => this.#limit(),
    };
    this.#marketWiring = new MarketWiring(this.#ctx);
    this.api = {
      spot: new SpotApi((m, p, signed, o) => apiCall(this.#ctx, "spot", m, p, signed, o)),
      futures: new FuturesApi((m, p, signed, o) => apiCall(this.#ctx, "futures", m, p, signed, o)),
    };
  }

  /** @internal Options for other parts of the ws module. */
  get options(): BinanceWebSocketManagerOptions {
    return this.#o;
  }

  // ---------------------------------------------------------------- streams

  /**
   * Creates a stream of channels × markets and connects it (returns at once; watch the signals).
   *
   * @param channels Channels: `trade`, `kline_1m`, `depth@100ms`, `!miniTicker`, `arr` …
   * @param markets Symbols or tokens: `BTCUSDT`, `!miniTicker`, `arr` …
   * @param options Label, output, buffer, callback, abort signal, single-connection switch.
   * @returns The stream id (typed with the output form: `stream(id)` yields typed data).
   * @throws {TypeError} On bad channel/market entries or a closed manager.
   * @throws {RangeError} When `singleConnection` is set and the streams do not fit one connection.
   */
  createStream<O extends OutputMode = D>(
    channels: readonly string[],
    markets: readonly string[],
    options: CreateStreamOptions<O> = {},
  ): StreamId<O> {
    this.#assertOpen();
    checkOptions(options, "createStream options", STREAM_KEYS);
    return this.#marketWiring.open(channels, markets, options);
  }

  /**
   * Adds channels/markets to a running stream without reconnecting: the union of all channels ×
   * all markets is subscribed, new names fill connections with room, paced per connection.
   *
   * @param streamId The stream.
   * @param add Channels and/or markets to add.
   * @returns The stream names newly subscribed.
   * @throws {RangeError} Unknown stream, or a single-connection stream would exceed its limit.
   */
  subscribe(streamId: string, add: { channels?: readonly string[]; markets?: readonly string[] }): string[] {
    checkOptions(add, "subscribe changes", CHANGE_KEYS);
    return this.#marketWiring.subscribe(this.#market(streamId), add);
  }

  /**
   * Removes channels/markets from a running stream: every name that no longer belongs to the
   * remaining channels × markets is unsubscribed, paced.
   *
   * @param streamId The stream.
   * @param remove Channels and/or markets to remove.
   * @returns The stream names unsubscribed.
   * @throws {RangeError} Unknown stream.
   */
  unsubscribe(
    streamId: string,
    remove: { channels?: readonly string[]; markets?: readonly string[] },
  ): string[] {
    checkOptions(remove, "unsubscribe changes", CHANGE_KEYS);
    return this.#marketWiring.unsubscribe(this.#market(streamId), remove);
  }

  /**
   * Asks Binance which streams the stream's connections carry (`LIST_SUBSCRIPTIONS`).
   *
   * @param streamId The stream.
   * @param options `timeoutMs` (default 10 000).
   * @returns The union of the server's answers.
   * @throws {RangeError} Unknown stream.
   * @throws {WebSocketRequestError} When a connection is not open, drops, or does not answer in time.
   */
  getStreamSubscriptions(streamId: string, options: { timeoutMs?: number } = {}): Promise<string[]> {
    checkOptions(options, "getStreamSubscriptions options", LIST_KEYS);
    return this.#marketWiring.list(this.#market(streamId), options.timeoutMs ?? 10_000);
  }

  /**
   * Async iterator over a stream's messages, bounded (see the module doc for the overflow policy).
   * Ends when the stream stops; throws {@link StreamUnrepairableError} when it cannot be repaired.
   *
   * @param streamId The stream.
   * @param options Capacity and overflow policy of this iterator's queue.
   * @returns An async iterable; `break` detaches it. Its data is typed by the id's output form
   *   (`UnicornfyMessage` for `"unicornfy"`, `string` for `"raw"`, `unknown` for a plain string id).
   * @throws {RangeError} Unknown stream.
   */
  stream<O extends OutputMode = OutputMode>(
    streamId: StreamId<O>,
    options: { capacity?: number; overflow?: OverflowPolicy } = {},
  ): AsyncIterable<StreamMessage<OutputData[O]>> {
    checkOptions(options, "stream options", QUEUE_KEYS);
    const rec = this.#get(streamId);
    const q = new BoundedQueue<StreamMessage>({
      capacity: options.capacity ?? this.#o.bufferCapacity ?? 10_000,
      overflow: options.overflow ?? this.#o.bufferOverflow ?? "dropOldest",
    });
    if (rec.status !== "running") q.close();
    else rec.iterators.add(q);
    return q as AsyncIterable<StreamMessage<OutputData[O]>>; // the record converts to its output form
  }

  /**
   * Stops a stream: `DISCONNECT` (per open connection) then `STOP`; its iterators end.
   *
   * @param streamId The stream.
   * @returns False when the stream was already stopped.
   * @throws {RangeError} Unknown stream.
   */
  stopStream(streamId: string): boolean {
    const rec = this.#get(streamId);
    if (rec.status !== "running") return false;
    this.#stopRecord(rec, undefined);
    return true;
  }

  /**
   * Replaces a stream by a new one and stops the old one once the new one received data on every
   * connection (or `timeoutMs` passed): no gap for the consumer.
   *
   * @param streamId The stream to replace.
   * @param channels New channels.
   * @param markets New markets.
   * @param options New stream options plus `timeoutMs` (default 30 000).
   * @returns The new stream id.
   * @throws {RangeError} Unknown stream.
   */
  async replaceStream<O extends OutputMode = OutputMode>(
    streamId: StreamId<O>,
    channels: readonly string[],
    markets: readonly string[],
    options: CreateStreamOptions<O> & { timeoutMs?: number } = {},
  ): Promise<StreamId<O>> {
    checkOptions(options, "replaceStream options", REPLACE_KEYS);
    const old = this.#get(streamId);
    const { timeoutMs, ...streamOptions } = options;
    const id = this.createStream(channels, markets, {
      label: old.label,
      output: old.output,
      bufferName: old.bufferName,
      onData: old.onData,
      ...streamOptions,
    });
    const rec = this.#get(id);
    const deadline = Date.now() + (timeoutMs ?? 30_000);
    while (rec.status === "running" && Date.now() < deadline && rec.conns.some((e) => e.awaitingFirst)) {
      await new Promise((r) => setTimeout(r, 20));
    }
    if (old.status === "running") this.#stopRecord(old, undefined);
    return id as StreamId<O>; // same output form: options.output, else the old stream's
  }

  // ---------------------------------------------------------------- WebSocket API and user data

  /**
   * Opens a WebSocket-API connection with its own keys; requests reach it through
   * `manager.api.spot.*` / `manager.api.futures.*` by `streamId` or `label` (or as the only API
   * stream of its market). Ed25519 keys log on with `session.logon`, again after every reconnect.
   *
   * @param options Market, keys, logon, consumers, label.
   * @returns The stream id.
   * @throws {RangeError} When the venue has no WebSocket API for that market.
   * @throws {TypeError} On an invalid key or a closed manager.
   */
  createApiStream<O extends OutputMode = D>(options: ApiStreamOptions<O> = {}): StreamId<O> {
    this.#assertOpen();
    checkOptions(options, "createApiStream options", API_STREAM_KEYS);
    checkStreamCredentials(options, "createApiStream options");
    return openApiStream(this.#ctx, options);
  }

  /**
   * Opens a user-data stream for one account, by venue: spot through the WebSocket API
   * (`userDataStream.subscribe.signature`, or `session.logon` + `userDataStream.subscribe` with an
   * Ed25519 key and `logon: true`), margin through a listenToken (renewed before it expires),
   * USDⓈ-M and COIN-M through a listenKey (kept alive; the USDⓈ-M `/private` route with an
   * `events` filter). Re-established after every reconnect; `listenKeyExpired` fetches a new key.
   *
   * @param options Keys, events, consumers, label.
   * @returns The stream id.
   * @throws {RangeError} When the venue has no user-data stream this manager supports.
   * @throws {TypeError} When no API key is given, or the manager is closed.
   */
  createUserDataStream<O extends OutputMode = D>(options: UserDataStreamOptions<O> = {}): StreamId<O> {
    this.#assertOpen();
    checkOptions(options, "createUserDataStream options", USER_DATA_KEYS);
    checkStreamCredentials(options, "createUserDataStream options");
    return openUserDataStream(this.#ctx, options);
  }

  // ---------------------------------------------------------------- introspection

  /**
   * Describes one stream (Python `get_stream_info`).
   *
   * @param streamId The stream.
   * @returns Identity, sets, connections and statistics of the stream.
   * @throws {RangeError} Unknown stream.
   */
  getStreamInfo(streamId: string): StreamInfo {
    const rec = this.#get(streamId);
    return {
      streamId: rec.id,
      label: rec.label,
      kind: rec.kind,
      status: rec.status,
      channels: [...rec.channels],
      markets: [...rec.markets],
      streams: rec.names(),
      output: rec.output,
      bufferName: rec.bufferName,
      startedAt: rec.startedAt,
      lastSignal: this.#lastSignal.get(rec.id),
      connections: rec.conns.map((e) => ({
        index: e.index,
        category: e.category,
        state: e.conn.state,
        streams: e.names.size,
        reconnects: e.conn.reconnects,
        rotations: e.conn.rotations,
      })),
      statistics: rec.statistics(),
    };
  }

  /**
   * Lists the streams (Python `get_stream_list`).
   *
   * @returns The ids of every stream (running or stopped), in creation order.
   */
  getStreamList(): string[] {
    return [...this.#streams.keys()];
  }

  /**
   * Finds a stream by label (Python `get_stream_id_by_label`).
   *
   * @param label A label.
   * @returns The id of the first stream with that label, or undefined.
   */
  getStreamIdByLabel(label: string): string | undefined {
    for (const r of this.#streams.values()) if (r.label === label) return r.id;
    return undefined;
  }

  /**
   * Statistics of one stream or of all.
   *
   * @param streamId The stream, or none for the totals of all streams.
   * @returns Message, byte, speed, reconnect and drop counters.
   * @throws {RangeError} Unknown stream.
   */
  getStatistics(streamId?: string): StreamStatistics {
    if (streamId !== undefined) return this.#get(streamId).statistics();
    const all = [...this.#streams.values()].map((r) => r.statistics());
    const sum = (k: keyof StreamStatistics): number => all.reduce((n, s) => n + s[k], 0);
    return {
      messages: sum("messages"),
      bytes: sum("bytes"),
      receivingSpeed: sum("receivingSpeed"),
      messagesPerSecond: sum("messagesPerSecond"),
      reconnects: sum("reconnects"),
      rotations: sum("rotations"),
      lastDataTime: Math.max(0, ...all.map((s) => s.lastDataTime)),
      dropped: sum("dropped") + this.#globalBuffer.dropped +
        [...this.#buffers.values()].reduce((n, b) => n + b.dropped, 0),
    };
  }

  // ---------------------------------------------------------------- buffers and signals

  /**
   * Takes one message from a buffer.
   *
   * @param bufferName A named buffer; omit for the global buffer.
   * @param mode `"FIFO"` (oldest, default) or `"LIFO"` (newest).
   * @returns The message, or undefined when empty.
   */
  popStreamData(bufferName?: string, mode: "FIFO" | "LIFO" = "FIFO"): StreamMessage | undefined {
    const b = bufferName === undefined ? this.#globalBuffer : this.#buffers.get(bufferName);
    return mode === "LIFO" ? b?.pop() : b?.shift();
  }

  /**
   * Fill level and losses of a buffer.
   *
   * @param bufferName A named buffer; omit for the global buffer.
   * @returns Items, capacity and dropped count of the buffer.
   */
  getBufferStats(bufferName?: string): { length: number; capacity: number; dropped: number } {
    const b = bufferName === undefined ? this.#globalBuffer : this.#buffers.get(bufferName);
    return { length: b?.length ?? 0, capacity: b?.capacity ?? 0, dropped: b?.dropped ?? 0 };
  }

  /**
   * Takes the oldest signal from the signal buffer (filled when no `onStreamSignal` is set).
   *
   * @returns The signal, or undefined.
   */
  popStreamSignal(): StreamSignal | undefined {
    return this.#signalBuffer.shift();
  }

  /**
   * Async iterator over signals raised from now on; ends when the manager closes.
   *
   * @returns An async iterable; `break` detaches it.
   */
  signals(): AsyncIterable<StreamSignal> {
    const q = new BoundedQueue<StreamSignal>({ capacity: 10_000 });
    if (this.#closed) q.close();
    else this.#signalIterators.add(q);
    return q;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Stops every stream; the manager refuses new streams afterwards. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    for (const rec of this.#streams.values()) if (rec.status === "running") this.#stopRecord(rec, undefined);
    this.#closed = true;
    this.#marketWiring.close();
    for (const q of this.#signalIterators) q.close();
    this.#signalIterators.clear();
    return Promise.resolve();
  }

  /** `await using` support: {@link close}. @returns When closed. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---------------------------------------------------------------- internals

  #assertOpen(): void {
    if (this.#closed) throw new TypeError("Cannot use the manager: it is closed");
  }

  #limit(): number {
    return this.#o.maxStreamsPerConnection ?? this.exchange.maxStreamsPerConnection;
  }

  #get(id: string): StreamRecord {
    const rec = this.#streams.get(id);
    if (!rec) throw new RangeError(`Unknown stream id "${id}"`);
    return rec;
  }

  #market(id: string): StreamRecord {
    const rec = this.#get(id);
    if (rec.kind !== "market") throw new RangeError(`Stream "${id}" is not a market stream`);
    if (rec.status !== "running") {
      const label = rec.label === undefined ? "" : ` (label ${JSON.stringify(rec.label)})`;
      const why = rec.failure === undefined ? "" : `: ${rec.failure}`;
      throw new RangeError(`Stream "${id}"${label} is ${rec.status}${why}`);
    }
    return rec;
  }

  #newRecord(kind: StreamKind, options: CreateStreamOptions): StreamRecord {
    const rec = new StreamRecord({
      id: crypto.randomUUID(),
      label: options.label,
      kind,
      output: options.output ?? this.#o.outputDefault ?? "raw",
      bufferName: options.bufferName,
      onData: options.onData,
      stopOnConsumerError: options.stopOnConsumerError ?? this.#o.stopOnConsumerError ?? false,
      singleConnection: options.singleConnection ?? false,
      capacity: this.#o.bufferCapacity ?? 10_000,
      overflow: this.#o.bufferOverflow ?? "dropOldest",
    });
    this.#streams.set(rec.id, rec);
    return rec;
  }

  #bindAbort(rec: StreamRecord, signal: AbortSignal | undefined): void {
    if (!signal) return;
    if (signal.aborted) return void this.#stopRecord(rec, undefined);
    signal.addEventListener("abort", () => rec.status === "running" && this.#stopRecord(rec, undefined), {
      once: true,
    });
  }

  #perSecond(): number {
    return this.#o.messagesPerSecond ?? Math.max(1, this.exchange.maxIncomingMessagesPerSecond - 1);
  }

  /** @internal Shared by market and user-data streams. */
  #data(rec: StreamRecord, e: ConnEntry, text: string, stream: string | undefined): void {
    const now = Date.now();
    e.conn.markData();
    rec.count(text.length, now);
    e.lastRecord = text;
    let data: unknown = text;
    if (rec.output !== "raw") {
      try {
        data = rec.output === "parsed" ? parseJson(text) : this.#unicornfier()(text);
      } catch (err) {
        this.#consumerError(rec, err, "cannot convert the frame");
        // "unicornfy" consumers get UnicornFy objects only (the data type says so): the signal
        // (CONSUMER_ERROR) carries the parse error; "parsed" consumers get the text
        if (rec.output === "unicornfy") return;
        data = text;
      }
    }
    if (e.awaitingFirst) {
      e.awaitingFirst = false;
      this.#signal(rec, "FIRST_RECEIVED_DATA", { connection: e.index, data });
    }
    const msg: StreamMessage = { streamId: rec.id, label: rec.label, stream, data, receivedAt: now };
    const taken = rec.deliver(
      msg,
      this.#o.onStreamData,
      (err) => this.#consumerError(rec, err, "consumer failed"),
    );
    if (rec.bufferName !== undefined) {
      let b = this.#buffers.get(rec.bufferName);
      if (!b) {
        b = new BoundedQueue({
          capacity: this.#o.bufferCapacity ?? 10_000,
          overflow: this.#o.bufferOverflow,
        });
        this.#buffers.set(rec.bufferName, b);
      }
      b.push(msg);
    } else if (!taken) this.#globalBuffer.push(msg);
  }

  #unicornfier(): (frame: string) => unknown {
    if (this.#unicornfy) return this.#unicornfy;
    const custom = this.#o.unicornfy;
    const exchange = this.exchange.name;
    if (custom) return this.#unicornfy = (f) => custom(parseJson(f), { exchange });
    try {
      this.#unicornfy = createUnicornfy({ exchange: exchange as UnicornfyExchange });
    } catch {
      // a venue UnicornFy has no tables for: deliver the parsed frame (Python passes it through)
      this.#unicornfy = (f) => parseJson(f);
    }
    return this.#unicornfy;
  }

  #consumerError(rec: StreamRecord, err: unknown, what: string): void {
    const reason = `${what}: ${err instanceof Error ? err.message : String(err)}`;
    this.#signal(rec, "CONSUMER_ERROR", { reason, error: err });
    if (rec.stopOnConsumerError && rec.status === "running") {
      this.#unrepairable(rec, `consumer error: ${reason}`);
    }
  }

  #onDisconnect(rec: StreamRecord, e: ConnEntry, reason: string): void {
    this.#signal(rec, "DISCONNECT", { connection: e.index, reason, data: this.#convertLast(rec, e) });
  }

  #convertLast(rec: StreamRecord, e: ConnEntry): unknown {
    if (e.lastRecord === undefined || rec.output === "raw") return e.lastRecord;
    try {
      return parseJson(e.lastRecord);
    } catch {
      return e.lastRecord;
    }
  }

  #unrepairable(rec: StreamRecord, reason: string): void {
    if (rec.status !== "running") return;
    rec.failure = reason;
    this.#signal(rec, "STREAM_UNREPAIRABLE", { reason });
    this.#stopRecord(
      rec,
      new StreamUnrepairableError(`Stream ${rec.id} cannot be repaired: ${reason}`),
      "crashed",
    );
  }

  #stopRecord(rec: StreamRecord, error: unknown, status: "stopped" | "crashed" = "stopped"): void {
    rec.status = status;
    for (const e of rec.conns) {
      const wasOpen = e.conn.stop();
      if (wasOpen) {
        this.#signal(rec, "DISCONNECT", {
          connection: e.index,
          reason: "stopped",
          data: this.#convertLast(rec, e),
        });
      }
    }
    for (const fn of rec.cleanup) fn();
    this.#signal(rec, "STOP", {});
    rec.endIterators(error);
  }

  #signal(
    rec: StreamRecord,
    type: StreamSignalType,
    extra: Partial<Omit<StreamSignal, "type" | "streamId" | "label" | "time">>,
  ): void {
    const sig: StreamSignal = { type, streamId: rec.id, label: rec.label, time: Date.now(), ...extra };
    this.#lastSignal.set(rec.id, type);
    for (const q of this.#signalIterators) q.push(sig);
    const cb = this.#o.onStreamSignal;
    if (cb) {
      try {
        cb(sig);
      } catch {
        // a failing signal callback must not break the stream; nothing else to report it to
      }
    } else this.#signalBuffer.push(sig);
  }
}
