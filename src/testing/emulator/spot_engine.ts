/**
 * The spot matching engine: order entry with Binance's validation, taker execution against the
 * simulated book, resting limit orders that fill when the market crosses them, STOP_LOSS /
 * TAKE_PROFIT triggers on the last trade price, OCO lists, cancels, and the user-data events
 * (`executionReport`, `outboundAccountPosition`, `listStatus`).
 * Longer than 400 lines on purpose: one state machine reads best in one place.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { ApiError } from "./api_error.ts";
import type { Market } from "./market.ts";
import { amount, filterFailure, marketOf, need, oneOf, type Params, sideOf } from "./order_params.ts";
import { fmtPrice, fmtQty, type Json } from "./payloads.ts";
import type { SpotAccount } from "./spot_account.ts";
import { stopConditionMet, trailingDeltaOf, type TrailState, trailStep } from "./trailing.ts";
import { ActiveOrders } from "./active_orders.ts";

const TYPES = [
  "LIMIT",
  "MARKET",
  "LIMIT_MAKER",
  "STOP_LOSS",
  "STOP_LOSS_LIMIT",
  "TAKE_PROFIT",
  "TAKE_PROFIT_LIMIT",
] as const;
type SpotType = typeof TYPES[number];
type Status = "NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED" | "EXPIRED" | "REJECTED";

/** One spot order (trailing state: `trailingDelta` 0 for ordinary orders). */
export interface SpotOrder extends TrailState {
  readonly apiKey: string;
  readonly symbol: string;
  readonly orderId: number;
  orderListId: number;
  readonly clientOrderId: string;
  readonly side: "BUY" | "SELL";
  readonly type: SpotType;
  readonly timeInForce: string;
  readonly price: number;
  readonly stopPrice: number;
  readonly origQty: number;
  readonly origQuoteOrderQty: Decimal;
  executed: number;
  cumQuote: Decimal;
  status: Status;
  readonly time: number;
  updateTime: number;
  working: boolean;
  workingTime: number;
  /** Remaining locked amount and its asset. */
  lockAsset: string;
  locked: Decimal;
  /** Price used for the quote lock of BUY orders. */
  lockPrice: Decimal;
}

/** One account trade. */
export interface SpotTrade {
  readonly symbol: string;
  readonly id: number;
  readonly orderId: number;
  readonly orderListId: number;
  readonly price: string;
  readonly qty: string;
  readonly quoteQty: string;
  readonly time: number;
  readonly isBuyer: boolean;
  readonly isMaker: boolean;
  readonly apiKey: string;
}

const dec = (units: number, decimals: number): Decimal =>
  new Decimal(units).div(new Decimal(10).pow(decimals));
const TERMINAL: ReadonlySet<Status> = new Set(["FILLED", "CANCELED", "EXPIRED", "REJECTED"]);
const insufficient = () => new ApiError(-2010, "Account has insufficient balance for requested action.");

/** The spot engine of one emulator. */
export class SpotEngine {
  readonly orders: Map<number, SpotOrder> = new Map();
  /** Orders not final yet, for the scans per step and per request. */
  readonly #active = new ActiveOrders<SpotOrder>((o) => TERMINAL.has(o.status));
  readonly trades: SpotTrade[] = [];
  #nextOrderId: number;
  #nextListId = 10_000;
  readonly #accounts: ReadonlyMap<string, SpotAccount>;
  readonly #find: (s: string) => Market | undefined;
  readonly #emit: (apiKey: string, event: Json) => void;
  readonly #now: () => number;
  /** Caps the quantity one execution of a user order may fill (the `partialFill` fault). */
  fillCap: ((m: Market, qty: number) => number) | undefined;

  /**
   * Creates the engine. `emit` delivers user-data events of an account. The margin engine is a
   * second instance over the margin accounts, numbering its orders from `firstOrderId`.
   */
  constructor(
    accounts: ReadonlyMap<string, SpotAccount>,
    find: (symbol: string) => Market | undefined,
    emit: (apiKey: string, event: Json) => void,
    now: () => number,
    firstOrderId = 1_000_001,
  ) {
    this.#nextOrderId = firstOrderId;
    this.#accounts = accounts;
    this.#find = find;
    this.#emit = emit;
    this.#now = now;
  }

  /** The market of a symbol, if simulated. */
  market(symbol: string): Market | undefined {
    return this.#find(symbol);
  }

  /** The account of an API key (the caller has authenticated it). */
  account(apiKey: string): SpotAccount {
    return this.#accounts.get(apiKey)!;
  }

  #report(
    o: SpotOrder,
    x: string,
    fill?: { price: number; qty: number; tradeId: number; maker: boolean },
  ): void {
    const m = this.#find(o.symbol)!;
    const E = this.#now();
    const ev: Record<string, Json> = {
      e: "executionReport",
      E,
      s: o.symbol,
      c: o.clientOrderId,
      S: o.side,
      o: o.type,
      f: o.timeInForce,
      q: fmtQty(m, o.origQty),
      p: fmtPrice(m, o.price),
      P: fmtPrice(m, o.stopPrice),
      F: "0.00000000",
      g: o.orderListId,
      C: "",
      x,
      X: o.status,
      r: "NONE",
      i: o.orderId,
      l: fill ? fmtQty(m, fill.qty) : "0.00000000",
      z: fmtQty(m, o.executed),
      L: fill ? fmtPrice(m, fill.price) : "0.00000000",
      n: "0",
      N: null,
      T: E,
      t: fill ? fill.tradeId : -1,
      I: E,
      w: o.working && !TERMINAL.has(o.status),
      m: fill?.maker ?? false,
      M: false,
      O: o.time,
      Z: o.cumQuote.toFixed(8),
      Y: fill
        ? dec(fill.price, m.spec.priceDecimals).times(dec(fill.qty, m.spec.qtyDecimals)).toFixed(8)
        : "0.00000000",
      Q: o.origQuoteOrderQty.toFixed(8),
      V: "EXPIRE_MAKER",
    };
    if (o.working) ev.W = o.workingTime;
    if (o.trailingDelta > 0) ev.d = o.trailingDelta;
    if (o.trailingTime >= 0) ev.D = o.trailingTime;
    this.#emit(o.apiKey, ev);
  }

  #position(apiKey: string): void {
    const ev = this.account(apiKey).takePosition(this.#now());
    if (ev) this.#emit(apiKey, ev);
  }

  #release(o: SpotOrder): void {
    if (o.locked.isZero()) return;
    this.account(o.apiKey).lock(o.lockAsset, o.locked.neg());
    o.locked = new Decimal(0);
  }

  #fill(o: SpotOrder, m: Market, price: number, qty: number, tradeId: number, maker: boolean): void {
    const acc = this.account(o.apiKey);
    const p = dec(price, m.spec.priceDecimals);
    const q = dec(qty, m.spec.qtyDecimals);
    const quote = p.times(q);
    const { baseAsset, quoteAsset } = m.spec;
    if (o.side === "BUY") {
      acc.addFree(baseAsset, q);
      if (o.locked.gt(0)) {
        const l = Decimal.min(o.locked, o.lockPrice.times(q));
        acc.spendLocked(quoteAsset, l);
        o.locked = o.locked.minus(l);
        acc.addFree(quoteAsset, l.minus(quote));
      } else acc.addFree(quoteAsset, quote.neg());
    } else {
      if (o.locked.gt(0)) {
        const l = Decimal.min(o.locked, q);
        acc.spendLocked(baseAsset, l);
        o.locked = o.locked.minus(l);
        acc.addFree(baseAsset, l.minus(q));
      } else acc.addFree(baseAsset, q.neg());
      acc.addFree(quoteAsset, quote);
    }
    o.executed += qty;
    o.cumQuote = o.cumQuote.plus(quote);
    o.status = o.executed >= o.origQty && o.origQty > 0 ? "FILLED" : "PARTIALLY_FILLED";
    o.updateTime = this.#now();
    this.trades.push({
      symbol: o.symbol,
      id: tradeId,
      orderId: o.orderId,
      orderListId: o.orderListId,
      price: fmtPrice(m, price),
      qty: fmtQty(m, qty),
      quoteQty: quote.toFixed(8),
      time: o.updateTime,
      isBuyer: o.side === "BUY",
      isMaker: maker,
      apiKey: o.apiKey,
    });
    if (o.status === "FILLED") this.#release(o);
    this.#report(o, "TRADE", { price, qty, tradeId, maker });
  }

  /** Ends the other legs of an order list once one leg executes. */
  #expireSiblings(o: SpotOrder): void {
    if (o.orderListId < 0) return;
    let expired = 0;
    for (const s of this.#active.list()) {
      if (s.orderListId !== o.orderListId || s === o || TERMINAL.has(s.status)) continue;
      expired++;
      s.status = "EXPIRED";
      s.updateTime = this.#now();
      this.#release(s);
      this.#report(s, "EXPIRED");
    }
    if (expired === 0) return;
    const m = this.#find(o.symbol)!;
    this.#emit(o.apiKey, this.#listStatus(o.orderListId, m, "ALL_DONE", "ALL_DONE"));
  }

  #listStatus(listId: number, m: Market, type: string, status: string): Json {
    const legs = [...this.orders.values()].filter((x) => x.orderListId === listId);
    return {
      e: "listStatus",
      E: this.#now(),
      s: m.spec.symbol,
      g: listId,
      c: "OCO",
      l: type,
      L: status,
      r: "NONE",
      C: `list${listId}`,
      T: this.#now(),
      O: legs.map((x) => ({ s: x.symbol, i: x.orderId, c: x.clientOrderId })),
    };
  }

  /** Executes an order as taker up to its limit; returns the fills. */
  #take(
    o: SpotOrder,
    m: Market,
    qty: number,
    limit?: number,
  ): Array<{ price: number; qty: number; tradeId: number }> {
    const fills = m.take(o.side, qty, { limit, time: this.#now() });
    if (fills.length > 0) this.#expireSiblings(o);
    for (const f of fills) this.#fill(o, m, f.price, f.qty, f.tradeId, false);
    return fills;
  }

  #bookQty(m: Market, side: "BUY" | "SELL", limit?: number): number {
    let n = 0;
    for (const [t, q] of (side === "BUY" ? m.asks : m.bids).top(5000)) {
      if (limit !== undefined && (side === "BUY" ? t > limit : t < limit)) break;
      n += q;
    }
    return n;
  }

  #costOf(m: Market, qty: number): Decimal {
    let left = qty;
    let cost = new Decimal(0);
    for (const [t, q] of m.asks.top(5000)) {
      const take = Math.min(left, q);
      cost = cost.plus(dec(t, m.spec.priceDecimals).times(dec(take, m.spec.qtyDecimals)));
      left -= take;
      if (left <= 0) break;
    }
    return cost;
  }

  #qtyForQuote(m: Market, quote: Decimal): number {
    let left = quote;
    let qty = 0;
    for (const [t, q] of m.asks.top(5000)) {
      const p = dec(t, m.spec.priceDecimals);
      const maxUnits = left.div(p).times(new Decimal(10).pow(m.spec.qtyDecimals)).floor().toNumber();
      const steps = Math.floor(Math.min(q, maxUnits) / m.spec.stepUnits) * m.spec.stepUnits;
      qty += steps;
      left = left.minus(p.times(dec(steps, m.spec.qtyDecimals)));
      if (steps < q) break;
    }
    return qty;
  }

  /**
   * `POST /api/v3/order` (and `order/test`, WebSocket `order.place`).
   *
   * @throws {ApiError} with Binance's codes on any validation or balance failure
   */
  place(
    apiKey: string,
    p: Params,
    opts: { readonly test?: boolean; readonly listId?: number; readonly noLock?: boolean } = {},
  ): Json {
    const m = marketOf(this.#find, p);
    const side = sideOf(p);
    const type = oneOf(p, "type", TYPES, -1116, "Invalid orderType.");
    const limitLike = type === "LIMIT" || type === "LIMIT_MAKER" || type.endsWith("_LIMIT");
    const stop = type.startsWith("STOP_LOSS") || type.startsWith("TAKE_PROFIT");
    const tif = limitLike && type !== "LIMIT_MAKER"
      ? oneOf(p, "timeInForce", ["GTC", "IOC", "FOK"], -1115, "Invalid timeInForce.")
      : "GTC";
    const price = limitLike ? amount(m, p, "price", "price") : 0;
    const trailingDelta = trailingDeltaOf(p, stop);
    // a trailing stop may omit stopPrice (then it tracks from placement)
    const stopPrice = stop && (trailingDelta === 0 || p.get("stopPrice") !== null)
      ? amount(m, p, "stopPrice", "price")
      : 0;
    const quoteText = p.get("quoteOrderQty");
    let qty = 0;
    let quoteQty = new Decimal(0);
    if (type === "MARKET" && quoteText !== null && p.get("quantity") === null) {
      if (!/^\d{1,20}(\.\d{1,20})?$/.test(quoteText)) {
        throw new ApiError(
          -1100,
          "Illegal characters found in parameter 'quoteOrderQty'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.",
        );
      }
      quoteQty = new Decimal(quoteText);
    } else qty = amount(m, p, "quantity", "qty");
    const last = dec(m.lastPrice, m.spec.priceDecimals);
    const refPrice = limitLike
      ? dec(price, m.spec.priceDecimals)
      : stop && stopPrice > 0
      ? dec(stopPrice, m.spec.priceDecimals)
      : last;
    const notional = qty > 0 ? refPrice.times(dec(qty, m.spec.qtyDecimals)) : quoteQty;
    if (notional.lt(m.spec.minNotional)) throw filterFailure(m, "NOTIONAL");
    if (limitLike && (refPrice.gt(last.times(5)) || refPrice.lt(last.times(0.2)))) {
      throw filterFailure(m, "PERCENT_PRICE_BY_SIDE");
    }
    const clientOrderId = p.get("newClientOrderId") ??
      `emu${this.#nextOrderId.toString(36)}${Math.floor(this.#now() % 1e6)}`;
    if (!/^[a-zA-Z0-9-_.]{1,36}$/.test(clientOrderId)) {
      throw new ApiError(
        -1100,
        "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[a-zA-Z0-9-_.]{1,36}$'.",
      );
    }
    for (const o of this.#active.list()) {
      if (o.apiKey === apiKey && o.clientOrderId === clientOrderId && !TERMINAL.has(o.status)) {
        throw new ApiError(-2010, "Duplicate order sent.");
      }
    }
    const lastTick = m.lastPrice;
    if (stop && trailingDelta === 0 && stopConditionMet(type, side, lastTick, stopPrice)) {
      throw new ApiError(-2010, "Order would trigger immediately.");
    }
    if (type === "LIMIT_MAKER") {
      const best = side === "BUY" ? m.asks.best() : m.bids.best();
      if (best !== undefined && (side === "BUY" ? best <= price : best >= price)) {
        throw new ApiError(-2010, "Order would immediately match and take.");
      }
    }
    if (opts.test) return {};
    const acc = this.account(apiKey);
    const { baseAsset, quoteAsset } = m.spec;
    let lockAsset = side === "BUY" ? quoteAsset : baseAsset;
    let lockAmount = new Decimal(0);
    let lockPrice = new Decimal(0);
    if (side === "SELL") {
      lockAmount = dec(qty, m.spec.qtyDecimals);
      if (acc.get(baseAsset).free.lt(lockAmount)) throw insufficient();
      if (type === "MARKET") lockAmount = new Decimal(0);
    } else if (type === "MARKET") {
      const cost = qty > 0 ? this.#costOf(m, qty) : quoteQty;
      if (acc.get(quoteAsset).free.lt(cost)) throw insufficient();
    } else {
      // a BUY trailing stop without stopPrice locks at the price it would trigger at from here
      const stopRef = stopPrice > 0 ? stopPrice : Math.ceil(lastTick * (10_000 + trailingDelta) / 10_000);
      lockPrice = dec(limitLike ? price : stopRef, m.spec.priceDecimals);
      lockAmount = lockPrice.times(dec(qty, m.spec.qtyDecimals));
      if (acc.get(quoteAsset).free.lt(lockAmount)) throw insufficient();
    }
    if (opts.noLock) {
      lockAmount = new Decimal(0);
      lockAsset = "";
    }
    const now = this.#now();
    const o: SpotOrder = {
      apiKey,
      symbol: m.spec.symbol,
      orderId: this.#nextOrderId++,
      orderListId: opts.listId ?? -1,
      clientOrderId,
      side,
      type,
      timeInForce: tif,
      price,
      stopPrice,
      origQty: qty,
      origQuoteOrderQty: quoteQty,
      executed: 0,
      cumQuote: new Decimal(0),
      status: "NEW",
      time: now,
      updateTime: now,
      working: !stop,
      workingTime: stop ? -1 : now,
      lockAsset,
      locked: new Decimal(0),
      lockPrice,
      trailingDelta,
      trailingTime: -1,
      extreme: 0,
    };
    // without stopPrice (or with its condition already met) tracking starts now
    if (trailingDelta > 0) trailStep(o, o, lastTick, now);
    if (lockAmount.gt(0)) {
      acc.lock(lockAsset, lockAmount);
      o.locked = lockAmount;
    }
    this.orders.set(o.orderId, o);
    this.#active.add(o);
    this.#report(o, "NEW");
    const fills = o.working ? this.#execute(o, m) : [];
    this.#position(apiKey);
    return this.#response(
      o,
      m,
      p.get("newOrderRespType") ?? (type === "MARKET" || type === "LIMIT" ? "FULL" : "ACK"),
      fills,
    );
  }

  /** Taker phase of a working order (placement or trigger). */
  #execute(o: SpotOrder, m: Market): Array<{ price: number; qty: number; tradeId: number }> {
    if (o.type === "LIMIT_MAKER") return [];
    const marketLike = o.type === "MARKET" || o.type === "STOP_LOSS" || o.type === "TAKE_PROFIT";
    const limit = marketLike ? undefined : o.price;
    if (o.timeInForce === "FOK" && this.#bookQty(m, o.side, limit) < o.origQty) {
      o.status = "EXPIRED";
      this.#release(o);
      this.#report(o, "EXPIRED");
      return [];
    }
    const qty = o.origQty > 0 ? o.origQty - o.executed : this.#qtyForQuote(m, o.origQuoteOrderQty);
    if (o.origQty === 0) (o as { origQty: number }).origQty = qty;
    const fills = qty > 0 ? this.#take(o, m, this.fillCap?.(m, qty) ?? qty, limit) : [];
    if (o.status !== "FILLED" && (marketLike || o.timeInForce !== "GTC")) {
      o.status = "EXPIRED";
      this.#release(o);
      this.#report(o, "EXPIRED");
    }
    return fills;
  }

  #response(
    o: SpotOrder,
    m: Market,
    respType: string,
    fills: Array<{ price: number; qty: number; tradeId: number }>,
  ): Json {
    const ack = {
      symbol: o.symbol,
      orderId: o.orderId,
      orderListId: o.orderListId,
      clientOrderId: o.clientOrderId,
      transactTime: o.time,
    };
    if (respType === "ACK") return ack;
    const result: Record<string, Json> = {
      ...ack,
      price: fmtPrice(m, o.price),
      origQty: fmtQty(m, o.origQty),
      executedQty: fmtQty(m, o.executed),
      origQuoteOrderQty: o.origQuoteOrderQty.toFixed(8),
      cummulativeQuoteQty: o.cumQuote.toFixed(8),
      status: o.status,
      timeInForce: o.timeInForce,
      type: o.type,
      side: o.side,
    };
    if (o.stopPrice > 0) result.stopPrice = fmtPrice(m, o.stopPrice);
    if (o.working) result.workingTime = o.workingTime;
    if (o.trailingDelta > 0) {
      Object.assign(result, { trailingDelta: o.trailingDelta, trailingTime: o.trailingTime });
    }
    result.selfTradePreventionMode = "EXPIRE_MAKER";
    if (respType === "FULL") {
      result.fills = fills.map((f) => ({
        price: fmtPrice(m, f.price),
        qty: fmtQty(m, f.qty),
        commission: "0.00000000",
        commissionAsset: o.side === "BUY" ? m.spec.baseAsset : m.spec.quoteAsset,
        tradeId: f.tradeId,
      }));
    }
    return result;
  }

  /** Finds an order by `orderId` or `origClientOrderId` (-1102 / -2013). */
  find(apiKey: string, p: Params): SpotOrder {
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

  /** `GET /api/v3/order` shape. */
  orderJson(o: SpotOrder): Json {
    const m = this.#find(o.symbol)!;
    return {
      symbol: o.symbol,
      orderId: o.orderId,
      orderListId: o.orderListId,
      clientOrderId: o.clientOrderId,
      price: fmtPrice(m, o.price),
      origQty: fmtQty(m, o.origQty),
      executedQty: fmtQty(m, o.executed),
      cummulativeQuoteQty: o.cumQuote.toFixed(8),
      status: o.status,
      timeInForce: o.timeInForce,
      type: o.type,
      side: o.side,
      stopPrice: fmtPrice(m, o.stopPrice),
      icebergQty: "0.00000000",
      time: o.time,
      updateTime: o.updateTime,
      isWorking: o.working,
      workingTime: o.workingTime,
      origQuoteOrderQty: o.origQuoteOrderQty.toFixed(8),
      ...(o.trailingDelta > 0 ? { trailingDelta: o.trailingDelta, trailingTime: o.trailingTime } : {}),
      selfTradePreventionMode: "EXPIRE_MAKER",
    };
  }

  /** `DELETE /api/v3/order`. */
  cancel(apiKey: string, p: Params): Json {
    const o = this.find(apiKey, p);
    if (TERMINAL.has(o.status)) throw new ApiError(-2011, "Unknown order sent.");
    const origClientOrderId = o.clientOrderId;
    o.status = "CANCELED";
    o.updateTime = this.#now();
    this.#release(o);
    this.#report(o, "CANCELED");
    this.#position(apiKey);
    const m = this.#find(o.symbol)!;
    return {
      symbol: o.symbol,
      origClientOrderId,
      orderId: o.orderId,
      orderListId: o.orderListId,
      clientOrderId: p.get("newClientOrderId") ?? `cancel${o.orderId}`,
      transactTime: o.updateTime,
      price: fmtPrice(m, o.price),
      origQty: fmtQty(m, o.origQty),
      executedQty: fmtQty(m, o.executed),
      origQuoteOrderQty: o.origQuoteOrderQty.toFixed(8),
      cummulativeQuoteQty: o.cumQuote.toFixed(8),
      status: o.status,
      timeInForce: o.timeInForce,
      type: o.type,
      side: o.side,
      selfTradePreventionMode: "EXPIRE_MAKER",
    };
  }

  /** Open orders of an account (optionally one symbol). */
  open(apiKey: string, symbol?: string): SpotOrder[] {
    return this.#active.list().filter((o) =>
      o.apiKey === apiKey && (symbol === undefined || o.symbol === symbol)
    );
  }

  /** `POST /api/v3/orderList/oco`: two legs sharing one lock; when one executes the other expires. */
  placeOco(apiKey: string, p: Params): Json {
    const m = marketOf(this.#find, p);
    const listId = this.#nextListId++;
    const leg = (pos: "above" | "below", noLock: boolean): Json => {
      const o: Record<string, string> = {
        symbol: m.spec.symbol,
        side: need(p, "side"),
        quantity: need(p, "quantity"),
        type: need(p, `${pos}Type`),
      };
      for (
        const [k, n] of [["Price", "price"], ["StopPrice", "stopPrice"], ["TrailingDelta", "trailingDelta"], [
          "TimeInForce",
          "timeInForce",
        ], [
          "ClientOrderId",
          "newClientOrderId",
        ]]
      ) {
        const v = p.get(`${pos}${k}`);
        if (v !== null) o[n] = v;
      }
      o.newOrderRespType = "RESULT";
      return this.place(apiKey, { get: (k) => o[k] ?? null }, { listId, noLock });
    };
    const above = leg("above", false);
    const below = leg("below", true);
    const E = this.#now();
    this.#emit(apiKey, this.#listStatus(listId, m, "EXEC_STARTED", "EXECUTING"));
    const legs = [above, below] as Array<Record<string, Json>>;
    return {
      orderListId: listId,
      contingencyType: "OCO",
      listStatusType: "EXEC_STARTED",
      listOrderStatus: "EXECUTING",
      listClientOrderId: p.get("listClientOrderId") ?? `list${listId}`,
      transactionTime: E,
      symbol: m.spec.symbol,
      orders: legs.map((l) => ({ symbol: l.symbol, orderId: l.orderId, clientOrderId: l.clientOrderId })),
      orderReports: legs,
    };
  }

  /** After each simulator step: triggers stops and fills resting orders the market crossed. */
  afterStep(m: Market): void {
    const touched = new Set<string>();
    for (const o of this.#active.list()) {
      if (o.symbol !== m.spec.symbol || TERMINAL.has(o.status) || m.spec.market !== "spot") continue;
      if (!o.working) {
        const fires = o.trailingDelta > 0
          ? trailStep(o, o, m.lastPrice, this.#now())
          : stopConditionMet(o.type, o.side, m.lastPrice, o.stopPrice);
        if (!fires) continue;
        // trigger on the last trade price; the order becomes working (w/W in executionReport)
        this.#expireSiblings(o);
        o.working = true;
        o.workingTime = this.#now();
        this.#report(o, "NEW");
        if (o.side === "SELL" && o.locked.isZero()) {
          const q = dec(o.origQty, m.spec.qtyDecimals);
          if (this.account(o.apiKey).get(m.spec.baseAsset).free.lt(q)) {
            o.status = "EXPIRED";
            this.#report(o, "EXPIRED");
            continue;
          }
          this.account(o.apiKey).lock(m.spec.baseAsset, q);
          o.locked = q;
          (o as { lockAsset: string }).lockAsset = m.spec.baseAsset;
        }
        this.#execute(o, m);
        touched.add(o.apiKey);
        continue;
      }
      const best = o.side === "BUY" ? m.asks.best() : m.bids.best();
      if (best === undefined || (o.side === "BUY" ? best > o.price : best < o.price)) continue;
      // a resting order the market moved through fills as maker at its own price
      const left = o.origQty - o.executed;
      const fills = m.take(o.side, this.fillCap?.(m, left) ?? left, {
        limit: o.price,
        price: o.price,
        time: this.#now(),
      });
      if (fills.length > 0) this.#expireSiblings(o);
      for (const f of fills) this.#fill(o, m, f.price, f.qty, f.tradeId, true);
      if (fills.length > 0) touched.add(o.apiKey);
    }
    for (const k of touched) this.#position(k);
  }
}
