/**
 * The manager's view of the pure engine (`engine.ts`): the engine decides, the manager sends.
 * This file only adapts shapes — the engine's `StopOrder` to the venue's wire form — and keeps
 * the manager's imports of the engine in one place.
 *
 * @module
 */
import type { NativeTrail, StopOrder } from "./engine.ts";
import type { WireStop } from "./_venue.ts";

export {
  afterPartialFill,
  averageFillPrice,
  classifyOrderError,
  initialTrail,
  nativeTrail,
  onPrice,
  parseAmount,
  priceFromEvent,
  priceSource,
  stopQuantity,
  symbolRules,
  trailConfig,
} from "./engine.ts";
export type { Amount, SymbolRules, TrailConfig, TrailDecision, TrailState } from "./engine.ts";

/** The engine's stop order as venue parameters. */
export function wireOf(order: StopOrder): WireStop {
  return {
    side: order.side,
    type: order.type,
    stopPrice: order.stopPrice,
    ...(order.limitPrice !== undefined ? { price: order.limitPrice } : {}),
    quantity: order.quantity,
  };
}

/** A native trail as venue parameters. */
export function nativeWireOf(n: NativeTrail, quantity: string): WireStop {
  return n.kind === "trailingDelta"
    ? {
      side: n.side,
      type: n.type,
      trailingDelta: n.trailingDelta,
      ...(n.limitPrice ? { price: n.limitPrice } : {}),
      quantity,
    }
    : {
      side: n.side,
      type: n.type,
      callbackRate: n.callbackRate,
      ...(n.activationPrice ? { activationPrice: n.activationPrice } : {}),
      quantity,
    };
}
