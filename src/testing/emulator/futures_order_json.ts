/**
 * The wire shapes of a futures order: the `ORDER_TRADE_UPDATE` event and the REST / WebSocket-API
 * order JSON, conditional fields included (`sp`, `wt`, `cp`, `pP`, `AP`, `cr`; `stopPrice`,
 * `workingType`, `activatePrice`, `priceRate`).
 *
 * @module
 */
import type { Decimal } from "decimal.js";
import { dec } from "./futures_account.ts";
import type { FuturesOrder } from "./futures_engine.ts";
import type { Market } from "./market.ts";
import { fmtPrice, fmtQty, type Json } from "./payloads.ts";

/** The fill an `ORDER_TRADE_UPDATE` reports. */
export interface FillReport {
  readonly price: number;
  readonly qty: number;
  readonly tradeId: number;
  readonly maker: boolean;
  /** Realised profit of the fill. */
  readonly rp: Decimal;
}

/** The `ORDER_TRADE_UPDATE` event of an order at time `E`. */
export function orderTradeUpdate(o: FuturesOrder, m: Market, x: string, E: number, fill?: FillReport): Json {
  const c = o.cond;
  const avg = o.executed > 0
    ? o.cumPriceQty.div(dec(o.executed, m.spec.qtyDecimals)).toFixed(m.spec.priceDecimals)
    : "0";
  return {
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
      sp: c && c.stopPrice > 0 ? fmtPrice(m, c.stopPrice) : "0",
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
      wt: c?.workingType ?? "CONTRACT_PRICE",
      ot: o.origType,
      ps: o.positionSide,
      cp: c?.closePosition ?? false,
      ...(c?.type === "TRAILING_STOP_MARKET"
        ? { AP: c.activationPrice > 0 ? fmtPrice(m, c.activationPrice) : "0", cr: c.callbackRate }
        : {}),
      rp: fill ? fill.rp.toFixed(8) : "0",
      pP: c?.priceProtect ?? false,
      si: 0,
      ss: 0,
      V: "EXPIRE_MAKER",
      pm: "NONE",
      gtd: 0,
    },
  };
}

/** Futures order JSON (response and query shape; COIN-M adds `pair` and reports `cumBase`). */
export function futuresOrderJson(o: FuturesOrder, m: Market): Json {
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
    closePosition: o.cond?.closePosition ?? false,
    side: o.side,
    positionSide: o.positionSide,
    stopPrice: o.cond && o.cond.stopPrice > 0 ? fmtPrice(m, o.cond.stopPrice) : "0",
    workingType: o.cond?.workingType ?? "CONTRACT_PRICE",
    priceProtect: o.cond?.priceProtect ?? false,
    origType: o.origType,
    ...(o.cond?.type === "TRAILING_STOP_MARKET"
      ? {
        activatePrice: o.cond.activationPrice > 0 ? fmtPrice(m, o.cond.activationPrice) : "0",
        priceRate: o.cond.callbackRate,
      }
      : {}),
    priceMatch: "NONE",
    selfTradePreventionMode: "EXPIRE_MAKER",
    goodTillDate: 0,
    time: o.time,
    updateTime: o.updateTime,
  };
}
