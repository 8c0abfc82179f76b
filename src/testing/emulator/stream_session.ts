/**
 * One market-stream connection (`/ws`, `/stream`, USD-M `/public` and `/market`): control
 * messages (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY) with
 * Binance's replies, per-connection stream limit, raw or combined framing.
 *
 * @module
 */
import { Connection, type ConnectionLimits, type Peer } from "./peer.ts";
import { parseStreamName, streamCategory, type StreamName, type StreamVenue } from "./stream_names.ts";

/** Where a USD-M connection was opened: routed path or the legacy root (public data only). */
export type StreamRoute = "spot" | "public" | "market" | "legacy";

/** What a session needs from the hub. */
export interface StreamRegistry {
  subscribe(session: StreamSession, s: StreamName): void;
  unsubscribe(session: StreamSession, name: string): void;
  /** Frame-level faults: returns the text to send, or null to send nothing now. */
  outgoing(session: StreamSession, text: string): string | null;
  /** Sends `text` after the current added latency. */
  sendLater(session: StreamSession, text: string): void;
}

const ID_RE = /^[a-zA-Z0-9]{1,36}$/;
const METHODS = "`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`";

/** A market-stream connection. */
export class StreamSession extends Connection {
  combined: boolean;
  readonly route: StreamRoute;
  /** The venue whose streams this connection serves (`venue` is its fault target). */
  readonly streamVenue: StreamVenue;
  readonly subscriptions: Map<string, StreamName> = new Map();
  readonly #registry: StreamRegistry;
  readonly #maxStreams: number;

  /** Creates the session and subscribes the streams named in the URL. */
  constructor(
    peer: Peer,
    init: {
      readonly venue: StreamVenue;
      readonly route: StreamRoute;
      readonly combined: boolean;
      readonly maxStreams: number;
      readonly limits: ConnectionLimits;
      readonly registry: StreamRegistry;
      readonly onGone: (c: Connection) => void;
    },
  ) {
    super(peer, init.venue === "spot" ? "spot" : "usdm", init.limits, init.onGone); // COIN-M shares the futures fault target
    this.streamVenue = init.venue;
    this.route = init.route;
    this.combined = init.combined;
    this.#registry = init.registry;
    this.#maxStreams = init.maxStreams;
  }

  /**
   * Subscribes streams from the URL path/query.
   *
   * @returns an error text when a name is invalid or the limit is exceeded
   */
  subscribeInitial(names: string[]): string | null {
    return this.#subscribe(names);
  }

  #subscribe(names: string[]): string | null {
    const parsed: StreamName[] = [];
    for (const n of names) {
      const p = parseStreamName(n, this.streamVenue);
      if (!p) return `Invalid request: unknown stream name \`${n}\``;
      parsed.push(p);
    }
    const total = new Set([...this.subscriptions.keys(), ...names]).size;
    if (total > this.#maxStreams) {
      return `Invalid request: too many streams, ${total} exceeds the limit of ${this.#maxStreams} per connection`;
    }
    for (const p of parsed) {
      if (this.subscriptions.has(p.name)) continue;
      this.subscriptions.set(p.name, p);
      // USD-M routing: a connection only receives its category; the legacy root only /public data.
      // Other streams are acknowledged but stay silent, as on Binance.
      if (this.streamVenue === "usdm") {
        const cat = streamCategory(p);
        const allowed = this.route === "legacy" ? "public" : this.route;
        if (cat !== allowed) continue;
      }
      this.#registry.subscribe(this, p);
    }
    return null;
  }

  /** Combined streams carry the notice as `!serverShutdown`. */
  override notifyShutdown(E: number): void {
    const ev = JSON.stringify({ e: "serverShutdown", E });
    this.send(this.combined ? `{"stream":"!serverShutdown","data":${ev}}` : ev);
  }

  /** Sends one stream event (already serialized data) with raw or combined framing. */
  deliver(stream: string, data: string): void {
    const text = this.combined ? `{"stream":"${stream}","data":${data}}` : data;
    const out = this.#registry.outgoing(this, text);
    if (out !== null) this.#registry.sendLater(this, out);
  }

  #reply(id: unknown, result: unknown): void {
    this.send(JSON.stringify({ result, id }));
  }

  #error(code: number, msg: string, id?: unknown): void {
    this.send(JSON.stringify(id === undefined ? { error: { code, msg } } : { error: { code, msg }, id }));
  }

  /** Handles one control message. */
  protected handle(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.#error(3, "Invalid JSON: expected value at line 1 column 1");
      return;
    }
    if (msg === null || typeof msg !== "object" || Array.isArray(msg)) {
      this.#error(2, "Invalid request: expected an object");
      return;
    }
    const m = msg as { method?: unknown; params?: unknown; id?: unknown };
    const id = m.id ?? null;
    if (
      !(id === null || (typeof id === "number" && Number.isInteger(id)) ||
        (typeof id === "string" && ID_RE.test(id)))
    ) {
      this.#error(2, "Invalid request: request ID must be an unsigned integer");
      return;
    }
    if (m.method === undefined) return this.#error(2, "Invalid request: missing field `method`", id);
    const params = m.params ?? [];
    if (!Array.isArray(params)) {
      return this.#error(2, "Invalid request: invalid type: expected a sequence", id);
    }
    switch (m.method) {
      case "SUBSCRIBE":
      case "UNSUBSCRIBE": {
        if (!params.every((p) => typeof p === "string")) {
          return this.#error(2, "Invalid request: invalid type: expected a string", id);
        }
        if (m.method === "UNSUBSCRIBE") {
          for (const n of params as string[]) {
            if (this.subscriptions.delete(n)) this.#registry.unsubscribe(this, n);
          }
          return this.#reply(id, null);
        }
        const err = this.#subscribe(params as string[]);
        return err ? this.#error(2, err, id) : this.#reply(id, null);
      }
      case "LIST_SUBSCRIPTIONS":
        return this.#reply(id, [...this.subscriptions.keys()]);
      case "SET_PROPERTY":
        if (params.length !== 2) return this.#error(2, "Invalid request: too many parameters", id);
        if (typeof params[0] !== "string") {
          return this.#error(2, "Invalid request: property name must be a string", id);
        }
        if (params[0] !== "combined") return this.#error(0, "Unknown property", id);
        if (typeof params[1] !== "boolean") return this.#error(1, "Invalid value type: expected Boolean", id);
        this.combined = params[1];
        return this.#reply(id, null);
      case "GET_PROPERTY":
        if (typeof params[0] !== "string") {
          return this.#error(2, "Invalid request: property name must be a string", id);
        }
        if (params[0] !== "combined") return this.#error(0, "Unknown property", id);
        return this.#reply(id, this.combined);
      default:
        return this.#error(
          2,
          `Invalid request: unknown variant \`${String(m.method)}\`, expected one of ${METHODS}`,
          id,
        );
    }
  }

  /** Unregisters every subscription (on close). */
  dispose(): void {
    for (const n of this.subscriptions.keys()) this.#registry.unsubscribe(this, n);
    this.subscriptions.clear();
  }
}
