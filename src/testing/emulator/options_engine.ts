/**
 * User orders on the emulator's options books (`/eapi/v1/order`): LIMIT orders in USDT premium,
 * GTC / IOC / FOK, matched against the simulated book at once and, while they rest, whenever the
 * book moves through their price (filling at their own price). Buying pays the premium from the
 * options wallet; selling to open (a short) locks 15 % of the index per contract as margin
 * (`initialMargin` of exchangeInfo) until the position is closed. Statuses are the options ones:
 * `ACCEPTED`, `PARTIALLY_FILLED`, `FILLED`, `CANCELLED`, `EXPIRED`. Every change reaches the
 * account's options listen-key streams (shapes in `options_events.ts`): `ORDER_TRADE_UPDATE` on
 * placement, each fill, cancellation and expiry; `BALANCE_POSITION_UPDATE` and `ACCOUNT_UPDATE`
 * after each fill and each deposit or withdrawal (`transfer`). Over 400 lines: one state machine
 * with its events, kept in one place like the futures engine.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { ApiError, badSymbol, missingParam } from "./api_error.ts";
import { dec, markPrice } from "./futures_account.ts";
import type { MarketHub } from "./hub.ts";
import type { Market } from "./market.ts";
import type { OptionTerms } from "./options_chain.ts";
import type { Json } from "./payloads.ts";
import { parseUnits } from "./units.ts";
import {
  accountUpdate,
  balancePositionUpdate,
  type OptionsAccountFigures,
  type OptionsOrderReport,
  orderTradeUpdate,
} from "./options_events.ts";

/** Delivers an options user-data event of an account. */
export type OptionsEmit = (apiKey: string, event: Json) => void;

type Fill = NonNullable<OptionsOrderReport["fill"]>;

/** Margin locked per short contract, as a share of the index. */
const SHORT_MARGIN = new Decimal("0.15");
const TERMINAL = new Set(["FILLED", "CANCELLED", "EXPIRED", "REJECTED"]);

/** One options order. */
export interface OptionsOrder {
  readonly orderId: number;
  readonly apiKey: string;
  readonly symbol: string;
  readonly side: "BUY" | "SELL";
  readonly price: number;
  readonly qty: number;
  readonly timeInForce: "GTC" | "IOC" | "FOK";
  readonly reduceOnly: boolean;
  readonly clientOrderId: string;
  readonly createTime: number;
  executed: number;
  quote: Decimal;
  status: string;
  updateTime: number;
  /** Margin held for the short part of the open quantity. */
  held: Decimal;
}

/** One account's options wallet and positions (contracts, + long / − short). */
export interface OptionsAccount {
  balance: Decimal;
  readonly positions: Map<string, { qty: Decimal; cost: Decimal }>;
}

/** The options order engine of one emulator. */
export class OptionsEngine {
  readonly orders: Map<number, OptionsOrder> = new Map();
  readonly #accounts: Map<string, OptionsAccount>;
  readonly #hub: MarketHub;
  readonly #terms: ReadonlyMap<string, OptionTerms>;
  readonly #now: () => number;
  readonly #emit: OptionsEmit;
  #nextId = 1;

  /** Creates the engine over the listed contracts; `emit` delivers the accounts' user-data events. */
  constructor(
    hub: MarketHub,
    terms: ReadonlyMap<string, OptionTerms>,
    accounts: Map<string, OptionsAccount>,
    now: () => number,
    emit: OptionsEmit = () => {},
  ) {
    this.#hub = hub;
    this.#terms = terms;
    this.#accounts = accounts;
    this.#now = now;
    this.#emit = emit;
  }

  /** The account of a configured key. */
  account(apiKey: string): OptionsAccount {
    return this.#accounts.get(apiKey)!;
  }

  /** The contract terms and book of a symbol (-1121 when not listed). */
  market(symbol: string | null): { m: Market; terms: OptionTerms } {
    if (!symbol) throw missingParam("symbol");
    const m = this.#hub.market("options", symbol);
    const terms = this.#terms.get(symbol);
    if (!m || !terms) throw badSymbol();
    return { m, terms };
  }

  /** The index (spot mid) of a contract's underlying. */
  index(terms: OptionTerms): Decimal {
    const u = this.#hub.market("spot", terms.underlying);
    return u ? markPrice(u) : new Decimal(0);
  }

  #margin(terms: OptionTerms, contracts: Decimal): Decimal {
    return this.index(terms).times(SHORT_MARGIN).times(contracts).toDecimalPlaces(8, Decimal.ROUND_UP);
  }

  /** Margin held by open orders and short positions. */
  locked(apiKey: string): Decimal {
    let sum = new Decimal(0);
    for (const o of this.orders.values()) {
      if (o.apiKey === apiKey && !TERMINAL.has(o.status)) sum = sum.plus(o.held);
    }
    for (const [s, p] of this.account(apiKey).positions) {
      if (p.qty.isNeg()) sum = sum.plus(this.#margin(this.#terms.get(s)!, p.qty.neg()));
    }
    return sum;
  }

  /** Premium of open BUY orders. */
  #pendingPremium(apiKey: string): Decimal {
    let sum = new Decimal(0);
    for (const o of this.orders.values()) {
      if (o.apiKey !== apiKey || o.side !== "BUY" || TERMINAL.has(o.status)) continue;
      const m = this.#hub.market("options", o.symbol)!;
      sum = sum.plus(dec(o.price, m.spec.priceDecimals).times(dec(o.qty - o.executed, m.spec.qtyDecimals)));
    }
    return sum;
  }

  /** Free USDT: the balance less held margin and the premium of open buys. */
  available(apiKey: string): Decimal {
    return this.account(apiKey).balance.minus(this.locked(apiKey)).minus(this.#pendingPremium(apiKey));
  }

  /**
   * `POST /eapi/v1/order`: `symbol`, `side`, `type` (LIMIT), `quantity`, `price`, `timeInForce`,
   * `reduceOnly`, `clientOrderId`.
   *
   * @throws {ApiError} -1121, -1116 type, -1102 missing, -1111 precision, -4014 price off tick,
   * -2022 reduce-only would increase, -2018 balance, -4116 duplicate client id
   */
  place(apiKey: string, p: URLSearchParams): Json {
    const { m, terms } = this.market(p.get("symbol"));
    const side = p.get("side");
    if (side !== "BUY" && side !== "SELL") throw new ApiError(-1117, "Invalid side.");
    const type = p.get("type");
    if (!type) throw missingParam("type");
    if (type !== "LIMIT") throw new ApiError(-1116, "Invalid orderType.");
    const tif = p.get("timeInForce") ?? "GTC";
    if (tif !== "GTC" && tif !== "IOC" && tif !== "FOK") throw new ApiError(-1115, "Invalid timeInForce.");
    const qty = this.#units(p, "quantity", m.spec.qtyDecimals, m.spec.stepUnits, -1111);
    const price = this.#units(p, "price", m.spec.priceDecimals, m.spec.tickUnits, -4014);
    const cid = p.get("clientOrderId") ?? `emu${this.#nextId}`;
    for (const o of this.orders.values()) {
      if (o.apiKey === apiKey && o.clientOrderId === cid && !TERMINAL.has(o.status)) {
        throw new ApiError(-4116, "ClientOrderId is duplicated.");
      }
    }
    const acc = this.account(apiKey);
    const pos = acc.positions.get(terms.symbol)?.qty ?? new Decimal(0);
    const q = dec(qty, m.spec.qtyDecimals);
    const reduceOnly = p.get("reduceOnly") === "true";
    const signed = side === "BUY" ? q : q.neg();
    if (reduceOnly && (pos.isZero() || pos.isNeg() === signed.isNeg() || signed.abs().gt(pos.abs()))) {
      throw new ApiError(-2022, "ReduceOnly Order is rejected.");
    }
    // the part that opens or extends a short needs margin; a buy needs its premium
    const shortOpen = side === "SELL" ? Decimal.max(0, q.minus(Decimal.max(0, pos))) : new Decimal(0);
    const held = this.#margin(terms, shortOpen);
    const premium = side === "BUY" ? dec(price, m.spec.priceDecimals).times(q) : new Decimal(0);
    if (this.available(apiKey).lt(held.plus(premium))) throw new ApiError(-2018, "Balance is insufficient.");
    const now = this.#now();
    const o: OptionsOrder = {
      orderId: this.#nextId++,
      apiKey,
      symbol: terms.symbol,
      side,
      price,
      qty,
      timeInForce: tif,
      reduceOnly,
      clientOrderId: cid,
      createTime: now,
      executed: 0,
      quote: new Decimal(0),
      status: "ACCEPTED",
      updateTime: now,
      held,
    };
    this.orders.set(o.orderId, o);
    this.#report(o, "NEW");
    if (tif === "FOK" && this.#bookQty(m, side, price) < qty) {
      o.status = "EXPIRED";
    } else {
      const fills = m.take(side, qty, { limit: price, time: now });
      for (const f of fills) this.#fill(o, m, f.price, f.qty, f.tradeId, false);
      if (tif === "IOC" && o.status !== "FILLED") o.status = o.executed > 0 ? "CANCELLED" : "EXPIRED";
    }
    if (TERMINAL.has(o.status)) o.held = new Decimal(0);
    if (o.status === "EXPIRED" || o.status === "CANCELLED") this.#report(o, "EXPIRED");
    return this.orderJson(o);
  }

  #units(p: URLSearchParams, name: string, decimals: number, step: number, code: number): number {
    const raw = p.get(name);
    if (!raw) throw missingParam(name);
    const u = parseUnits(raw, decimals);
    if (u === null || Number.isNaN(u) || u <= 0) {
      throw new ApiError(-1111, `Precision is over the maximum defined for this asset.`);
    }
    if (u % step !== 0) {
      throw new ApiError(
        code,
        code === -4014 ? "Price not increased by tick size." : "Quantity not increased by step size.",
      );
    }
    return u;
  }

  #bookQty(m: Market, side: "BUY" | "SELL", limit: number): number {
    const levels = side === "BUY" ? m.asks.top(1000) : m.bids.top(1000);
    return levels.filter(([t]) => side === "BUY" ? t <= limit : t >= limit).reduce((s, [, q]) => s + q, 0);
  }

  #fill(o: OptionsOrder, m: Market, price: number, qty: number, tradeId: number, maker: boolean): void {
    const acc = this.account(o.apiKey);
    const px = dec(price, m.spec.priceDecimals);
    const q = dec(qty, m.spec.qtyDecimals);
    const value = px.times(q);
    const pos = acc.positions.get(o.symbol) ?? { qty: new Decimal(0), cost: new Decimal(0) };
    const delta = o.side === "BUY" ? q : q.neg();
    // realised on the part that closes: its premium against its share of the position's cost
    let realized = new Decimal(0);
    if (!pos.qty.isZero() && pos.qty.isNeg() !== delta.isNeg()) {
      const closed = Decimal.min(q, pos.qty.abs());
      const cost = pos.cost.times(closed).div(pos.qty.abs());
      realized = pos.qty.isNeg() ? cost.minus(px.times(closed)) : px.times(closed).minus(cost);
    }
    // cost follows the position: reduced pro rata when closing, added when opening
    if (pos.qty.isZero() || pos.qty.isNeg() === delta.isNeg()) pos.cost = pos.cost.plus(value);
    else pos.cost = pos.cost.times(Decimal.max(0, pos.qty.abs().minus(q)).div(pos.qty.abs()));
    pos.qty = pos.qty.plus(delta);
    if (pos.qty.isZero()) acc.positions.delete(o.symbol);
    else acc.positions.set(o.symbol, pos);
    acc.balance = o.side === "BUY" ? acc.balance.minus(value) : acc.balance.plus(value);
    o.executed += qty;
    o.quote = o.quote.plus(value);
    o.updateTime = this.#now();
    o.status = o.executed >= o.qty ? "FILLED" : "PARTIALLY_FILLED";
    // the short part now held by the position
    const terms = this.#terms.get(o.symbol)!;
    const left = dec(o.qty - o.executed, m.spec.qtyDecimals);
    o.held = Decimal.min(o.held, this.#margin(terms, left));
    if (TERMINAL.has(o.status)) o.held = new Decimal(0);
    const fill: Fill = {
      qty: q.toFixed(m.spec.qtyDecimals),
      price: px.toFixed(m.spec.priceDecimals),
      tradeId,
      maker,
      realized,
    };
    this.#report(o, "TRADE", fill);
    const change = o.side === "BUY" ? value.neg() : value;
    this.#balanceEvents(o.apiKey, "ORDER", change, [o.symbol]);
  }

  /** `ORDER_TRADE_UPDATE` of an order now. */
  #report(o: OptionsOrder, x: OptionsOrderReport["execution"], fill?: Fill): void {
    const m = this.#hub.market("options", o.symbol)!;
    const json = this.orderJson(o) as Record<string, string>;
    const notional = (side: "BUY" | "SELL"): string =>
      this.open(o.apiKey, o.symbol).filter((x) => x.side === side).reduce(
        (sum, x) =>
          sum.plus(dec(x.price, m.spec.priceDecimals).times(dec(x.qty - x.executed, m.spec.qtyDecimals))),
        new Decimal(0),
      ).toFixed(8);
    this.#emit(
      o.apiKey,
      orderTradeUpdate({
        symbol: o.symbol,
        clientOrderId: o.clientOrderId,
        side: o.side,
        timeInForce: o.timeInForce,
        quantity: json.quantity,
        price: json.price,
        avgPrice: json.avgPrice,
        execution: x,
        status: o.status,
        orderId: o.orderId,
        executedQty: json.executedQty,
        reduceOnly: o.reduceOnly,
        bidNotional: notional("BUY"),
        askNotional: notional("SELL"),
        fill,
      }, this.#now()),
    );
  }

  /** `BALANCE_POSITION_UPDATE` (the USDT change, the `symbols`' positions) then `ACCOUNT_UPDATE`. */
  #balanceEvents(
    apiKey: string,
    reason: "ORDER" | "DEPOSIT" | "WITHDRAW",
    change: Decimal,
    symbols: readonly string[],
  ): void {
    const acc = this.account(apiKey);
    const E = this.#now();
    const positions = symbols.map((s) => {
      const m = this.#hub.market("options", s)!;
      const p = acc.positions.get(s) ?? { qty: new Decimal(0), cost: new Decimal(0) };
      return {
        symbol: s,
        quantity: p.qty.toFixed(m.spec.qtyDecimals),
        value: markPrice(m).times(p.qty).toFixed(8),
        entryPrice: p.qty.isZero() ? "0" : p.cost.div(p.qty.abs()).toFixed(8),
      };
    });
    this.#emit(apiKey, balancePositionUpdate(reason, acc.balance, change, positions, E));
    this.#emit(apiKey, accountUpdate(this.figures(apiKey), E));
  }

  /** Wallet, mark value, unrealised PnL and margins of an account (USDT). */
  figures(apiKey: string): OptionsAccountFigures {
    const acc = this.account(apiKey);
    let positionValue = new Decimal(0);
    let unrealized = new Decimal(0);
    for (const [s, p] of acc.positions) {
      const value = markPrice(this.#hub.market("options", s)!).times(p.qty);
      positionValue = positionValue.plus(value);
      unrealized = unrealized.plus(value.minus(p.qty.isNeg() ? p.cost.neg() : p.cost));
    }
    const locked = this.locked(apiKey);
    return {
      balance: acc.balance,
      positionValue,
      unrealized,
      initialMargin: locked,
      maintenanceMargin: locked.div(2),
    };
  }

  /**
   * A deposit (`delta` > 0) or withdrawal of the options wallet (`emu.transfer` with
   * `market: "options"`): `BALANCE_POSITION_UPDATE` (DEPOSIT / WITHDRAW) and `ACCOUNT_UPDATE`.
   *
   * @throws {RangeError} for an unknown account, an asset other than USDT, or a debit larger than
   * the free balance
   */
  transfer(apiKey: string, asset: string, delta: Decimal): void {
    if (!this.#accounts.has(apiKey)) throw new RangeError("Unknown account: the API key is not configured");
    if (asset !== "USDT") {
      throw new RangeError(`Invalid asset: the options wallet holds USDT only, got ${asset}`);
    }
    if (delta.isNegative() && this.available(apiKey).plus(delta).isNegative()) {
      throw new RangeError("Invalid delta: the options USDT balance is smaller than the debit");
    }
    const acc = this.account(apiKey);
    acc.balance = acc.balance.plus(delta);
    this.#balanceEvents(apiKey, delta.isNegative() ? "WITHDRAW" : "DEPOSIT", delta, []);
  }

  /** Resting orders the book moved through fill at their own price. */
  afterStep(m: Market): void {
    if (m.spec.market !== "options") return;
    for (const o of this.orders.values()) {
      if (o.symbol !== m.spec.symbol || TERMINAL.has(o.status)) continue;
      const best = o.side === "BUY" ? m.asks.best() : m.bids.best();
      if (best === undefined || (o.side === "BUY" ? best > o.price : best < o.price)) continue;
      const fills = m.take(o.side, o.qty - o.executed, { limit: o.price, price: o.price, time: this.#now() });
      for (const f of fills) this.#fill(o, m, f.price, f.qty, f.tradeId, true);
    }
  }

  /**
   * The order named by `orderId` or `clientOrderId` (with `symbol`).
   *
   * @throws {ApiError} -2013 unknown
   */
  find(apiKey: string, p: URLSearchParams): OptionsOrder {
    const { terms } = this.market(p.get("symbol"));
    const id = p.get("orderId");
    const cid = p.get("clientOrderId");
    if (!id && !cid) throw missingParam("orderId");
    const hit = [...this.orders.values()].reverse().find((o) =>
      o.apiKey === apiKey && o.symbol === terms.symbol &&
      (id ? String(o.orderId) === id : o.clientOrderId === cid)
    );
    if (!hit) throw new ApiError(-2013, "Order does not exist.");
    return hit;
  }

  /**
   * `DELETE /eapi/v1/order`.
   *
   * @throws {ApiError} -2013 unknown or already final
   */
  cancel(apiKey: string, p: URLSearchParams): Json {
    const o = this.find(apiKey, p);
    if (TERMINAL.has(o.status)) throw new ApiError(-2013, "Order does not exist.");
    o.status = "CANCELLED";
    o.held = new Decimal(0);
    o.updateTime = this.#now();
    this.#report(o, "CANCELED");
    return this.orderJson(o);
  }

  /** Open orders of an account (one symbol or all). */
  open(apiKey: string, symbol?: string): OptionsOrder[] {
    return [...this.orders.values()].filter((o) =>
      o.apiKey === apiKey && !TERMINAL.has(o.status) && (symbol === undefined || o.symbol === symbol)
    );
  }

  /** The wire shape of an order. */
  orderJson(o: OptionsOrder): Json {
    const m = this.#hub.market("options", o.symbol)!;
    const t = this.#terms.get(o.symbol)!;
    const qty = dec(o.executed, m.spec.qtyDecimals);
    return {
      orderId: o.orderId,
      symbol: o.symbol,
      price: dec(o.price, m.spec.priceDecimals).toFixed(m.spec.priceDecimals),
      quantity: dec(o.qty, m.spec.qtyDecimals).toFixed(m.spec.qtyDecimals),
      executedQty: qty.toFixed(m.spec.qtyDecimals),
      fee: "0",
      side: o.side,
      type: "LIMIT",
      timeInForce: o.timeInForce,
      reduceOnly: o.reduceOnly,
      postOnly: false,
      createTime: o.createTime,
      updateTime: o.updateTime,
      status: o.status,
      avgPrice: qty.isZero() ? "0" : o.quote.div(qty).toFixed(m.spec.priceDecimals),
      source: "API",
      clientOrderId: o.clientOrderId,
      priceScale: m.spec.priceDecimals,
      quantityScale: m.spec.qtyDecimals,
      optionSide: t.side,
      quoteAsset: "USDT",
      mmp: false,
    };
  }
}
