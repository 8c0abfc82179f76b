/**
 * Typed events of `BinanceTrailingStopLossManager` (also delivered through its callbacks and its
 * async iterator).
 *
 * @module
 */

/** The engine's own stop order as it is on the book. */
export interface StopOrderView {
  /** Client order id (the engine's prefix + a sequence number). */
  readonly clientOrderId: string;
  /** Binance order id (`algoId` for USDⓈ-M conditional orders), as a decimal string. */
  readonly orderId: string;
  /** Order type (`STOP_LOSS_LIMIT`, `STOP_LOSS`, `STOP`, `STOP_MARKET`, `TRAILING_STOP_MARKET`). */
  readonly type: string;
  /** `SELL` (long) or `BUY` (short). */
  readonly side: "BUY" | "SELL";
  /** Trigger price (absent for a native trail without activation price). */
  readonly stopPrice?: string;
  /** Limit price (limit types only). */
  readonly price?: string;
  /** Quantity still on the order (`closePosition` stops: the position at placement). */
  readonly quantity: string;
  /** Spot native trail: `trailingDelta` in BIPS. */
  readonly trailingDelta?: number;
  /** Futures native trail: `callbackRate` in %. */
  readonly callbackRate?: string;
}

/**
 * How a stop came to be. `exit`: the market crossed the trail (the stop it should move to would
 * trigger at once), so the stop was replaced by the order it would have become when triggered —
 * `MARKET` for a market stop, `LIMIT` at the limit price for a limit stop — atomically with
 * `order.cancelReplace` on spot.
 */
export type StopMoveKind =
  | "place"
  | "cancelReplace"
  | "placeThenCancel"
  | "cancelThenPlace"
  | "adopt"
  | "exit";

/** Every event of the manager. */
export type TrailingEvent =
  | {
    /** The engine is running and (if `stop` is set) protected. */
    readonly type: "started";
    readonly time: number;
    readonly stop: StopOrderView | null;
    /** True when `stop` is an order of an earlier run (found by its client order id). */
    readonly adopted: boolean;
  }
  | {
    /** A stop was placed or moved. */
    readonly type: "stopMoved";
    readonly time: number;
    readonly stop: StopOrderView;
    readonly previous: StopOrderView | null;
    /** Reference price the stop was computed from. */
    readonly reference: string;
    readonly via: StopMoveKind;
  }
  | {
    /** The stop filled partly; it keeps only the rest. */
    readonly type: "partiallyFilled";
    readonly time: number;
    readonly stop: StopOrderView;
    /** Cumulative filled base quantity. */
    readonly filledQuantity: string;
    /** Average fill price so far. */
    readonly averagePrice: string;
  }
  | {
    /** The engine ended: the stop filled, was cancelled by someone else (with `onExternalCancel: "stop"`) or the jump-in failed. */
    readonly type: "finished";
    readonly time: number;
    readonly reason: "filled" | "canceled" | "failed";
    /** Cumulative filled base quantity of the stop. */
    readonly filledQuantity: string;
    /** Average fill price (`Z / z` on spot, `ap` on futures); absent without a fill. */
    readonly averagePrice?: string;
    /** The stop at its end. */
    readonly stop: StopOrderView | null;
  }
  | {
    /** Something failed; `fatal` means the engine ended because of it. */
    readonly type: "error";
    readonly time: number;
    readonly error: Error;
    readonly fatal: boolean;
  }
  | {
    /** `stop()` finished; `leftOnBook` is the stop still on the book (null: none). */
    readonly type: "stopped";
    readonly time: number;
    readonly leftOnBook: StopOrderView | null;
  };

/** The type names of {@link TrailingEvent}. */
export type TrailingEventType = TrailingEvent["type"];
