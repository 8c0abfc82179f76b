/**
 * The keys of the depth cache's options objects, for the unknown-key check of
 * `core/_options.ts` (the compiler keeps each list equal to its interface). Internal.
 *
 * @module
 */
import { type OptionKeys, optionKeys } from "../core/_options.ts";
import type { BookOptions, ReadOptions } from "./book_types.ts";
import type { LevelFormat, LevelReadOptions } from "./cache_types.ts";
import type {
  BookReadOptions,
  CreateDepthCacheOptions,
  DepthCacheManagerOptions,
} from "./manager_options.ts";
import type { SnapshotSchedulerOptions } from "./scheduler.ts";
import type { DepthSyncOptions } from "./sync.ts";

/** `DepthCacheManagerOptions`. */
export const MANAGER_KEYS: OptionKeys = optionKeys<DepthCacheManagerOptions>({
  exchange: true,
  restClient: true,
  restOptions: true,
  wsManager: true,
  wsOptions: true,
  updateInterval: true,
  depth: true,
  snapshotLimit: true,
  refreshInterval: true,
  weightBudget: true,
  budgetIntervalMs: true,
  snapshotConcurrency: true,
  marketsPerStream: true,
  reconnectGraceMs: true,
  firstEventTimeoutMs: true,
  onStateChange: true,
});

/** `CreateDepthCacheOptions`. */
export const CREATE_KEYS: OptionKeys = optionKeys<CreateDepthCacheOptions>({ refreshInterval: true });

/** `getAsks` / `getBids` options. */
export const LEVEL_READ_KEYS: OptionKeys = optionKeys<LevelReadOptions & { format?: LevelFormat }>({
  limitCount: true,
  thresholdVolume: true,
  format: true,
});

/** `getBook` options. */
export const BOOK_READ_KEYS: OptionKeys = optionKeys<BookReadOptions & { format?: LevelFormat }>({
  limitCount: true,
  format: true,
});

/** `SnapshotSchedulerOptions`. */
export const SCHEDULER_KEYS: OptionKeys = optionKeys<SnapshotSchedulerOptions>({
  weightLimit: true,
  intervalMs: true,
  concurrency: true,
  now: true,
  readUsedWeight: true,
});

/** `BookOptions`. */
export const BOOK_KEYS: OptionKeys = optionKeys<BookOptions>({
  family: true,
  priceScale: true,
  depth: true,
  capacity: true,
  batchCapacity: true,
});

/** `ReadOptions` of a book. */
export const READ_KEYS: OptionKeys = optionKeys<ReadOptions>({ limit: true, thresholdVolume: true });

/** `DepthSyncOptions`. */
export const SYNC_KEYS: OptionKeys = optionKeys<DepthSyncOptions>({ maxBuffer: true, resyncOnCrossed: true });
