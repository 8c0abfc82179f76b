/**
 * Market-stream wiring of the manager: connections per stream (split by limit and USDⓈ-M route),
 * URL + SUBSCRIBE on open, runtime subscribe / unsubscribe, `LIST_SUBSCRIPTIONS` requests and the
 * classification of incoming frames (data, control replies, `serverShutdown`). Internal.
 *
 * @module
 */
import { parseJson } from "../core/json.ts";
import { buildStreamNames, normalizeMarket } from "./stream_names.ts";
import { buildStreamUrl, chunkControlMessages, planConnections } from "./subscriptions.ts";
import { Connection } from "./connection.ts";
import { type RequestFailure, WebSocketRequestError } from "./errors.ts";
import { BinanceApiError } from "../core/errors.ts";
import type { ManagerContext } from "./_context.ts";
import type { ConnEntry, StreamRecord } from "./_stream_record.ts";
import type { CreateStreamOptions } from "./types.ts";

/** Channels and markets to add or remove. */
export interface SetChange {
  readonly channels?: readonly string[];
  readonly markets?: readonly string[];
}

interface PendingControl {
  readonly entry: ConnEntry;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly fail: (reason: RequestFailure, text: string) => WebSocketRequestError;
}

/** Market streams of one manager. */
export class MarketWiring {
  readonly #ctx: ManagerContext;
  readonly #pending = new Map<number, PendingControl>();
  #controlId = 0;

  constructor(ctx: ManagerContext) {
    this.#ctx = ctx;
  }

  /** Creates a market stream and starts its connections. */
  open(channels: readonly string[], markets: readonly string[], options: CreateStreamOptions): string {
    if (this.#ctx.exchange.streamBase === null && this.#ctx.options.streamBase === undefined) {
      throw new RangeError(`Exchange ${this.#ctx.exchange.name} has no market streams`);
    }
    const names = buildStreamNames(channels, markets);
    const plans = planConnections(names, {
      maxStreamsPerConnection: this.#ctx.limit(),
      futuresRouting: this.#ctx.exchange.futuresRouting,
      singleConnection: options.singleConnection,
    });
    const rec = this.#ctx.newRecord("market", options);
    for (const c of channels) rec.channels.add(c);
    for (const m of markets) rec.markets.add(normalizeMarket(m));
    for (const plan of plans) this.#addConnection(rec, plan.category, plan.names);
    this.#ctx.bindAbort(rec, options.signal);
    for (const e of rec.conns) e.conn.start();
    return rec.id;
  }

  /** Adds names to a running stream. */
  subscribe(rec: StreamRecord, add: SetChange): string[] {
    const channels = [...rec.channels, ...(add.channels ?? [])];
    const markets = [...rec.markets, ...(add.markets ?? []).map(normalizeMarket)];
    const current = new Set(rec.names());
    const added = buildStreamNames(channels, markets).filter((n) => !current.has(n));
    const limit = this.#ctx.limit();
    if (rec.singleConnection) {
      planConnections([...current, ...added], {
        maxStreamsPerConnection: limit,
        futuresRouting: this.#ctx.exchange.futuresRouting,
        singleConnection: true,
      });
    }
    for (const c of add.channels ?? []) rec.channels.add(c);
    for (const m of add.markets ?? []) rec.markets.add(normalizeMarket(m));
    const plans = planConnections(added, {
      maxStreamsPerConnection: limit,
      futuresRouting: this.#ctx.exchange.futuresRouting,
    });
    for (const plan of plans) {
      const rest = [...plan.names];
      for (const e of rec.conns) {
        if (!rest.length) break;
        if (e.category !== plan.category) continue;
        const room = limit - e.names.size;
        if (room <= 0) continue;
        const take = rest.splice(0, room);
        for (const n of take) e.names.add(n);
        this.#sendControl(e, "SUBSCRIBE", take);
      }
      if (rest.length) {
        for (let i = 0; i < rest.length; i += limit) {
          const e = this.#addConnection(rec, plan.category, rest.slice(i, i + limit));
          e.conn.start();
        }
      }
    }
    return added;
  }

  /** Removes names from a running stream. */
  unsubscribe(rec: StreamRecord, remove: SetChange): string[] {
    for (const c of remove.channels ?? []) rec.channels.delete(c);
    for (const m of remove.markets ?? []) rec.markets.delete(normalizeMarket(m));
    const keep = new Set(buildStreamNames([...rec.channels], [...rec.markets]));
    const removed: string[] = [];
    for (const e of rec.conns) {
      const gone = [...e.names].filter((n) => !keep.has(n));
      for (const n of gone) e.names.delete(n);
      this.#sendControl(e, "UNSUBSCRIBE", gone);
      removed.push(...gone);
    }
    return removed;
  }

  /** `LIST_SUBSCRIPTIONS` on every connection of the stream. */
  async list(rec: StreamRecord, timeoutMs: number): Promise<string[]> {
    const lists = await Promise.all(
      rec.conns.map((e) => this.#request(e, { method: "LIST_SUBSCRIPTIONS" }, timeoutMs)),
    );
    return lists.flatMap((l) => (Array.isArray(l) ? l as string[] : []));
  }

  /** Rejects every open control request. */
  close(): void {
    this.#rejectPending(undefined, "stop", "The manager closed");
  }

  #addConnection(rec: StreamRecord, category: ConnEntry["category"], names: readonly string[]): ConnEntry {
    const base = this.#ctx.options.streamBase ?? this.#ctx.exchange.streamBase as string;
    // deno-lint-ignore prefer-const
    let entry: ConnEntry;
    const conn = new Connection({
      ...this.#ctx.options,
      WebSocket: this.#ctx.WebSocket,
      perSecond: this.#ctx.perSecond(),
    }, {
      url: () => {
        const { url, rest } = buildStreamUrl(base, { category, names: [...entry.names] });
        const inUrl = new Set(entry.names);
        for (const n of rest) inUrl.delete(n);
        entry.inUrl = inUrl;
        return url;
      },
      onOpen: (send, info) => {
        // names added or removed since the URL was built (e.g. while connecting) are settled here
        const add = [...entry.names].filter((n) => !entry.inUrl.has(n));
        const remove = [...entry.inUrl].filter((n) => !entry.names.has(n));
        for (const m of chunkControlMessages("SUBSCRIBE", add, () => ++this.#controlId)) {
          send(JSON.stringify(m));
        }
        for (const m of chunkControlMessages("UNSUBSCRIBE", remove, () => ++this.#controlId)) {
          send(JSON.stringify(m));
        }
        // a rotation replacement is seamless: no CONNECT / FIRST_RECEIVED_DATA for it
        if (info.rotation) return;
        entry.awaitingFirst = true;
        this.#ctx.signal(rec, "CONNECT", { connection: entry.index });
      },
      onFrame: (text) => this.#onMarketFrame(rec, entry, text),
      onDisconnect: (reason) => {
        this.#rejectPending(entry, "disconnect", `Connection ${entry.index} lost: ${reason}`);
        this.#ctx.onDisconnect(rec, entry, reason);
      },
      onUnrepairable: (reason) => this.#ctx.unrepairable(rec, reason),
      onConnectFailed: (reason) =>
        this.#ctx.signal(rec, "CONNECT_FAILED", { connection: entry.index, reason }),
      probe: () => JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id: ++this.#controlId }),
    });
    entry = {
      index: rec.conns.length,
      conn,
      category,
      names: new Set(names),
      inUrl: new Set(),
      awaitingFirst: true,
    };
    rec.conns.push(entry);
    return entry;
  }

  #sendControl(e: ConnEntry, method: "SUBSCRIBE" | "UNSUBSCRIBE", names: readonly string[]): void {
    for (const m of chunkControlMessages(method, names, () => ++this.#controlId)) {
      e.conn.send(JSON.stringify(m));
    }
  }

  #request(e: ConnEntry, msg: { method: string; params?: unknown }, timeoutMs: number): Promise<unknown> {
    const id = ++this.#controlId;
    const fail = (reason: RequestFailure, text: string): WebSocketRequestError =>
      new WebSocketRequestError(text, { reason, requestId: String(id), method: msg.method });
    return new Promise((resolve, reject) => {
      if (!e.conn.send(JSON.stringify({ ...msg, id }))) {
        return reject(fail("disconnect", `Cannot send ${msg.method}: connection ${e.index} is not open`));
      }
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(fail("timeout", `No answer to ${msg.method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        entry: e,
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (err) => (clearTimeout(timer), reject(err)),
        fail,
      });
    });
  }

  #rejectPending(e: ConnEntry | undefined, reason: RequestFailure, text: string): void {
    for (const [id, p] of this.#pending) {
      if (e !== undefined && p.entry !== e) continue;
      this.#pending.delete(id);
      p.reject(p.fail(reason, text));
    }
  }

  #onMarketFrame(rec: StreamRecord, e: ConnEntry, text: string): void {
    if (rec.status !== "running") return;
    let stream: string | undefined;
    if (text.startsWith('{"stream":"')) {
      stream = text.slice(11, text.indexOf('"', 11));
      if (stream === "!serverShutdown") return e.conn.rotate();
    } else {
      // a control reply ({"result":…,"id":n} / {"error":…,"id":n}) or a raw-stream event
      let obj: Record<string, unknown>;
      try {
        obj = parseJson<Record<string, unknown>>(text);
      } catch {
        return; // not JSON: nothing a consumer could use
      }
      if (obj && typeof obj === "object" && "id" in obj && ("result" in obj || "error" in obj)) {
        return this.#onControlReply(rec, obj);
      }
      if (obj && (obj as { e?: string }).e === "serverShutdown") return e.conn.rotate();
    }
    this.#ctx.data(rec, e, text, stream);
  }

  #onControlReply(rec: StreamRecord, obj: Record<string, unknown>): void {
    const id = Number(obj.id);
    const p = this.#pending.get(id);
    if (p) {
      this.#pending.delete(id);
      if (obj.error) {
        const code = Number((obj.error as { code?: unknown }).code);
        p.reject(
          new BinanceApiError(`Binance rejected the request: ${describe(obj.error)}`, {
            code: Number.isInteger(code) ? code : 0,
          }),
        );
      } else p.resolve(obj.result);
      return;
    }
    if (obj.error) this.#ctx.unrepairable(rec, `Binance rejected a subscription: ${describe(obj.error)}`);
  }
}

function describe(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; msg?: unknown };
    return `${e.msg ?? "error"}${e.code !== undefined ? ` (code ${e.code})` : ""}`;
  }
  return String(error);
}
