/**
 * The futures matching engine, one instance per venue: USDⓈ-M (linear) and COIN-M (inverse)
 * share every rule here; only the contract arithmetic in `futures_account.ts` differs. LIMIT and
 * MARKET orders with `reduceOnly` and GTX post-only, one-way or hedge positions with entry price
 * and realised PnL, margin checks at the symbol's leverage, and the listenKey events
 * `ORDER_TRADE_UPDATE` and `ACCOUNT_UPDATE`. Slightly over 400 lines: one state machine, kept in
 * one place like the spot engine.
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
import { amount, filterFailure, marketOf, oneOf, type Params, sideOf } from "./order_params.ts";
import { fmtPrice, fmtQty, type Json } from "./payloads.ts";

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
  readonly type: "LIMIT" | "MARKET";
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
}

const TERMINAL: ReadonlySet<Status> = new Set(["FILLED", "CANCELED", "EXPIRED"]);

/** The futures engine of one venue. */
export class FuturesEngine {
  readonly venue: "usdm" | "coinm";
  readonly orders: Map<number, FuturesOrder> = new Map();
  readonly trades: Json[] = [];
  #nextOrderId: number;
  #nextTranId: number;
  readonly #accounts: ReadonlyMap<string, FuturesAccount>;
  readonly #find: (s: string) => Market | undefined;
  readonly #emit: (apiKey: string, event: Json) => void;
  readonly #now: () => number;

  readonly #list: () => Market[];

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
    for (const o of this.orders.values()) {
      const m = this.#find(o.symbol)!;
      if (o.apiKey !== acc.apiKey || TERMINAL.has(o.status) || o.closing || m.spec.marginAsset !== asset) {
        continue;
      }
      const left = dec(o.origQty - o.executed, m.spec.qtyDecimals);
      used = used.plus(
        notional(m, dec(o.price, m.spec.priceDecimals), left).div(this.leverageOf(acc, o.symbol)),
      );
    }
    return { used, upnl };
  }

  #report(
    o: FuturesOrder,
    m: Market,
    x: string,
    fill?: { price: number; qty: number; tradeId: number; maker: boolean; rp: Decimal },
  ): void {
    const E = this.#now();
    const avg = o.executed > 0
      ? o.cumPriceQty.div(dec(o.executed, m.spec.qtyDecimals)).toFixed(m.spec.priceDecimals)
      : "0";
    this.#emit(o.apiKey, {
      e: "ORDER_TRADE_UPDATE",
      T: E,
      E,
      o: {
        s: o.symbol,
        c: o.clientOrderId,
        S: o.side,
        o: o.type,
        f: o.timeInForce,
        q: fmtQty(m, o.origQty),
        p: fmtPrice(m, o.price),
        ap: avg,
        sp: "0",
        x,
        X: o.status,
        i: o.orderId,
        l: fill ? fmtQty(m, fill.qty) : "0",
        z: fmtQty(m, o.executed),
        L: fill ? fmtPrice(m, fill.price) : "0",
        n: "0",
        N: m.spec.marginAsset,
        T: E,
        t: fill ? fill.tradeId : 0,
        b: "0",
        a: "0",
        m: fill?.maker ?? false,
        R: o.reduceOnly,
        wt: "CONTRACT_PRICE",
        ot: o.type,
        ps: o.positionSide,
        cp: false,
        rp: fill ? fill.rp.toFixed(8) : "0",
        pP: false,
        si: 0,
        ss: 0,
        V: "EXPIRE_MAKER",
        pm: "NONE",
        gtd: 0,
      },
    });
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
  place(apiKey: string, p: Params): Json {
    const m = marketOf(this.#find, p);
    const side = sideOf(p);
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
      orderId: this.#nextOrderId++,
      clientOrderId: p.get("newClientOrderId") ?? `emu${this.#nextOrderId.toString(36)}`,
      side,
      positionSide: ps,
      type,
      timeInForce: tif,
      price,
      origQty: qty,
      reduceOnly: reduceOnly && ps === "BOTH",
      closing: reduceOnly,
      executed: 0,
      cumQuote: new Decimal(0),
      cumPriceQty: new Decimal(0),
      status: "NEW",
      time: now,
      updateTime: now,
    };
    this.orders.set(o.orderId, o);
    this.#report(o, m, "NEW");
    if (tif !== "GTX") {
      const fills = m.take(side, qty, { limit: type === "LIMIT" ? price : undefined, time: now });
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
    const m = this.#find(o.symbol)!;
    const q = dec(o.executed, m.spec.qtyDecimals);
    const inverse = m.spec.contractSize > 0;
    return {
      orderId: o.orderId,
      symbol: o.symbol,
      ...(inverse ? { pair: m.spec.pair } : {}),
      status: o.status,
      clientOrderId: o.clientOrderId,
      price: fmtPrice(m, o.price),
      avgPrice: o.executed > 0 ? o.cumPriceQty.div(q).toFixed(m.spec.priceDecimals) : "0.00",
      origQty: fmtQty(m, o.origQty),
      executedQty: fmtQty(m, o.executed),
      cumQty: fmtQty(m, o.executed),
      ...(inverse ? { cumBase: o.cumQuote.toFixed(8) } : { cumQuote: o.cumQuote.toFixed(8) }),
      timeInForce: o.timeInForce,
      type: o.type,
      reduceOnly: o.reduceOnly,
      closePosition: false,
      side: o.side,
      positionSide: o.positionSide,
      stopPrice: "0",
      workingType: "CONTRACT_PRICE",
      priceProtect: false,
      origType: o.type,
      priceMatch: "NONE",
      selfTradePreventionMode: "EXPIRE_MAKER",
      goodTillDate: 0,
      time: o.time,
      updateTime: o.updateTime,
    };
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
    return [...this.orders.values()].filter((o) =>
      o.apiKey === apiKey && !TERMINAL.has(o.status) && (symbol === undefined || o.symbol === symbol)
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

  /** After each simulator step: fills resting limit orders the market crossed (maker, own price). */
  afterStep(m: Market): void {
    if (m.spec.market !== this.venue) return;
    for (const o of this.orders.values()) {
      if (o.symbol !== m.spec.symbol || TERMINAL.has(o.status)) continue;
      const best = o.side === "BUY" ? m.asks.best() : m.bids.best();
      if (best === undefined || (o.side === "BUY" ? best > o.price : best < o.price)) continue;
      const fills = m.take(o.side, o.origQty - o.executed, {
        limit: o.price,
        price: o.price,
        time: this.#now(),
      });
      for (const f of fills) this.#fill(o, m, f.price, f.qty, f.tradeId, true);
    }
  }
}
