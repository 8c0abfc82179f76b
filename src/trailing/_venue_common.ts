/**
 * Helpers shared by the venue adapters: exact decimals, the wire parameters of a stop, REST
 * answers as {@link OrderSnapshot}s.
 *
 * @module
 */
import { Decimal } from "decimal.js";
import type { OrderSnapshot, WireStop } from "./_venue.ts";

/** decimal.js without exponent notation (the global config is left alone). */
export const Dec: typeof Decimal = Decimal.clone({ precision: 200, toExpNeg: -9e15, toExpPos: 9e15 });

/** Order parameters of a stop (only the fields it has; `timeInForce` for limit types). */
export function wireParams(
  order: WireStop,
): { side: "BUY" | "SELL"; type: string; [param: string]: string | number } {
  const p: { side: "BUY" | "SELL"; type: string; [param: string]: string | number } = {
    side: order.side,
    type: order.type,
  };
  if (
    order.type === "STOP_LOSS_LIMIT" || order.type === "STOP" || order.type === "TAKE_PROFIT_LIMIT" ||
    order.type === "LIMIT"
  ) {
    p.timeInForce = "GTC";
  }
  if (order.quantity !== undefined) p.quantity = order.quantity;
  if (order.price !== undefined) p.price = order.price;
  if (order.stopPrice !== undefined) p.stopPrice = order.stopPrice;
  if (order.trailingDelta !== undefined) p.trailingDelta = order.trailingDelta;
  if (order.callbackRate !== undefined) p.callbackRate = order.callbackRate;
  if (order.activationPrice !== undefined) p.activationPrice = order.activationPrice;
  return p;
}

const str = (v: unknown): string | undefined =>
  v === undefined || v === null || v === "" ? undefined : String(v);

/** A REST / WS-API order answer (spot, margin, futures or algo) as a snapshot. */
export function snapshotFromOrder(o: Record<string, unknown>, sent?: WireStop): OrderSnapshot {
  const filledQuote = str(o.cummulativeQuoteQty) ?? str(o.cumQuote);
  const avg = str(o.avgPrice) ?? str(o.actualPrice);
  return {
    clientOrderId: String(o.clientOrderId ?? o.clientAlgoId ?? ""),
    orderId: String(o.orderId ?? o.algoId ?? ""),
    status: String(o.status ?? o.algoStatus ?? "NEW"),
    type: String(o.type ?? o.orderType ?? sent?.type ?? ""),
    side: (o.side ?? sent?.side) === "BUY" ? "BUY" : "SELL",
    quantity: str(o.origQty) ?? str(o.quantity) ?? sent?.quantity ?? "0",
    filled: str(o.executedQty) ?? "0",
    ...(filledQuote !== undefined ? { filledQuote } : {}),
    ...(avg !== undefined && avg !== "0" && avg !== "0.00000" ? { averagePrice: avg } : {}),
    ...(str(o.stopPrice) ?? str(o.triggerPrice) ?? sent?.stopPrice
      ? { stopPrice: str(o.stopPrice) ?? str(o.triggerPrice) ?? sent?.stopPrice }
      : {}),
    ...(str(o.price) ?? sent?.price ? { price: str(o.price) ?? sent?.price } : {}),
  };
}

/** Average fill price of a snapshot: `averagePrice`, else `filledQuote / filled`; `undefined` without fills. */
export function averageOf(
  s: { readonly filled: string; readonly filledQuote?: string; readonly averagePrice?: string },
):
  | string
  | undefined {
  const filled = new Dec(s.filled || "0");
  if (filled.lte(0)) return undefined;
  if (s.averagePrice && new Dec(s.averagePrice).gt(0)) return new Dec(s.averagePrice).toFixed();
  if (s.filledQuote === undefined) return undefined;
  return new Dec(s.filledQuote).div(filled).toDecimalPlaces(8).toFixed();
}
