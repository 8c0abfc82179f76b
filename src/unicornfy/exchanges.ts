/**
 * Which mapping tables apply to which exchange string (the suite's 14 names).
 *
 * @module
 */
import type { ExchangeName } from "../core/exchanges.ts";
import { type CompiledEvent, compileEvents } from "./_compile.ts";
import { FUTURES_MARKET_EVENTS, FUTURES_USER_EVENTS } from "./futures.ts";
import { SPOT_MARKET_EVENTS, SPOT_USER_EVENTS } from "./spot.ts";

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
  // Options payloads are not mapped (UnicornFy has no options tables): every event passes through
  // as an unknown event with its payload intact.
  "binance.com-vanilla-options": "options",
  "binance.com-vanilla-options-testnet": "options",
  // Portfolio margin user data carries both spot-margin and futures user events.
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
    ? [...SPOT_USER_EVENTS, ...FUTURES_USER_EVENTS]
    : [];
  const tables: FamilyTables = { events: compileEvents(specs, interpret), spotDepth: family === "spot" };
  cache[family] = tables;
  return tables;
}
