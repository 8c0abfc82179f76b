/**
 * The synchronisation state machine of one local order book (binance-api.md §7.1–7.4).
 *
 * Pure: no I/O, no timers. The caller feeds it the market's diff events and REST snapshots and
 * fetches a snapshot whenever a call returns `fetchSnapshot: true`; the machine buffers diffs
 * until the snapshot arrives, drops buffered events older than it, applies the first event by the
 * family's rule, and on a gap starts over from the gapped event (keeping it buffered). The
 * sequence verdicts themselves come from the book (the WASM core or the reference book).
 *
 * States: `"buffering"` (waiting for a snapshot, diffs are buffered), `"syncing"` (snapshot loaded,
 * waiting for the first applicable diff), `"live"` (synchronized).
 *
 * Rules implemented here, beyond the per-event verdicts:
 * - A snapshot older than the buffered stream (its first remaining event fails the first-event
 *   rule) is replaced by a new snapshot while the buffer is **kept** (Binance step 4; options
 *   snapshots can lag the stream by ~30 s, so a buffer discarded on each re-snapshot never syncs).
 * - A live gap keeps the book's contents (readers decide whether to serve them while the state is
 *   not `"live"`) and buffers from the gapped event on.
 * - A crossed book after an applied diff (best bid >= best ask) triggers a resync (on by default).
 *
 * @example Spot: buffer, snapshot, replay
 * ```ts
 * import { DepthSync } from "./sync.ts";
 * import { ReferenceBook } from "./reference_book.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const sync = new DepthSync(new ReferenceBook({ family: "spot", priceScale: 2 }));
 * assertEquals(sync.onDiff({ U: 8, u: 9, b: [["1.00", "1"]], a: [] }).fetchSnapshot, true);
 * sync.onDiff({ U: 10, u: 12, b: [["1.01", "2"]], a: [["1.05", "3"]] });
 * sync.onSnapshot({ lastUpdateId: 10, bids: [["1.00", "5"]], asks: [["1.06", "1"]] });
 * assertEquals(sync.status, "live");
 * assertEquals(sync.book.read("bids"), [[1.01, 2], [1, 5]]);
 * ```
 *
 * @module
 */
import { checkOptions, showValue } from "../core/_options.ts";
import { SYNC_KEYS } from "./_option_keys.ts";
import type { DepthDiff, DepthSnapshot, DiffVerdict, OrderBook } from "./book_types.ts";

/** Status of a {@link DepthSync}. */
export type SyncStatus = "buffering" | "syncing" | "live";

/** Options of a {@link DepthSync}. */
export interface DepthSyncOptions {
  /** Most diffs kept while buffering; the oldest are dropped beyond it (default 10 000). */
  readonly maxBuffer?: number;
  /** Resync when an applied diff leaves a crossed book (default true). */
  readonly resyncOnCrossed?: boolean;
}

/** What one call did and what the caller must do next. */
export interface SyncResult {
  /** The verdict of the diff, `"buffered"` while waiting for a snapshot, or `"snapshot"` for onSnapshot. */
  readonly verdict: DiffVerdict | "buffered" | "snapshot";
  /** True when the caller must fetch a REST snapshot now and pass it to `onSnapshot`. */
  readonly fetchSnapshot: boolean;
  /** Status after the call. */
  readonly status: SyncStatus;
}

/** Counters of a {@link DepthSync}. */
export interface SyncStats {
  /** Diffs applied to the book (live and replayed). */
  applied: number;
  /** Diffs ignored as older than the book (pre-sync drops and stale duplicates). */
  old: number;
  /** Gaps in a synchronized book (each starts a resync). */
  gaps: number;
  /** Snapshots that were older than the buffered stream (each starts another snapshot). */
  staleSnapshots: number;
  /** Resyncs because of a crossed book. */
  crossed: number;
  /** Snapshots asked for. */
  snapshotsRequested: number;
  /** Snapshots loaded. */
  snapshotsLoaded: number;
  /** Buffered diffs dropped because the buffer was full. */
  bufferOverflow: number;
}

const APPLIED_LIVE: SyncResult = Object.freeze({ verdict: "applied", fetchSnapshot: false, status: "live" });
const OLD_LIVE: SyncResult = Object.freeze({ verdict: "old", fetchSnapshot: false, status: "live" });

/** The synchronisation state machine of one market's book (see the module docs). */
export class DepthSync {
  /** The book this machine keeps synchronized. */
  readonly book: OrderBook;
  /** Counters since construction. */
  readonly stats: SyncStats = {
    applied: 0,
    old: 0,
    gaps: 0,
    staleSnapshots: 0,
    crossed: 0,
    snapshotsRequested: 0,
    snapshotsLoaded: 0,
    bufferOverflow: 0,
  };
  readonly #maxBuffer: number;
  readonly #resyncOnCrossed: boolean;
  #buffer: DepthDiff[] = [];
  #status: SyncStatus = "buffering";
  #snapshotPending = false;

  /**
   * Creates a machine in `"buffering"` state.
   *
   * @param book An order book of the market's family (its contents are replaced by snapshots).
   * @param options Buffer limit and crossed-book policy.
   * @throws {RangeError} When `maxBuffer` is not a positive integer.
   */
  constructor(book: OrderBook, options: DepthSyncOptions = {}) {
    checkOptions(options, "DepthSync options", SYNC_KEYS);
    const maxBuffer = options.maxBuffer ?? 10_000;
    if (!Number.isInteger(maxBuffer) || maxBuffer < 1) {
      throw new RangeError(
        `Invalid sync option maxBuffer ${showValue(maxBuffer)}: must be a positive integer`,
      );
    }
    this.book = book;
    this.#maxBuffer = maxBuffer;
    this.#resyncOnCrossed = options.resyncOnCrossed ?? true;
  }

  /** Current status. */
  get status(): SyncStatus {
    return this.#status;
  }

  /** Number of buffered diffs. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** True between a `fetchSnapshot` request and the matching `onSnapshot` / `snapshotFailed`. */
  get snapshotPending(): boolean {
    return this.#snapshotPending;
  }

  #result(verdict: SyncResult["verdict"], fetch: boolean): SyncResult {
    if (!fetch && this.#status === "live") {
      if (verdict === "applied") return APPLIED_LIVE; // the hot path allocates nothing
      if (verdict === "old") return OLD_LIVE;
    }
    return { verdict, fetchSnapshot: fetch, status: this.#status };
  }

  /** Asks for a snapshot unless one is already pending; returns whether the caller must fetch. */
  #requestSnapshot(): boolean {
    if (this.#snapshotPending) return false;
    this.#snapshotPending = true;
    this.stats.snapshotsRequested++;
    return true;
  }

  #push(diff: DepthDiff): void {
    this.#buffer.push(diff);
    if (this.#buffer.length > this.#maxBuffer) {
      this.#buffer.shift();
      this.stats.bufferOverflow++;
    }
  }

  /** Back to buffering from `diff` on (a gap, a stale snapshot or a crossed book). */
  #restart(from: readonly DepthDiff[]): boolean {
    this.#status = "buffering";
    this.#buffer = [];
    for (const d of from) this.#push(d);
    return this.#requestSnapshot();
  }

  /**
   * Feeds one diff event of the market.
   *
   * @param diff The event (`U`, `u`, `pu` on futures, `b`, `a`).
   * @returns The verdict and whether a snapshot must be fetched now.
   * @throws {RangeError} On malformed ids or levels (the book is then empty; call `reset()`).
   */
  onDiff(diff: DepthDiff): SyncResult {
    if (this.#status === "buffering") {
      this.#push(diff);
      return this.#result("buffered", this.#requestSnapshot());
    }
    const verdict = this.book.applyDiff(diff);
    if (verdict === "gap") {
      if (this.#status === "syncing") this.stats.staleSnapshots++;
      else this.stats.gaps++;
      return this.#result(verdict, this.#restart([diff]));
    }
    return this.#settle(verdict);
  }

  /** Counters, status and the crossed-book check after an applied or old diff. */
  #settle(verdict: "applied" | "old"): SyncResult {
    if (verdict === "old") {
      this.stats.old++;
      return this.#result(verdict, false);
    }
    this.stats.applied++;
    this.#status = "live";
    if (this.#resyncOnCrossed && this.book.isCrossed()) {
      this.stats.crossed++;
      return this.#result(verdict, this.#restart([]));
    }
    return this.#result(verdict, false);
  }

  /**
   * Feeds one diff event as its frame text, when the book can take it without `JSON.parse` (a
   * live WASM book and a frame its core vouches for, see `WasmBook.applyFrame`). Results are those
   * of {@link onDiff} for the same event.
   *
   * @param text The frame text as received.
   * @param wrapped True for a combined-stream wrapper (`{"stream": …, "data": {…}}`).
   * @returns The result, or `undefined`: nothing happened, parse the frame and call `onDiff` (also
   *   for a gap, which needs the parsed event in the buffer).
   */
  applyFrame(text: string, wrapped: boolean): SyncResult | undefined {
    if (this.#status !== "live" || this.book.applyFrame === undefined) return undefined;
    const verdict = this.book.applyFrame(text, wrapped);
    if (verdict === undefined || verdict === "gap") return undefined; // a gap left the book untouched
    return this.#settle(verdict);
  }

  /**
   * Loads a REST snapshot and replays the buffered diffs on top of it.
   *
   * @param snapshot The snapshot (`lastUpdateId`, `bids`, `asks`).
   * @returns `fetchSnapshot: true` when the snapshot was older than the buffered stream (the buffer
   *   is kept) or the buffer had a gap.
   * @throws {RangeError} On malformed ids or levels (the book is then empty; call `reset()`).
   */
  onSnapshot(snapshot: DepthSnapshot): SyncResult {
    this.#snapshotPending = false;
    this.book.loadSnapshot(snapshot);
    this.stats.snapshotsLoaded++;
    this.#status = "syncing";
    const buffer = this.#buffer;
    this.#buffer = [];
    for (let i = 0; i < buffer.length; i++) {
      const verdict = this.book.applyDiff(buffer[i]);
      if (verdict === "applied") {
        this.stats.applied++;
        this.#status = "live";
      } else if (verdict === "old") {
        this.stats.old++;
      } else {
        if (this.#status === "syncing") this.stats.staleSnapshots++;
        else this.stats.gaps++;
        return this.#result("snapshot", this.#restart(buffer.slice(i)));
      }
    }
    if (this.#status === "live" && this.#resyncOnCrossed && this.book.isCrossed()) {
      this.stats.crossed++;
      return this.#result("snapshot", this.#restart([]));
    }
    return this.#result("snapshot", false);
  }

  /**
   * Tells the machine that a requested snapshot could not be fetched.
   *
   * @returns `true`: the caller should fetch again (after its own back-off).
   */
  snapshotFailed(): boolean {
    this.#snapshotPending = false;
    return this.#requestSnapshot();
  }

  /** Forgets everything (e.g. after a reconnect): empty book, empty buffer, `"buffering"`. */
  reset(): void {
    this.book.clear();
    this.#buffer = [];
    this.#status = "buffering";
    this.#snapshotPending = false;
  }
}
