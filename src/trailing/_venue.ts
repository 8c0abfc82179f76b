/**
 * What the manager needs from a venue (spot, margin, futures): placing, replacing, cancelling
 * and querying its own stop, the holding it protects, and the user-data events in one normalised
 * form. The adapters live in `_venue_spot.ts` and `_venue_futures.ts`.
 *
 * @module
 */
import type { SymbolInfo } from "../rest/types_market.ts";

/** The venue kinds the manager trails on. */
export type VenueKind = "spot" | "margin" | "isolated_margin" | "usdm" | "coinm";

/** A stop the manager wants on the book, in wire form (decimal strings). */
export interface WireStop {
  /** `SELL` or `BUY`. */
  readonly side: "BUY" | "SELL";
  /** Binance order type. */
  readonly type: string;
  /** Trigger price. */
  readonly stopPrice?: string;
  /** Limit price. */
  readonly price?: string;
  /** Quantity (absent with `closePosition`). */
  readonly quantity?: string;
  /** Spot native trail (BIPS). */
  readonly trailingDelta?: number;
  /** Futures native trail (%). */
  readonly callbackRate?: string;
  /** Futures native trail activation. */
  readonly activationPrice?: string;
}

/** An order of the engine as the venue reports it (REST answer or user-data event). */
export interface OrderSnapshot {
  /** Client order id (the engine's own id, never a cancel request's id). */
  readonly clientOrderId: string;
  /** Order id (algo id for USDⓈ-M conditional orders). */
  readonly orderId: string;
  /** `NEW`, `PARTIALLY_FILLED`, `FILLED`, `CANCELED`, `EXPIRED`, `REJECTED`, `EXPIRED_IN_MATCH`, `TRIGGERED`, … */
  readonly status: string;
  /** Order type. */
  readonly type: string;
  /** Side. */
  readonly side: "BUY" | "SELL";
  /** Original quantity. */
  readonly quantity: string;
  /** Cumulative filled quantity. */
  readonly filled: string;
  /** Cumulative quote amount (spot `Z`/`cummulativeQuoteQty`); absent on futures. */
  readonly filledQuote?: string;
  /** Average fill price (futures `ap`/`avgPrice`); absent on spot (use `filledQuote / filled`). */
  readonly averagePrice?: string;
  /** Trigger price. */
  readonly stopPrice?: string;
  /** Limit price. */
  readonly price?: string;
  /** Reject / expiry reason where the venue gives one. */
  readonly reason?: string;
}

/** What the engine protects. */
export interface Holding {
  /** Base quantity (spot and margin) or position size in contracts/base (futures), ≥ 0. */
  readonly quantity: string;
  /** Futures: `long`, `short` or `flat`; spot: `long`. */
  readonly direction: "long" | "short" | "flat";
}

/** A venue adapter. */
export interface VenueAdapter {
  /** The venue kind. */
  readonly kind: VenueKind;
  /** How a stop is moved: atomically, place-new-then-cancel-old, or cancel-then-place (margin has no atomic replace). */
  readonly replaceStrategy: "cancelReplace" | "placeThenCancel" | "cancelThenPlace";
  /** The symbol's exchangeInfo entry. */
  symbolInfo(): Promise<SymbolInfo>;
  /** What there is to protect for `side` (`long` → SELL stop): free + `ownLocked` on spot/margin, the position on futures. */
  holding(side: "long" | "short", ownLocked: string): Promise<Holding>;
  /** Places a stop with the given client id. */
  place(order: WireStop, clientOrderId: string): Promise<OrderSnapshot>;
  /** Atomic replace (only with `replaceStrategy: "cancelReplace"`). */
  cancelReplace?(oldClientOrderId: string, order: WireStop, clientOrderId: string): Promise<OrderSnapshot>;
  /** Cancels an order by client id; `null` when it is unknown or already final. */
  cancel(clientOrderId: string): Promise<OrderSnapshot | null>;
  /** Queries an order by client id; `null` when Binance does not know it. */
  query(clientOrderId: string): Promise<OrderSnapshot | null>;
  /** Open orders of the symbol (used for adoption by id prefix). */
  openOrders(): Promise<OrderSnapshot[]>;
  /** Buys (or sells, for a short) for jump-in; returns the filled order. */
  enter(
    order: {
      readonly side: "BUY" | "SELL";
      readonly type: "MARKET" | "LIMIT";
      readonly quantity?: string;
      readonly quoteQuantity?: string;
      readonly price?: string;
    },
    clientOrderId: string,
  ): Promise<OrderSnapshot>;
  /** A user-data message of this venue as an order update of the symbol, else `null`. */
  orderUpdate(message: unknown): OrderSnapshot | null;
}

/** Statuses after which an order is off the book. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set([
  "FILLED",
  "CANCELED",
  "EXPIRED",
  "REJECTED",
  "EXPIRED_IN_MATCH",
  "FINISHED",
]);
