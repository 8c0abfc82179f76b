/**
 * UnicornFy in TypeScript: raw Binance WebSocket frames → readable, typed objects.
 *
 * `unicornfy(frame, { exchange })` accepts a frame as text or parsed, with or without the
 * combined-stream envelope or the WebSocket API user-data envelope, and returns a discriminated
 * union on `eventType` (one interface per event). Keys follow the Python unicorn-fy tables in
 * camelCase; prices and quantities stay decimal strings; ids above 2^53 − 1 become `bigint`.
 * The field tables are data (`SPOT_*_EVENTS`, `FUTURES_*_EVENTS`); `docs/unicornfy.md` is generated
 * from them.
 *
 * @example Narrow on eventType
 * ```ts
 * import { unicornfy } from "./mod.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const msg = unicornfy('{"e":"balanceUpdate","E":1,"a":"USDT","d":"1.5","T":2}', { exchange: "binance.com" });
 * switch (msg.eventType) {
 *   case "balanceUpdate":
 *     assertEquals(msg.balanceDelta, "1.5");
 *     break;
 *   default:
 *     throw new Error("not a balance update");
 * }
 * ```
 *
 * @module
 */
export {
  createUnicornfy,
  isUnknownEvent,
  type Unicornfier,
  unicornfy,
  type UnicornfyOptions,
} from "./unicornfy.ts";
export { UnicornfyParseError } from "./errors.ts";
export { UNICORNFY_EXCHANGES, type UnicornfyExchange, type UnicornfyFamily } from "./exchanges.ts";
export { UNICORNFY_VERSION } from "./version.ts";
export { SPOT_MARKET_EVENTS, SPOT_USER_EVENTS } from "./spot.ts";
export { FUTURES_MARKET_EVENTS, FUTURES_USER_EVENTS } from "./futures.ts";
export { OPTIONS_USER_EVENTS, PORTFOLIO_MARGIN_USER_EVENTS } from "./derivatives.ts";
export { OPTIONS_MARKET_EVENTS } from "./options.ts";
export { renderFieldTables } from "./field_docs.ts";
export type { EventSpec, FieldKind, FieldSpec, StreamRule } from "./field_table.ts";
export type { Int64 } from "../core/json.ts";
export type * from "./types.ts";
export type * from "./types_spot.ts";
export type * from "./types_user_spot.ts";
export type * from "./types_futures.ts";
export type * from "./types_derivatives.ts";
export type * from "./types_options.ts";
