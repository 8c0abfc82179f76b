/**
 * The I/O state machine behind `BinanceTrailingStopLossManager`: the pure engine (`engine.ts`)
 * decides what the stop should be on every price; this class sends it (place, atomic replace,
 * place-then-cancel, cancel-then-place), follows the order updates, and reconciles over REST.
 * Every exchange action runs on one serial chain, so two moves never overlap, and an action whose
 * outcome is unknown is reconciled before anything else is sent.
 *
 * @module
 */
import { Backoff } from "../core/backoff.ts";
import { classifyFailure, TrailingStopError } from "./_errors.ts";
import {
  afterPartialFill,
  initialTrail,
  nativeWireOf,
  onPrice,
  type SymbolRules,
  type TrailConfig,
  type TrailDecision,
  type TrailState as EngineState,
  wireOf,
} from "./_engine_port.ts";
import type { NativeTrail } from "./engine.ts";
import { FINAL_STATUSES, type OrderSnapshot, type VenueAdapter, type WireStop } from "./_venue.ts";
import { averageOf, Dec, snapshotFromOrder } from "./_venue_common.ts";
import { BinanceApiError, isBinanceApiError } from "../core/errors.ts";
import type { StopMoveKind, StopOrderView, TrailingEvent } from "./events.ts";
import type { TrailingState } from "./state_store.ts";

/** Look-ups of an unknown-outcome order that found nothing before the engine gives the id up. */
const MAYBE_LOOKUPS = 3;

/** Settings of the state machine beyond the engine's config. */
export interface TrailSettings {
  readonly config: TrailConfig;
  readonly maxRetries: number;
  /** Longest wait a 429/418 imposes before the next attempt (Binance's Retry-After, capped). */
  readonly maxRateLimitWaitMs: number;
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  readonly onExternalCancel: "replace" | "stop";
  /** A native trail (spot `trailingDelta`, futures `TRAILING_STOP_MARKET`): placed once, never moved. */
  readonly native?: NativeTrail;
  /** A first stop level given by the user (Python `stop_loss_price`). */
  readonly stopLossPrice?: string;
  /** `trailingDelta` (BIPS) sent with every client `STOP_LOSS` (the cross guard); none when unset. */
  readonly crossGuard?: number;
}

/** What the state machine needs from its owner. */
export interface TrailHost {
  readonly venue: VenueAdapter;
  readonly rules: SymbolRules;
  readonly settings: TrailSettings;
  emit(event: TrailingEvent): void;
  save(state: TrailingState): void;
  /** The quantity to protect now (re-read after an insufficient-balance answer); "0" when none. */
  requantify(): Promise<string>;
  /** Ends the engine (streams, timers); called once, after the final event. */
  end(): void;
}

interface Stop {
  view: StopOrderView;
  filled: string;
  filledQuote: string;
}

/** The state machine (see the module doc). */
export class TrailCore {
  readonly #h: TrailHost;
  readonly #prefix: string;
  #seq: number;
  #es: EngineState;
  #stop: Stop | null = null;
  #doneFilled = new Dec(0);
  #doneQuote = new Dec(0);
  #price: string | undefined;
  #chain: Promise<void> = Promise.resolve();
  #busy = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #expected = new Set<string>();
  #backoff: Backoff;
  #failures = 0;
  #running = true;
  #lastBlocked = "";
  /** The trail was crossed: the stop became (or is becoming) the order it turns into when triggered. */
  #exit: WireStop | undefined;
  /** Final updates of own cancels that arrived while an action ran (checked by the next action). */
  #goneOwn = new Map<string, OrderSnapshot>();
  /** A price arrived while an action ran (the chain re-decides after it). */
  #pricedWhileBusy = false;
  /** Back-off waits in progress (ended by halt(), finish and failure). */
  #waits = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: () => void }>();
  /** Ids of orders whose request's outcome was unknown and that Binance did not know yet. */
  #maybe = new Set<string>();
  /** How often a look-up found an id of {@link #maybe} unknown (it is forgotten after a few). */
  #maybeMisses = new Map<string, number>();
  /** The `finished` event of a fill seen while an action ran: sent once the action is done. */
  #pendingFinish: TrailingEvent | undefined;
  /** No stop was placed yet in this trail (a restart from a state file is not fresh). */
  #fresh: boolean;
  /** Counters for tests and the bench. */
  readonly counts = {
    placements: 0,
    replaces: 0,
    cancels: 0,
    reconciles: 0,
    errors: 0,
    priceTicks: 0,
    /** Exits: the trail was crossed, the stop replaced by the order it would have become. */
    exits: 0,
  };

  constructor(
    host: TrailHost,
    init: { prefix: string; seq: number; quantity: string; best: string; fresh: boolean },
  ) {
    this.#h = host;
    this.#fresh = init.fresh;
    this.#prefix = init.prefix;
    this.#seq = init.seq;
    this.#es = { side: host.settings.config.side, best: init.best, quantity: init.quantity };
    this.#backoff = new Backoff({ ...host.settings.backoff, jitter: "equal" });
  }

  get stop(): StopOrderView | null {
    return this.#stop?.view ?? null;
  }
  get reference(): string {
    return this.#es.best;
  }
  get price(): string | undefined {
    return this.#price;
  }
  get running(): boolean {
    return this.#running;
  }
  get filled(): string {
    return this.#doneFilled.plus(this.#stop?.filled ?? 0).toFixed();
  }

  #state(): TrailingState {
    return {
      version: 1,
      prefix: this.#prefix,
      seq: this.#seq,
      reference: this.#es.best,
      ...(this.#stop
        ? { stopClientOrderId: this.#stop.view.clientOrderId, stopPrice: this.#stop.view.stopPrice }
        : {}),
      quantity: this.#es.quantity,
      filled: this.#doneFilled.toFixed(),
      filledQuote: this.#doneQuote.toFixed(),
    };
  }

  /** Restores the fills of earlier stops (from a state file). */
  restoreFills(filled: string, quote: string): void {
    this.#doneFilled = new Dec(filled || 0);
    this.#doneQuote = new Dec(quote || 0);
  }

  /** Runs `fn` on the serial chain; a throw ends the engine with a fatal error. */
  enqueue(fn: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(async () => {
      if (!this.#running) return;
      this.#busy = true;
      try {
        await fn();
      } finally {
        this.#busy = false;
        this.#flushFinish();
        // prices came in while the action ran: decide on them now, not only at the next tick
        // (after a driven path or in a quiet market there may be none)
        if (this.#pricedWhileBusy && this.#running && this.#timer === undefined) {
          this.#pricedWhileBusy = false;
          void this.enqueue(() => this.#act());
        }
      }
    });
    this.#chain = next.catch((e) => this.#fail(e));
    return this.#chain;
  }

  /** Adopts an open order of an earlier run as the current stop. */
  adopt(s: OrderSnapshot): void {
    this.#stop = this.#fromSnapshot(s);
    this.#fresh = false;
    const limit = this.#stop.view.price;
    const rest = new Dec(s.quantity).minus(s.filled || 0).toFixed();
    this.#es = {
      ...this.#es,
      quantity: rest,
      stop: {
        side: s.side,
        type: s.type as "STOP_LOSS_LIMIT",
        stopPrice: this.#stop.view.stopPrice ?? "0",
        ...(limit ? { limitPrice: limit } : {}),
        quantity: rest,
      },
      changedAt: Date.now(),
    };
    this.#h.emit({
      type: "stopMoved",
      time: Date.now(),
      stop: this.#stop.view,
      previous: null,
      reference: this.#es.best,
      via: "adopt",
    });
    this.#h.save(this.#state());
  }

  #fromSnapshot(s: OrderSnapshot, sent?: WireStop): Stop {
    const price = sent?.price ?? (s.price && !/^0(\.0*)?$/.test(s.price) ? s.price : undefined);
    const stopPrice = sent?.stopPrice ??
      (s.stopPrice && !/^0(\.0*)?$/.test(s.stopPrice) ? s.stopPrice : undefined);
    const view: StopOrderView = {
      clientOrderId: s.clientOrderId,
      orderId: s.orderId,
      type: sent?.type ?? s.type,
      side: s.side,
      ...(stopPrice ? { stopPrice } : {}),
      ...(price ? { price } : {}),
      quantity: sent?.quantity ?? s.quantity,
      ...(sent?.trailingDelta ? { trailingDelta: sent.trailingDelta } : {}),
      ...(sent?.callbackRate ? { callbackRate: sent.callbackRate } : {}),
    };
    const filled = s.filled || "0";
    const quote = s.filledQuote ?? new Dec(s.averagePrice ?? 0).times(filled).toFixed();
    return { view, filled, filledQuote: quote };
  }

  /** A new reference price. */
  onPrice(price: string): void {
    if (!this.#running) return;
    this.counts.priceTicks++;
    this.#price = price;
    if (this.#exit) return; // the exit order is on its way: nothing trails any more
    if (this.#h.settings.native) {
      if (!this.#stop && !this.#busy) void this.enqueue(() => this.#act());
      return;
    }
    if (this.#busy || this.#timer !== undefined) {
      // keep the best price seen while an action runs; the engine re-decides when it ends
      if (this.#busy) this.#pricedWhileBusy = true;
      this.#es = onPrice(this.#es, { price, time: Date.now() }, this.#h.settings.config, this.#h.rules).keep;
      return;
    }
    void this.enqueue(() => this.#act());
  }

  #decide(): TrailDecision | undefined {
    if (this.#price === undefined) return undefined;
    const time = Date.now();
    if (this.#fresh && !this.#es.stop && !this.#stop) {
      // the first stop of a fresh trail: startDistance, or the user's stop_loss_price
      const sl = this.#h.settings.stopLossPrice;
      return initialTrail(this.#h.settings.config, this.#h.rules, {
        price: this.#price,
        time,
        quantity: this.#es.quantity,
        ...(sl ? { stopLossPrice: sl } : {}),
      });
    }
    return onPrice(this.#es, { price: this.#price, time }, this.#h.settings.config, this.#h.rules);
  }

  async #act(): Promise<void> {
    if (!this.#running) return;
    const gone = this.#stop && this.#goneOwn.get(this.#stop.view.clientOrderId);
    this.#goneOwn.clear();
    if (gone && this.#stop) this.#dropGone(this.#stop, gone);
    if (!this.#stop && this.#maybe.size) await this.#lookUpMaybe();
    if (this.#exit) {
      // the exit order left the book unfilled (expired, cancelled): send it again for the rest
      if (!this.#stop) return this.#send({ ...this.#exit, quantity: this.#es.quantity }, undefined, this.#es);
      return;
    }
    const native = this.#h.settings.native;
    if (native) {
      if (this.#stop) return;
      return this.#send(nativeWireOf(native, this.#es.quantity), undefined, this.#es);
    }
    const d = this.#decide();
    if (!d) return;
    const a = d.action;
    if (a.kind === "none") {
      this.#es = d.keep;
      if (a.retryAt !== undefined && this.#timer === undefined) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          void this.enqueue(() => this.#act());
        }, Math.max(0, a.retryAt - Date.now()));
      }
      return;
    }
    if (a.kind === "blocked") {
      this.#es = d.keep;
      if (!this.#stop) {
        throw new TrailingStopError(`Cannot place the stop: ${a.message}`, { kind: "config" });
      }
      // the stop on the book stays; say so once per distinct reason
      if (a.message !== this.#lastBlocked) {
        this.#lastBlocked = a.message;
        this.#h.emit({
          type: "error",
          time: Date.now(),
          error: new TrailingStopError(`Not moving the stop: ${a.message}`, { kind: "config" }),
          fatal: false,
        });
      }
      return;
    }
    const moving = a.kind === "replace" || (a.kind === "place" && !this.#fresh);
    if (moving && a.order.adjusted?.includes("would-trigger")) {
      // the market is already through the level the stop should move to (the best price was seen
      // while an action or the debounce held the stop back): a stop there would fire at once
      this.#es = d.keep;
      return this.#exitNow(wireOf(a.order));
    }
    await this.#send(this.#guarded(wireOf(a.order)), d, d.keep);
  }

  /**
   * A client stop with the cross guard's `trailingDelta` (see `crossGuard`): every `STOP_LOSS`, and
   * a `STOP_LOSS_LIMIT` whose limit lies at least the delta beyond its stop price (so the limit is
   * still marketable when the guarded stop triggers that delta later).
   */
  #guarded(stop: WireStop): WireStop {
    const guard = this.#h.settings.crossGuard;
    if (guard === undefined || stop.stopPrice === undefined) return stop;
    if (stop.type === "STOP_LOSS") return { ...stop, trailingDelta: guard };
    if (stop.type !== "STOP_LOSS_LIMIT" || stop.price === undefined) return stop;
    const sp = new Dec(stop.stopPrice);
    const room = stop.side === "SELL"
      ? new Dec(stop.price).lte(sp.times(10_000 - guard).div(10_000))
      : new Dec(stop.price).gte(sp.times(10_000 + guard).div(10_000));
    return room ? { ...stop, trailingDelta: guard } : stop;
  }

  /**
   * Replaces the stop by the order it becomes when triggered — `MARKET`, or `LIMIT` at its limit
   * price — for the rest of the quantity, with the venue's replace strategy (atomic on spot).
   */
  #exitNow(stop: WireStop): Promise<void> {
    this.counts.exits++;
    this.#exit = {
      side: stop.side,
      type: stop.price !== undefined ? "LIMIT" : "MARKET",
      ...(stop.price !== undefined ? { price: stop.price } : {}),
      quantity: this.#es.quantity,
    };
    return this.#send(this.#exit, undefined, this.#es);
  }

  /** Sends `order` as the new stop; on success the engine goes on with `d.state`, else with `keep`. */
  async #send(order: WireStop, d: TrailDecision | undefined, keep: EngineState): Promise<void> {
    const previous = this.#stop;
    const id = `${this.#prefix}${this.#seq++}`;
    this.#h.save(this.#state());
    const venue = this.#h.venue;
    try {
      let via: StopMoveKind = "place";
      let placed: OrderSnapshot;
      if (!previous) {
        placed = await venue.place(order, id);
        this.counts.placements++;
      } else if (venue.replaceStrategy === "cancelReplace") {
        this.#expected.add(previous.view.clientOrderId);
        placed = await venue.cancelReplace!(previous.view.clientOrderId, order, id);
        this.#carryFills(previous, null);
        this.counts.replaces++;
        via = "cancelReplace";
      } else if (venue.replaceStrategy === "placeThenCancel") {
        placed = await venue.place(order, id);
        this.counts.placements++;
        this.#expected.add(previous.view.clientOrderId);
        this.#placed(placed, order, d, keep);
        this.#moved(previous, "placeThenCancel");
        await this.#cancelOld(previous);
        this.counts.replaces++;
        if (this.#exit && placed.status === "FILLED") this.#finish("filled", placed);
        return;
      } else {
        this.#expected.add(previous.view.clientOrderId);
        const cancelled = await venue.cancel(previous.view.clientOrderId);
        this.counts.cancels++;
        if (cancelled?.status === "FILLED") return this.#finish("filled", cancelled);
        if (cancelled === null) {
          const q = await venue.query(previous.view.clientOrderId);
          if (q?.status === "FILLED") return this.#finish("filled", q);
        }
        this.#carryFills(previous, cancelled);
        this.#stop = null;
        placed = await venue.place(order, id);
        this.counts.replaces++;
        via = "cancelThenPlace";
      }
      this.#placed(placed, order, d, keep);
      this.#moved(previous, via);
      if (this.#exit && placed.status === "FILLED") this.#finish("filled", placed);
    } catch (e) {
      this.#es = keep;
      // a cancel-replace whose cancel went through and whose new order Binance refused: the old
      // stop is gone (its final fills are in the answer), nothing new is on the book
      const half = previous && venue.replaceStrategy === "cancelReplace" ? cancelledOnly(e) : undefined;
      if (half && previous) {
        this.#carryFills(previous, half.cancelled);
        this.#stop = null;
        this.#es = { ...this.#es, stop: undefined };
        this.#h.save(this.#state());
      }
      if (
        previous && !this.#exit && this.#running &&
        classifyFailure(half ? half.refused : e).kind === "would-trigger"
      ) {
        // the market crossed the new stop while the move was in flight: the stop would have fired
        this.counts.errors++;
        this.#h.emit({
          type: "error",
          time: Date.now(),
          error: e instanceof Error ? e : new Error(String(e)),
          fatal: false,
        });
        await this.#exitNow(order);
        return;
      }
      await this.#onActionError(e, id, half ? null : previous);
    }
    // every send runs inside an action: the chain re-decides after it on prices that came meanwhile
  }

  #placed(placed: OrderSnapshot, order: WireStop, d: TrailDecision | undefined, keep: EngineState): void {
    if (!this.#running) return; // finished meanwhile (the fill came over the user-data stream)
    this.#stop = this.#fromSnapshot(placed, order);
    const best = keep.best;
    const next = d?.state ?? { ...keep, stop: undefined };
    const sell = this.#es.side === "SELL";
    // prices seen during the action may have moved the best further
    const keepBest = new Dec(this.#es.best)[sell ? "gt" : "lt"](best) ? this.#es.best : best;
    this.#es = { ...next, best: keepBest };
    this.#failures = 0;
    this.#fresh = false;
    this.#backoff.reset();
    this.#h.save(this.#state());
  }

  #moved(previous: Stop | null, via: StopMoveKind): void {
    if (!this.#stop || !this.#running) return;
    this.#h.emit({
      type: "stopMoved",
      time: Date.now(),
      stop: this.#stop.view,
      previous: previous?.view ?? null,
      reference: this.#es.best,
      via: this.#exit ? "exit" : via,
    });
  }

  /** Adds the fills of a stop that leaves the book to the trail's total. */
  #carryFills(old: Stop, final: OrderSnapshot | null): void {
    const filled = new Dec(final?.filled ?? old.filled);
    if (filled.lte(0)) return;
    const unseen = filled.minus(old.filled);
    if (unseen.gt(0)) {
      // fills the user-data stream did not report (found by REST): the rest shrinks by them
      const rest = Dec.max(new Dec(this.#es.quantity).minus(unseen), 0).toFixed();
      this.#es = { ...this.#es, quantity: rest };
    }
    const quote = final
      ? new Dec(final.filledQuote ?? new Dec(final.averagePrice ?? 0).times(filled))
      : new Dec(old.filledQuote);
    this.#doneFilled = this.#doneFilled.plus(filled);
    this.#doneQuote = this.#doneQuote.plus(quote);
  }

  async #cancelOld(old: Stop): Promise<void> {
    for (let attempt = 0;; attempt++) {
      try {
        const c = await this.#h.venue.cancel(old.view.clientOrderId);
        this.counts.cancels++;
        // unknown or already final: it may have filled (its fill event lost with a dropped stream)
        const final = c ?? await this.#h.venue.query(old.view.clientOrderId).catch(() => undefined);
        if (final?.status === "FILLED") this.#finish("filled", final);
        return;
      } catch (e) {
        const k = classifyFailure(e);
        if (attempt >= this.#h.settings.maxRetries || k.kind === "fatal") throw e;
        await this.#wait(k.waitMs);
        const q = await this.#h.venue.query(old.view.clientOrderId).catch(() => undefined);
        if (q === null || (q && FINAL_STATUSES.has(q.status))) {
          if (q?.status === "FILLED") this.#finish("filled", q);
          return;
        }
      }
    }
  }

  #wait(minMs?: number): Promise<void> {
    const floor = Math.min(minMs ?? 0, this.#h.settings.maxRateLimitWaitMs);
    const ms = Math.max(this.#backoff.next(), floor);
    if (!this.#running) return Promise.resolve();
    // ends early when the engine stops: a rate-limit wait (up to maxRateLimitWaitMs) must not
    // outlive stop() or the trail's end
    return new Promise((resolve) => {
      const w = {
        timer: setTimeout(() => {
          this.#waits.delete(w);
          resolve();
        }, ms),
        resolve,
      };
      this.#waits.add(w);
    });
  }

  #endWaits(): void {
    for (const w of this.#waits) {
      clearTimeout(w.timer);
      w.resolve();
    }
    this.#waits.clear();
  }

  async #onActionError(e: unknown, newId: string, previous: Stop | null): Promise<void> {
    const k = classifyFailure(e);
    this.counts.errors++;
    const error = e instanceof Error ? e : new Error(String(e));
    if (k.kind === "fatal" && !previous) {
      throw new TrailingStopError(`Binance refused the stop: ${error.message}`, { kind: "fatal", cause: e });
    }
    this.#h.emit({ type: "error", time: Date.now(), error, fatal: false });
    // whatever happened, find out what is on the book before sending anything else
    // a definite rejection created no new order: only the old one needs looking at
    await this.#reconcileIds(k.kind === "unknown-outcome" ? newId : undefined, previous);
    if (!this.#running) return;
    if (k.kind === "insufficient-balance") {
      const q = await this.#h.requantify();
      if (new Dec(q).lte(0) || new Dec(q).gte(this.#es.quantity)) {
        if (this.#stop) return; // the old stop still protects
        throw new TrailingStopError(
          `Cannot place the stop: insufficient balance for ${this.#es.quantity} (${error.message})`,
          { kind: "insufficient-balance", cause: e },
        );
      }
      this.#es = {
        ...this.#es,
        quantity: q,
        ...(this.#es.stop ? { stop: { ...this.#es.stop, quantity: q } } : {}),
      };
    }
    if (++this.#failures > this.#h.settings.maxRetries) {
      if (this.#stop) {
        this.#h.emit({
          type: "error",
          time: Date.now(),
          error: new TrailingStopError(
            `Moving the stop failed ${this.#failures} times; it stays at ${this.#stop.view.stopPrice}`,
            { kind: k.kind, cause: e },
          ),
          fatal: false,
        });
        this.#failures = 0;
        return;
      }
      throw new TrailingStopError(`Placing the stop failed ${this.#failures} times: ${error.message}`, {
        kind: k.kind,
        cause: e,
      });
    }
    // would-trigger: the next price recomputes (no blind retry); an unprotected position retries now
    if (this.#stop && (k.kind === "would-trigger" || k.kind === "fatal")) return;
    await this.#wait(k.waitMs);
    if (!this.#stop && this.#running) await this.#act();
  }

  /** After an uncertain action: which of the old and the new order is on the book. */
  async #reconcileIds(newId: string | undefined, previous: Stop | null): Promise<void> {
    this.counts.reconciles++;
    const fresh = newId === undefined ? null : await this.#retrying(() => this.#h.venue.query(newId));
    // a request may still execute after its connection dropped: its id stays in mind
    if (newId !== undefined && fresh === null) this.#maybe.add(newId);
    const old = previous
      ? await this.#retrying(() => this.#h.venue.query(previous.view.clientOrderId))
      : null;
    if (fresh?.status === "FILLED") return this.#finish("filled", fresh);
    if (old?.status === "FILLED") return this.#finish("filled", old);
    const freshOpen = fresh !== null && !FINAL_STATUSES.has(fresh.status);
    const oldOpen = old !== null && !FINAL_STATUSES.has(old.status);
    // order updates that came while the queries ran already moved the stop (the lost request
    // executed after the first query, and its new order was adopted): they are newer than the
    // first answer, and the old stop's fills were carried then
    const changed = this.#stop !== previous;
    if (freshOpen) {
      if (this.#stop?.view.clientOrderId !== fresh.clientOrderId) {
        if (previous && !oldOpen && !changed) this.#carryFills(previous, old);
        this.#stop = this.#fromSnapshot(fresh);
        this.#es = { ...this.#es, stop: engineStop(this.#stop, this.#es.quantity), changedAt: Date.now() };
        this.#h.save(this.#state());
        this.#moved(previous, "place");
      }
      if (oldOpen && previous) {
        this.#expected.add(previous.view.clientOrderId);
        await this.#cancelOld(previous);
      }
      return;
    }
    if (changed) {
      if (oldOpen && previous && this.#stop?.view.clientOrderId !== previous.view.clientOrderId) {
        // a second own stop next to the adopted one: take it off the book
        this.#expected.add(previous.view.clientOrderId);
        await this.#cancelOld(previous);
      }
      return;
    }
    if (oldOpen && previous) {
      this.#stop = { ...previous, filled: old.filled };
      // a definite refusal did not cancel it: a later cancel of it is someone else's again (after a
      // lost answer it stays expected: the request may still execute)
      if (newId === undefined) this.#expected.delete(previous.view.clientOrderId);
      return;
    }
    if (previous) this.#carryFills(previous, old);
    this.#stop = null;
    this.#es = { ...this.#es, stop: undefined };
  }

  async #retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (let i = 0;; i++) {
      try {
        return await fn();
      } catch (e) {
        const k = classifyFailure(e);
        if (i >= this.#h.settings.maxRetries * 2 || k.kind === "fatal" || !this.#running) throw e;
        await this.#wait(k.waitMs);
        if (!this.#running) throw e;
      }
    }
  }

  /** Checks the current stop over REST (after a reconnect, and periodically). */
  reconcile(): Promise<void> {
    return this.enqueue(async () => {
      const cur = this.#stop;
      if (!cur) return this.#act();
      this.counts.reconciles++;
      const q = await this.#retrying(() => this.#h.venue.query(cur.view.clientOrderId));
      this.#apply(q ?? { ...cur.view, status: "CANCELED", filled: cur.filled }, true);
    });
  }

  /** An order update from the user-data stream. */
  onOrderUpdate(s: OrderSnapshot): void {
    if (!this.#running || !s.clientOrderId.startsWith(this.#prefix)) return;
    this.#apply(s, false);
  }

  #apply(s: OrderSnapshot, fromRest: boolean): void {
    const cur = this.#stop;
    if (!cur || s.clientOrderId !== cur.view.clientOrderId) {
      // an earlier stop of this trail: only a fill matters (it closed the position)
      if (s.status === "FILLED") return this.#finish("filled", s);
      // a cancel-replace executed after its answer was lost: Binance cancelled the old stop first
      const replaced = !cur || this.#expected.has(cur.view.clientOrderId);
      if (this.#maybe.has(s.clientOrderId) && !FINAL_STATUSES.has(s.status)) {
        if (replaced) {
          if (cur) this.#carryFills(cur, this.#goneOwn.get(cur.view.clientOrderId) ?? null);
          this.#adoptLate(s);
        } else this.#cancelSecond(s.clientOrderId);
      }
      return;
    }
    if (s.status === "FILLED") return this.#finish("filled", s);
    if (new Dec(s.filled || 0).gt(cur.filled)) {
      const delta = new Dec(s.filled).minus(cur.filled).toFixed();
      cur.filled = s.filled;
      cur.filledQuote = s.filledQuote ?? new Dec(s.averagePrice ?? 0).times(s.filled).toFixed();
      this.#es = afterPartialFill(this.#es, delta, this.#h.rules);
      this.#h.save(this.#state());
      this.#h.emit({
        type: "partiallyFilled",
        time: Date.now(),
        stop: cur.view,
        filledQuantity: this.filled,
        averagePrice: this.#average(),
      });
    }
    if (!FINAL_STATUSES.has(s.status)) return;
    if (this.#expected.has(s.clientOrderId)) {
      // the engine's own cancel of what it still holds as the current stop: an action whose outcome
      // was misjudged (a cancel-replace Binance executed after its connection dropped). The stop
      // is gone; while an action runs, the next one sees it
      if (this.#busy) this.#goneOwn.set(s.clientOrderId, s);
      else {
        this.#dropGone(cur, s);
        void this.enqueue(() => this.#act());
      }
      return;
    }
    // off the book without the engine asking: cancelled by someone else, expired or rejected
    this.#carryFills(cur, s);
    this.#stop = null;
    this.#es = { ...this.#es, stop: undefined };
    this.#h.save(this.#state());
    if (s.status === "CANCELED" && this.#h.settings.onExternalCancel === "stop") {
      this.#h.emit({
        type: "error",
        time: Date.now(),
        error: new TrailingStopError(`The stop ${s.clientOrderId} was cancelled outside the engine`, {
          kind: "external-cancel",
        }),
        fatal: false,
      });
      return this.#finish("canceled", null);
    }
    this.#h.emit({
      type: "error",
      time: Date.now(),
      error: new TrailingStopError(
        `The stop ${s.clientOrderId} is ${s.status}${
          s.reason && s.reason !== "NONE" ? ` (${s.reason})` : ""
        }${fromRest ? " (found by reconciliation)" : ""}; placing it again`,
        { kind: s.status === "CANCELED" ? "external-cancel" : "retry" },
      ),
      fatal: false,
    });
    void this.enqueue(async () => {
      if (this.#stop) return;
      if (s.status !== "CANCELED") {
        // expired or rejected by the exchange: back off before the next attempt
        if (++this.#failures > this.#h.settings.maxRetries) {
          throw new TrailingStopError(`The stop was ${s.status} ${this.#failures} times`, { kind: "retry" });
        }
        await this.#wait();
      }
      await this.#act();
    });
  }

  /** Before placing anew: is one of the orders whose outcome was unknown on the book after all? */
  async #lookUpMaybe(): Promise<void> {
    for (const id of [...this.#maybe]) {
      const q = await this.#retrying(() => this.#h.venue.query(id));
      if (q === null) {
        // not (yet) known: a request can still execute after its connection dropped, and its
        // order update then finds the id here; after a few look-ups it is given up
        const misses = (this.#maybeMisses.get(id) ?? 0) + 1;
        this.#maybeMisses.set(id, misses);
        if (misses < MAYBE_LOOKUPS) continue;
      }
      this.#maybe.delete(id);
      this.#maybeMisses.delete(id);
      if (q?.status === "FILLED") return this.#finish("filled", q);
      if (q && !FINAL_STATUSES.has(q.status) && !this.#stop) this.#adoptLate(q);
      else if (q && !FINAL_STATUSES.has(q.status)) {
        // a second own stop next to the current one: take it off the book
        this.#expected.add(id);
        await this.#h.venue.cancel(id);
      }
    }
  }

  /**
   * An order whose request's outcome was unknown showed up on the book next to the current stop
   * (it executed after the engine had placed another): a second own stop, taken off the book.
   */
  #cancelSecond(id: string): void {
    this.#maybe.delete(id);
    this.#maybeMisses.delete(id);
    this.#expected.add(id);
    void this.enqueue(async () => {
      await this.#retrying(() => this.#h.venue.cancel(id)).catch((e) =>
        this.#h.emit({
          type: "error",
          time: Date.now(),
          error: new TrailingStopError(`Could not cancel the second own stop ${id}: ${String(e)}`, {
            kind: "retry",
            cause: e,
          }),
          fatal: false,
        })
      );
    });
  }

  /** An order whose request's outcome was unknown turned out to be on the book: it is the stop. */
  #adoptLate(s: OrderSnapshot): void {
    this.#maybe.delete(s.clientOrderId);
    this.#maybeMisses.delete(s.clientOrderId);
    const previous = this.#stop;
    this.#stop = this.#fromSnapshot(s);
    this.#es = { ...this.#es, stop: engineStop(this.#stop, this.#es.quantity), changedAt: Date.now() };
    this.#h.save(this.#state());
    this.#moved(previous, "place");
  }

  /** The current stop left the book through the engine's own cancel. */
  #dropGone(cur: Stop, s: OrderSnapshot): void {
    this.#carryFills(cur, s);
    this.#stop = null;
    this.#es = { ...this.#es, stop: undefined };
    this.#h.save(this.#state());
  }

  #average(final?: OrderSnapshot): string {
    const curFilled = new Dec(final?.filled ?? this.#stop?.filled ?? 0);
    const curQuote = final
      ? new Dec(final.filledQuote ?? new Dec(averageOf(final) ?? 0).times(curFilled))
      : new Dec(this.#stop?.filledQuote ?? 0);
    const total = this.#doneFilled.plus(curFilled);
    if (total.lte(0)) return "0";
    return this.#doneQuote.plus(curQuote).div(total).toDecimalPlaces(8).toFixed();
  }

  #finish(reason: "filled" | "canceled", final: OrderSnapshot | null): void {
    if (!this.#running) return;
    const filled = this.#doneFilled.plus(final?.filled ?? this.#stop?.filled ?? 0);
    const averagePrice = filled.gt(0) ? this.#average(final ?? undefined) : undefined;
    const stop = this.#stop?.view ?? null;
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#endWaits();
    this.#pendingFinish = {
      type: "finished",
      time: Date.now(),
      reason,
      filledQuantity: filled.toFixed(),
      ...(averagePrice ? { averagePrice } : {}),
      stop,
    };
    // a fill seen while an action runs (an exit placed before the old stop is cancelled): the
    // action ends first, so after `finished` nothing of the engine is on the book
    if (!this.#busy) this.#flushFinish();
  }

  #flushFinish(): void {
    const e = this.#pendingFinish;
    if (!e) return;
    this.#pendingFinish = undefined;
    this.#h.emit(e);
    this.#h.end();
  }

  #fail(e: unknown): void {
    if (!this.#running) return;
    const error = e instanceof Error ? e : new Error(String(e));
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#endWaits();
    this.#h.emit({ type: "error", time: Date.now(), error, fatal: true });
    this.#h.emit({
      type: "finished",
      time: Date.now(),
      reason: "failed",
      filledQuantity: this.filled,
      stop: this.#stop?.view ?? null,
    });
    this.#h.end();
  }

  /** Stops reacting (the manager's `stop()`); waits for the action in flight. */
  async halt(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#endWaits();
    await this.#chain;
  }

  /** Forgets the current stop after the manager cancelled it. */
  dropStop(): void {
    this.#stop = null;
  }

  /** Marks an id as cancelled by the engine. */
  expectCancel(id: string): void {
    this.#expected.add(id);
  }
}

/** The halves of a partly failed cancel-replace whose cancel succeeded and new order failed. */
function cancelledOnly(
  e: unknown,
): { cancelled: OrderSnapshot | null; refused: BinanceApiError } | undefined {
  if (!isBinanceApiError(e)) return undefined;
  const d = e.data as Record<string, unknown> | null | undefined;
  if (!d || typeof d !== "object" || d.cancelResult !== "SUCCESS" || d.newOrderResult !== "FAILURE") {
    return undefined;
  }
  const c = d.cancelResponse;
  const n = (d.newOrderResponse ?? {}) as { code?: unknown; msg?: unknown };
  const code = typeof n.code === "number" && Number.isInteger(n.code) ? n.code : 0;
  const msg = typeof n.msg === "string" ? n.msg : "new order refused";
  return {
    cancelled: c && typeof c === "object" ? snapshotFromOrder(c as Record<string, unknown>) : null,
    refused: new BinanceApiError(
      `Binance refused the new order of ${e.endpoint ?? "the cancel-replace"}: ${msg}`,
      {
        code,
        status: 400,
        ...(e.endpoint ? { endpoint: e.endpoint } : {}),
      },
    ),
  };
}

function engineStop(s: Stop, quantity: string): EngineState["stop"] {
  return {
    side: s.view.side,
    type: s.view.type as "STOP_LOSS_LIMIT",
    stopPrice: s.view.stopPrice ?? "0",
    ...(s.view.price ? { limitPrice: s.view.price } : {}),
    quantity,
  };
}
