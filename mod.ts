/**
 * unicorn-binance: a Binance toolkit for bots that run as services, on Deno, Bun, Node (>= 22) and,
 * for REST-only use, edge runtimes.
 *
 * This entry re-exports the everyday API of the sub-path exports; each sub-path
 * (`@unicorn/binance/rest`, `/ws`, `/unicornfy`, `/depthcache`, `/testing`) exports the rest.
 *
 * @example The venue catalog and exact tick rounding
 * ```ts
 * import { getExchange, roundToStep } from "./mod.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(getExchange("binance.com-coin_futures").rest.dapi, "https://dapi.binance.com");
 * assertEquals(roundToStep("27123.456", "0.01", "floor"), "27123.45");
 * ```
 *
 * @module
 */
export * from "./src/core/mod.ts";
export {
  createUnicornfy,
  isUnknownEvent,
  type Unicornfier,
  unicornfy,
  type UnicornfyEvent,
  type UnicornfyEventType,
  type UnicornfyMessage,
  type UnicornfyOptions,
  UnicornfyParseError,
  type UnknownEvent,
} from "./src/unicornfy/mod.ts";
