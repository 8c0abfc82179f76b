/**
 * The runtime-neutral view of one server-side WebSocket, and the connection lifecycle shared by
 * market-stream, user-data and WebSocket-API connections: incoming-message rate limit, server
 * pings, maximum connection life.
 *
 * @module
 */

/** What the protocol layers need from a server-side socket (filled in by the runtime adapter). */
export interface Peer {
  /** Sends one text frame. */
  send(text: string): void;
  /** Closes with a close frame. */
  close(code: number, reason: string): void;
  /** Drops the TCP connection without a close handshake where the runtime allows it. */
  terminate(): void;
  /** Sends a ping frame where the runtime exposes one (no-op otherwise). */
  ping(): void;
  /** Bytes queued but not yet sent (0 where the runtime does not tell). */
  bufferedAmount(): number;
}

/** Limits applied to every connection. */
export interface ConnectionLimits {
  /** Incoming frames allowed per second before the server disconnects (spot 5, futures 10). */
  readonly maxIncomingPerSecond: number;
  /** Server ping interval (spot 20 s, futures 180 s). */
  readonly pingIntervalMs: number;
  /** Connection life before the server closes (Binance: 24 h). */
  readonly maxLifeMs: number;
}

/** Base class of a server-side connection. */
export abstract class Connection {
  readonly peer: Peer;
  readonly venue: "spot" | "usdm";
  closed = false;
  /** Set once the connection broke the message rate limit (it is about to be closed). */
  limited = false;
  #times: number[] = [];
  #timers: Array<ReturnType<typeof setTimeout>> = [];
  readonly #limits: ConnectionLimits;
  readonly #onGone: (c: Connection) => void;

  /** Starts the ping and life timers. `onGone` is called once when the connection ends. */
  constructor(peer: Peer, venue: "spot" | "usdm", limits: ConnectionLimits, onGone: (c: Connection) => void) {
    this.peer = peer;
    this.venue = venue;
    this.#limits = limits;
    this.#onGone = onGone;
    this.#timers.push(setInterval(() => this.onPing(), limits.pingIntervalMs));
    this.#timers.push(setTimeout(() => this.close(1000, "Connection lifetime expired"), limits.maxLifeMs));
  }

  /** Called on each ping tick (subclasses may suppress pings during a stall). */
  protected onPing(): void {
    this.peer.ping();
  }

  /** Feeds one incoming text frame through the rate limit, then to `handle`. */
  receive(text: string): void {
    if (this.closed || this.limited) return;
    const now = Date.now();
    this.#times.push(now);
    while (this.#times.length > 0 && this.#times[0] <= now - 1000) this.#times.shift();
    if (this.#times.length > this.#limits.maxIncomingPerSecond) {
      // Binance disconnects a connection that sends more than the allowed messages per second
      this.#times = [];
      this.limited = true;
      setTimeout(() => this.close(1008, "Too many requests"), 0);
      return;
    }
    this.handle(text);
  }

  /** Sends the `serverShutdown` notice in this connection's framing (raw event by default). */
  notifyShutdown(E: number): void {
    this.send(JSON.stringify({ e: "serverShutdown", E }));
  }

  /** Handles one accepted incoming frame. */
  protected abstract handle(text: string): void;

  /** Sends a frame unless closed. */
  send(text: string): void {
    if (this.closed) return;
    try {
      this.peer.send(text);
    } catch {
      this.gone();
    }
  }

  /** Closes with a close frame. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    try {
      this.peer.close(code, reason);
    } catch { /* already closing */ }
    this.gone();
  }

  /** Drops the connection abruptly. */
  terminate(): void {
    if (this.closed) return;
    try {
      this.peer.terminate();
    } catch { /* already gone */ }
    this.gone();
  }

  /** Marks the connection as ended (the socket closed, or we closed it). */
  gone(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers = [];
    this.#onGone(this);
  }
}
