/**
 * Which mapping tables apply to which exchange string (the suite's 14 names).
 *
 * @module
 */
import { type EventTable, table } from "./field_table.ts";
import { FUTURES_MARKET_EVENTS, FUTURES_USER_EVENTS } from "./futures.ts";
import { SPOT_MARKET_EVENTS, SPOT_USER_EVENTS } from "./spot.ts";

/** Exchange names `unicornfy` accepts (the suite's exchange strings, same as `ExchangeName` in core). */
export type UnicornfyExchange =
  | "binance.com"
  | "binance.com-testnet"
  | "binance.com-margin"
  | "binance.com-margin-testnet"
  | "binance.com-isolated_margin"
  | "binance.com-isolated_margin-testnet"
  | "binance.com-futures"
  | "binance.com-futures-testnet"
  | "binance.com-coin_futures"
  | "binance.com-vanilla-options"
  | "binance.com-vanilla-options-testnet"
  | "binance.com-portfolio_margin"
  | "binance.us"
  | "trbinance.com";

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
  /** Event name → spec. */
  readonly events: EventTable;
  /** Whether partial depth without `e` is the spot `depth` event (spot rule) or unknown. */
  readonly spotDepth: boolean;
}

let cache: Record<UnicornfyFamily, FamilyTables> | undefined;

/** The tables of a family; built lazily so importing the module does no work. */
export function familyTables(family: UnicornfyFamily): FamilyTables {
  cache ??= {
    spot: { events: table(SPOT_MARKET_EVENTS, SPOT_USER_EVENTS), spotDepth: true },
    futures: { events: table(FUTURES_MARKET_EVENTS, FUTURES_USER_EVENTS), spotDepth: false },
    portfolio_margin: { events: table(SPOT_USER_EVENTS, FUTURES_USER_EVENTS), spotDepth: false },
    options: { events: table(), spotDepth: false },
  };
  return cache[family];
}
