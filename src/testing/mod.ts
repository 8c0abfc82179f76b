/**
 * `unicorn-binance/testing`: a local Binance exchange emulator for tests, examples and
 * benchmarks. REST market data and signed endpoints (spot, USDⓈ-M, COIN-M, margin, wallet,
 * options market data), market streams, the WebSocket API, user-data events from small matching
 * engines, injectable faults and replay of recordings — on Deno, Bun and Node from one hono app.
 *
 * ```ts
 * import { startEmulator } from "./mod.ts";
 * import { assertEquals } from "@std/assert";
 *
 * await using emu = await startEmulator({ seed: 1, paused: true });
 * const res = await fetch(`${emu.restUrl}/api/v3/ping`);
 * assertEquals(await res.json(), {});
 * ```
 *
 * @module
 */
export {
  type AccountView,
  type BookView,
  type Emulator,
  startEmulator,
  type TransferChange,
} from "./emulator/server.ts";
export type { AccountOptions, EmulatorOptions, LimitOptions } from "./emulator/options.ts";
export type { MarketKind, MarketOptions } from "./emulator/symbols.ts";
export {
  type Fault,
  FAULT_NAMES,
  type FaultHandle,
  type FaultName,
  type FaultTarget,
  type ScheduledFault,
} from "./emulator/faults.ts";
export type { Recording, ReplayOptions } from "./emulator/replay.ts";
export type {
  CoverageMarket,
  CoverageOptions,
  CoverageRecord,
  CoverageRecorder,
  CoverageSummary,
} from "./emulator/coverage.ts";
export type { DriveOptions, DrivePrice, DriveResult, DriveStep, DriveVenue } from "./emulator/drive.ts";
export type { PositionSide } from "./emulator/futures_account.ts";
