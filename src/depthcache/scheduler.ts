/**
 * The snapshot scheduler shared by every depth cache of a manager: REST depth snapshots are the
 * dominant weight cost of order books (binance-api.md §3.4: spot 5–250, futures 2–20 per call),
 * so they go through one queue that keeps the used weight of the calendar-aligned minute within a
 * budget, runs a few snapshots in parallel, serves resyncs of dark caches before first syncs
 * and refreshes, and stops sending while Binance says 429 / 418.
 *
 * The used weight is the larger of what the scheduler sent in the current interval and what
 * Binance last reported in the `X-MBX-USED-WEIGHT-1M` header (which also counts other clients on
 * the same IP): the scheduler reads the header through `readUsedWeight` after each response and
 * never sends an extra probe request.
 *
 * @example Two snapshots of weight 50 within a budget of 60: the second waits for the next interval
 * ```ts
 * import { SnapshotScheduler } from "./scheduler.ts";
 * import { assertEquals } from "@std/assert";
 *
 * // a 1 s interval: even a loaded machine schedules both within the first one
 * const scheduler = new SnapshotScheduler({ weightLimit: 60, intervalMs: 1000 });
 * const sent: number[] = [];
 * const run = (n: number) => () => Promise.resolve(sent.push(n));
 * await Promise.all([
 *   scheduler.schedule({ key: "A", weight: 50, run: run(1) }),
 *   scheduler.schedule({ key: "B", weight: 50, run: run(2) }),
 * ]);
 * assertEquals(sent, [1, 2]);
 * assertEquals(scheduler.stats.waits >= 1, true);
 * scheduler.close();
 * ```
 *
 * @module
 */
import { checkOptions, showValue } from "../core/_options.ts";
import { SCHEDULER_KEYS } from "./_option_keys.ts";
import { isIpBannedError, isRateLimitError } from "../core/errors.ts";
import type { Exchange } from "../core/exchanges.ts";

/** Options of a {@link SnapshotScheduler}. */
export interface SnapshotSchedulerOptions {
  /** Weight the scheduler may use per interval (a share of the venue's limit, see {@link defaultWeightBudget}). */
  readonly weightLimit: number;
  /** Interval length in ms, calendar-aligned like Binance's (default 60 000). */
  readonly intervalMs?: number;
  /** Snapshots in flight at once (default 4). */
  readonly concurrency?: number;
  /** Clock in epoch ms (default `Date.now`). */
  readonly now?: () => number;
  /**
   * The used weight Binance last reported and the local time of that response (e.g. from
   * `client.usage.api`), or undefined; read after every finished task.
   */
  readonly readUsedWeight?: () => { readonly used: number; readonly at: number } | undefined;
}

/** One snapshot request. */
export interface SnapshotTask<T> {
  /** Identifies the request for {@link SnapshotScheduler.cancel} (e.g. the market). */
  readonly key: string;
  /** Request weight. */
  readonly weight: number;
  /** Lower runs first: 0 resync of a dark cache (default), 1 first sync, 2 refresh. */
  readonly priority?: number;
  /** Sends the request. */
  run(): Promise<T>;
  /**
   * Asked just before sending: `true` drops the task unsent (its promise resolves `undefined`, no
   * weight is counted), e.g. because the book that wanted the snapshot was replaced meanwhile.
   */
  skip?(): boolean;
}

/** Counters of a {@link SnapshotScheduler}. */
export interface SnapshotSchedulerStats {
  /** Tasks sent. */
  readonly sent: number;
  /** Weight of the tasks sent. */
  readonly weightSent: number;
  /** Tasks dropped unsent because their `skip()` said so. */
  readonly skipped: number;
  /** Times the queue waited for the next interval because the budget was used up. */
  readonly waits: number;
  /** 429 answers seen (each pauses the queue for `Retry-After`). */
  readonly rateLimited: number;
  /** 418 answers seen (each pauses the queue until the ban ends). */
  readonly banned: number;
  /** Highest used weight of one interval (own count or header, whichever was larger). */
  readonly maxUsed: number;
  /** Tasks waiting. */
  readonly queued: number;
  /** Tasks in flight. */
  readonly active: number;
}

interface Queued {
  readonly task: SnapshotTask<unknown>;
  readonly seq: number;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

/** Per-minute REST weight limit of a venue's depth endpoint family (binance-api.md §3.1). */
export function venueWeightLimit(exchange: Exchange): number {
  return exchange.depthSnapshot?.family === "api" ? 6000 : 2400;
}

/**
 * The default budget of a manager: half of the venue's per-minute limit, leaving the other half
 * to the rest of the application on the same IP.
 *
 * @param exchange The venue.
 * @returns Weight per minute.
 */
export function defaultWeightBudget(exchange: Exchange): number {
  return venueWeightLimit(exchange) / 2;
}

/**
 * Weight of one depth snapshot (binance-api.md §3.4).
 *
 * @param exchange The venue.
 * @param limit The snapshot's `limit`.
 * @returns The request weight.
 */
export function snapshotWeight(exchange: Exchange, limit: number): number {
  switch (exchange.market) {
    case "options":
      return 5;
    case "usdm":
    case "coinm":
      return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
    default:
      if (exchange.name === "binance.us") {
        return limit <= 100 ? 1 : limit <= 500 ? 5 : limit <= 1000 ? 10 : 50;
      }
      return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
  }
}

/** A weight-budgeted, prioritised, rate-limit-aware queue of snapshot requests (see the module docs). */
export class SnapshotScheduler {
  /** Weight allowed per interval. */
  readonly weightLimit: number;
  /** Interval length in ms. */
  readonly intervalMs: number;
  readonly #concurrency: number;
  readonly #now: () => number;
  readonly #readUsed: SnapshotSchedulerOptions["readUsedWeight"];
  #queue: Queued[] = [];
  #seq = 0;
  #active = 0;
  #window = -1;
  #used = 0;
  #pausedUntil = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = 0;
  #closed = false;
  #stats = { sent: 0, weightSent: 0, skipped: 0, waits: 0, rateLimited: 0, banned: 0, maxUsed: 0 };

  /**
   * Creates a scheduler.
   *
   * @param options Budget, interval, concurrency, clock, header reader.
   * @throws {RangeError} When `weightLimit`, `intervalMs` or `concurrency` is not positive.
   */
  constructor(options: SnapshotSchedulerOptions) {
    checkOptions(options, "SnapshotScheduler options", SCHEDULER_KEYS);
    const intervalMs = options.intervalMs ?? 60_000;
    const concurrency = options.concurrency ?? 4;
    if (!(options.weightLimit > 0)) {
      throw new RangeError(
        `Invalid weightLimit ${showValue(options.weightLimit)}: must be a positive number`,
      );
    }
    if (!(intervalMs > 0)) {
      throw new RangeError(`Invalid intervalMs ${showValue(intervalMs)}: must be a positive number`);
    }
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`Invalid concurrency ${showValue(concurrency)}: must be a positive integer`);
    }
    this.weightLimit = options.weightLimit;
    this.intervalMs = intervalMs;
    this.#concurrency = concurrency;
    this.#now = options.now ?? Date.now;
    this.#readUsed = options.readUsedWeight;
  }

  /** Counters since construction. */
  get stats(): SnapshotSchedulerStats {
    return { ...this.#stats, queued: this.#queue.length, active: this.#active };
  }

  /** Weight counted in the current interval (own requests or the last header, whichever is larger). */
  get used(): number {
    this.#roll(this.#now());
    return this.#used;
  }

  /**
   * Queues a request; it runs when the budget, the concurrency limit and any 429/418 pause allow.
   *
   * @param task Key, weight, priority and the request.
   * @returns The request's result (`undefined` when the task was skipped).
   * @throws {RangeError} When `weight` is not a positive number.
   * @throws The request's own error; a 429 / 418 also pauses the whole queue.
   */
  schedule<T>(task: SnapshotTask<T>): Promise<T | undefined> {
    if (!(task.weight > 0)) throw new RangeError(`Invalid weight ${task.weight}: must be a positive number`);
    if (this.#closed) {
      return Promise.reject(new RangeError("Cannot schedule a snapshot: the scheduler is closed"));
    }
    return new Promise<T | undefined>((resolve, reject) => {
      this.#queue.push({
        task: task as SnapshotTask<unknown>,
        seq: this.#seq++,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.#pump();
    });
  }

  /**
   * Removes the waiting requests of a key (a request in flight is not aborted).
   *
   * @param key The key given to {@link schedule}.
   * @returns How many were removed; their promises reject with a `RangeError`.
   */
  cancel(key: string): number {
    const gone = this.#queue.filter((q) => q.task.key === key);
    if (gone.length === 0) return 0;
    this.#queue = this.#queue.filter((q) => q.task.key !== key);
    for (const q of gone) q.reject(new RangeError(`Snapshot of ${key} cancelled`));
    return gone.length;
  }

  /**
   * Stops sending until `until` (epoch ms), e.g. after a 429 seen elsewhere.
   *
   * @param until Epoch ms.
   */
  pauseUntil(until: number): void {
    if (until > this.#pausedUntil) this.#pausedUntil = until;
    this.#pump();
  }

  /** Rejects every waiting request and stops the timer; requests in flight finish. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const queue = this.#queue;
    this.#queue = [];
    for (const q of queue) {
      q.reject(new RangeError(`Snapshot of ${q.task.key} cancelled: the scheduler is closed`));
    }
  }

  #roll(now: number): void {
    const w = Math.floor(now / this.intervalMs);
    if (w !== this.#window) {
      this.#window = w;
      this.#used = 0;
    }
  }

  #observe(): void {
    const r = this.#readUsed?.();
    if (r === undefined) return;
    const now = this.#now();
    this.#roll(now);
    if (Math.floor(r.at / this.intervalMs) === this.#window && r.used > this.#used) this.#used = r.used;
    if (this.#used > this.#stats.maxUsed) this.#stats.maxUsed = this.#used;
  }

  #wake(at: number): void {
    if (this.#closed) return;
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, Math.max(0, at - this.#now()));
  }

  #next(): Queued {
    let best = 0;
    for (let i = 1; i < this.#queue.length; i++) {
      const a = this.#queue[i];
      const b = this.#queue[best];
      const pa = a.task.priority ?? 0;
      const pb = b.task.priority ?? 0;
      if (pa < pb || (pa === pb && a.seq < b.seq)) best = i;
    }
    return this.#queue.splice(best, 1)[0];
  }

  #pump(): void {
    while (!this.#closed && this.#queue.length > 0 && this.#active < this.#concurrency) {
      const now = this.#now();
      if (now < this.#pausedUntil) return this.#wake(this.#pausedUntil);
      this.#roll(now);
      const q = this.#next();
      if (q.task.skip?.()) {
        this.#stats.skipped++;
        q.resolve(undefined);
        continue;
      }
      const weight = q.task.weight;
      if (this.#used > 0 && this.#used + weight > this.weightLimit) {
        this.#queue.push(q); // order is kept by seq
        this.#stats.waits++;
        return this.#wake((this.#window + 1) * this.intervalMs);
      }
      this.#used += weight;
      if (this.#used > this.#stats.maxUsed) this.#stats.maxUsed = this.#used;
      this.#stats.sent++;
      this.#stats.weightSent += weight;
      this.#active++;
      let p: Promise<unknown>;
      try {
        p = q.task.run();
      } catch (e) {
        p = Promise.reject(e);
      }
      p.then(
        (v) => {
          this.#settle();
          q.resolve(v);
        },
        (e) => {
          this.#onError(e);
          this.#settle();
          q.reject(e);
        },
      );
    }
  }

  #settle(): void {
    this.#active--;
    this.#observe();
    this.#pump();
  }

  #onError(e: unknown): void {
    const now = this.#now();
    // Binance's Retry-After / ban end is the authority; the interval count is left as it is
    if (isIpBannedError(e)) {
      this.#stats.banned++;
      this.#pausedUntil = Math.max(this.#pausedUntil, e.until);
    } else if (isRateLimitError(e)) {
      this.#stats.rateLimited++;
      this.#pausedUntil = Math.max(this.#pausedUntil, now + Math.max(1000, e.retryAfter));
    }
  }
}
