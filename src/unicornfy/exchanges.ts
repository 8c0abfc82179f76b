/**
 * Which mapping tables apply to which exchange string (the suite's 14 names).
 *
 * @module
 */
import type { ExchangeName } from "../core/exchanges.ts";
import { type CompiledEvent, compileEvents } from "./_compile.ts";
import { FUTURES_MARKET_EVENTS, FUTURES_USER_EVENTS } from "./futures.ts";
import { OPTIONS_MARKET_EVENTS } from "./options.ts";
import { SPOT_MARKET_EVENTS, SPOT_USER_EVENTS } from "./spot.ts";
import { OPTIONS_USER_EVENTS, PORTFOLIO_MARGIN_USER_EVENTS } from "./derivatives.ts";

/** Exchange names `unicornfy` accepts: the suite's 14 exchange strings (`ExchangeName` of core). */
export type UnicornfyExchange = ExchangeName;

/** Table family of an exchange: which Binance payload dialect it speaks. */
export type UnicornfyFamily = "spot" | "futures" | "portfolio_margin" | "options";

/** Family of every accepted exchange name. */
export const UNICORNFY_EXCHANGES: Readonly<Record<UnicornfyExchange, UnicornfyFamily>> = {
  "binance.com": "spot",
  "binance.com-testnet": "spot",
  "binance.com-margin": "spot",
  "binance.com-margin-testnet": "spot",
  "binance.com-isolated_margin": "spot",
  "binance.com-isolated_margin-testnet": "spot",
  "binance.com-futures": "futures",
  "binance.com-futures-testnet": "futures",
  "binance.com-coin_futures": "futures",
  // Options user data (derivatives.ts) and options market streams (options.ts) have their own tables;
  // the options ACCOUNT_UPDATE / ORDER_TRADE_UPDATE pass through as unknown events with the payload
  // intact.
  "binance.com-vanilla-options": "options",
  "binance.com-vanilla-options-testnet": "options",
  // Portfolio margin user data carries spot-margin, futures and its own user events.
  "binance.com-portfolio_margin": "portfolio_margin",
  "binance.us": "spot",
  "trbinance.com": "spot",
};

/** The event tables of each family (built once, at first use). */
export interface FamilyTables {
  /** Event name → spec and its compiled mapper. */
  readonly events: ReadonlyMap<string, CompiledEvent>;
  /** Whether partial depth without `e` is the spot `depth` event (spot rule) or unknown. */
  readonly spotDepth: boolean;
}

const caches: [
  Partial<Record<UnicornfyFamily, FamilyTables>>,
  Partial<Record<UnicornfyFamily, FamilyTables>>,
] = [
  {},
  {},
];

/**
 * The tables of a family, compiled at first use (importing the module does no work).
 *
 * @param family Which dialect.
 * @param interpret Use the table interpreter instead of compiled mappers (tests compare both).
 * @returns The family's tables.
 */
export function familyTables(family: UnicornfyFamily, interpret = false): FamilyTables {
  const cache = caches[interpret ? 1 : 0];
  const known = cache[family];
  if (known !== undefined) return known;
  const specs = family === "spot"
    ? [...SPOT_MARKET_EVENTS, ...SPOT_USER_EVENTS]
    : family === "futures"
    ? [...FUTURES_MARKET_EVENTS, ...FUTURES_USER_EVENTS]
    : family === "portfolio_margin"
    ? [...SPOT_USER_EVENTS, ...FUTURES_USER_EVENTS, ...PORTFOLIO_MARGIN_USER_EVENTS]
    : [...OPTIONS_MARKET_EVENTS, ...OPTIONS_USER_EVENTS];
  const tables: FamilyTables = { events: compileEvents(specs, interpret), spotDepth: family === "spot" };
  cache[family] = tables;
  return tables;
}
