/**
 * `BinanceTrailingStopLossManager`: keeps one stop order of its own behind a position and moves
 * it with the market — the TypeScript form of the Python suite's UBTSL manager.
 *
 * @module
 */
import { BoundedQueue } from "../ws/queue.ts";
import type { StreamMessage } from "../ws/manager.ts";
import type { StreamSignal } from "../ws/signals.ts";
import {
  nativeTrail,
  parseAmount,
  stopQuantity,
  type SymbolRules,
  symbolRules,
  type TrailConfig,
  trailConfig,
} from "./_engine_port.ts";
import type { NativeTrail } from "./engine.ts";
import { classifyFailure, TrailingStopError } from "./_errors.ts";
import { Backoff } from "../core/backoff.ts";
import { jumpIn } from "./_jump_in.ts";
import { coverQuantity, stopCommission } from "./_commission.ts";
import { TrailCore, type TrailSettings } from "./_trail.ts";
import { FINAL_STATUSES, type VenueKind } from "./_venue.ts";
import { Dec } from "./_venue_common.ts";
import { trailingVenue, wire, type Wiring } from "./_wiring.ts";
import type { StopOrderView, TrailingEvent } from "./events.ts";
import { type TrailingStopLossOptions, validateTrailingOptions } from "./manager_options.ts";
import type { TrailingState } from "./state_store.ts";
import { firstPrice, priceOf, priceSpec } from "./_prices.ts";
import type { BinanceRestClient } from "../rest/client.ts";

export type { StopOrderView, TrailingEvent } from "./events.ts";
export type { TrailingStopLossOptions } from "./manager_options.ts";

/** What `stop()` reports. */
export interface StopResult {
  /** The engine's stop still on the book (`null`: none — cancelled, filled or never placed). */
  readonly leftOnBook: StopOrderView | null;
}

/** Where the manager is in its life. */
export type TrailingStatus = "idle" | "starting" | "trailing" | "finished" | "stopped" | "failed";

/** What a manager has done so far ({@link BinanceTrailingStopLossManager.counts}). */
export interface TrailCounts {
  /** Stop placements (first placement and re-placements). */
  readonly placements: number;
  /** Stop moves. */
  readonly replaces: number;
  /** Cancels of the own stop. */
  readonly cancels: number;
  /** Reconciliations over REST. */
  readonly reconciles: number;
  /** Errors reported. */
  readonly errors: number;
  /** Price ticks seen. */
  readonly priceTicks: number;
  /**
   * Exits: the market crossed the trail (the stop to move to would trigger at once, or did while
   * the move was in flight), so the stop was replaced by the order it becomes when triggered.
   */
  readonly exits: number;
}

/**
 * Trails a stop-loss order behind a position on Binance spot, margin, isolated margin, USDⓈ-M or
 * COIN-M futures. Events arrive through the callbacks, through `for await (const e of manager)`
 * and as the promise `manager.done`.
 *
 * @example Trail a spot position on the local emulator
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { startEmulator } from "../testing/mod.ts";
 * import { BinanceTrailingStopLossManager } from "./manager.ts";
 *
 * await using emu = await startEmulator({ paused: true, accounts: [{ apiKey: "k", secretKey: "s" }] });
 * await using tsl = new BinanceTrailingStopLossManager({
 *   market: "BTCUSDT", stopLossLimit: "1%", apiKey: "k", apiSecret: "s", autoStart: false,
 *   restOptions: { baseUrl: emu.restUrl },
 *   wsOptions: { streamBase: emu.wsUrl, wsApiUrl: emu.wsApiUrl, restUrl: emu.restUrl },
 * });
 * await tsl.start();
 * assertEquals(tsl.stopOrder?.type, "STOP_LOSS_LIMIT");
 * const { leftOnBook } = await tsl.stop({ cancelStop: true });
 * assertEquals(leftOnBook, null);
 * ```
 */
export class BinanceTrailingStopLossManager implements AsyncDisposable, AsyncIterable<TrailingEvent> {
  /** The validated options. */
  readonly options: TrailingStopLossOptions;
  /** Venue kind (`spot`, `margin`, `isolated_margin`, `usdm`, `coinm`). */
  readonly venueKind: VenueKind;
  #prefix: string;
  /** Resolves with the last event (`finished` or `stopped`). */
  readonly done: Promise<TrailingEvent>;
  readonly #w: Wiring;
  readonly #key: string;
  readonly #iterators = new Set<BoundedQueue<TrailingEvent>>();
  readonly #streams: string[] = [];
  #resolveDone!: (e: TrailingEvent) => void;
  #status: TrailingStatus = "idle";
  #core: TrailCore | undefined;
  #rules: SymbolRules | undefined;
  #starting: Promise<void> | undefined;
  #reconcileTimer: ReturnType<typeof setInterval> | undefined;
  #userConnects = 0;
  #userStream: string | undefined;
  #saving: Promise<void> = Promise.resolve();
  #fatal: Error | undefined;
  #left: StopOrderView | null = null;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #wakers = new Set<() => void>();

  /**
   * Validates the options and, unless `autoStart: false`, starts the engine.
   *
   * @param options See {@link TrailingStopLossOptions}.
   * @throws {TypeError} Unknown option key or invalid value (the message names the key).
   * @throws {RangeError} An exchange/market/side combination the manager cannot trail on — before any order is sent.
   */
  constructor(options: TrailingStopLossOptions) {
    this.options = validateTrailingOptions(options);
    const { exchange, kind } = trailingVenue(this.options);
    this.venueKind = kind;
    parseAmount(this.options.stopLossLimit, "stopLossLimit");
    if (this.options.mode === "native" && kind !== "spot" && kind !== "usdm" && kind !== "coinm") {
      throw new RangeError(`Unsupported mode native on ${exchange.name}: margin has no trailing stop orders`);
    }
    if (!this.options.restClient && !this.options.apiKey) {
      throw new TypeError("Missing apiKey: the manager places orders (or pass restClient and wsManager)");
    }
    const tag = crypto.randomUUID().replaceAll("-", "").slice(0, 6);
    this.#prefix = this.options.clientOrderIdPrefix ?? `tsl${tag}x`;
    // one engine per market and side, unless the caller names engines by their prefix
    this.#key = `${exchange.name}:${this.options.market}:${this.options.side ?? "long"}${
      this.options.clientOrderIdPrefix ? `:${this.#prefix}` : ""
    }`;
    this.#w = wire(this.options, exchange, kind, tag);
    this.done = new Promise((r) => (this.#resolveDone = r));
    if (this.options.autoStart !== false) {
      this.start().catch(() => {
        // reported through onError / the event stream / done
      });
    }
  }

  /** The engine's client order id prefix (restored from the state store on a restart). */
  get prefix(): string {
    return this.#prefix;
  }
  /** Current status. */
  get status(): TrailingStatus {
    return this.#status;
  }
  /** The engine's stop on the book (as far as the engine knows). */
  get stopOrder(): StopOrderView | null {
    return this.#core?.stop ?? null;
  }
  /** Best reference price since the start (the ratchet). */
  get referencePrice(): string | undefined {
    return this.#core?.reference;
  }
  /** Last reference price received. */
  get lastPrice(): string | undefined {
    return this.#core?.price;
  }
  /** Placements, replaces, cancels, reconciliations, errors, price ticks and exits so far. */
  get counts(): Readonly<TrailCounts> {
    return this.#core?.counts ??
      { placements: 0, replaces: 0, cancels: 0, reconciles: 0, errors: 0, priceTicks: 0, exits: 0 };
  }
  /** The REST client the manager uses (its `usage` shows the weight spent). */
  get restClient(): BinanceRestClient {
    return this.#w.rest;
  }

  /**
   * Starts the engine: symbol rules, state, streams, adoption of an earlier stop, first stop.
   * Resolves once the position is protected (or the engine ended).
   *
   * @returns Nothing.
   * @throws {TrailingStopError} Nothing to protect, or Binance refused the first stop.
   */
  start(): Promise<void> {
    this.#starting ??= this.#start().catch((e) => {
      const error = e instanceof Error ? e : new Error(String(e));
      if (this.#status === "starting") {
        this.#emit({ type: "error", time: Date.now(), error, fatal: true });
        this.#emit({ type: "finished", time: Date.now(), reason: "failed", filledQuantity: "0", stop: null });
        this.#status = "failed";
        void this.#teardown();
      }
      throw error;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    this.#status = "starting";
    const o = this.options;
    const venue = this.#w.venue;
    const side = (o.side ?? "long") === "long" ? "SELL" : "BUY";
    const info = await this.#setup(() => venue.symbolInfo());
    const rules = symbolRules(info, this.venueKind);
    this.#rules = rules;
    const orderType = o.stopLossOrderType ??
      (this.venueKind === "usdm" || this.venueKind === "coinm" ? "MARKET" : "LIMIT");
    const config = trailConfig({
      side,
      distance: o.stopLossLimit,
      ...(o.stopLossStartLimit ? { startDistance: o.stopLossStartLimit } : {}),
      ...(o.triggerGap ? { triggerGap: o.triggerGap } : {}),
      orderType,
      ...(o.minStep ? { minStep: o.minStep } : {}),
      debounceMs: o.debounceMs ?? 1000,
    });
    // the account's real commission (account/commission, futures commissionRate): a stop sized
    // from what a BUY delivered, or a BUY stop repaying a loan, accounts for the part Binance keeps
    const fee = await this.#setup(() =>
      stopCommission(this.#w.rest, this.venueKind, o.market, { side, orderType })
    );
    const source = o.priceSource ?? "aggTrade";
    const firstAt = await this.#setup(() => firstPrice(this.#w.rest, this.venueKind, o.market, source, side));
    const native = this.#native(config, rules, firstAt);
    const settings: TrailSettings = {
      config,
      maxRetries: o.maxRetries ?? 5,
      maxRateLimitWaitMs: o.maxRateLimitWaitMs ?? 120_000,
      backoff: o.backoff ?? { baseMs: 250, maxMs: 10_000 },
      onExternalCancel: o.onExternalCancel ?? "replace",
      ...(native ? { native } : {}),
      ...(o.stopLossPrice ? { stopLossPrice: o.stopLossPrice } : {}),
      ...crossGuardOf(this.venueKind, side, rules, !native && o.crossGuard !== false),
    };
    const state = o.stateStore ? await o.stateStore.load(this.#key) : null;
    // a restart resumes the saved engine, its ids included
    if (state?.prefix) this.#prefix = state.prefix;
    // streams first (after the symbol setup, T15), so no order event of ours is missed
    this.#openStreams();
    const bought = o.engine === "jump-in-and-trail" && !state
      ? await jumpIn(venue, o, rules, `${this.prefix}j`)
      : undefined;
    // what the jump-in's fill delivered net of a commission Binance took in the base asset
    const boughtFee = bought
      ? await this.#setup(() =>
        stopCommission(this.#w.rest, this.venueKind, o.market, {
          side: side === "SELL" ? "BUY" : "SELL",
          orderType: o.jumpIn?.type ?? "MARKET",
        })
      )
      : undefined;
    // adoption by id: the state's stop, else the newest open order with this engine's prefix
    let adopted = state?.stopClientOrderId
      ? await this.#setup(() => venue.query(state.stopClientOrderId!))
      : null;
    if (!state && o.clientOrderIdPrefix) {
      const mine = (await this.#setup(() => venue.openOrders())).filter((x) =>
        x.clientOrderId.startsWith(this.prefix)
      );
      adopted = mine.sort((a, b) =>
        seqOf(b.clientOrderId, this.prefix) - seqOf(a.clientOrderId, this.prefix)
      )[0] ?? null;
    }
    const open = adopted !== null && !FINAL_STATUSES.has(adopted.status);
    const ownLocked = open ? new Dec(adopted!.quantity).minus(adopted!.filled || 0).toFixed() : "0";
    // a jump-in protects what it bought (floored to the step), not the whole balance
    const sizedQuantity = open ? ownLocked : state?.quantity ?? o.quantity ??
      (bought
        ? this.#sized(bought.quantity, "0", rules, boughtFee?.baseRate)
        : await this.#quantity(side, ownLocked, rules));
    // a margin short's BUY stop buys what repays the loan after the commission taken in base
    const quantity = side === "BUY" && !open && !state?.quantity && !o.quantity &&
        (this.venueKind === "margin" || this.venueKind === "isolated_margin")
      ? coverQuantity(sizedQuantity, fee, rules.stepSize)
      : sizedQuantity;
    const seqStart = Math.max(state?.seq ?? 1, adopted ? seqOf(adopted.clientOrderId, this.prefix) + 1 : 1);
    const core = new TrailCore({
      venue,
      rules,
      settings,
      emit: (e) => this.#emit(e),
      save: (s) => this.#save(s),
      requantify: () =>
        this.#quantity(side, this.#core?.stop ? this.#core.stop.quantity : "0", rules).catch(() => "0"),
      end: () => void this.#teardown(),
    }, {
      prefix: this.prefix,
      seq: seqStart,
      quantity,
      best: state?.reference ?? firstAt,
      fresh: !state?.reference && !open,
    });
    if (state) core.restoreFills(state.filled ?? "0", state.filledQuote ?? "0");
    this.#core = core;
    if (adopted?.status === "FILLED") {
      core.adopt(adopted);
      core.onOrderUpdate(adopted);
      return;
    }
    if (open) core.adopt(adopted!);
    core.onPrice(firstAt);
    await core.enqueue(() => Promise.resolve());
    if (!core.running) {
      if (this.#fatal) throw this.#fatal;
      return; // finished already (an adopted stop had filled)
    }
    this.#status = "trailing";
    this.#emit({ type: "started", time: Date.now(), stop: core.stop, adopted: open });
    const every = o.reconcileIntervalMs ?? 60_000;
    if (every > 0) this.#reconcileTimer = setInterval(() => void core.reconcile(), every);
  }

  /** A setup read, retried with back-off on transient failures (5xx, 429, network). */
  async #setup<T>(fn: () => Promise<T>): Promise<T> {
    const backoff = new Backoff({
      ...(this.options.backoff ?? { baseMs: 250, maxMs: 10_000 }),
      jitter: "equal",
    });
    for (let attempt = 0;; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const k = classifyFailure(e);
        if (k.kind === "fatal" || attempt >= (this.options.maxRetries ?? 5)) throw e;
        const cap = this.options.maxRateLimitWaitMs ?? 120_000;
        if (this.#status !== "starting") throw e;
        // a wait stop() ends (the teardown wakes it; start() then rejects with the last error)
        await new Promise<void>((r) => {
          const wake = (): void => {
            clearTimeout(t);
            this.#wakers.delete(wake);
            r();
          };
          const t = setTimeout(wake, Math.max(backoff.next(), Math.min(k.waitMs ?? 0, cap)));
          this.#wakers.add(wake);
        });
        if (this.#status !== "starting") throw e;
      }
    }
  }

  #native(config: TrailConfig, rules: SymbolRules, price: string): NativeTrail | undefined {
    const mode = this.options.mode ?? "client";
    if (mode === "client") return undefined;
    const r = nativeTrail(config, rules, price);
    if (r.ok) return r.native;
    if (mode === "native") throw new RangeError(`Invalid stopLossLimit for mode native: ${r.reason}`);
    return undefined; // auto: the distance does not fit Binance's bounds, so the client trails
  }

  #sized(holding: string, ownLocked: string, rules: SymbolRules, commissionRate?: string): string {
    const r = stopQuantity({
      free: new Dec(holding).toFixed(),
      lockedByOwnStop: ownLocked,
      ...(commissionRate ? { commissionRate } : {}),
      ...(this.options.keepThreshold ? { keepThreshold: this.options.keepThreshold } : {}),
      rules,
      ...(this.options.stopLossOrderType ? { orderType: this.options.stopLossOrderType } : {}),
    });
    if (!r.ok) throw new TrailingStopError(r.message, { kind: "nothing-to-protect" });
    return r.quantity;
  }

  async #quantity(side: "BUY" | "SELL", ownLocked: string, rules: SymbolRules): Promise<string> {
    if (this.options.quantity) return this.options.quantity;
    const wanted = side === "SELL" ? "long" : "short";
    const h = await this.#setup(() => this.#w.venue.holding(wanted, "0"));
    if (h.direction !== wanted && new Dec(ownLocked).lte(0)) {
      throw new TrailingStopError(
        `Nothing to protect: no ${wanted} ${this.options.market} holding on ${this.venueKind}`,
        { kind: "nothing-to-protect" },
      );
    }
    // spot and margin: what the own stop locks is not free but still ours; futures: the position
    const futures = this.venueKind === "usdm" || this.venueKind === "coinm";
    return this.#sized(h.quantity, futures ? "0" : ownLocked, rules);
  }

  #openStreams(): void {
    const ws = this.#w.ws;
    const o = this.options;
    if (this.#w.apiLabel) {
      this.#streams.push(
        ws.createApiStream({ label: this.#w.apiLabel, apiKey: o.apiKey, apiSecret: o.apiSecret }),
      );
    }
    const isolatedSymbol = this.venueKind === "isolated_margin" ? o.market : undefined;
    this.#userStream = ws.createUserDataStream({
      apiKey: o.apiKey,
      apiSecret: o.apiSecret,
      // futures: the raw frames (ALGO_UPDATE has no UnicornFy table); spot and margin: UnicornFy
      output: this.venueKind === "usdm" || this.venueKind === "coinm" ? "parsed" : "unicornfy",
      label: `ubtsl-user-${this.prefix}`,
      ...(isolatedSymbol ? { isolatedSymbol } : {}),
      ...(o.listenTokenValidityMs ? { listenTokenValidityMs: o.listenTokenValidityMs } : {}),
      onData: (m: StreamMessage) => this.#onUserData(m),
    });
    this.#streams.push(this.#userStream);
    const side = (o.side ?? "long") === "long" ? "SELL" : "BUY";
    const spec = priceSpec(this.venueKind, o.priceSource ?? "aggTrade", side);
    this.#streams.push(ws.createStream([spec.channel], [o.market], {
      output: "parsed",
      label: `ubtsl-price-${this.prefix}`,
      onData: (m: StreamMessage) => {
        const p = priceOf(spec, m.data);
        if (p !== undefined) this.#core?.onPrice(p);
      },
    }));
    void this.#watchSignals();
  }

  async #watchSignals(): Promise<void> {
    for await (const s of this.#w.ws.signals() as AsyncIterable<StreamSignal>) {
      if (this.#status === "finished" || this.#status === "stopped" || this.#status === "failed") return;
      if (s.streamId !== this.#userStream || s.type !== "CONNECT") continue;
      // CONNECT comes before the subscription is confirmed, and events may have been missed while
      // the stream was down: ask REST once the subscription has had time to settle (and early on
      // a reconnect)
      if (++this.#userConnects > 1) this.#later(250);
      this.#later(1000);
    }
  }

  #later(ms: number): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      if (this.#status === "trailing" || this.#status === "starting") void this.#core?.reconcile();
    }, ms);
    this.#timers.add(t);
  }

  #onUserData(m: StreamMessage): void {
    const data = m.data as Record<string, unknown>;
    const event = (data && typeof data === "object" && "event" in data ? data.event : data) as unknown;
    const s = this.#w.venue.orderUpdate(event);
    if (s) this.#core?.onOrderUpdate(s);
  }

  #save(state: TrailingState): void {
    const store = this.options.stateStore;
    if (!store) return;
    this.#saving = this.#saving.then(() => store.save(this.#key, state)).catch((e) =>
      this.#emit({
        type: "error",
        time: Date.now(),
        error: e instanceof Error ? e : new Error(String(e)),
        fatal: false,
      })
    );
  }

  #emit(e: TrailingEvent): void {
    const o = this.options;
    try {
      if (e.type === "error") o.onError?.(e.error);
      else if (e.type === "finished") o.onFinished?.(e);
      else if (e.type === "partiallyFilled") o.onPartiallyFilled?.(e);
      else if (e.type === "stopMoved") o.onStopMoved?.(e);
    } catch {
      // a throwing callback must not stop the engine
    }
    if (e.type === "error" && e.fatal) this.#fatal = e.error;
    for (const q of this.#iterators) q.push(e);
    if (e.type === "finished") {
      this.#status = e.reason === "failed" ? "failed" : "finished";
      if (e.reason !== "failed" && this.options.stateStore) {
        this.#saving = this.#saving.then(() => this.options.stateStore!.clear(this.#key)).catch(() => {});
      }
      this.#resolveDone(e);
    }
    if (e.type === "stopped") this.#resolveDone(e);
    if (e.type === "finished" || e.type === "stopped") { for (const q of this.#iterators) q.close(); }
  }

  async #teardown(): Promise<void> {
    if (this.#reconcileTimer !== undefined) clearInterval(this.#reconcileTimer);
    this.#reconcileTimer = undefined;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const wake of [...this.#wakers]) wake();
    for (const id of this.#streams.splice(0)) this.#w.ws.stopStream(id);
    if (this.#w.ownsWs) await this.#w.ws.close();
    await this.#saving;
  }

  /**
   * Stops the engine. The stop stays on the book as a static stop unless `cancelStop: true`.
   *
   * @param options `cancelStop`: cancel the engine's stop too.
   * @returns What is left on the book.
   */
  async stop(options: { readonly cancelStop?: boolean } = {}): Promise<StopResult> {
    if (this.#starting) await this.#starting.catch(() => {});
    if (this.#status === "stopped") return { leftOnBook: this.#left };
    const core = this.#core;
    if (core) await core.halt();
    // a filled or externally cancelled stop is gone; after a failure the last stop may still be there
    let left = this.#status === "finished" ? null : core?.stop ?? null;
    if (left && options.cancelStop) {
      core!.expectCancel(left.clientOrderId);
      const c = await this.#w.venue.cancel(left.clientOrderId);
      if (c === null || FINAL_STATUSES.has(c.status)) left = null;
      core!.dropStop();
    }
    this.#left = left;
    if (this.#status !== "finished" && this.#status !== "failed") {
      this.#status = "stopped";
      await this.#teardown();
      this.#emit({ type: "stopped", time: Date.now(), leftOnBook: left });
    }
    return { leftOnBook: left };
  }

  /** `await using`: `stop()` without cancelling the stop. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /**
   * Events from now on; ends after `finished` or `stopped`.
   *
   * @returns An async iterator of {@link TrailingEvent}s.
   */
  [Symbol.asyncIterator](): AsyncIterator<TrailingEvent> {
    const q = new BoundedQueue<TrailingEvent>({ capacity: 10_000, overflow: "dropOldest" });
    if (this.#status === "finished" || this.#status === "stopped" || this.#status === "failed") q.close();
    else this.#iterators.add(q);
    return q[Symbol.asyncIterator]();
  }
}

function seqOf(id: string, prefix: string): number {
  const n = Number(id.slice(prefix.length));
  return Number.isSafeInteger(n) ? n : 0;
}

/**
 * The cross guard's `trailingDelta`: spot stops of a client trail (which ones: `TrailCore`), the symbol's smallest
 * delta on the stop's side (`minTrailingBelowDelta` for a SELL stop, `minTrailingAboveDelta` for a
 * BUY one); nothing elsewhere or without the TRAILING_DELTA filter.
 */
function crossGuardOf(
  kind: string,
  side: "BUY" | "SELL",
  rules: SymbolRules,
  wanted: boolean,
): { crossGuard?: number } {
  if (!wanted || kind !== "spot" || !rules.trailingDelta) return {};
  return { crossGuard: side === "SELL" ? rules.trailingDelta.minBelow : rules.trailingDelta.minAbove };
}
