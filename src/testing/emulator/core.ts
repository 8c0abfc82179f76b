/**
 * The state shared by all protocol layers of one emulator instance.
 *
 * @module
 */
import type { FaultRegistry } from "./faults.ts";
import type { MarketHub } from "./hub.ts";
import type { ReplayPlayer } from "./replay.ts";
import type { WeightCounter } from "./weights.ts";

/** Venue key used throughout the emulator. */
export type Venue = "spot" | "usdm";

/** Shared emulator state. */
export interface Core {
  readonly hub: MarketHub;
  readonly faults: FaultRegistry;
  readonly weights: Readonly<Record<Venue, WeightCounter>>;
  /** Replayed venues (their market data comes from a recording). */
  readonly replay: Readonly<Partial<Record<Venue, ReplayPlayer>>>;
  /** Server time of a venue in ms (the configured clock plus any clock-skew fault). */
  now(venue: Venue): number;
  /** Real time (unskewed) in ms. */
  realNow(): number;
}

/** Accounts, engines and user-data routing (present in every emulator; empty without accounts). */
export interface Trading {
  readonly keys: ReadonlyMap<string, import("./auth.ts").KeyEntry>;
  readonly spot: import("./spot_engine.ts").SpotEngine;
  readonly futures: import("./futures_engine.ts").FuturesEngine;
  readonly userData: import("./user_data.ts").UserData;
}
