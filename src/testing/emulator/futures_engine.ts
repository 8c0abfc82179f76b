/**
 * The USDⓈ-M matching engine (one-way mode, cross margin): LIMIT and MARKET orders with
 * `reduceOnly`, positions with entry price and realised PnL, margin checks, and the listenKey
 * events `ORDER_TRADE_UPDATE` and `ACCOUNT_UPDATE`. Slightly over 400 lines: one state machine,
 * kept in one place like the spot engine.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { ApiError } from "./api_error.ts";
import type { Market } from "./market.ts";
import { amount, filterFailure, marketOf, oneOf, type Params, sideOf } from "./order_params.ts";
import { fmtPrice, fmtQty, type Json } from "./payloads.ts";

type Status = "NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED" | "EXPIRED";

/** One USD-M order. */
export interface FuturesOrder {
  readonly apiKey: string;
  readonly symbol: string;
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly side: "BUY" | "SELL";
  readonly type: "LIMIT" | "MARKET";
  readonly timeInForce: string;
  readonly price: number;
  readonly origQty: number;
  readonly reduceOnly: boolean;
  executed: number;
  cumQuote: Decimal;
  status: Status;
  readonly time: number;
  updateTime: number;
}

interface Position {
  amt: Decimal;
  entry: Decimal;
}

/** A USD-M account: wallet balances by margin asset and positions by symbol. */
export interface FuturesAccount {
  readonly apiKey: string;
  readonly wallet: Map<string, Decimal>;
  readonly positions: Map<string, Position>;
  readonly leverage: number;
}

const dec = (units: number, decimals: number): Decimal =>
  new Decimal(units).div(new Decimal(10).pow(decimals));
const TERMINAL: ReadonlySet<Status> = new Set(["FILLED", "CANCELED", "EXPIRED"]);

/** The USD-M engine. */
export class FuturesEngine {
  readonly orders: Map<number, FuturesOrder> = new Map();
  readonly trades: Json[] = [];
  #nextOrderId = 4_000_000_001;
  readonly #accounts: ReadonlyMap<string, FuturesAccount>;
  readonly #find: (s: string) => Market | undefined;
  readonly #emit: (apiKey: string, event: Json) => void;
  readonly #now: () => number;

  /** Creates the engine; `emit` delivers listenKey events of an account. */
  constructor(
    accounts: ReadonlyMap<string, FuturesAccount>,
    find: (symbol: string) => Market | undefined,
    emit: (apiKey: string, event: Json) => void,
    now: () => number,
  ) {
    this.#accounts = accounts;
    this.#find = find;
    this.#emit = emit;
    this.#now = now;
  }

  /** The account of an API key. */
  account(apiKey: string): FuturesAccount {
    return this.#accounts.get(apiKey)!;
  }

  #pos(acc: FuturesAccount, symbol: string): Position {
    let p = acc.positions.get(symbol);
    if (!p) acc.positions.set(symbol, p = { amt: new Decimal(0), entry: new Decimal(0) });
    return p;
  }

  #mark(m: Market): Decimal {
    return dec(m.lastPrice, m.spec.priceDecimals);
  }

  /** Margin in use by positions and open orders, and unrealised PnL, of a margin asset. */
  #usage(acc: FuturesAccount, asset: string): { used: Decimal; upnl: Decimal } {
    let used = new Decimal(0);
    let upnl = new Decimal(0);
    for (const [s, p] of acc.positions) {
      const m = this.#find(s);
      if (!m || m.spec.quoteAsset !== asset || p.amt.isZero()) continue;
      used = used.plus(p.amt.abs().times(this.#mark(m)).div(acc.leverage));
      upnl = upnl.plus(this.#mark(m).minus(p.entry).times(p.amt));
    }
    for (const o of this.orders.values()) {
      const m = this.#find(o.symbol)!;
      if (o.apiKey !== acc.apiKey || TERMINAL.has(o.status) || o.reduceOnly || m.spec.quoteAsset !== asset) {
        continue;
      }
      used = used.plus(
        dec(o.price, m.spec.priceDecimals).times(dec(o.origQty - o.executed, m.spec.qtyDecimals)).div(
          acc.leverage,
        ),
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
      ? o.cumQuote.div(dec(o.executed, m.spec.qtyDecimals)).toFixed(m.spec.priceDecimals)
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
        N: m.spec.quoteAsset,
        T: E,
        t: fill ? fill.tradeId : 0,
        b: "0",
        a: "0",
        m: fill?.maker ?? false,
        R: o.reduceOnly,
        wt: "CONTRACT_PRICE",
        ot: o.type,
        ps: "BOTH",
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

  #accountUpdate(acc: FuturesAccount, m: Market): void {
    const E = this.#now();
    const asset = m.spec.quoteAsset;
    const wb = acc.wallet.get(asset) ?? new Decimal(0);
    const p = this.#pos(acc, m.spec.symbol);
    this.#emit(acc.apiKey, {
      e: "ACCOUNT_UPDATE",
      T: E,
      E,
      a: {
        m: "ORDER",
        B: [{ a: asset, wb: wb.toFixed(8), cw: wb.toFixed(8), bc: "0" }],
        P: [{
          s: m.spec.symbol,
          pa: p.amt.toFixed(m.spec.qtyDecimals),
          ep: p.entry.toFixed(8),
          bep: p.entry.toFixed(8),
          cr: "0",
          up: this.#mark(m).minus(p.entry).times(p.amt).toFixed(8),
          mt: "cross",
          iw: "0",
          ps: "BOTH",
        }],
      },
    });
  }

  #fill(o: FuturesOrder, m: Market, price: number, qty: number, tradeId: number, maker: boolean): void {
    const acc = this.account(o.apiKey);
    const p = dec(price, m.spec.priceDecimals);
    const q = dec(qty, m.spec.qtyDecimals);
    const signed = o.side === "BUY" ? q : q.neg();
    const pos = this.#pos(acc, o.symbol);
    let rp = new Decimal(0);
    if (pos.amt.isZero() || pos.amt.isPositive() === signed.isPositive()) {
      const total = pos.amt.abs().plus(q);
      pos.entry = pos.entry.times(pos.amt.abs()).plus(p.times(q)).div(total);
      pos.amt = pos.amt.plus(signed);
    } else {
      const closing = Decimal.min(q, pos.amt.abs());
      rp = p.minus(pos.entry).times(closing).times(pos.amt.isPositive() ? 1 : -1);
      const asset = m.spec.quoteAsset;
      acc.wallet.set(asset, (acc.wallet.get(asset) ?? new Decimal(0)).plus(rp));
      const before = pos.amt;
      pos.amt = pos.amt.plus(signed);
      if (pos.amt.isZero()) pos.entry = new Decimal(0);
      else if (pos.amt.isPositive() !== before.isPositive()) pos.entry = p;
    }
    o.executed += qty;
    o.cumQuote = o.cumQuote.plus(p.times(q));
    o.status = o.executed >= o.origQty ? "FILLED" : "PARTIALLY_FILLED";
    o.updateTime = this.#now();
    this.trades.push({
      symbol: o.symbol,
      id: tradeId,
      orderId: o.orderId,
      side: o.side,
      price: fmtPrice(m, price),
      qty: fmtQty(m, qty),
      realizedPnl: rp.toFixed(8),
      quoteQty: p.times(q).toFixed(8),
      commission: "0",
      commissionAsset: m.spec.quoteAsset,
      time: o.updateTime,
      positionSide: "BOTH",
      buyer: o.side === "BUY",
      maker,
      apiKey: o.apiKey,
    } as Json);
    this.#report(o, m, "TRADE", { price, qty, tradeId, maker, rp });
    this.#accountUpdate(acc, m);
  }

  /**
   * `POST /fapi/v1/order` (WebSocket `order.place`).
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
    const reduceOnly = (p.get("reduceOnly") ?? "false").toLowerCase() === "true";
    const acc = this.account(apiKey);
    const ref = type === "LIMIT" ? dec(price, m.spec.priceDecimals) : this.#mark(m);
    const notional = ref.times(dec(qty, m.spec.qtyDecimals));
    if (!reduceOnly && notional.lt(m.spec.minNotional)) throw filterFailure(m, "MIN_NOTIONAL");
    const pos = this.#pos(acc, m.spec.symbol);
    if (reduceOnly && (pos.amt.isZero() || pos.amt.isPositive() === (side === "BUY"))) {
      throw new ApiError(-2022, "ReduceOnly Order is rejected.");
    }
    if (!reduceOnly) {
      const asset = m.spec.quoteAsset;
      const { used, upnl } = this.#usage(acc, asset);
      const avail = (acc.wallet.get(asset) ?? new Decimal(0)).plus(upnl).minus(used);
      if (avail.lt(notional.div(acc.leverage))) throw new ApiError(-2019, "Margin is insufficient.");
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
      type,
      timeInForce: tif,
      price,
      origQty: qty,
      reduceOnly,
      executed: 0,
      cumQuote: new Decimal(0),
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

  /** Futures order JSON (response and query shape). */
  orderJson(o: FuturesOrder): Json {
    const m = this.#find(o.symbol)!;
    const q = dec(o.executed, m.spec.qtyDecimals);
    return {
      orderId: o.orderId,
      symbol: o.symbol,
      status: o.status,
      clientOrderId: o.clientOrderId,
      price: fmtPrice(m, o.price),
      avgPrice: o.executed > 0 ? o.cumQuote.div(q).toFixed(m.spec.priceDecimals) : "0.00",
      origQty: fmtQty(m, o.origQty),
      executedQty: fmtQty(m, o.executed),
      cumQty: fmtQty(m, o.executed),
      cumQuote: o.cumQuote.toFixed(8),
      timeInForce: o.timeInForce,
      type: o.type,
      reduceOnly: o.reduceOnly,
      closePosition: false,
      side: o.side,
      positionSide: "BOTH",
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

  /** `GET /fapi/v2/balance` body. */
  balances(apiKey: string): Json {
    const acc = this.account(apiKey);
    return [...acc.wallet].map(([asset, wb]) => {
      const { used, upnl } = this.#usage(acc, asset);
      return {
        accountAlias: "emu",
        asset,
        balance: wb.toFixed(8),
        crossWalletBalance: wb.toFixed(8),
        crossUnPnl: upnl.toFixed(8),
        availableBalance: wb.plus(upnl).minus(used).toFixed(8),
        maxWithdrawAmount: wb.minus(used).toFixed(8),
        marginAvailable: true,
        updateTime: this.#now(),
      };
    });
  }

  /** `GET /fapi/v2/account` body (abridged to the fields clients read). */
  accountJson(apiKey: string): Json {
    const acc = this.account(apiKey);
    const assets = this.balances(apiKey) as Array<Record<string, Json>>;
    const positions = [...acc.positions].map(([s, p]) => {
      const m = this.#find(s)!;
      return {
        symbol: s,
        positionAmt: p.amt.toFixed(m.spec.qtyDecimals),
        entryPrice: p.entry.toFixed(8),
        unrealizedProfit: this.#mark(m).minus(p.entry).times(p.amt).toFixed(8),
        leverage: String(acc.leverage),
        positionSide: "BOTH",
        isolated: false,
        updateTime: this.#now(),
      };
    });
    const total = assets.reduce((s, a) => s.plus(a.balance as string), new Decimal(0));
    return {
      feeTier: 0,
      canTrade: true,
      canDeposit: true,
      canWithdraw: true,
      updateTime: this.#now(),
      multiAssetsMargin: false,
      totalWalletBalance: total.toFixed(8),
      availableBalance: assets.reduce((s, a) => s.plus(a.availableBalance as string), new Decimal(0)).toFixed(
        8,
      ),
      assets: assets.map((a) => ({
        asset: a.asset,
        walletBalance: a.balance,
        unrealizedProfit: a.crossUnPnl,
        availableBalance: a.availableBalance,
      })),
      positions,
    };
  }

  /** After each simulator step: fills resting limit orders the market crossed (maker, own price). */
  afterStep(m: Market): void {
    if (m.spec.market !== "usdm") return;
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
