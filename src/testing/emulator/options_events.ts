/**
 * The options user-data events in the shapes Binance documents for the options listen-key stream
 * on `fstream` (`/private/ws/<listenKey>`, since the 2025 options upgrade): `ORDER_TRADE_UPDATE`
 * with one order object `o` (the futures letters: `s`, `c`, `S`, `o`, `f`, `q`, `p`, `ap`, `x`,
 * `X`, `i`, `l`, `z`, `L`, `N`, `n`, `T`, `t`, `b`, `a`, `m`, `R`, `ot`, `rp`, `V`), the flat
 * `ACCOUNT_UPDATE` (`eq`, `aeq`, `b`, `m`, `u`, `i`, `M`, in USDT) and `BALANCE_POSITION_UPDATE`
 * (`m` reason, `B[{a, b, bc}]`, `P[{s, c, p, a}]`). The older `nbstream` shapes (`o` a list of
 * orders with `oid`, `ACCOUNT_UPDATE` with `B` / `G` / `P` arrays) are not produced. Pure builders.
 *
 * @module
 */
import type { Decimal } from "decimal.js";
import type { Json } from "./payloads.ts";

/** What an `ORDER_TRADE_UPDATE` reports of one order, as printed. */
export interface OptionsOrderReport {
  readonly symbol: string;
  readonly clientOrderId: string;
  readonly side: "BUY" | "SELL";
  readonly timeInForce: string;
  readonly quantity: string;
  readonly price: string;
  readonly avgPrice: string;
  /** `x`: `NEW`, `TRADE`, `CANCELED`, `EXPIRED`. */
  readonly execution: "NEW" | "TRADE" | "CANCELED" | "EXPIRED";
  /** `X`: the order's status as `/eapi/v1/order` reports it (`ACCEPTED`, `FILLED`, …). */
  readonly status: string;
  readonly orderId: number;
  readonly executedQty: string;
  readonly reduceOnly: boolean;
  /** Open BUY / SELL notional of the account on the symbol after the change (`b`, `a`). */
  readonly bidNotional: string;
  readonly askNotional: string;
  /** The fill of a `TRADE` execution. */
  readonly fill?: {
    readonly qty: string;
    readonly price: string;
    readonly tradeId: number;
    readonly maker: boolean;
    readonly realized: Decimal;
  };
}

/** `ORDER_TRADE_UPDATE` of an options order. */
export function orderTradeUpdate(r: OptionsOrderReport, E: number): Json {
  return {
    e: "ORDER_TRADE_UPDATE",
    E,
    T: E,
    o: {
      s: r.symbol,
      c: r.clientOrderId,
      S: r.side,
      o: "LIMIT",
      f: r.timeInForce,
      q: r.quantity,
      p: r.price,
      ap: r.avgPrice,
      x: r.execution,
      X: r.status,
      i: r.orderId,
      l: r.fill?.qty ?? "0",
      z: r.executedQty,
      L: r.fill?.price ?? "0",
      N: "USDT",
      n: "0",
      T: E,
      t: r.fill?.tradeId ?? 0,
      b: r.bidNotional,
      a: r.askNotional,
      m: r.fill?.maker ?? false,
      R: r.reduceOnly,
      ot: "LIMIT",
      rp: r.fill ? r.fill.realized.toFixed(8) : "0",
      V: "NONE",
    },
  };
}

/** The account figures of `/eapi/v1/marginAccount` (USDT). */
export interface OptionsAccountFigures {
  /** Wallet balance. */
  readonly balance: Decimal;
  /** Mark value of the positions (long +, short −). */
  readonly positionValue: Decimal;
  readonly unrealized: Decimal;
  readonly initialMargin: Decimal;
  readonly maintenanceMargin: Decimal;
}

/** The flat `ACCOUNT_UPDATE`: equity = balance + position value; no haircut, so `aeq` = `eq`. */
export function accountUpdate(f: OptionsAccountFigures, E: number): Json {
  const equity = f.balance.plus(f.positionValue).toFixed(8);
  return {
    e: "ACCOUNT_UPDATE",
    E,
    T: E,
    eq: equity,
    aeq: equity,
    b: f.balance.toFixed(8),
    m: f.positionValue.toFixed(8),
    u: f.unrealized.toFixed(8),
    i: f.initialMargin.toFixed(8),
    M: f.maintenanceMargin.toFixed(8),
  };
}

/** One position of a `BALANCE_POSITION_UPDATE`, as printed. */
export interface OptionsPositionReport {
  readonly symbol: string;
  readonly quantity: string;
  readonly value: string;
  readonly entryPrice: string;
}

/** `BALANCE_POSITION_UPDATE`: the USDT balance and the changed positions. */
export function balancePositionUpdate(
  reason: "ORDER" | "DEPOSIT" | "WITHDRAW",
  balance: Decimal,
  change: Decimal,
  positions: readonly OptionsPositionReport[],
  E: number,
): Json {
  return {
    e: "BALANCE_POSITION_UPDATE",
    E,
    T: E,
    m: reason,
    B: [{ a: "USDT", b: balance.toFixed(8), bc: change.toFixed(8) }],
    P: positions.map((p) => ({ s: p.symbol, c: p.quantity, p: p.value, a: p.entryPrice })),
  };
}
