/**
 * The state shared by all protocol layers of one emulator instance.
 *
 * @module
 */
import type { FaultRegistry } from "./faults.ts";
import type { MarketHub } from "./hub.ts";
import type { ReplayPlayer } from "./replay.ts";
import type { WeightCounter } from "./weights.ts";

/** Venue key used throughout the emulator (streams, WebSocket API, faults). */
export type Venue = "spot" | "usdm";

/**
 * REST venues, each with its own weight pool: spot `/api`, USD-M `/fapi`, COIN-M `/dapi`,
 * `/sapi` (margin, wallet; its own 12 000-per-minute IP pool), `sapiUid` (the `/sapi` endpoints
 * Binance counts per account: 180 000 per minute), options `/eapi` and portfolio margin `/papi`.
 */
export type RestVenue = Venue | "coinm" | "sapi" | "sapiUid" | "eapi" | "papi";

/** The fault target a REST venue belongs to: `/sapi` to spot; COIN-M, options and portfolio margin to USD-M. */
export function faultVenue(v: RestVenue): Venue {
  return v === "spot" || v === "sapi" || v === "sapiUid" ? "spot" : "usdm";
}

/** Shared emulator state. */
export interface Core {
  readonly hub: MarketHub;
  readonly faults: FaultRegistry;
  readonly weights: Readonly<Record<RestVenue, WeightCounter>>;
  /** Replayed venues (their market data comes from a recording). */
  readonly replay: Readonly<Partial<Record<Venue | "coinm", ReplayPlayer>>>;
  /** Server time of a venue in ms (the configured clock plus any clock-skew fault). */
  now(venue: RestVenue): number;
  /** Real time (unskewed) in ms. */
  realNow(): number;
}

/** Accounts, engines and user-data routing (present in every emulator; empty without accounts). */
export interface Trading {
  readonly keys: ReadonlyMap<string, import("./auth.ts").KeyEntry>;
  readonly spot: import("./spot_engine.ts").SpotEngine;
  /** The USD-M engine. */
  readonly futures: import("./futures_engine.ts").FuturesEngine;
  /** The COIN-M engine. */
  readonly coinm: import("./futures_engine.ts").FuturesEngine;
  /** Funding rates and settlements of both futures venues. */
  readonly funding: import("./funding.ts").Funding;
  /** Cross and isolated margin accounts and their order engine. */
  readonly margin: import("./margin.ts").MarginBook;
  /** Universal transfers between the wallets. */
  readonly transfers: import("./transfers.ts").Transfers;
  /** Deposits, withdrawals and daily snapshots. */
  readonly wallet: import("./wallet.ts").Wallet;
  /** API keys restricted to trusted IPs (sub-account IP restrictions); signed calls check it. */
  readonly ipRestrictions: Map<string, import("./sub_accounts.ts").IpRestriction>;
  /** The spot account of an API key (configured keys only). */
  spotAccount(apiKey: string): import("./spot_account.ts").SpotAccount;
  /** Adds `delta` to a spot free balance and emits `balanceUpdate` + `outboundAccountPosition`. */
  spotMove(apiKey: string, asset: string, delta: import("decimal.js").Decimal): void;
  readonly userData: import("./user_data.ts").UserData;
}
