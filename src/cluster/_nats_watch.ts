/**
 * The watch of the NATS coordination store: an ordered push consumer on a KV stream that survives
 * reconnects, server restarts and failovers without losing or repeating a change.
 *
 * Why not the library's `kv.watch()`: its ordered consumer uses a fixed 30 s idle heartbeat, so a
 * consumer lost with its server (an R1 ephemeral consumer lives on one server) is noticed only after
 * ~60 s, and its "is update" flag marks the last replayed entry as a change. This one creates its own
 * ephemeral consumer with a short heartbeat, remembers the last stream sequence it delivered, and on
 * any trouble (a delivery gap, a heartbeat naming a consumer sequence it has not seen, silence for
 * three heartbeats, a reconnect, a status from the server) deletes the consumer and creates a new
 * one starting right after that sequence. Sequences at or below it are dropped, so nothing repeats.
 *
 * @module
 */
import {
  createInbox,
  Empty,
  type Msg,
  nanos,
  type NatsConnection,
  type Subscription,
} from "@nats-io/transport-node";
import { AckPolicy, type ConsumerConfig, DeliverPolicy, type JetStreamManager } from "@nats-io/jetstream";
import { backoffDelay } from "../core/backoff.ts";
import type { KvEntry, KvWatch, KvWatchEvent } from "./coordination.ts";
import { ReplayGate } from "./_replay_gate.ts";

/** Where a watch reads from. */
export interface NatsWatchSource {
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  /** The KV stream, `KV_<bucket>`. */
  readonly stream: string;
  /** The subject prefix of keys, `$KV.<bucket>.`. */
  readonly subjectPrefix: string;
  /** Idle heartbeat of the consumer; silence for three of them recreates it. */
  readonly heartbeatMs: number;
}

/** The delivery metadata carried in a JetStream message's `$JS.ACK.…` reply subject. */
export interface DeliveryMeta {
  readonly streamSeq: number;
  readonly deliverySeq: number;
  readonly pending: number;
}

/**
 * Parses the reply subject of a JetStream delivery (v1 `$JS.ACK.<stream>.<consumer>.<delivered>.
 * <sseq>.<dseq>.<ts>.<pending>` and v2 with domain and account hash after `ACK`).
 *
 * @param reply The reply subject.
 * @returns The sequences and the pending count, or `null` when it is not a delivery subject.
 */
export function parseAckSubject(reply: string): DeliveryMeta | null {
  const t = reply.split(".");
  if (t[0] !== "$JS" || t[1] !== "ACK") return null;
  const o = t.length === 9 ? 2 : t.length >= 11 ? 4 : -1;
  if (o < 0) return null;
  const streamSeq = Number(t[o + 3]), deliverySeq = Number(t[o + 4]), pending = Number(t[o + 6]);
  if (![streamSeq, deliverySeq, pending].every((n) => Number.isSafeInteger(n) && n >= 0)) return null;
  return { streamSeq, deliverySeq, pending };
}

/**
 * The server-side filter for a key prefix: the whole tokens of the prefix followed by `>` (a partial
 * last token is matched on the client).
 *
 * @param subjectPrefix `$KV.<bucket>.`.
 * @param prefix The key prefix.
 * @returns The filter subject.
 */
export function filterFor(subjectPrefix: string, prefix: string): string {
  const cut = prefix.lastIndexOf(".");
  if (cut <= 0) return `${subjectPrefix}>`;
  const whole = prefix.slice(0, cut);
  return whole.split(".").every((t) => /^[A-Za-z0-9_=-]+$/.test(t))
    ? `${subjectPrefix}${whole}.>`
    : `${subjectPrefix}>`;
}

/** Watch iterator over one KV stream (see the module doc). */
export class NatsWatch implements KvWatch {
  readonly #src: NatsWatchSource;
  readonly #prefix: string;
  readonly #filter: string;
  #queue: KvWatchEvent[] = [];
  #wake: (() => void) | null = null;
  #done = false;
  #cursor = 0; // last stream sequence handled
  #deliverSeq = 0; // last consumer delivery sequence of the current consumer
  #initialCount: number | undefined;
  #initialSeen = 0;
  #initialDone = false;
  #initialKeys = new Set<string>();
  #initialEnded!: () => void;
  /** Resolves when the replay of the state present at the start is complete (or the watch ended). */
  readonly initial: Promise<void>;
  readonly #gate = new ReplayGate();
  /** Resolves once the consumer took the whole replay (see {@link KvWatch.caughtUp}). */
  readonly caughtUp: Promise<void> = this.#gate.promise;
  /** The events queued when the replay completed (what `list` returns). */
  snapshot: KvWatchEvent[] = [];
  #generation = 0;
  #sub: Subscription | undefined;
  #consumer: string | undefined;
  #ready = false;
  #buffer: Msg[] = [];
  #lastActivity = 0;
  #trouble: (() => void) | null = null;
  #resetRequested = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #status: AsyncIterator<unknown> & { stop?: () => void } | undefined;

  readonly #onEnd: ((w: NatsWatch) => void) | undefined;

  /**
   * @param src The stream to read.
   * @param prefix Only keys starting with it.
   * @param signal Ends the watch.
   * @param onEnd Called once when the watch ends.
   */
  constructor(src: NatsWatchSource, prefix: string, signal?: AbortSignal, onEnd?: (w: NatsWatch) => void) {
    this.#src = src;
    this.#onEnd = onEnd;
    this.#prefix = prefix;
    this.#filter = filterFor(src.subjectPrefix, prefix);
    this.initial = new Promise<void>((r) => (this.#initialEnded = r));
    if (signal?.aborted || src.nc.isClosed()) {
      this.#stop();
      return;
    }
    signal?.addEventListener("abort", () => this.#stop(), { once: true });
    src.nc.closed().then(() => this.#stop(), () => this.#stop());
    this.#watchStatus();
    this.#timer = setInterval(() => {
      if (this.#ready && Date.now() - this.#lastActivity > 3 * src.heartbeatMs + 1000) this.#reset();
    }, src.heartbeatMs);
    this.#run();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<KvWatchEvent> {
    return this;
  }

  async next(): Promise<IteratorResult<KvWatchEvent>> {
    this.#gate.asking();
    while (this.#queue.length === 0 && !this.#done) await new Promise<void>((r) => (this.#wake = r));
    this.#wake = null;
    if (this.#queue.length > 0) {
      const value = this.#queue.shift()!;
      this.#gate.taken(value);
      return { value, done: false };
    }
    return { value: undefined, done: true };
  }

  return(): Promise<IteratorResult<KvWatchEvent>> {
    this.#stop();
    this.#queue.length = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Ends the watch: the iterator ends at once (queued events are dropped). */
  stop(): void {
    this.#stop();
  }

  /** True once the watch ended. */
  get done(): boolean {
    return this.#done;
  }

  /** True once the replay of the state present at the start completed. */
  get replayed(): boolean {
    return this.#initialDone;
  }

  #watchStatus(): void {
    const status = this.#src.nc.status();
    this.#status = status as unknown as AsyncIterator<unknown> & { stop?: () => void };
    (async () => {
      for await (const s of status) {
        // after a reconnect the consumer may be gone with its server; a new one costs one request
        if (s.type === "reconnect") this.#reset();
      }
    })().catch(() => {});
  }

  async #run(): Promise<void> {
    let attempt = 0;
    while (!this.#done) {
      this.#resetRequested = false;
      try {
        await this.#startSegment();
        attempt = 0;
        if (!this.#resetRequested) await new Promise<void>((r) => (this.#trouble = r));
      } catch {
        if (this.#done || this.#src.nc.isClosed()) break;
        const wait = backoffDelay(attempt++, { baseMs: 100, maxMs: 2000, jitter: "equal" });
        await new Promise<void>((r) => {
          const t = setTimeout(r, wait);
          this.#trouble = () => (clearTimeout(t), r());
        });
      }
    }
    this.#stop();
  }

  #reset(): void {
    this.#ready = false;
    this.#resetRequested = true;
    const t = this.#trouble;
    this.#trouble = null;
    t?.();
  }

  async #startSegment(): Promise<void> {
    const gen = ++this.#generation;
    const { nc, jsm, stream, heartbeatMs } = this.#src;
    this.#ready = false;
    this.#buffer = [];
    this.#deliverSeq = 0;
    this.#dropConsumer();
    const inbox = createInbox();
    this.#sub = nc.subscribe(inbox, {
      callback: (_err, msg) => {
        if (gen !== this.#generation || this.#done) return;
        if (this.#ready) this.#handle(msg);
        else this.#buffer.push(msg);
      },
    });
    const fresh = this.#cursor === 0;
    const config: Partial<ConsumerConfig> = {
      deliver_subject: inbox,
      ack_policy: AckPolicy.None,
      flow_control: true,
      idle_heartbeat: nanos(heartbeatMs),
      filter_subject: this.#filter,
      mem_storage: true,
      num_replicas: 1,
      inactive_threshold: nanos(Math.max(30_000, 10 * heartbeatMs)),
      deliver_policy: fresh ? DeliverPolicy.LastPerSubject : DeliverPolicy.StartSequence,
      ...(fresh ? {} : { opt_start_seq: this.#cursor + 1 }),
    };
    const ci = await jsm.consumers.add(stream, config);
    if (gen !== this.#generation || this.#done || this.#resetRequested) {
      jsm.consumers.delete(stream, ci.name).catch(() => {});
      return;
    }
    this.#consumer = ci.name;
    if (this.#initialCount === undefined) {
      this.#initialCount = ci.num_pending;
      if (ci.num_pending === 0) this.#endInitial();
    }
    this.#ready = true;
    this.#lastActivity = Date.now();
    for (const m of this.#buffer.splice(0)) if (this.#ready && gen === this.#generation) this.#handle(m);
  }

  #handle(msg: Msg): void {
    this.#lastActivity = Date.now();
    const h = msg.headers;
    if (h && h.code !== 0) {
      const what = h.description.toLowerCase();
      if (h.code === 100 && what.includes("flowcontrol")) {
        msg.respond();
      } else if (h.code === 100) {
        const lastConsumer = Number(h.get("Nats-Last-Consumer") || "0");
        const stalled = h.get("Nats-Consumer-Stalled");
        if (stalled) this.#src.nc.publish(stalled, Empty);
        if (lastConsumer > this.#deliverSeq) this.#reset(); // a delivery was lost
      } else {
        this.#reset(); // consumer deleted, or another terminal status
      }
      return;
    }
    const meta = parseAckSubject(msg.reply ?? "");
    if (!meta) return;
    if (meta.deliverySeq !== this.#deliverSeq + 1) {
      this.#reset();
      return;
    }
    this.#deliverSeq = meta.deliverySeq;
    if (meta.streamSeq <= this.#cursor) return;
    this.#cursor = meta.streamSeq;
    const key = msg.subject.slice(this.#src.subjectPrefix.length);
    const op = h?.get("KV-Operation");
    const removed = op === "DEL" || op === "PURGE";
    const initial = !this.#initialDone;
    if (key.startsWith(this.#prefix)) {
      if (!removed) {
        if (initial) this.#initialKeys.add(key);
        this.#push({ op: "put", key, value: msg.string(), revision: meta.streamSeq, initial });
      } else if (!initial || this.#initialKeys.delete(key)) {
        // a key absent at the start has nothing to delete; one replayed and then removed does
        this.#push({ op: "delete", key, value: "", revision: meta.streamSeq, initial: false });
      }
    }
    if (initial) {
      this.#initialSeen++;
      if (this.#initialSeen >= (this.#initialCount ?? 0) || meta.pending === 0) this.#endInitial();
    }
  }

  #push(event: KvWatchEvent): void {
    this.#queue.push(event);
    this.#gate.queued(event);
    const w = this.#wake;
    this.#wake = null;
    w?.();
  }

  #endInitial(): void {
    if (this.#initialDone) return;
    this.#initialDone = true;
    this.#initialKeys.clear();
    this.snapshot = [...this.#queue];
    this.#initialEnded();
    this.#gate.complete();
  }

  #dropConsumer(): void {
    this.#sub?.unsubscribe();
    this.#sub = undefined;
    const name = this.#consumer;
    this.#consumer = undefined;
    if (name && !this.#src.nc.isClosed()) {
      this.#src.jsm.consumers.delete(this.#src.stream, name).catch(() => {});
    }
  }

  #stop(): void {
    if (this.#done) return;
    this.#done = true;
    this.#ready = false;
    this.#queue.length = 0; // an aborted or closed watch delivers nothing more
    clearInterval(this.#timer);
    this.#status?.stop?.();
    this.#dropConsumer();
    this.#initialEnded?.();
    this.#gate.ended();
    const t = this.#trouble;
    this.#trouble = null;
    t?.();
    const w = this.#wake;
    this.#wake = null;
    w?.();
    this.#onEnd?.(this);
  }
}

/**
 * The live entries of a snapshot replay, in key order.
 *
 * @param events The events of a watch up to the end of its replay.
 * @returns The entries.
 */
export function entriesOf(events: readonly KvWatchEvent[]): KvEntry[] {
  const map = new Map<string, KvEntry>();
  for (const e of events) {
    if (e.op === "put") map.set(e.key, { key: e.key, value: e.value, revision: e.revision });
    else map.delete(e.key);
  }
  return [...map.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
