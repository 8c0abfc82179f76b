/**
 * User-data delivery: spot WebSocket-API subscriptions (`{"subscriptionId", "event"}`), listen
 * keys (60-minute validity, keepalive, `listenKeyExpired`) of every listen-key venue — USD-M
 * `/private/ws` sessions with their `events` filter, COIN-M, options, portfolio margin (which
 * also receives the account's USD-M / COIN-M events marked `fs: "UM" | "CM"` and its cross-margin
 * events) and the Binance.US / TR spot listen key (raw spot events) — and margin listen tokens.
 *
 * @module
 */
import { ApiError } from "./api_error.ts";
import { Connection, type ConnectionLimits, type Peer } from "./peer.ts";
import type { Json } from "./payloads.ts";

/** Receives the spot events of one subscription. */
export interface SpotSink {
  deliver(event: Json): void;
}

/**
 * Which venue a listen key belongs to: `"usdm"` (`/fapi/v1/listenKey`), `"coinm"`
 * (`/dapi/v1/listenKey`, streamed on `<coinmWsUrl>/ws/<listenKey>`), `"options"`
 * (`/eapi/v1/listenKey`, `<futuresWsUrl>/private/ws/<listenKey>`), `"pm"` (portfolio margin,
 * `/papi/v1/listenKey`, `<futuresWsUrl>/pm/ws/<listenKey>`) and `"spot"` (Binance.US / TR,
 * `/api/v3/userDataStream`, `<wsUrl>/ws/<listenKey>`).
 */
export type ListenKeyVenue = "usdm" | "coinm" | "options" | "pm" | "spot";

interface ListenKey {
  readonly key: string;
  readonly apiKey: string;
  readonly venue: ListenKeyVenue;
  expires: number;
}

/** A listen token of margin user data. */
export interface ListenToken {
  readonly token: string;
  readonly apiKey: string;
  /** The margin account it reads: the API key (cross) or `<apiKey>|<SYMBOL>` (isolated). */
  readonly account: string;
  readonly expires: number;
}

/** Random alphanumeric key material (listen keys, tokens). */
export function randomKey(length: number): string {
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return [...bytes].map((b) => abc[b % abc.length]).join("");
}

/** A listen-key stream connection (USD-M `/private/ws?listenKey=…&events=…` or a path form). */
export class PrivateSession extends Connection {
  readonly listenKey: string;
  /** The `events` filter (USD-M); `null` delivers every event. */
  readonly events: ReadonlySet<string> | null;

  /** Creates the session; `venue` says which faults reach it (`"spot"` for Binance.US / TR keys). */
  constructor(
    peer: Peer,
    listenKey: string,
    events: ReadonlySet<string> | null,
    limits: ConnectionLimits,
    onGone: (c: Connection) => void,
    venue: "spot" | "usdm" = "usdm",
  ) {
    super(peer, venue, limits, onGone);
    this.listenKey = listenKey;
    this.events = events;
  }

  /** Whether the session's filter lets an event type through. */
  wants(e: string): boolean {
    // ALGO_UPDATE events are selected by either name (the filter lists ALGO_ORDER_UPDATE)
    return this.events === null || this.events.has(e) ||
      (e === "ALGO_UPDATE" && this.events.has("ALGO_ORDER_UPDATE"));
  }

  /** Incoming frames carry no meaning on the private stream. */
  protected handle(_text: string): void {}
}

/** Routes user-data events to their consumers. */
export class UserData {
  readonly spotSinks: Map<string, Set<SpotSink>> = new Map();
  readonly #keys: Map<string, ListenKey> = new Map();
  readonly #private: Map<string, Set<PrivateSession>> = new Map();
  readonly tokens: Map<string, ListenToken> = new Map();
  readonly #tokenWatchers: Set<{ readonly token: string; readonly fn: () => void }> = new Set();
  readonly #validity: number;
  readonly #now: () => number;

  /** Creates the router; listen keys live `validityMs` after creation or the last keepalive. */
  constructor(validityMs: number, now: () => number) {
    this.#validity = validityMs;
    this.#now = now;
  }

  /**
   * Set by the server from the faults: whether user-data events of a venue are withheld now
   * (`stall`) and the latency added to them (`latency`).
   */
  gate: ((venue: "spot" | "usdm") => { readonly stalled: boolean; readonly delayMs: number }) | undefined;

  #pass(venue: "spot" | "usdm", send: () => void): void {
    const g = this.gate?.(venue);
    if (g?.stalled) return;
    if (g !== undefined && g.delayMs > 0) setTimeout(send, g.delayMs);
    else send();
  }

  /**
   * Delivers a spot (or margin, `margin:<apiKey>[|SYMBOL]`) event to every subscription of the
   * account, to its Binance.US / TR spot listen-key streams (raw, without the envelope), and a
   * cross-margin event also to its portfolio-margin streams.
   */
  spot(apiKey: string, event: Json): void {
    const sinks = this.spotSinks.get(apiKey);
    if (sinks && sinks.size > 0) {
      this.#pass("spot", () => {
        for (const s of sinks) s.deliver(event);
      });
    }
    if (apiKey.startsWith("margin:")) {
      const account = apiKey.slice(7);
      if (!account.includes("|")) this.#toKeys(account, "pm", event);
    } else this.#toKeys(apiKey, "spot", event);
  }

  /** Adds / removes a spot subscription sink. */
  addSpotSink(apiKey: string, sink: SpotSink): void {
    let set = this.spotSinks.get(apiKey);
    if (!set) this.spotSinks.set(apiKey, set = new Set());
    set.add(sink);
  }

  /** Removes a spot subscription sink. */
  removeSpotSink(apiKey: string, sink: SpotSink): void {
    this.spotSinks.get(apiKey)?.delete(sink);
  }

  /**
   * Delivers an event to the listen-key sessions of the account on `venue` (the USD-M events
   * filter applies). USD-M and COIN-M events also reach the account's portfolio-margin streams,
   * marked `fs: "UM"` / `"CM"` as Binance does there.
   */
  futures(apiKey: string, event: Json, venue: ListenKeyVenue = "usdm"): void {
    this.#toKeys(apiKey, venue, event);
    if (venue === "usdm" || venue === "coinm") {
      this.#toKeys(apiKey, "pm", { ...(event as Record<string, Json>), fs: venue === "usdm" ? "UM" : "CM" });
    }
  }

  #toKeys(apiKey: string, venue: ListenKeyVenue, event: Json): void {
    const e = (event as { e?: string }).e ?? "";
    for (const k of this.#keys.values()) {
      if (k.apiKey !== apiKey || k.venue !== venue) continue;
      for (const s of this.#private.get(k.key) ?? []) {
        if (!s.wants(e)) continue;
        const text = JSON.stringify(event);
        this.#pass(venue === "spot" ? "spot" : "usdm", () => s.send(text));
      }
    }
  }

  /** `POST …/listenKey` (`/fapi/v1`, `/dapi/v1`, `/eapi/v1`, `/papi/v1`, `/api/v3/userDataStream`): a new key, or the active one extended. */
  createListenKey(apiKey: string, venue: ListenKeyVenue = "usdm"): string {
    this.expireDue();
    for (const k of this.#keys.values()) {
      if (k.apiKey === apiKey && k.venue === venue) {
        k.expires = this.#now() + this.#validity;
        return k.key;
      }
    }
    const key = randomKey(64);
    this.#keys.set(key, { key, apiKey, venue, expires: this.#now() + this.#validity });
    return key;
  }

  /**
   * `PUT /fapi/v1/listenKey`: extends the account's key.
   *
   * @throws {ApiError} -1125 when the account has no active key
   */
  keepAlive(apiKey: string, venue: ListenKeyVenue = "usdm", listenKey?: string): string {
    this.expireDue();
    for (const k of this.#keys.values()) {
      // the spot form names the key (`listenKey` parameter); the futures forms find the account's
      if (k.apiKey === apiKey && k.venue === venue && (listenKey === undefined || listenKey === k.key)) {
        k.expires = this.#now() + this.#validity;
        return k.key;
      }
    }
    throw new ApiError(-1125, "This listenKey does not exist.");
  }

  /** `DELETE /fapi/v1/listenKey`: closes the key and its sessions. */
  deleteListenKey(apiKey: string, venue: ListenKeyVenue = "usdm", listenKey?: string): void {
    for (const k of [...this.#keys.values()]) {
      if (k.apiKey !== apiKey || k.venue !== venue || (listenKey !== undefined && listenKey !== k.key)) {
        continue;
      }
      this.#keys.delete(k.key);
      for (const s of [...this.#private.get(k.key) ?? []]) s.close(1000, "Listen key closed");
    }
  }

  /** Whether a listen key of `venue` is valid. */
  validKey(key: string, venue: ListenKeyVenue = "usdm"): boolean {
    this.expireDue();
    return this.#keys.get(key)?.venue === venue;
  }

  /** Registers / unregisters a private session. */
  attach(s: PrivateSession): void {
    let set = this.#private.get(s.listenKey);
    if (!set) this.#private.set(s.listenKey, set = new Set());
    set.add(s);
  }

  /** Unregisters a private session. */
  detach(s: PrivateSession): void {
    this.#private.get(s.listenKey)?.delete(s);
  }

  /** Expires every key past its validity (or every key of `apiKey` / all when `force`). */
  expireDue(force?: { readonly apiKey?: string }): void {
    const now = this.#now();
    for (const k of [...this.#keys.values()]) {
      const due = force ? (force.apiKey === undefined || force.apiKey === k.apiKey) : k.expires <= now;
      if (!due) continue;
      this.#keys.delete(k.key);
      const ev = JSON.stringify({ e: "listenKeyExpired", E: now, listenKey: k.key });
      for (const s of this.#private.get(k.key) ?? []) {
        if (s.wants("listenKeyExpired")) s.send(ev);
      }
    }
  }

  /** Calls `fn` when `token` is expired early (the `listenKeyExpiry` fault); returns the unregister function. */
  onTokenExpired(token: string, fn: () => void): () => void {
    const entry = { token, fn };
    this.#tokenWatchers.add(entry);
    return () => void this.#tokenWatchers.delete(entry);
  }

  /** Expires the listen tokens (of `apiKey`, or all) now; their subscriptions end. */
  expireTokens(apiKey?: string): void {
    for (const t of [...this.tokens.values()]) {
      if (apiKey !== undefined && t.apiKey !== apiKey) continue;
      this.tokens.delete(t.token);
      for (const w of [...this.#tokenWatchers]) if (w.token === t.token) w.fn();
    }
  }

  /** `POST /sapi/v1/userListenToken`. */
  createToken(apiKey: string, validityMs: number, account: string = apiKey): ListenToken {
    const t: ListenToken = { token: randomKey(64), apiKey, account, expires: this.#now() + validityMs };
    this.tokens.set(t.token, t);
    return t;
  }
}
