/**
 * The European-options market streams, served on the USDⓈ-M host as Binance does since 2026
 * (`/public`: `<symbol>@depth@100ms|500ms`, `<symbol>@depth5|10|20@…`, `<symbol>@bookTicker`,
 * `<symbol>@optionTrade`, `<symbol>@optionTicker`; `/market`: `<symbol>@kline_<interval>`,
 * `<underlying>@optionMarkPrice`, `!index@arr`). Built from the same books, trades and candles
 * that `/eapi/v1` serves, so REST and streams agree: depth events carry the book's update ids
 * with Binance's futures sequence rules (`U`, `u`, `pu` = the previous event's `u` of the same
 * stream; the snapshot's `u` is a point of that sequence).
 *
 * @module
 */
import { DiffFeed } from "./diff_feed.ts";
import type { FaultRegistry } from "./faults.ts";
import type { Commit, Market } from "./market.ts";
import type { OptionChain } from "./options_chain.ts";
import { indexPrice, indexValue, optionMark } from "./options_marks.ts";
import {
  bookTickerEvent,
  fmtPrice,
  fmtQty,
  type Json,
  klineEvent,
  partialDepthEvent,
  tickerEvent,
} from "./payloads.ts";
import { OPTIONS_DEPTH_SPEEDS, type StreamName } from "./stream_names.ts";
import type { StreamSession } from "./stream_session.ts";

const NOMINAL_STEP_MS = 100;

function due(step: number, periodMs: number): boolean {
  return Math.floor(step * NOMINAL_STEP_MS / periodMs) > Math.floor((step - 1) * NOMINAL_STEP_MS / periodMs);
}

interface OptionState {
  readonly market: Market;
  readonly feeds: Map<number, DiffFeed>;
  lastTop: string;
  lastU: number;
  lastPu: number;
}

/** Where the options streams find the underlyings (the hub's spot markets). */
export interface UnderlyingLookup {
  market(venue: "spot", symbol: string): Market | undefined;
}

/** The options streams of one emulator: subscriptions, diff feeds and periodic events. */
export class OptionStreams {
  readonly #chain: OptionChain;
  readonly #spot: UnderlyingLookup;
  readonly #faults: FaultRegistry;
  readonly #states: Map<Market, OptionState> = new Map();
  readonly #subs: Map<string, Set<StreamSession>> = new Map();

  /** Starts the feeds of every listed option at its current update id. */
  constructor(chain: OptionChain, spot: UnderlyingLookup, faults: FaultRegistry) {
    this.#chain = chain;
    this.#spot = spot;
    this.#faults = faults;
    for (const m of chain.markets) {
      const feeds = new Map<number, DiffFeed>();
      for (const p of OPTIONS_DEPTH_SPEEDS) feeds.set(p, new DiffFeed(p, m.lastUpdateId));
      this.#states.set(m, { market: m, feeds, lastTop: "", lastU: m.lastUpdateId, lastPu: m.lastUpdateId });
    }
  }

  /** Registers a session for an options stream. */
  subscribe(session: StreamSession, s: StreamName): void {
    let set = this.#subs.get(s.name);
    if (!set) this.#subs.set(s.name, set = new Set());
    set.add(session);
  }

  /** Unregisters a session (a no-op for names that are not options streams). */
  unsubscribe(session: StreamSession, name: string): void {
    const set = this.#subs.get(name);
    if (!set) return;
    set.delete(session);
    if (set.size === 0) this.#subs.delete(name);
  }

  #emit(name: string, build: () => Json): void {
    const set = this.#subs.get(name);
    if (!set || set.size === 0) return;
    const text = JSON.stringify(build());
    for (const s of set) s.deliver(name, text);
  }

  /** Handles one committed change of an option's book: feeds, trades, book ticker. */
  onCommit(m: Market, c: Commit): void {
    const st = this.#states.get(m);
    if (!st) return;
    for (const f of st.feeds.values()) f.add(c);
    if (c.bids.length + c.asks.length > 0) {
      st.lastPu = c.pu;
      st.lastU = c.U;
    }
    const sym = m.spec.symbol.toLowerCase();
    for (const t of c.trades) {
      this.#emit(`${sym}@optionTrade`, () => ({
        e: "trade",
        E: c.time,
        T: t.time,
        s: m.spec.symbol,
        t: t.id,
        p: fmtPrice(m, t.price),
        q: fmtQty(m, t.qty),
        X: "MARKET",
        S: t.buyerMaker ? "SELL" : "BUY",
        m: t.buyerMaker,
      }));
    }
    const b = m.bids.top(1)[0];
    const a = m.asks.top(1)[0];
    const top = `${b?.[0]}:${b?.[1]}:${a?.[0]}:${a?.[1]}`;
    if (top !== st.lastTop) {
      st.lastTop = top;
      this.#emit(`${sym}@bookTicker`, () => bookTickerEvent(m, c.time));
    }
  }

  /** Emits an option's due depth, partial depth, ticker and kline events after its step. */
  periodic(m: Market, step: number, now: number): void {
    const st = this.#states.get(m);
    if (!st) return;
    const sym = m.spec.symbol.toLowerCase();
    for (const [period, feed] of st.feeds) {
      if (!due(step, period)) continue;
      const gap = this.#faults.take("depthGap", "usdm", m.spec.symbol) !== undefined;
      const ev = feed.flush(m, now, gap);
      if (ev !== null) {
        const name = `${sym}@depth@${period}ms`;
        const set = this.#subs.get(name);
        if (set) {
          const text = JSON.stringify(ev);
          for (const s of set) s.deliver(name, text);
        }
      }
      for (const lv of [5, 10, 20]) {
        this.#emit(`${sym}@depth${lv}@${period}ms`, () => partialDepthEvent(m, lv, now, st.lastU, st.lastPu));
      }
    }
    if (!due(step, 1000)) return;
    this.#emit(`${sym}@optionTicker`, () => tickerEvent(m, now));
    const prefix = `${sym}@kline_`;
    for (const name of this.#subs.keys()) {
      if (name.startsWith(prefix)) this.#emit(name, () => klineEvent(m, name.slice(prefix.length), now));
    }
  }

  /** Emits the per-underlying mark prices and the index array once per nominal second. */
  stepDone(step: number, now: number): void {
    if (!due(step, 1000)) return;
    const underlyings = [...new Set([...this.#chain.terms.values()].map((o) => o.underlying))];
    for (const u of underlyings) {
      this.#emit(`${u.toLowerCase()}@optionMarkPrice`, () => {
        const spot = this.#spot.market("spot", u);
        const index = spot === undefined ? 0 : indexValue(spot);
        return [...this.#chain.terms.values()].filter((o) => o.underlying === u).map((o): Json => {
          const m = this.#chain.markets.find((x) => x.spec.symbol === o.symbol)!;
          const k = optionMark(m, o, index, now);
          const b = m.bids.top(1)[0] ?? [0, 0];
          const a = m.asks.top(1)[0] ?? [0, 0];
          return {
            e: "markPrice",
            E: now,
            s: o.symbol,
            mp: k.markPrice,
            i: index.toFixed(8),
            P: "0",
            bo: fmtPrice(m, b[0]),
            ao: fmtPrice(m, a[0]),
            bq: fmtQty(m, b[1]),
            aq: fmtQty(m, a[1]),
            b: k.bidIV,
            a: k.askIV,
            hl: k.highPriceLimit,
            ll: k.lowPriceLimit,
            vo: k.markIV,
            rf: k.riskFreeInterest,
            d: k.delta,
            t: k.theta,
            g: k.gamma,
            v: k.vega,
          };
        });
      });
    }
    this.#emit("!index@arr", () =>
      underlyings.flatMap((u): Json[] => {
        const spot = this.#spot.market("spot", u);
        return spot === undefined ? [] : [{ e: "index", E: now, s: u, p: indexPrice(spot) }];
      }));
  }
}
