/**
 * User-data delivery: spot WebSocket-API subscriptions (`{"subscriptionId", "event"}`), USD-M
 * listen keys (60-minute validity, keepalive, `listenKeyExpired`) with `/private/ws` sessions
 * and their `events` filter, and margin listen tokens.
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

/** Which futures venue a listen key belongs to (COIN-M keys have no stream route here). */
export type ListenKeyVenue = "usdm" | "coinm";

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

/** A USD-M `/private/ws?listenKey=…&events=…` connection. */
export class PrivateSession extends Connection {
  readonly listenKey: string;
  readonly events: ReadonlySet<string>;

  /** Creates the session. */
  constructor(
    peer: Peer,
    listenKey: string,
    events: ReadonlySet<string>,
    limits: ConnectionLimits,
    onGone: (c: Connection) => void,
  ) {
    super(peer, "usdm", limits, onGone);
    this.listenKey = listenKey;
    this.events = events;
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
  readonly #validity: number;
  readonly #now: () => number;

  /** Creates the router; listen keys live `validityMs` after creation or the last keepalive. */
  constructor(validityMs: number, now: () => number) {
    this.#validity = validityMs;
    this.#now = now;
  }

  /** Delivers a spot event to every subscription of the account. */
  spot(apiKey: string, event: Json): void {
    for (const s of this.spotSinks.get(apiKey) ?? []) s.deliver(event);
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

  /** Delivers a USD-M event to the private sessions of the account's listen key (events filter applies). */
  futures(apiKey: string, event: Json): void {
    const e = (event as { e?: string }).e ?? "";
    for (const k of this.#keys.values()) {
      if (k.apiKey !== apiKey || k.venue !== "usdm") continue;
      for (const s of this.#private.get(k.key) ?? []) {
        if (s.events.has(e)) s.send(JSON.stringify(event));
      }
    }
  }

  /** `POST /fapi/v1/listenKey` (`/dapi/v1`): a new key, or the active one extended. */
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
  keepAlive(apiKey: string, venue: ListenKeyVenue = "usdm"): string {
    this.expireDue();
    for (const k of this.#keys.values()) {
      if (k.apiKey === apiKey && k.venue === venue) {
        k.expires = this.#now() + this.#validity;
        return k.key;
      }
    }
    throw new ApiError(-1125, "This listenKey does not exist.");
  }

  /** `DELETE /fapi/v1/listenKey`: closes the key and its sessions. */
  deleteListenKey(apiKey: string, venue: ListenKeyVenue = "usdm"): void {
    for (const k of [...this.#keys.values()]) {
      if (k.apiKey !== apiKey || k.venue !== venue) continue;
      this.#keys.delete(k.key);
      for (const s of [...this.#private.get(k.key) ?? []]) s.close(1000, "Listen key closed");
    }
  }

  /** Whether a USD-M listen key is valid. */
  validKey(key: string): boolean {
    this.expireDue();
    return this.#keys.get(key)?.venue === "usdm";
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
        if (s.events.has("listenKeyExpired")) s.send(ev);
      }
    }
  }

  /** `POST /sapi/v1/userListenToken`. */
  createToken(apiKey: string, validityMs: number, account: string = apiKey): ListenToken {
    const t: ListenToken = { token: randomKey(64), apiKey, account, expires: this.#now() + validityMs };
    this.tokens.set(t.token, t);
    return t;
  }
}
