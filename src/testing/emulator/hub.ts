/**
 * The market hub: owns the simulated markets, steps them on a timer (or as fast as consumers
 * read in firehose mode), and dispatches stream events to subscribed sessions.
 *
 * @module
 */
import { DiffFeed } from "./diff_feed.ts";
import type { FaultRegistry } from "./faults.ts";
import type { Commit, Market } from "./market.ts";
import type { OptionStreams } from "./options_streams.ts";
import {
  aggTradeEvent,
  bookTickerEvent,
  type Json,
  klineEvent,
  miniTickerEvent,
  partialDepthEvent,
  tickerEvent,
  tradeEvent,
} from "./payloads.ts";
import { DEPTH_SPEEDS, type StreamName, type StreamVenue } from "./stream_names.ts";
import type { StreamRegistry, StreamSession } from "./stream_session.ts";
import type { MarketKind } from "./symbols.ts";

interface MarketState {
  readonly market: Market;
  readonly feeds: Map<number, DiffFeed>;
  lastTop: string;
  /** First update id and previous final id of the last committed change. */
  lastU: number;
  lastPu: number;
}

/** Nominal duration of one simulator step: stream periods are counted in steps of 100 ms. */
const NOMINAL_STEP_MS = 100;

function due(step: number, periodMs: number): boolean {
  return Math.floor(step * NOMINAL_STEP_MS / periodMs) > Math.floor((step - 1) * NOMINAL_STEP_MS / periodMs);
}

/** Steps the markets and fans events out to stream sessions. */
export class MarketHub implements StreamRegistry {
  readonly #markets: Map<string, MarketState> = new Map();
  readonly #subs: Map<string, Set<StreamSession>> = new Map();
  readonly #faults: FaultRegistry;
  readonly #now: () => number;
  #step = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  readonly #stepHooks: Array<(m: Market) => void> = [];
  readonly #subscribeHooks: Array<(venue: StreamVenue) => void> = [];
  readonly #doneHooks: Array<(step: number) => void> = [];
  /** Builds a futures `markPriceUpdate` event (set by the server, which knows the funding). */
  markPriceEvent: ((m: Market, now: number) => Json) | undefined;
  /** The options streams (set by the server when options are listed); fed by the options books. */
  optionStreams: OptionStreams | undefined;

  /** Creates a hub over the given markets. `now` is the (possibly skewed) server clock. */
  constructor(markets: readonly Market[], faults: FaultRegistry, now: () => number) {
    this.#faults = faults;
    this.#now = now;
    for (const m of markets) {
      const feeds = new Map<number, DiffFeed>();
      // options markets keep their diff feeds in OptionStreams (see optionStreams)
      const venue = m.spec.market;
      if (venue === "spot" || venue === "usdm" || venue === "coinm") {
        for (const p of DEPTH_SPEEDS[venue]) feeds.set(p, new DiffFeed(p, m.lastUpdateId));
      }
      const st: MarketState = {
        market: m,
        feeds,
        lastTop: "",
        lastU: m.lastUpdateId,
        lastPu: m.lastUpdateId,
      };
      this.#markets.set(`${m.spec.market}:${m.spec.symbol}`, st);
      m.onCommit((c) => this.#onCommit(st, c));
    }
  }

  /** Registers a hook run after each market step (the matching engines fill crossed orders there). */
  onStep(fn: (m: Market) => void): void {
    this.#stepHooks.push(fn);
  }

  /** Registers a hook run once per step after every market stepped (drives, coverage records). */
  onStepDone(fn: (step: number) => void): void {
    this.#doneHooks.push(fn);
  }

  /** Number of simulator steps taken so far. */
  get stepIndex(): number {
    return this.#step;
  }

  /** Whether the hub steps on its own (a timer or the firehose loop). */
  get running(): boolean {
    return this.#running;
  }

  /** Registers a hook run whenever a session subscribes (starts a replay on first use). */
  onSubscribe(fn: (venue: StreamVenue) => void): void {
    this.#subscribeHooks.push(fn);
  }

  /** Delivers a recorded frame's data, verbatim, to the sessions subscribed to `stream`. */
  deliverRaw(venue: StreamVenue, stream: string, data: string): void {
    const set = this.#subs.get(`${venue}|${stream}`);
    if (set) { for (const s of set) s.deliver(stream, data); }
  }

  /** The market of a venue and symbol, if simulated. */
  market(venue: MarketKind, symbol: string): Market | undefined {
    return this.#markets.get(`${venue}:${symbol}`)?.market;
  }

  /** All markets of a venue. */
  markets(venue: MarketKind): Market[] {
    return [...this.#markets.values()].filter((s) => s.market.spec.market === venue).map((s) => s.market);
  }

  /** Starts stepping: every `intervalMs`, or continuously when `firehose` is set. */
  start(intervalMs: number, firehose: boolean): void {
    this.#running = true;
    if (!firehose) {
      this.#timer = setInterval(() => this.stepAll(), intervalMs);
      return;
    }
    const loop = () => {
      if (!this.#running) return;
      // firehose: step as fast as the consumers drain their socket buffers
      if (!this.#backpressured()) { for (let i = 0; i < 100; i++) this.stepAll(); }
      this.#timer = setTimeout(loop, 0);
    };
    this.#timer = setTimeout(loop, 0);
  }

  /** Stops stepping. */
  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #backpressured(): boolean {
    for (const set of this.#subs.values()) {
      for (const s of set) if (s.peer.bufferedAmount() > 1 << 20) return true;
    }
    return false;
  }

  /** Advances every market by one step and emits the periodic streams that are due. */
  stepAll(): void {
    const step = ++this.#step;
    const now = this.#now();
    for (const st of this.#markets.values()) {
      // options trade rarely: their books move once per nominal second, which also keeps the
      // forty listed contracts from tripling the cost of a step
      if (st.market.spec.market === "options" && step % 10 !== 0) continue;
      st.market.step(now);
      for (const h of this.#stepHooks) h(st.market);
      this.#periodic(st, step, now);
    }
    for (const venue of ["spot", "usdm", "coinm"] as const) {
      if (due(step, 1000)) {
        this.#emitAll(
          venue,
          "!miniTicker@arr",
          () => this.markets(venue).map((m) => miniTickerEvent(m, now)),
        );
        this.#emitAll(venue, "!ticker@arr", () => this.markets(venue).map((m) => tickerEvent(m, now)));
      }
      const mark = this.markPriceEvent;
      if (venue === "usdm" && mark) {
        const all = () => this.markets(venue).map((m) => mark(m, now));
        if (due(step, 1000)) this.#emitAll(venue, "!markPrice@arr@1s", all);
        if (due(step, 3000)) this.#emitAll(venue, "!markPrice@arr", all);
      }
    }
    this.optionStreams?.stepDone(step, now);
    for (const h of this.#doneHooks) h(step);
  }

  #emitAll(venue: StreamVenue, name: string, build: () => Json): void {
    const set = this.#subs.get(`${venue}|${name}`);
    if (!set || set.size === 0) return;
    const text = JSON.stringify(build());
    for (const s of set) s.deliver(name, text);
  }

  #key(m: Market, channel: string): string {
    return `${m.spec.market}|${m.spec.symbol.toLowerCase()}@${channel}`;
  }

  #emit(m: Market, channel: string, build: () => Json): void {
    const set = this.#subs.get(this.#key(m, channel));
    if (!set || set.size === 0) return;
    const text = JSON.stringify(build());
    const name = `${m.spec.symbol.toLowerCase()}@${channel}`;
    for (const s of set) s.deliver(name, text);
  }

  #onCommit(st: MarketState, c: Commit): void {
    const m = st.market;
    if (m.spec.market === "options") return this.optionStreams?.onCommit(m, c);
    for (const f of st.feeds.values()) f.add(c);
    if (c.bids.length + c.asks.length > 0) {
      // USD-M partial depth carries the ids of the last change: U, u (= lastUpdateId) and pu
      st.lastPu = c.pu;
      st.lastU = c.U;
    }
    const E = c.time;
    for (const t of c.trades) this.#emit(m, "trade", () => tradeEvent(m, t, E));
    for (const a of c.aggTrades) this.#emit(m, "aggTrade", () => aggTradeEvent(m, a, E));
    const b = m.bids.top(1)[0];
    const a = m.asks.top(1)[0];
    const top = `${b?.[0]}:${b?.[1]}:${a?.[0]}:${a?.[1]}`;
    if (top !== st.lastTop) {
      st.lastTop = top;
      this.#emit(m, "bookTicker", () => bookTickerEvent(m, E));
      const v = m.spec.market;
      if (v === "usdm" || v === "coinm") this.#emitAll(v, "!bookTicker", () => bookTickerEvent(m, E));
    }
  }

  #periodic(st: MarketState, step: number, now: number): void {
    const m = st.market;
    const venue = m.spec.market;
    if (venue === "options") return this.optionStreams?.periodic(m, step, now);
    if (venue !== "spot" && venue !== "usdm" && venue !== "coinm") return;
    const faultTarget = venue === "spot" ? "spot" : "usdm"; // COIN-M shares the futures fault target
    const sym = m.spec.symbol.toLowerCase();
    const speeds = DEPTH_SPEEDS[venue];
    for (const [period, feed] of st.feeds) {
      if (!due(step, period)) continue;
      const channel = period === speeds[0] ? "depth" : `depth@${period}ms`;
      const gap = this.#faults.take("depthGap", faultTarget, m.spec.symbol) !== undefined;
      const ev = feed.flush(m, now, gap);
      if (ev !== null) {
        const text = JSON.stringify(ev);
        const names = period === speeds[0] ? [channel, `depth@${period}ms`] : [channel];
        for (const n of names) {
          const set = this.#subs.get(`${venue}|${sym}@${n}`);
          if (set) { for (const s of set) s.deliver(`${sym}@${n}`, text); }
        }
      }
      for (const lv of [5, 10, 20]) {
        for (const suffix of period === speeds[0] ? ["", `@${period}ms`] : [`@${period}ms`]) {
          this.#emit(m, `depth${lv}${suffix}`, () => partialDepthEvent(m, lv, now, st.lastU, st.lastPu));
        }
      }
    }
    const mark = this.markPriceEvent;
    if (mark && venue !== "spot") {
      if (due(step, 1000)) this.#emit(m, "markPrice@1s", () => mark(m, now));
      if (due(step, 3000)) this.#emit(m, "markPrice", () => mark(m, now));
    }
    if (due(step, 1000)) {
      this.#emit(m, "miniTicker", () => miniTickerEvent(m, now));
      this.#emit(m, "ticker", () => tickerEvent(m, now));
    }
    if (due(step, venue === "spot" ? 2000 : 250)) {
      for (const key of this.#subs.keys()) {
        const prefix = `${venue}|${sym}@kline_`;
        if (key.startsWith(prefix)) {
          this.#emit(m, key.slice(key.indexOf("@") + 1), () => klineEvent(m, key.slice(prefix.length), now));
        }
      }
    }
  }

  /** Registers a session for a stream. */
  subscribe(session: StreamSession, s: StreamName): void {
    if (s.venue === "options") {
      this.optionStreams?.subscribe(session, s);
      return;
    }
    const key = `${session.streamVenue}|${s.name}`;
    let set = this.#subs.get(key);
    if (!set) this.#subs.set(key, set = new Set());
    set.add(session);
    for (const h of this.#subscribeHooks) h(session.streamVenue);
  }

  /** Unregisters a session from a stream. */
  unsubscribe(session: StreamSession, name: string): void {
    this.optionStreams?.unsubscribe(session, name);
    const key = `${session.streamVenue}|${name}`;
    const set = this.#subs.get(key);
    if (!set) return;
    set.delete(session);
    if (set.size === 0) this.#subs.delete(key);
  }

  /** Applies frame-level faults (stall, malformed frame). */
  outgoing(session: StreamSession, text: string): string | null {
    if (this.#faults.active("stall", session.venue)) return null;
    if (this.#faults.take("malformedFrame", session.venue)) {
      return text.slice(0, Math.max(1, text.length >> 1));
    }
    return text;
  }

  /** Sends now, or after the added latency of an active latency fault. */
  sendLater(session: StreamSession, text: string): void {
    const ms = this.#faults.sumMs("latency", session.venue);
    if (ms <= 0) session.send(text);
    else setTimeout(() => session.send(text), ms);
  }
}
