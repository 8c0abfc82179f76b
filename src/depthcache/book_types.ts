/**
 * The order-book interface shared by the WASM book (`wasm_book.ts`) and the plain
 * TypeScript reference book (`reference_book.ts`), plus the Binance depth payload shapes
 * they consume.
 *
 * Semantics both implementations follow exactly (the differential tests hold them to it):
 * - Prices are integer ticks at the book's `priceScale` (see `ticks.ts`); quantities are doubles
 *   parsed with `Number()` (a quantity string round-trips through `formatQuantity` with the
 *   market's step decimals). A quantity of zero deletes the level; deleting an unknown level is a
 *   no-op.
 * - Levels of a snapshot or diff are applied in order, bids first, then asks. A side never holds
 *   more than `capacity` levels: a new level on a full side evicts the worst level if it is better,
 *   and is dropped otherwise. After each snapshot and each applied diff every side is pruned
 *   numerically to its `depth` best levels.
 * - `applyDiff` validates the update ids first (binance-api.md §7.4) and applies nothing unless
 *   the verdict is `"applied"`.
 *
 * @module
 */

/** Sequence-rule family: `"spot"` (spot, margin, Binance.US, TR: `U`/`u`) or `"futures"` (USD-M, COIN-M, options: `pu`). */
export type SyncFamily = "spot" | "futures";

/** A book side. */
export type BookSide = "bids" | "asks";

/**
 * Result of `applyDiff`: `"applied"`; `"old"` (the diff is older than the book and was ignored);
 * `"gap"` (updates are missing between the book and the diff, or no snapshot is loaded: resync).
 */
export type DiffVerdict = "applied" | "old" | "gap";

/** `"empty"`: no snapshot; `"snapshot"`: snapshot loaded, waiting for the first applicable diff; `"synced"`. */
export type BookState = "empty" | "snapshot" | "synced";

/** One level as Binance sends it: `[price, quantity]` decimal strings. */
export type PriceLevel = readonly [price: string, quantity: string];

/** A REST depth snapshot (`GET /api/v3/depth`, `/fapi/v1/depth`, ...). */
export interface DepthSnapshot {
  /** Update id of the snapshot (`lastUpdateId`). */
  readonly lastUpdateId: number;
  /** Bid levels (any order; Binance sends best first). */
  readonly bids: readonly PriceLevel[];
  /** Ask levels (any order; Binance sends best first). */
  readonly asks: readonly PriceLevel[];
}

/** A diff-depth event (`depthUpdate`), with Binance's field names. */
export interface DepthDiff {
  /** First update id in the event. */
  readonly U: number;
  /** Final update id in the event. */
  readonly u: number;
  /** Final update id of the previous event (futures family only). */
  readonly pu?: number;
  /** Changed bid levels (absolute quantities, "0" deletes). */
  readonly b: readonly PriceLevel[];
  /** Changed ask levels (absolute quantities, "0" deletes). */
  readonly a: readonly PriceLevel[];
}

/** Options of a book. */
export interface BookOptions {
  /** Sequence-rule family. */
  readonly family: SyncFamily;
  /** Price decimals (from the symbol's `tickSize`, or `detectScale`), 0..22. */
  readonly priceScale: number;
  /** Levels kept per side after each update (default 1000). */
  readonly depth?: number;
  /** Hard limit of levels per side, >= depth (default depth + 256). */
  readonly capacity?: number;
  /** WASM only: levels handed over per call; larger events are applied in chunks (default 512). */
  readonly batchCapacity?: number;
}

/** What to read from a side. */
export interface ReadOptions {
  /** At most this many levels (default: all). */
  readonly limit?: number;
  /**
   * Stop before the level that would push the cumulative quote notional (price * quantity) above
   * this value; the best level is always included (UBLDC `threshold_volume` semantics).
   */
  readonly thresholdVolume?: number;
}

/**
 * Zero-copy view of a side's live levels, ordered worst to best (the best level is at
 * `length - 1`). For the WASM book the arrays are views on its linear memory: valid until the next
 * update, never to be written.
 */
export interface SideView {
  /** Integer price ticks. */
  readonly ticks: Float64Array;
  /** Quantities. */
  readonly quantities: Float64Array;
  /** Number of levels. */
  readonly length: number;
}

/** An order book for one market. */
export interface OrderBook {
  /** Sequence-rule family. */
  readonly family: SyncFamily;
  /** Price decimals. */
  readonly priceScale: number;
  /** Levels kept per side after each update. */
  readonly depth: number;
  /** Hard limit of levels per side. */
  readonly capacity: number;
  /** Update id of the last applied snapshot or diff, -1 when empty. */
  readonly lastUpdateId: number;
  /** Synchronisation state of the book. */
  readonly state: BookState;
  /** Replaces the book with a snapshot; the next diff must pass the first-event rule. */
  loadSnapshot(snapshot: DepthSnapshot): void;
  /** Validates a diff's update ids and applies it when the verdict is `"applied"`. */
  applyDiff(diff: DepthDiff): DiffVerdict;
  /**
   * WASM book only: applies a diff straight from its frame text when the book is synchronized and
   * the core vouches for the frame; `undefined` (book untouched) means "use `applyDiff`".
   */
  applyFrame?(text: string, wrapped: boolean): DiffVerdict | undefined;
  /** Changes the depth kept per side (1..capacity) and prunes now. */
  setDepth(depth: number): void;
  /** Empties the book (state `"empty"`). */
  clear(): void;
  /** Number of levels on a side. */
  length(side: BookSide): number;
  /** Best price of a side in ticks, -1 when the side is empty. */
  bestTick(side: BookSide): number;
  /** True when both sides are non-empty and best bid >= best ask (a crossed book: resync). */
  isCrossed(): boolean;
  /** Number of best levels a read with these options returns. */
  count(side: BookSide, options?: ReadOptions): number;
  /** Zero-copy view of a side (worst to best). */
  view(side: BookSide): SideView;
  /** Best-first `[price, quantity]` pairs as numbers (UBLDC `get_asks` / `get_bids` shape). */
  read(side: BookSide, options?: ReadOptions): [number, number][];
}

/** Default `depth` of a book. */
export const DEFAULT_DEPTH = 1000;
/** Default `capacity - depth`. */
export const DEFAULT_CAPACITY_SLACK = 256;
/** Default `batchCapacity` of a WASM book. */
export const DEFAULT_BATCH_CAPACITY = 512;
