/**
 * One market's depth cache inside the manager: the served book ("main" slot), an optional
 * refresh book built behind it ("shadow" slot), the user-facing state and the reads.
 *
 * A slot is a {@link DepthSync} plus what comes before it exists: until its first snapshot
 * arrives the slot buffers diffs itself, because the book's price scale is only known from the
 * strings (spot: the wire's fixed decimals; futures: the decimals seen in the snapshot and the
 * buffered diffs). A price finer than that scale (never seen on the recordings, but possible)
 * rebuilds the slot with the finer scale instead of failing.
 *
 * Hot path: `onFrame` runs for every depth frame of the market and takes it when the served book
 * is a live WASM book and nothing else needs the parsed event (no refresh book being built, not
 * unverified): the core parses the frame text itself. Otherwise the frame is parsed and `onDiff`
 * runs.
 *
 * @module
 */
import { createOrderBook } from "./book.ts";
import type { DepthDiff, DepthSnapshot, OrderBook, PriceLevel, SyncFamily } from "./book_types.ts";
import type {
  DepthCacheBook,
  DepthCacheState,
  DepthCacheStats,
  NumberLevel,
  StringLevel,
} from "./cache_types.ts";
import { DepthSync, type SyncResult } from "./sync.ts";
import type { WasmBook } from "./wasm_book.ts";
import { detectScale, formatQuantity, formatTicks, wireDecimals } from "./ticks.ts";

/** A book being synchronized. */
export interface Slot {
  sync: DepthSync | undefined;
  pending: DepthDiff[];
  /** Snapshot requested and not delivered yet. */
  fetching: boolean;
  /** Dropped (replaced or stopped): late snapshots for it are ignored. */
  closed: boolean;
  minScale: number;
  failures: number;
  /** Priority of its snapshots: 0 resync, 1 first sync, 2 refresh. */
  readonly priority: number;
}

/** What a cache needs from its manager. */
export interface CacheHooks {
  /** Schedule a snapshot for `slot` (the manager calls back `onSnapshot` / `onSnapshotFailed`). */
  fetch(cache: MarketCache, slot: Slot): void;
  /** The user-facing state changed. */
  changed(cache: MarketCache, previous: DepthCacheState, reason: string): void;
  /** The cache stopped on its own (an invalid symbol): unsubscribe it and drop its snapshots. */
  failed(cache: MarketCache): void;
}

const MAX_PENDING = 10_000;

function newSlot(priority: number, minScale = 0): Slot {
  return { sync: undefined, pending: [], fetching: false, closed: false, minScale, failures: 0, priority };
}

function prices(levels: readonly PriceLevel[], out: string[]): void {
  for (const l of levels) out.push(l[0]);
}

/** The cache of one market (see the module docs). */
export class MarketCache {
  readonly market: string;
  readonly family: SyncFamily;
  readonly depth: number;
  readonly #hooks: CacheHooks;
  /** Why the served slot was rebuilt during the current call, if it was. */
  #rebuilt: string | undefined;
  #lastEventTime = 0;
  #lastReceivedAt = 0;
  main: Slot;
  shadow: Slot | undefined;
  state: DepthCacheState = "SYNCING";
  /** Connection lost or a frame unreadable: not served until an event chains again. */
  suspect = false;
  stopped = false;
  /** Why the cache stopped on its own (an invalid symbol); undefined after `stop()` or while running. */
  failure: string | undefined;
  refreshInterval: number | undefined;
  lastSyncAt = 0;
  eventTime = 0;
  receivedAt = 0;
  qtyDecimals = 0;
  readonly stats = {
    syncs: 0,
    resyncs: 0,
    refreshes: 0,
    snapshots: 0,
    snapshotFailures: 0,
    applied: 0,
    malformed: 0,
    wasmFrames: 0,
  };

  constructor(
    market: string,
    options: { family: SyncFamily; depth: number; refreshInterval?: number },
    hooks: CacheHooks,
  ) {
    this.market = market;
    this.family = options.family;
    this.depth = options.depth;
    this.refreshInterval = options.refreshInterval;
    this.#hooks = hooks;
    this.main = newSlot(1);
  }

  /** The served book when the cache is live. */
  get book(): OrderBook | undefined {
    return this.main.sync?.book;
  }

  /** Counters. */
  snapshotStats(): DepthCacheStats {
    return { ...this.stats, state: this.state, failure: this.failure };
  }

  /**
   * Requests the first snapshot although no diff arrived yet (a quiet market, or a symbol Binance
   * does not know and so never sends a diff for): the answer either waits for the first event or
   * stops the cache with the reason.
   */
  probe(): void {
    if (this.stopped || this.main.sync !== undefined || this.main.pending.length > 0) return;
    this.#fetch(this.main);
  }

  /** Stops the cache on its own with `reason` (an invalid symbol); reads then say why. */
  fail(slot: Slot, reason: string): void {
    slot.fetching = false;
    if (slot.closed || this.stopped) return;
    this.stats.snapshotFailures++;
    this.main.closed = true;
    if (this.shadow) this.#dropShadow();
    this.main = newSlot(1);
    this.stopped = true;
    this.failure = reason;
    this.#hooks.failed(this);
    this.#update(reason);
  }

  // ------------------------------------------------------------------ input

  /** Feeds one depth event to the served book and to a refresh book. */
  onDiff(diff: DepthDiff, eventTime: number, receivedAt: number): void {
    if (this.stopped) return;
    this.#lastEventTime = eventTime;
    this.#lastReceivedAt = receivedAt;
    if (this.family === "futures") this.#qtyFrom(diff.b, diff.a);
    const before = this.main.sync?.stats; // counters are updated in place: copy the numbers
    const gaps = before ? before.gaps + before.crossed + before.staleSnapshots : 0;
    const crossed = before?.crossed ?? 0;
    const r = this.#feed(this.main, diff);
    if (r?.verdict === "applied") {
      this.stats.applied++;
      this.eventTime = eventTime;
      this.receivedAt = receivedAt;
      if (this.suspect && this.main.sync?.status === "live") this.suspect = false;
    }
    if (this.shadow) {
      this.#feed(this.shadow, diff);
      this.#maybeSwap();
    }
    const after = this.main.sync?.stats;
    let reason = this.#rebuilt ?? "synced";
    this.#rebuilt = undefined;
    if (after && after === before && after.gaps + after.crossed + after.staleSnapshots > gaps) {
      reason = after.crossed > crossed ? "crossed book" : "gap";
      if (this.shadow) this.#dropShadow(); // both saw the same stream: rebuild once
    }
    this.#update(reason);
  }

  /**
   * Feeds one depth frame as text when the served book can take it without `JSON.parse`.
   *
   * @returns True when the frame was handled; false: parse it and call {@link onDiff}.
   */
  onFrame(text: string, wrapped: boolean, receivedAt: number): boolean {
    const sync = this.main.sync;
    if (sync === undefined || this.suspect || this.shadow !== undefined || this.stopped) return false;
    const r = sync.applyFrame(text, wrapped);
    if (r === undefined) return false;
    const book = sync.book as WasmBook; // only the WASM book takes frames
    this.stats.wasmFrames++;
    const eventTime = book.frameEventTime;
    this.#lastEventTime = eventTime;
    this.#lastReceivedAt = receivedAt;
    if (this.family === "futures" && book.frameQtyDecimals > this.qtyDecimals) {
      this.qtyDecimals = book.frameQtyDecimals;
    }
    if (r.verdict === "applied") {
      this.stats.applied++;
      this.eventTime = eventTime;
      this.receivedAt = receivedAt;
    }
    if (r.fetchSnapshot) {
      // a crossed book: DepthSync started over; the state leaves LIVE
      this.#fetch(this.main);
      this.#update("crossed book");
    }
    return true;
  }

  #feed(slot: Slot, diff: DepthDiff): SyncResult | undefined {
    if (slot.sync === undefined) {
      slot.pending.push(diff);
      if (slot.pending.length > MAX_PENDING) slot.pending.shift();
      this.#fetch(slot);
      return undefined;
    }
    try {
      const r = slot.sync.onDiff(diff);
      if (r.fetchSnapshot) this.#fetch(slot);
      return r;
    } catch (e) {
      this.#rebuild(slot, diff, e);
      return undefined;
    }
  }

  #fetch(slot: Slot): void {
    if (slot.fetching || slot.closed) return;
    slot.fetching = true;
    this.#hooks.fetch(this, slot);
  }

  /** A requested snapshot arrived for `slot`. */
  onSnapshot(slot: Slot, snapshot: DepthSnapshot): void {
    slot.fetching = false;
    if (slot.closed || this.stopped) return;
    slot.failures = 0;
    this.stats.snapshots++;
    if (this.family === "futures" || this.qtyDecimals === 0) this.#qtyFrom(snapshot.bids, snapshot.asks);
    try {
      if (slot.sync === undefined) {
        slot.sync = new DepthSync(
          createOrderBook({
            family: this.family,
            priceScale: this.#scaleFor(slot, snapshot),
            depth: this.depth,
          }),
        );
        for (const d of slot.pending) slot.sync.onDiff(d); // buffering: nothing is applied yet
        slot.pending = [];
      }
      const applied = slot.sync.stats.applied;
      const r = slot.sync.onSnapshot(snapshot);
      if (r.fetchSnapshot) this.#fetch(slot);
      if (slot === this.main && slot.sync.stats.applied > applied) {
        // buffered events were replayed: the book is at the newest event received
        this.stats.applied += slot.sync.stats.applied - applied;
        this.eventTime = this.#lastEventTime;
        this.receivedAt = this.#lastReceivedAt;
      }
    } catch (e) {
      this.#rebuild(slot, undefined, e);
    }
    if (slot === this.shadow) this.#maybeSwap();
    const reason = this.#rebuilt ?? (slot.sync?.status === "live" ? "synced" : "stale snapshot");
    this.#rebuilt = undefined;
    this.#update(reason);
  }

  /** A requested snapshot failed for `slot`; the manager retries after its back-off. */
  onSnapshotFailed(slot: Slot, reason: string): void {
    slot.fetching = false;
    if (slot.closed || this.stopped) return;
    slot.failures++;
    this.stats.snapshotFailures++;
    slot.sync?.snapshotFailed();
    this.#fetch(slot);
    this.#update(`error: ${reason}`);
  }

  #scaleFor(slot: Slot, snapshot: DepthSnapshot): number {
    const all: string[] = [];
    prices(snapshot.bids, all);
    prices(snapshot.asks, all);
    for (const d of slot.pending) {
      prices(d.b, all);
      prices(d.a, all);
    }
    let scale = slot.minScale;
    if (this.family === "spot") {
      for (const p of all) scale = Math.max(scale, wireDecimals(p));
    } else scale = Math.max(scale, detectScale(all));
    return scale;
  }

  #qtyFrom(bids: readonly PriceLevel[], asks: readonly PriceLevel[]): void {
    let d = this.qtyDecimals;
    for (const side of [bids, asks]) {
      for (const l of side) {
        const q = l[1];
        const dot = q.indexOf(".");
        if (dot !== -1 && q.length - dot - 1 > d) d = q.length - dot - 1;
      }
    }
    this.qtyDecimals = d;
  }

  /** A level the book cannot hold at its scale, or a malformed level: start the slot over. */
  #rebuild(slot: Slot, diff: DepthDiff | undefined, error: unknown): void {
    let minScale = slot.minScale;
    if (diff && error instanceof RangeError) {
      const all: string[] = [];
      prices(diff.b, all);
      prices(diff.a, all);
      try {
        minScale = Math.max(minScale, slot.sync?.book.priceScale ?? 0, detectScale(all));
      } catch {
        diff = undefined; // unreadable prices: drop the event, the sequence check catches the loss
      }
    } else diff = undefined;
    const fresh = newSlot(slot === this.shadow ? 2 : 0, minScale);
    if (diff) fresh.pending.push(diff);
    slot.closed = true;
    if (slot === this.main) {
      this.#rebuilt = error instanceof RangeError ? `error: ${(error as Error).message}` : "malformed level";
      this.main = fresh;
      if (this.shadow) this.#dropShadow();
    } else this.shadow = fresh;
    this.#fetch(fresh);
  }

  // ------------------------------------------------------------------ control

  /** Marks the served book as unverified (lost connection, unreadable frame) until an event chains. */
  markSuspect(reason: string): void {
    if (this.stopped) return;
    this.suspect = true;
    this.#update(reason);
  }

  /** Starts over from a new snapshot (requested on the next event, so it is not older than the stream). */
  resync(reason: string): void {
    if (this.stopped) return;
    this.main.closed = true;
    if (this.shadow) this.#dropShadow();
    this.main = newSlot(0, this.main.minScale);
    this.suspect = false;
    this.#update(reason);
  }

  /** Starts building a refreshed book behind the served one (no-op unless live and not refreshing). */
  startRefresh(): void {
    if (this.stopped || this.shadow || this.state !== "LIVE") return;
    this.shadow = newSlot(2, this.book?.priceScale ?? 0);
  }

  /** True while a refresh book is being built. */
  get refreshing(): boolean {
    return this.shadow !== undefined;
  }

  #dropShadow(): void {
    if (this.shadow) this.shadow.closed = true;
    this.shadow = undefined;
  }

  #maybeSwap(): void {
    const s = this.shadow;
    if (!s?.sync || s.sync.status !== "live") return;
    this.main.closed = true;
    this.main = s;
    this.shadow = undefined;
    this.suspect = false;
    this.stats.refreshes++;
    this.lastSyncAt = Date.now();
  }

  /** Stops the cache: books dropped, state STOPPED. */
  stop(): void {
    if (this.stopped) return;
    this.main.closed = true;
    if (this.shadow) this.#dropShadow();
    this.main = newSlot(1);
    this.stopped = true;
    this.#update("stopped");
  }

  #update(reason: string): void {
    const live = this.main.sync?.status === "live" && !this.suspect;
    const next: DepthCacheState = this.stopped
      ? "STOPPED"
      : live
      ? "LIVE"
      : this.state === "SYNCING"
      ? "SYNCING"
      : "RESYNCING";
    if (next === this.state) return;
    const previous = this.state;
    this.state = next;
    if (next === "LIVE") {
      this.stats.syncs++;
      this.lastSyncAt = Date.now();
    } else if (previous === "LIVE" && next === "RESYNCING") this.stats.resyncs++;
    this.#hooks.changed(this, previous, next === "LIVE" ? "synced" : reason);
  }

  // ------------------------------------------------------------------ reads (the caller checked LIVE)

  /** Both sides and the metadata in one read (the caller checked LIVE). */
  readBook(
    book: OrderBook,
    limit: number | undefined,
    strings: boolean,
  ): DepthCacheBook<NumberLevel | StringLevel> {
    const read = strings
      ? (side: "bids" | "asks") => this.readStrings(book, side, limit)
      : (side: "bids" | "asks") => this.readNumbers(book, side, limit);
    return {
      market: this.market,
      state: this.state,
      lastUpdateId: book.lastUpdateId,
      eventTime: this.eventTime,
      receivedAt: this.receivedAt,
      refreshing: this.refreshing,
      bids: read("bids"),
      asks: read("asks"),
    };
  }

  /** Best-first levels as numbers. */
  readNumbers(
    book: OrderBook,
    side: "bids" | "asks",
    limit?: number,
    thresholdVolume?: number,
  ): NumberLevel[] {
    if (limit === 0) return [];
    return book.read(side, { limit, thresholdVolume });
  }

  /** Best-first levels as exact decimal strings. */
  readStrings(
    book: OrderBook,
    side: "bids" | "asks",
    limit?: number,
    thresholdVolume?: number,
  ): StringLevel[] {
    if (limit === 0) return [];
    const n = book.count(side, { limit, thresholdVolume });
    const v = book.view(side);
    const scale = book.priceScale;
    const dec = this.qtyDecimals;
    const out: StringLevel[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const k = v.length - 1 - i;
      out[i] = [formatTicks(v.ticks[k], scale), formatQuantity(v.quantities[k], dec)];
    }
    return out;
  }
}
