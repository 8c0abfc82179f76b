/**
 * Helpers shared by the WASM book and the reference book: option resolution, input validation and
 * the diff sequence verdict in TypeScript (the WASM core has its own copy in
 * `wasm/assembly/sequence.ts`; the differential tests keep both equal).
 *
 * @module
 */
import { checkOptions, showValue } from "../core/_options.ts";
import { BOOK_KEYS, READ_KEYS } from "./_option_keys.ts";
import {
  type BookOptions,
  DEFAULT_BATCH_CAPACITY,
  DEFAULT_CAPACITY_SLACK,
  DEFAULT_DEPTH,
  type DepthDiff,
  type DiffVerdict,
  type ReadOptions,
  type SyncFamily,
} from "./book_types.ts";
import { MAX_PRICE_SCALE } from "./ticks.ts";

/** Book options with defaults applied and validated. */
export interface ResolvedBookOptions {
  readonly family: SyncFamily;
  readonly priceScale: number;
  readonly depth: number;
  readonly capacity: number;
  readonly batchCapacity: number;
}

function positiveInt(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`Invalid book option ${name} ${value}: must be an integer from 1 to ${max}`);
  }
  return value;
}

/** Largest capacity per side (keeps one WASM memory under 1 GiB). */
export const MAX_CAPACITY: number = 1 << 24;

/**
 * Applies defaults and validates book options.
 *
 * @throws {RangeError} Naming the option and the rule.
 */
export function resolveBookOptions(options: BookOptions): ResolvedBookOptions {
  checkOptions(options, "book options", BOOK_KEYS);
  if (options.family !== "spot" && options.family !== "futures") {
    throw new RangeError(`Invalid book option family ${String(options.family)}: must be "spot" or "futures"`);
  }
  const scale = options.priceScale;
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_PRICE_SCALE) {
    throw new RangeError(
      `Invalid book option priceScale ${scale}: must be an integer from 0 to ${MAX_PRICE_SCALE}`,
    );
  }
  const depth = positiveInt("depth", options.depth ?? DEFAULT_DEPTH, MAX_CAPACITY);
  const capacity = positiveInt("capacity", options.capacity ?? depth + DEFAULT_CAPACITY_SLACK, MAX_CAPACITY);
  if (capacity < depth) {
    throw new RangeError(
      `Invalid book option capacity ${showValue(capacity)}: must be at least depth ${showValue(depth)}`,
    );
  }
  const batchCapacity = positiveInt(
    "batchCapacity",
    options.batchCapacity ?? DEFAULT_BATCH_CAPACITY,
    1 << 20,
  );
  return { family: options.family, priceScale: scale, depth, capacity, batchCapacity };
}

/** Validates a depth given to setDepth. */
export function checkDepth(depth: number, capacity: number): number {
  if (!Number.isInteger(depth) || depth < 1 || depth > capacity) {
    throw new RangeError(
      `Invalid depth ${showValue(depth)}: must be an integer from 1 to the capacity ${showValue(capacity)}`,
    );
  }
  return depth;
}

/** Validates an update id (a non-negative safe integer). */
export function checkUpdateId(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `Invalid depth update id ${name} ${String(value)}: must be a non-negative safe integer`,
    );
  }
  return value;
}

/** Ids of a diff as numbers; `pu` is NaN when absent. */
export function diffIds(diff: DepthDiff, family: SyncFamily): [number, number, number] {
  const first = checkUpdateId("U", diff.U);
  const last = checkUpdateId("u", diff.u);
  if (last < first) throw new RangeError(`Invalid depth update: u ${last} is below U ${first}`);
  const prev = diff.pu === undefined ? NaN : checkUpdateId("pu", diff.pu);
  if (family === "futures" && diff.pu === undefined) {
    throw new RangeError("Invalid depth update: pu is required for the futures family");
  }
  return [first, last, prev];
}

/** Parses a quantity string (a non-negative decimal). */
export function parseQuantity(text: string): number {
  const q = Number(text);
  if (!(q >= 0) || q === Infinity || typeof text !== "string" || text.length === 0) {
    throw new RangeError(`Cannot parse quantity ${JSON.stringify(text)}: must be a non-negative decimal`);
  }
  return q;
}

/** The `limit` of a read as an integer >= 0 (default: unlimited). */
export function readLimit(options: ReadOptions | undefined, length: number): number {
  checkOptions(options, "read options", READ_KEYS);
  const limit = options?.limit;
  if (limit === undefined) return length;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`Invalid read option limit ${showValue(limit)}: must be a non-negative integer`);
  }
  return Math.min(limit, length);
}

/** The `thresholdVolume` of a read, or undefined. */
export function readThreshold(options: ReadOptions | undefined): number | undefined {
  const t = options?.thresholdVolume;
  if (t === undefined) return undefined;
  if (typeof t !== "number" || Number.isNaN(t)) {
    throw new RangeError(`Invalid read option thresholdVolume ${showValue(t)}: must be a number`);
  }
  return t;
}

/**
 * Sequence verdict of a diff `[first, last]` (`prev` = pu, NaN on spot) against the local update
 * id `x` (binance-api.md §7.4). `synced` false: only a snapshot with lastUpdateId `x` is loaded.
 */
export function sequenceVerdict(
  family: SyncFamily,
  synced: boolean,
  x: number,
  first: number,
  last: number,
  prev: number,
): DiffVerdict {
  if (family === "spot") {
    if (!synced) {
      // spot pre-sync: drop u <= L; first event must satisfy U <= L+1 <= u
      if (last <= x) return "old";
      return first <= x + 1 ? "applied" : "gap";
    }
    // spot live: ignore u < X; gap when U > X+1 (overlaps are allowed)
    if (last < x) return "old";
    return first > x + 1 ? "gap" : "applied";
  }
  if (!synced) {
    // futures pre-sync: drop u < L; first event must satisfy U <= L <= u
    if (last < x) return "old";
    return first <= x ? "applied" : "gap";
  }
  // futures live: ignore u < X; continuity only through pu == X
  if (last < x) return "old";
  return prev === x ? "applied" : "gap";
}
