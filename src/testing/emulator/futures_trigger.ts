/**
 * Futures conditional orders (`STOP`, `STOP_MARKET`, `TAKE_PROFIT`, `TAKE_PROFIT_MARKET`,
 * `TRAILING_STOP_MARKET`): parameter rules with Binance's codes and the trigger conditions of the
 * futures docs — STOP BUY fires at price ≥ stopPrice, STOP SELL at ≤; TAKE_PROFIT BUY at ≤,
 * SELL at ≥; a trailing SELL fires once the highest price since activation (at or above
 * `activationPrice`, or at placement without one) has fallen back by `callbackRate` %, a BUY
 * once the lowest has risen by it. The price is the mark (`workingType=MARK_PRICE`) or the last
 * trade (`CONTRACT_PRICE`, default); with `priceProtect` a trigger waits while mark and last
 * differ by more than the symbol's `triggerProtect` (5 %). Pure functions over price-units.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import { ApiError } from "./api_error.ts";
import { type FuturesAccount, markPrice, positionOf, type PositionSide } from "./futures_account.ts";
import type { Market } from "./market.ts";
import { amount, need, oneOf, type Params, sideOf } from "./order_params.ts";

/** The conditional order types. */
export const CONDITIONAL_TYPES: readonly ConditionalType[] = [
  "STOP",
  "STOP_MARKET",
  "TAKE_PROFIT",
  "TAKE_PROFIT_MARKET",
  "TRAILING_STOP_MARKET",
];

/** A conditional futures order type. */
export type ConditionalType =
  | "STOP"
  | "STOP_MARKET"
  | "TAKE_PROFIT"
  | "TAKE_PROFIT_MARKET"
  | "TRAILING_STOP_MARKET";

/** `exchangeInfo` `triggerProtect` of the emulated symbols. */
export const TRIGGER_PROTECT: Decimal = new Decimal("0.05");

/** A validated conditional order. */
export interface TriggerSpec {
  readonly type: ConditionalType;
  readonly side: "BUY" | "SELL";
  readonly positionSide: PositionSide;
  /** Quantity in qty-units (0 with closePosition). */
  readonly qty: number;
  /** Limit price of STOP / TAKE_PROFIT in price-units (0 for the market types). */
  readonly price: number;
  readonly timeInForce: string;
  /** Stop (trigger) price in price-units (0 for TRAILING_STOP_MARKET). */
  readonly stopPrice: number;
  readonly workingType: "MARK_PRICE" | "CONTRACT_PRICE";
  readonly priceProtect: boolean;
  readonly closePosition: boolean;
  /** Reduces the position only (reduceOnly, closePosition or a hedge-mode close). */
  readonly reduceOnly: boolean;
  /** Trailing activation price in price-units (0: active from placement). */
  readonly activationPrice: number;
  /** Trailing callback rate in % ("" for other types). */
  readonly callbackRate: string;
}

/** Trailing state of a conditional order. */
export interface TriggerState {
  activated: boolean;
  /** Highest (SELL) or lowest (BUY) working price since activation, in price-units. */
  extreme: number;
}

/** Parameter names: `/fapi/v1/algoOrder` says `triggerPrice` / `activatePrice`, `/dapi/v1/order` `stopPrice` / `activationPrice`. */
export interface TriggerParamNames {
  readonly stopPrice: "stopPrice" | "triggerPrice";
  readonly activation: "activationPrice" | "activatePrice";
}

const bool = (p: Params, name: string): boolean => (p.get(name) ?? "false").toLowerCase() === "true";

/** The working price of a market in price-units. */
export function workingPrice(m: Market, wt: TriggerSpec["workingType"]): number {
  if (wt === "CONTRACT_PRICE") return m.lastPrice;
  return markPrice(m).times(new Decimal(10).pow(m.spec.priceDecimals)).round().toNumber();
}

/**
 * Reads and checks a conditional order.
 *
 * @throws {ApiError} -1102 missing parameter, -1106 closePosition / reduceOnly misuse, -4137
 * quantity with closePosition, -2007 bad callbackRate, -4061 / -4006 position side, -4031
 * workingType, -2021 would trigger immediately, -4130 a second closePosition order that way
 */
export function parseTrigger(
  m: Market,
  p: Params,
  acc: FuturesAccount,
  names: TriggerParamNames,
  openClose: (side: "BUY" | "SELL", type: ConditionalType) => boolean,
): TriggerSpec {
  const type = oneOf(p, "type", CONDITIONAL_TYPES, -1116, "Invalid orderType.");
  const side = sideOf(p);
  const ps = (p.get("positionSide") ?? "BOTH") as PositionSide;
  if (!["BOTH", "LONG", "SHORT"].includes(ps)) throw new ApiError(-4006, "Invalid position side.");
  if ((ps === "BOTH") === acc.dualSide) {
    throw new ApiError(-4061, "Order's position side does not match user's setting.");
  }
  const wt = p.get("workingType") ?? "CONTRACT_PRICE";
  if (wt !== "MARK_PRICE" && wt !== "CONTRACT_PRICE") {
    throw new ApiError(-4031, `Invalid parameter working type: ${wt}`);
  }
  const closePosition = bool(p, "closePosition");
  let reduceOnly = bool(p, "reduceOnly");
  if (closePosition) {
    if (type !== "STOP_MARKET" && type !== "TAKE_PROFIT_MARKET") {
      throw new ApiError(-1106, "Parameter 'closePosition' sent when not required.");
    }
    if (p.get("quantity") !== null) {
      throw new ApiError(-4137, "Quantity must be zero with closePosition equals true");
    }
    if (p.get("reduceOnly") !== null) {
      throw new ApiError(-1106, "Parameter 'reduceOnly' sent when not required.");
    }
  }
  if (reduceOnly && acc.dualSide) throw new ApiError(-1106, "Parameter 'reduceonly' sent when not required.");
  // hedge mode: selling a LONG or buying a SHORT position closes it
  if (ps !== "BOTH" && (ps === "LONG") !== (side === "BUY")) reduceOnly = true;
  const qty = closePosition ? 0 : amount(m, p, "quantity", "qty");
  const limitType = type === "STOP" || type === "TAKE_PROFIT";
  const price = limitType ? amount(m, p, "price", "price") : 0;
  const timeInForce = limitType
    ? oneOf(
      { get: (k) => p.get(k) ?? "GTC" },
      "timeInForce",
      ["GTC", "IOC", "FOK", "GTX"],
      -1115,
      "Invalid timeInForce.",
    )
    : "GTC";
  const trailing = type === "TRAILING_STOP_MARKET";
  const stopPrice = trailing ? 0 : amount(m, p, names.stopPrice, "price");
  let callbackRate = "";
  let activationPrice = 0;
  if (trailing) {
    callbackRate = need(p, "callbackRate");
    if (!/^\d{1,2}(\.\d)?$/.test(callbackRate) || Number(callbackRate) < 0.1 || Number(callbackRate) > 10) {
      throw new ApiError(-2007, "Invalid callBack rate.");
    }
    if (p.get(names.activation) !== null) activationPrice = amount(m, p, names.activation, "price");
  }
  const spec: TriggerSpec = {
    type,
    side,
    positionSide: ps,
    qty,
    price,
    timeInForce,
    stopPrice,
    workingType: wt,
    priceProtect: bool(p, "priceProtect"),
    closePosition,
    reduceOnly: reduceOnly || closePosition,
    activationPrice,
    callbackRate,
  };
  const now = workingPrice(m, wt);
  if (immediate(spec, now)) throw new ApiError(-2021, "Order would immediately trigger.");
  if (closePosition && openClose(side, type)) {
    throw new ApiError(
      -4130,
      "An open stop or take profit order with closePosition in the direction is existing.",
    );
  }
  return spec;
}

/** Whether a new order would trigger at once at working price `now`. */
export function immediate(s: TriggerSpec, now: number): boolean {
  if (s.type === "TRAILING_STOP_MARKET") {
    // the activation price lies on the favourable side: above the market for a SELL
    return s.activationPrice > 0 && (s.side === "SELL" ? s.activationPrice <= now : s.activationPrice >= now);
  }
  return stopHit(s, now);
}

function stopHit(s: TriggerSpec, price: number): boolean {
  const stop = s.type === "STOP" || s.type === "STOP_MARKET";
  const up = stop === (s.side === "BUY");
  return up ? price >= s.stopPrice : price <= s.stopPrice;
}

/** The state at placement: a trailing order without activation price tracks from now. */
export function initialState(s: TriggerSpec, m: Market): TriggerState {
  const now = workingPrice(m, s.workingType);
  return { activated: s.type === "TRAILING_STOP_MARKET" && s.activationPrice === 0, extreme: now };
}

/**
 * Advances a conditional order by one step.
 *
 * @returns true when it triggers now
 */
export function fires(s: TriggerSpec, st: TriggerState, m: Market): boolean {
  const price = workingPrice(m, s.workingType);
  let hit: boolean;
  if (s.type !== "TRAILING_STOP_MARKET") hit = stopHit(s, price);
  else if (!st.activated) {
    if (s.side === "SELL" ? price >= s.activationPrice : price <= s.activationPrice) {
      st.activated = true;
      st.extreme = price;
    }
    hit = false;
  } else {
    const cr = new Decimal(s.callbackRate);
    const p100 = new Decimal(price).times(100);
    if (s.side === "SELL") {
      hit = p100.lte(new Decimal(st.extreme).times(new Decimal(100).minus(cr)));
      if (!hit && price > st.extreme) st.extreme = price;
    } else {
      hit = p100.gte(new Decimal(st.extreme).times(new Decimal(100).plus(cr)));
      if (!hit && price < st.extreme) st.extreme = price;
    }
  }
  if (!hit || !s.priceProtect) return hit;
  const mark = markPrice(m);
  const last = new Decimal(m.lastPrice).div(new Decimal(10).pow(m.spec.priceDecimals));
  return mark.isZero() || last.minus(mark).abs().div(mark).lte(TRIGGER_PROTECT);
}

/**
 * The quantity a triggered order closes or opens: closePosition takes the whole position,
 * reduceOnly at most the position; 0 when a reducing order finds nothing to reduce.
 */
export function triggeredQty(s: TriggerSpec, acc: FuturesAccount, m: Market): number {
  if (!s.reduceOnly) return s.qty;
  const pos = positionOf(acc, m.spec.symbol, s.positionSide);
  const reduces = !pos.amt.isZero() && pos.amt.isPositive() === (s.side === "SELL");
  if (!reduces) return 0;
  const units = pos.amt.abs().times(new Decimal(10).pow(m.spec.qtyDecimals)).round().toNumber();
  return s.closePosition ? units : Math.min(s.qty, units);
}
