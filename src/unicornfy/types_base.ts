/**
 * What every normalized message carries.
 *
 * @module
 */
import type { UnicornfyExchange } from "./exchanges.ts";

/** `[exchange, version]`: which exchange dialect and which library version produced the object. */
export type UnicornfiedTag = readonly [exchange: UnicornfyExchange, version: string];

/** Fields shared by every normalized event. */
export interface UnicornfiedBase {
  /**
   * The combined-stream name the frame arrived on; without one (raw `/ws/` frames, WS-API user
   * data) a fixed name as in Python (`!userData@arr`, `!miniTicker@arr`, `ORDER_TRADE_UPDATE` …).
   */
  readonly streamType: string;
  /** `subscriptionId` of a WS-API user-data envelope (tells accounts apart). */
  readonly subscriptionId?: number;
  /** `[exchange, version]` */
  readonly unicornfied: UnicornfiedTag;
}
