/**
 * `jump-in-and-trail`: buy first (MARKET, or LIMIT with a timeout after which the unfilled rest is
 * cancelled), then trail what was bought. The fill price is the average over all fills
 * (cumulative quote ÷ cumulative quantity), not the first fill's price (Python T20).
 *
 * @module
 */
import type { SymbolRules } from "./_engine_port.ts";
import { TrailingStopError } from "./_errors.ts";
import { FINAL_STATUSES, type OrderSnapshot, type VenueAdapter } from "./_venue.ts";
import { averageOf, Dec } from "./_venue_common.ts";
import type { TrailingStopLossOptions } from "./manager_options.ts";
import { roundToStep } from "../core/decimal.ts";

/** What the jump-in bought. */
export interface JumpInResult {
  /** Base quantity bought. */
  readonly quantity: string;
  /** Average price over all fills. */
  readonly averagePrice: string;
  /** The buy order at its end. */
  readonly order: OrderSnapshot;
}

/** Buys per `options.jumpIn` and returns the fills. */
export async function jumpIn(
  venue: VenueAdapter,
  options: TrailingStopLossOptions,
  rules: SymbolRules,
  clientOrderId: string,
): Promise<JumpInResult> {
  const j = options.jumpIn ?? {};
  const type = j.type ?? "MARKET";
  if (type === "LIMIT" && !j.price) {
    throw new TypeError("Missing jumpIn.price: a LIMIT jump-in needs a price");
  }
  if (!j.quantity && !j.quoteQuantity) {
    throw new TypeError("Missing jumpIn.quantity or jumpIn.quoteQuantity: the jump-in needs an amount");
  }
  const futures = venue.kind === "usdm" || venue.kind === "coinm";
  if ((type === "LIMIT" || futures) && !j.quantity) {
    throw new TypeError(
      `Missing jumpIn.quantity: a ${futures ? "futures" : "LIMIT"} jump-in is sized in base quantity`,
    );
  }
  const quantity = j.quantity ? roundToStep(j.quantity, rules.stepSize, "floor") : undefined;
  let order: OrderSnapshot;
  try {
    order = await venue.enter({
      side: "BUY",
      type,
      ...(quantity ? { quantity } : { quoteQuantity: j.quoteQuantity }),
      ...(type === "LIMIT" ? { price: roundToStep(j.price!, rules.tickSize, "floor") } : {}),
    }, clientOrderId);
  } catch (e) {
    throw new TrailingStopError(`Jump-in buy failed: ${(e as Error).message}`, { kind: "fatal", cause: e });
  }
  if (type === "LIMIT" && !FINAL_STATUSES.has(order.status)) {
    const until = Date.now() + (j.timeoutMs ?? 60_000);
    while (Date.now() < until && !FINAL_STATUSES.has(order.status)) {
      await new Promise((r) => setTimeout(r, 200));
      order = (await venue.query(clientOrderId)) ?? order;
    }
    if (!FINAL_STATUSES.has(order.status)) order = (await venue.cancel(clientOrderId)) ?? order;
  }
  const average = averageOf(order);
  if (!average || new Dec(order.filled).lte(0)) {
    throw new TrailingStopError(`Jump-in bought nothing: the ${type} buy ended ${order.status}`, {
      kind: "fatal",
    });
  }
  return { quantity: order.filled, averagePrice: average, order };
}
