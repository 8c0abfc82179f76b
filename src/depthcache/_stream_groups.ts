/**
 * The depth streams of a manager: markets grouped into WebSocket-manager streams of at most
 * `perStream` markets (one connection each), subscribed in batches, frames routed to the
 * markets' caches, and connection signals turned into cache states.
 *
 * - Markets added in the same tick are flushed together: the first batch of a group creates its
 *   stream (names in the URL, the rest as paced SUBSCRIBE messages), later batches subscribe.
 * - `DISCONNECT` marks every market of the group unverified; a market whose next event chains
 *   onto its book is live again without a snapshot; markets still unverified `graceMs` after
 *   the disconnect resync. A stream that stops on its own (unrepairable) is created again.
 * - A frame that is not JSON, or a depth event without ids, marks its market unverified (or the
 *   whole group when the market cannot be told).
 *
 * Hot path: `#onFrame` runs for every depth event; a live WASM book takes the frame text as it is
 * (`MarketCache.onFrame`), anything else is parsed here.
 *
 * @module
 */
import type { DepthStreamMessage, DepthStreamSource } from "./manager_options.ts";
import type { DepthDiff } from "./book_types.ts";
import type { MarketCache } from "./_market_cache.ts";

/** Settings of {@link StreamGroups}. */
export interface StreamGroupsOptions {
  readonly channel: string;
  readonly perStream: number;
  readonly graceMs: number;
  /** The cache of an uppercase market, if any. */
  cache(market: string): MarketCache | undefined;
  onDiff(cache: MarketCache, diff: DepthDiff, eventTime: number, receivedAt: number): void;
  timer(fn: () => void, ms: number): void;
}

interface Group {
  readonly index: number;
  streamId: string | undefined;
  /** Markets of the group (uppercase), subscribed or pending. */
  readonly markets: Set<string>;
  readonly pending: Set<string>;
  stopping: boolean;
  /** Streams made again after stopping on their own. */
  restarts: number;
}

/** Stream groups of one manager (see the module docs). */
export class StreamGroups {
  readonly #ws: DepthStreamSource;
  readonly #o: StreamGroupsOptions;
  readonly #groups: Group[] = [];
  readonly #byStream = new Map<string, Group>();
  readonly #groupOf = new Map<string, Group>();
  /** Stream name → market, so the hot path allocates no strings per frame. */
  readonly #marketOfStream = new Map<string, string>();
  #flushQueued = false;
  #signals: AsyncIterator<unknown> | undefined;
  #closed = false;

  constructor(ws: DepthStreamSource, options: StreamGroupsOptions) {
    this.#ws = ws;
    this.#o = options;
  }

  /** Adds a market to a group with room and queues its subscription. */
  add(market: string): void {
    if (this.#groupOf.has(market)) return;
    let g = this.#groups.find((x) => x.markets.size < this.#o.perStream);
    if (!g) {
      g = {
        index: this.#groups.length,
        streamId: undefined,
        markets: new Set(),
        pending: new Set(),
        stopping: false,
        restarts: 0,
      };
      this.#groups.push(g);
    }
    g.markets.add(market);
    g.pending.add(market);
    this.#groupOf.set(market, g);
    this.#queueFlush(0);
  }

  /** Removes a market (unsubscribed when it was subscribed). */
  remove(market: string): void {
    const g = this.#groupOf.get(market);
    if (!g) return;
    this.#groupOf.delete(market);
    g.markets.delete(market);
    if (g.pending.delete(market)) return;
    if (g.streamId === undefined) return;
    if (g.markets.size === 0) {
      g.stopping = true;
      this.#byStream.delete(g.streamId);
      this.#ws.stopStream(g.streamId);
      g.streamId = undefined;
      g.stopping = false;
      return;
    }
    try {
      this.#ws.unsubscribe(g.streamId, { markets: [market] });
    } catch {
      // the stream stopped meanwhile: nothing left to unsubscribe
    }
  }

  #queueFlush(ms: number): void {
    if (this.#flushQueued || this.#closed) return;
    this.#flushQueued = true;
    this.#o.timer(() => {
      this.#flushQueued = false;
      this.#flush();
    }, ms);
  }

  #flush(): void {
    if (this.#closed) return;
    this.#watchSignals();
    for (const g of this.#groups) {
      if (g.pending.size === 0) continue;
      const batch = [...g.pending];
      g.pending.clear();
      if (g.streamId !== undefined) {
        try {
          this.#ws.subscribe(g.streamId, { markets: batch });
          continue;
        } catch {
          // the stream stopped meanwhile: make a new one with every market of the group
          this.#byStream.delete(g.streamId);
          g.streamId = undefined;
          batch.splice(0, batch.length, ...g.markets);
        }
      }
      try {
        const id = this.#ws.createStream([this.#o.channel], batch, {
          label: `depthcache_${g.index}`,
          output: "raw",
          singleConnection: true,
          onData: (msg) => this.#onFrame(g, msg),
        });
        g.streamId = id;
        this.#byStream.set(id, g);
      } catch (e) {
        // e.g. a shared WebSocket manager that was closed: nothing to retry
        const why = `error: ${e instanceof Error ? e.message : String(e)}`;
        for (const m of batch) this.#o.cache(m)?.markSuspect(why);
      }
    }
  }

  #watchSignals(): void {
    if (this.#signals) return;
    const it = this.#ws.signals()[Symbol.asyncIterator]();
    this.#signals = it;
    const loop = async (): Promise<void> => {
      for (;;) {
        const r = await it.next();
        if (r.done || this.#closed) return;
        this.#onSignal(r.value as { type: string; streamId: string });
      }
    };
    loop().catch(() => {});
  }

  #onSignal(sig: { type: string; streamId: string }): void {
    const g = this.#byStream.get(sig.streamId);
    if (!g || g.stopping) return;
    if (sig.type === "DISCONNECT") {
      for (const m of g.markets) this.#o.cache(m)?.markSuspect("disconnect");
      this.#o.timer(() => {
        for (const m of g.markets) {
          const c = this.#o.cache(m);
          if (c?.suspect) c.resync("reconnect grace expired");
        }
      }, this.#o.graceMs);
    } else if (sig.type === "STOP") {
      // stopped on its own (unrepairable): make it again with every market of the group
      this.#byStream.delete(sig.streamId);
      g.streamId = undefined;
      for (const m of g.markets) {
        this.#o.cache(m)?.markSuspect("disconnect");
        g.pending.add(m);
      }
      this.#queueFlush(Math.min(30_000, 1000 * 2 ** Math.min(g.restarts++, 5))); // 1 s, 2 s, … 30 s
    }
  }

  /** Market of a stream name (`btcusdt@depth@100ms` → `BTCUSDT`), or undefined. */
  #marketOf(stream: string | undefined): string | undefined {
    if (stream === undefined) return undefined;
    let market = this.#marketOfStream.get(stream);
    if (market === undefined) {
      const at = stream.indexOf("@");
      if (at <= 0) return undefined;
      market = stream.slice(0, at).toUpperCase();
      // bounded: a server sending ever new names cannot grow it without limit
      if (this.#marketOfStream.size >= 10_000) this.#marketOfStream.clear();
      this.#marketOfStream.set(stream, market);
    }
    return market;
  }

  #onFrame(g: Group, msg: DepthStreamMessage): void {
    const stream = msg.stream;
    const named = this.#marketOf(stream);
    if (named !== undefined && typeof msg.data === "string") {
      // the fast path: a live WASM book parses the frame text itself (no JSON.parse, no objects)
      if (this.#o.cache(named)?.onFrame(msg.data, true, msg.receivedAt)) return;
    }
    let obj: { data?: unknown; e?: unknown; s?: unknown };
    try {
      obj = JSON.parse(msg.data as string);
    } catch {
      return this.#malformed(g, named);
    }
    const d = (stream === undefined ? obj : obj?.data) as
      | { e?: unknown; s?: unknown; E?: unknown; U?: unknown; u?: unknown; b?: unknown; a?: unknown }
      | undefined;
    const market = named ?? (typeof d?.s === "string" ? d.s.toUpperCase() : undefined);
    if (!d || d.e !== "depthUpdate") return this.#malformed(g, market);
    const cache = market === undefined ? undefined : this.#o.cache(market);
    if (!cache || cache.stopped) return;
    if (typeof d.U !== "number" || typeof d.u !== "number" || !Array.isArray(d.b) || !Array.isArray(d.a)) {
      return this.#malformed(g, market);
    }
    this.#o.onDiff(cache, d as unknown as DepthDiff, typeof d.E === "number" ? d.E : 0, msg.receivedAt);
  }

  #malformed(g: Group, market: string | undefined): void {
    const list = market !== undefined && g.markets.has(market) ? [market] : [...g.markets];
    for (const m of list) {
      const c = this.#o.cache(m);
      if (!c || c.stopped) continue;
      c.stats.malformed++;
      c.markSuspect("malformed frame");
    }
    // an unverified book that gets no further event resyncs after the grace period
    this.#o.timer(() => {
      for (const m of list) {
        const c = this.#o.cache(m);
        if (c?.suspect) c.resync("malformed frame");
      }
    }, this.#o.graceMs);
  }

  /** Stops the group streams and the signal watcher (the WebSocket manager stays open). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const g of this.#groups) {
      if (g.streamId === undefined) continue;
      g.stopping = true;
      try {
        this.#ws.stopStream(g.streamId);
      } catch {
        // unknown to the manager (closed already)
      }
    }
    void this.#signals?.return?.();
  }
}
