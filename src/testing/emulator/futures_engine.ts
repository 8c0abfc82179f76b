/**
 * The futures matching engine, one instance per venue: USDⓈ-M (linear) and COIN-M (inverse)
 * share every rule here; only the contract arithmetic in `futures_account.ts` differs. LIMIT and
 * MARKET orders with `reduceOnly` and GTX post-only, conditional orders (COIN-M on the order
 * endpoint, USD-M through `futures_algo.ts`; rules in `futures_trigger.ts`), one-way or hedge
 * positions with entry price and realised PnL, margin checks at the symbol's leverage, and the
 * listenKey events `ORDER_TRADE_UPDATE` (shapes in `futures_order_json.ts`) and `ACCOUNT_UPDATE`.
 * Over 400 lines: one state machine, kept in one place like the spot engine.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { ApiError } from "./api_error.ts";
import {
  dec,
  DEFAULT_LEVERAGE,
  entryAfter,
  type FuturesAccount,
  markPrice,
  notional,
  pnl,
  type Position,
  positionOf,
  type PositionSide,
} from "./futures_account.ts";
import type { Market } from "./market.ts";
import { amount, filterFailure, jsonParams, marketOf, oneOf, type Params, sideOf } from "./order_params.ts";
import { AlgoBook } from "./futures_algo.ts";
import { type FillReport, futuresOrderJson, orderTradeUpdate } from "./futures_order_json.ts";
import {
  CONDITIONAL_TYPES,
  type ConditionalType,
  fires,
  initialState,
  parseTrigger,
  triggeredQty,
  type TriggerSpec,
  type TriggerState,
} from "./futures_trigger.ts";
import { fmtPrice, fmtQty, type Json } from "./payloads.ts";
import { MarginCallWatch } from "./futures_margin_call.ts";
import { ActiveOrders } from "./active_orders.ts";

export type { FuturesAccount } from "./futures_account.ts";

type Status = "NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED" | "EXPIRED";

/** One futures order. */
export interface FuturesOrder {
  readonly apiKey: string;
  readonly symbol: string;
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly side: "BUY" | "SELL";
  readonly positionSide: PositionSide;
  /** The type now: a triggered conditional order continues as MARKET (or LIMIT). */
  type: "LIMIT" | "MARKET" | ConditionalType;
  /** The type it was placed with (`ot`, `origType`). */
  readonly origType: "LIMIT" | "MARKET" | ConditionalType;
  /** The conditional order it is or came from (`sp`, `wt`, `cp`, `pP`, `AP`, `cr`). */
  readonly cond?: TriggerSpec;
  /** COIN-M: a conditional order that has not triggered yet (not on the book), with its trailing state. */
  pending?: TriggerState;
  /** USD-M: the algo order that triggered it. */
  readonly algoId?: number;
  readonly timeInForce: string;
  readonly price: number;
  readonly origQty: number;
  readonly reduceOnly: boolean;
  /** Reduces a position (reduceOnly, or a hedge-mode close): uses no margin. */
  readonly closing: boolean;
  executed: number;
  /** Executed value in the quote asset (USD-M) or base asset (COIN-M). */
  cumQuote: Decimal;
  /** Executed price × qty (for the average price). */
  cumPriceQty: Decimal;
  status: Status;
  readonly time: number;
  updateTime: number;
}

/** Internal placement of a triggered conditional order (its spec, and the identity it keeps). */
export interface TriggeredPlacement {
  readonly cond: TriggerSpec;
  readonly orderId?: number;
  readonly clientOrderId?: string;
  readonly time?: number;
  readonly algoId?: number;
}

/** What a {@linkcode FuturesEngine} works on. */
export interface FuturesEngineOptions {
  readonly venue: "usdm" | "coinm";
  readonly accounts: ReadonlyMap<string, FuturesAccount>;
  /** The venue's market of a symbol. */
  readonly find: (symbol: string) => Market | undefined;
  /** All markets of the venue. */
  readonly list: () => Market[];
  /** Delivers a listenKey event to an account's streams. */
  readonly emit: (apiKey: string, event: Json) => void;
  readonly now: () => number;
  /** Margin ratio (%) at which `MARGIN_CALL` is pushed (default 80; see `futures_margin_call.ts`). */
  readonly marginCallPercent?: number;
}

const TERMINAL: ReadonlySet<Status> = new Set(["FILLED", "CANCELED", "EXPIRED"]);

/** The futures engine of one venue. */
export class FuturesEngine {
  readonly venue: "usdm" | "coinm";
  readonly orders: Map<number, FuturesOrder> = new Map();
  /** Orders not final yet, for the scans per step and per request. */
  readonly #active = new ActiveOrders<FuturesOrder>((o) => TERMINAL.has(o.status));
  readonly trades: Json[] = [];
  #nextOrderId: number;
  #nextTranId: number;
  readonly #accounts: ReadonlyMap<string, FuturesAccount>;
  readonly #find: (s: string) => Market | undefined;
  readonly #emit: (apiKey: string, event: Json) => void;
  readonly #now: () => number;

  readonly #list: () => Market[];
  /** USD-M conditional orders (`/fapi/v1/algoOrder`); COIN-M keeps them as orders. */
  readonly algo: AlgoBook | undefined;
  /** Caps the quantity one execution of a user order may fill (the `partialFill` fault). */
  fillCap: ((m: Market, qty: number) => number) | undefined;
  readonly #marginCalls: MarginCallWatch;

  /** Creates the engine of a venue; `emit` delivers listenKey events of an account. */
  constructor(options: FuturesEngineOptions) {
    const { venue, accounts, find, list, emit, now } = options;
    this.venue = venue;
    this.#list = list;
    this.#nextOrderId = venue === "usdm" ? 4_000_000_001 : 7_000_000_001;
    this.#nextTranId = venue === "usdm" ? 9_000_000_001 : 9_500_000_001;
    this.#accounts = accounts;
    this.#find = find;
    this.#emit = emit;
    this.#now = now;
    this.algo = venue === "usdm" ? new AlgoBook(this, emit, now) : undefined;
    this.#marginCalls = new MarginCallWatch(options.marginCallPercent ?? 80);
  }

  /** The account of an API key. */
  account(apiKey: string): FuturesAccount {
    return this.#accounts.get(apiKey)!;
  }

  /** Symbols of the venue. */
  symbols(): string[] {
    return this.#list().map((m) => m.spec.symbol);
  }

  /** The market of a symbol of this venue. */
  market(symbol: string): Market | undefined {
    return this.#find(symbol);
  }

  /** Leverage of a symbol for an account. */
  leverageOf(acc: FuturesAccount, symbol: string): number {
    return acc.leverage.get(symbol) ?? DEFAULT_LEVERAGE;
  }

  /** A new transaction id (income records, transfers). */
  tranId(): number {
    return this.#nextTranId++;
  }

  /** Margin in use by positions and open orders, and unrealised PnL, of a margin asset. */
  usage(acc: FuturesAccount, asset: string): { used: Decimal; upnl: Decimal } {
    let used = new Decimal(0);
    let upnl = new Decimal(0);
    for (const p of acc.positions.values()) {
      const m = this.#find(p.symbol);
      if (!m || m.spec.marginAsset !== asset || p.amt.isZero()) continue;
      const mark = markPrice(m);
      used = used.plus(notional(m, mark, p.amt.abs()).div(this.leverageOf(acc, p.symbol)));
      upnl = upnl.plus(pnl(m, p.entry, mark, p.amt));
    }
    for (const o of this.#active.list()) {
      const m = this.#find(o.symbol)!;
      if (
        o.apiKey !== acc.apiKey || TERMINAL.has(o.status) || o.closing || o.pending ||
        m.spec.marginAsset !== asset
      ) {
        continue;
      }
      const left = dec(o.origQty - o.executed, m.spec.qtyDecimals);
      used = used.plus(
        notional(m, dec(o.price, m.spec.priceDecimals), left).div(this.leverageOf(acc, o.symbol)),
      );
    }
    return { used, upnl };
  }

  #report(o: FuturesOrder, m: Market, x: string, fill?: FillReport): void {
    this.#emit(o.apiKey, orderTradeUpdate(o, m, x, this.#now(), fill));
    if (o.algoId !== undefined) this.algo?.onOrder(o);
  }

  #accountUpdate(acc: FuturesAccount, m: Market, pos: Position, reason = "ORDER"): void {
    const E = this.#now();
    const asset = m.spec.marginAsset;
    const wb = acc.wallet.get(asset) ?? new Decimal(0);
    this.#emit(acc.apiKey, {
      e: "ACCOUNT_UPDATE",
      T: E,
      E,
      a: {
        m: reason,
        B: [{ a: asset, wb: wb.toFixed(8), cw: wb.toFixed(8), bc: "0" }],
        P: [{
          s: m.spec.symbol,
          pa: pos.amt.toFixed(m.spec.qtyDecimals),
          ep: pos.entry.toFixed(8),
          bep: pos.entry.toFixed(8),
          cr: "0",
          up: pnl(m, pos.entry, markPrice(m), pos.amt).toFixed(8),
          mt: acc.marginType.get(m.spec.symbol) === "ISOLATED" ? "isolated" : "cross",
          iw: "0",
          ps: pos.side,
        }],
      },
    });
  }

  /** Credits a realised amount to the wallet and records it as income. */
  #credit(
    acc: FuturesAccount,
    m: Market,
    amountDelta: Decimal,
    type: "REALIZED_PNL" | "FUNDING_FEE",
    tradeId = "",
  ): void {
    const asset = m.spec.marginAsset;
    acc.wallet.set(asset, (acc.wallet.get(asset) ?? new Decimal(0)).plus(amountDelta));
    acc.income.push({
      symbol: m.spec.symbol,
      incomeType: type,
      income: amountDelta.toFixed(8),
      asset,
      info: type,
      time: this.#now(),
      tranId: this.tranId(),
      tradeId,
    });
  }

  #fill(o: FuturesOrder, m: Market, price: number, qty: number, tradeId: number, maker: boolean): void {
    const acc = this.account(o.apiKey);
    const p = dec(price, m.spec.priceDecimals);
    const q = dec(qty, m.spec.qtyDecimals);
    const signed = o.side === "BUY" ? q : q.neg();
    const pos = positionOf(acc, o.symbol, o.positionSide);
    let rp = new Decimal(0);
    if (pos.amt.isZero() || pos.amt.isPositive() === signed.isPositive()) {
      pos.entry = entryAfter(m, pos.amt.abs(), pos.entry, q, p);
      pos.amt = pos.amt.plus(signed);
    } else {
      const closing = Decimal.min(q, pos.amt.abs());
      rp = pnl(m, pos.entry, p, pos.amt.isPositive() ? closing : closing.neg());
      if (!rp.isZero()) this.#credit(acc, m, rp, "REALIZED_PNL", String(tradeId));
      const before = pos.amt;
      pos.amt = pos.amt.plus(signed);
      if (pos.amt.isZero()) pos.entry = new Decimal(0);
      else if (pos.amt.isPositive() !== before.isPositive()) pos.entry = p;
    }
    o.executed += qty;
    o.cumQuote = o.cumQuote.plus(notional(m, p, q));
    o.cumPriceQty = o.cumPriceQty.plus(p.times(q));
    o.status = o.executed >= o.origQty ? "FILLED" : "PARTIALLY_FILLED";
    o.updateTime = this.#now();
    pos.updateTime = o.updateTime;
    const value = notional(m, p, q).toFixed(8);
    this.trades.push({
      symbol: o.symbol,
      id: tradeId,
      orderId: o.orderId,
      side: o.side,
      price: fmtPrice(m, price),
      qty: fmtQty(m, qty),
      realizedPnl: rp.toFixed(8),
      ...(m.spec.contractSize > 0
        ? { pair: m.spec.pair, marginAsset: m.spec.marginAsset, baseQty: value }
        : { quoteQty: value }),
      commission: "0",
      commissionAsset: m.spec.marginAsset,
      time: o.updateTime,
      positionSide: o.positionSide,
      buyer: o.side === "BUY",
      maker,
      apiKey: o.apiKey,
    } as Json);
    this.#report(o, m, "TRADE", { price, qty, tradeId, maker, rp });
    this.#accountUpdate(acc, m, pos);
  }

  /**
   * `POST /fapi/v1/order` / `POST /dapi/v1/order` (WebSocket `order.place`).
   *
   * @throws {ApiError} with Binance's futures codes
   */
  place(apiKey: string, p: Params, triggered?: TriggeredPlacement): Json {
    const m = marketOf(this.#find, p);
    const side = sideOf(p);
    if ((CONDITIONAL_TYPES as readonly (string | null)[]).includes(p.get("type"))) {
      if (this.venue === "usdm") {
        throw new ApiError(
          -4120,
          "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.",
        );
      }
      return this.#placeConditional(apiKey, m, p);
    }
    const type = oneOf(p, "type", ["LIMIT", "MARKET"] as const, -1116, "Invalid orderType.");
    const tif = type === "LIMIT"
      ? oneOf(p, "timeInForce", ["GTC", "IOC", "FOK", "GTX"], -1115, "Invalid timeInForce.")
      : "GTC";
    const price = type === "LIMIT" ? amount(m, p, "price", "price") : 0;
    const qty = amount(m, p, "quantity", "qty");
    const acc = this.account(apiKey);
    const ps = (p.get("positionSide") ?? "BOTH") as PositionSide;
    if (!["BOTH", "LONG", "SHORT"].includes(ps)) throw new ApiError(-4006, "Invalid position side.");
    if ((ps === "BOTH") === acc.dualSide) {
      throw new ApiError(-4061, "Order's position side does not match user's setting.");
    }
    let reduceOnly = (p.get("reduceOnly") ?? "false").toLowerCase() === "true";
    if (reduceOnly && acc.dualSide) {
      throw new ApiError(-1106, "Parameter 'reduceonly' sent when not required.");
    }
    // hedge mode: selling a LONG or buying a SHORT position closes it
    if (ps !== "BOTH" && (ps === "LONG") !== (side === "BUY")) reduceOnly = true;
    const ref = type === "LIMIT" ? dec(price, m.spec.priceDecimals) : markPrice(m);
    const q = dec(qty, m.spec.qtyDecimals);
    const value = notional(m, ref, q);
    if (!reduceOnly && m.spec.minNotionalValue > 0 && ref.times(q).lt(m.spec.minNotional)) {
      throw filterFailure(m, "MIN_NOTIONAL");
    }
    const pos = positionOf(acc, m.spec.symbol, ps);
    if (reduceOnly) {
      const closes = ps === "BOTH"
        ? !pos.amt.isZero() && pos.amt.isPositive() !== (side === "BUY")
        : pos.amt.abs().gte(q);
      if (!closes) throw new ApiError(-2022, "ReduceOnly Order is rejected.");
    } else {
      const asset = m.spec.marginAsset;
      const { used, upnl } = this.usage(acc, asset);
      const avail = (acc.wallet.get(asset) ?? new Decimal(0)).plus(upnl).minus(used);
      if (avail.lt(value.div(this.leverageOf(acc, m.spec.symbol)))) {
        throw new ApiError(-2019, "Margin is insufficient.");
      }
    }
    if (tif === "GTX") {
      const best = side === "BUY" ? m.asks.best() : m.bids.best();
      if (best !== undefined && (side === "BUY" ? best <= price : best >= price)) {
        throw new ApiError(
          -5022,
          "Due to the order could not be executed as maker, the Post Only order will be rejected.",
        );
      }
    }
    const now = this.#now();
    const o: FuturesOrder = {
      apiKey,
      symbol: m.spec.symbol,
      orderId: triggered?.orderId ?? this.#nextOrderId++,
      clientOrderId: triggered?.clientOrderId ?? p.get("newClientOrderId") ??
        `emu${this.#nextOrderId.toString(36)}`,
      side,
      positionSide: ps,
      type,
      origType: triggered?.cond.type ?? type,
      cond: triggered?.cond,
      algoId: triggered?.algoId,
      timeInForce: tif,
      price,
      origQty: qty,
      reduceOnly: reduceOnly && ps === "BOTH",
      closing: reduceOnly,
      executed: 0,
      cumQuote: new Decimal(0),
      cumPriceQty: new Decimal(0),
      status: "NEW",
      time: triggered?.time ?? now,
      updateTime: now,
    };
    this.orders.set(o.orderId, o);
    this.#active.add(o);
    this.#report(o, m, "NEW");
    if (tif !== "GTX") {
      const fills = m.take(side, this.fillCap?.(m, qty) ?? qty, {
        limit: type === "LIMIT" ? price : undefined,
        time: now,
      });
      for (const f of fills) this.#fill(o, m, f.price, f.qty, f.tradeId, false);
      if (o.status !== "FILLED" && (type === "MARKET" || tif !== "GTC")) {
        o.status = "EXPIRED";
        this.#report(o, m, "EXPIRED");
      }
    }
    return this.orderJson(o);
  }

  /** Futures order JSON (response and query shape; COIN-M adds `pair` and reports `cumBase`). */
  orderJson(o: FuturesOrder): Json {
    return futuresOrderJson(o, this.#find(o.symbol)!);
  }

  /** Finds an order (-1102 / -2013). */
  find(apiKey: string, p: Params): FuturesOrder {
    const m = marketOf(this.#find, p);
    const id = p.get("orderId");
    const cid = p.get("origClientOrderId");
    if (id === null && cid === null) {
      throw new ApiError(
        -1102,
        "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
      );
    }
    for (const o of this.orders.values()) {
      if (o.apiKey !== apiKey || o.symbol !== m.spec.symbol) continue;
      if (id !== null ? String(o.orderId) === id : o.clientOrderId === cid) return o;
    }
    throw new ApiError(-2013, "Order does not exist.");
  }

  /** `DELETE /fapi/v1/order`. */
  cancel(apiKey: string, p: Params): Json {
    const o = this.find(apiKey, p);
    if (TERMINAL.has(o.status)) throw new ApiError(-2011, "Unknown order sent.");
    o.status = "CANCELED";
    o.updateTime = this.#now();
    this.#report(o, this.#find(o.symbol)!, "CANCELED");
    return this.orderJson(o);
  }

  /** Orders an account placed at or after `since` (the `X-MBX-ORDER-COUNT-1M` figure). */
  orderCount(apiKey: string, since: number): number {
    let n = 0;
    for (const o of this.orders.values()) if (o.apiKey === apiKey && o.time >= since) n++;
    return n;
  }

  /** Open orders of an account. */
  open(apiKey: string, symbol?: string): FuturesOrder[] {
    return this.#active.list().filter((o) =>
      o.apiKey === apiKey && (symbol === undefined || o.symbol === symbol)
    );
  }

  /**
   * Pays or charges funding on every open position of a symbol (`rate` × position notional at
   * `mark`; longs pay a positive rate), recorded as FUNDING_FEE income.
   */
  fund(m: Market, rate: Decimal, mark: Decimal): void {
    for (const acc of this.#accounts.values()) {
      for (const pos of acc.positions.values()) {
        if (pos.symbol !== m.spec.symbol || pos.amt.isZero()) continue;
        const fee = notional(m, mark, pos.amt.abs()).times(rate).times(pos.amt.isPositive() ? -1 : 1);
        this.#credit(acc, m, fee, "FUNDING_FEE");
        this.#accountUpdate(acc, m, pos, "FUNDING_FEE");
      }
    }
  }

  /** COIN-M `/dapi/v1/order` with a conditional type: waits off the book until it triggers. */
  #placeConditional(apiKey: string, m: Market, p: Params): Json {
    const acc = this.account(apiKey);
    const spec = parseTrigger(
      m,
      p,
      acc,
      { stopPrice: "stopPrice", activation: "activationPrice" },
      (side, type) =>
        this.open(apiKey, m.spec.symbol).some((o) =>
          o.pending !== undefined && o.cond?.closePosition === true && o.side === side && o.cond.type === type
        ),
    );
    const now = this.#now();
    const o: FuturesOrder = {
      apiKey,
      symbol: m.spec.symbol,
      orderId: this.#nextOrderId++,
      clientOrderId: p.get("newClientOrderId") ?? `emu${this.#nextOrderId.toString(36)}`,
      side: spec.side,
      positionSide: spec.positionSide,
      type: spec.type,
      origType: spec.type,
      cond: spec,
      pending: initialState(spec, m),
      timeInForce: spec.timeInForce,
      price: spec.price,
      origQty: spec.qty,
      reduceOnly: spec.reduceOnly && !spec.closePosition && spec.positionSide === "BOTH",
      closing: spec.reduceOnly,
      executed: 0,
      cumQuote: new Decimal(0),
      cumPriceQty: new Decimal(0),
      status: "NEW",
      time: now,
      updateTime: now,
    };
    this.orders.set(o.orderId, o);
    this.#active.add(o);
    this.#report(o, m, "NEW");
    return this.orderJson(o);
  }

  /**
   * Builds the order a triggered conditional order becomes and places it (MARKET, or LIMIT for
   * STOP / TAKE_PROFIT); returns null when a reducing order finds nothing to reduce.
   *
   * @throws {ApiError} when the placement fails (margin, reduce-only)
   */
  placeTriggered(
    apiKey: string,
    m: Market,
    spec: TriggerSpec,
    id: Omit<TriggeredPlacement, "cond">,
  ): Json | null {
    const qty = triggeredQty(spec, this.account(apiKey), m);
    if (qty === 0) return null;
    const limit = spec.type === "STOP" || spec.type === "TAKE_PROFIT";
    const params: Record<string, string> = {
      symbol: m.spec.symbol,
      side: spec.side,
      type: limit ? "LIMIT" : "MARKET",
      quantity: fmtQty(m, qty),
      positionSide: spec.positionSide,
    };
    if (limit) Object.assign(params, { price: fmtPrice(m, spec.price), timeInForce: spec.timeInForce });
    if (spec.reduceOnly && spec.positionSide === "BOTH") params.reduceOnly = "true";
    return this.place(apiKey, jsonParams(params), { cond: spec, ...id });
  }

  /** COIN-M: a conditional order triggers: EXPIRED as itself, then NEW again (same id) as the order it becomes. */
  #trigger(o: FuturesOrder, m: Market): void {
    o.pending = undefined;
    o.status = "EXPIRED";
    o.updateTime = this.#now();
    this.#report(o, m, "EXPIRED");
    try {
      this.placeTriggered(o.apiKey, m, o.cond!, {
        orderId: o.orderId,
        clientOrderId: o.clientOrderId,
        time: o.time,
      });
    } catch (e) {
      // the trigger found no margin or nothing to reduce: the order stays EXPIRED
      if (!(e instanceof ApiError)) throw e;
    }
  }

  /** After each simulator step: triggers conditional orders, fills resting limit orders the market crossed. */
  afterStep(m: Market): void {
    if (m.spec.market !== this.venue) return;
    this.algo?.afterStep(m);
    for (const o of this.#active.list()) {
      if (
        o.pending && o.symbol === m.spec.symbol && !TERMINAL.has(o.status) && fires(o.cond!, o.pending, m)
      ) {
        this.#trigger(o, m);
      }
    }
    for (const o of this.#active.list()) {
      if (o.symbol !== m.spec.symbol || TERMINAL.has(o.status) || o.pending) continue;
      const best = o.side === "BUY" ? m.asks.best() : m.bids.best();
      if (best === undefined || (o.side === "BUY" ? best > o.price : best < o.price)) continue;
      const left = o.origQty - o.executed;
      const fills = m.take(o.side, this.fillCap?.(m, left) ?? left, {
        limit: o.price,
        price: o.price,
        time: this.#now(),
      });
      for (const f of fills) this.#fill(o, m, f.price, f.qty, f.tradeId, true);
    }
    // the mark moved: accounts whose margin ratio reached the threshold get MARGIN_CALL
    const alias = this.venue === "coinm" ? "emu" : undefined;
    const calls = this.#marginCalls.check(
      this.#accounts.values(),
      m.spec.marginAsset,
      this.#find,
      this.#now(),
      alias,
    );
    for (const c of calls) this.#emit(c.apiKey, c.event);
  }
}
