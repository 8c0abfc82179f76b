/**
 * The runtime-neutral view of one server-side WebSocket, and the connection lifecycle shared by
 * market-stream, user-data and WebSocket-API connections: incoming-message rate limit, server
 * pings and the pong deadline, maximum connection life.
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
  /**
   * Registers the listener of pong frames; false when the runtime does not report them (Deno:
   * its own idle timeout sends the pings and drops silent clients, see `adapter_deno.ts`).
   */
  onPong(listener: () => void): boolean;
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
  /**
   * A ping not answered by a pong within this long closes the connection (spot 1 min, futures
   * 10 min); undefined = not enforced. Unsolicited pongs sent before the ping do not count.
   */
  readonly pongTimeoutMs?: number;
}

/**
 * Close code and reason of a connection whose client did not answer a ping in time: those Deno's
 * idle timeout uses, so every runtime closes the same way.
 */
export const PONG_TIMEOUT_CLOSE: { readonly code: number; readonly reason: string } = {
  code: 1001,
  reason: "No response from ping frame.",
};

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
  #lastPongAt = -Infinity;
  readonly #pongs: boolean;

  /** Starts the ping and life timers. `onGone` is called once when the connection ends. */
  constructor(peer: Peer, venue: "spot" | "usdm", limits: ConnectionLimits, onGone: (c: Connection) => void) {
    this.peer = peer;
    this.venue = venue;
    this.#limits = limits;
    this.#onGone = onGone;
    this.#pongs = limits.pongTimeoutMs !== undefined && peer.onPong(() => this.#lastPongAt = Date.now());
    this.#timers.push(setInterval(() => this.onPing(), limits.pingIntervalMs));
    this.#timers.push(setTimeout(() => this.close(1000, "Connection lifetime expired"), limits.maxLifeMs));
  }

  /** Called on each ping tick (subclasses may suppress pings during a stall). */
  protected onPing(): void {
    if (this.closed) return;
    const sentAt = Date.now();
    this.peer.ping();
    if (!this.#pongs) return;
    const t = setTimeout(() => {
      this.#timers = this.#timers.filter((x) => x !== t);
      // Binance: a connection that does not answer a ping in time is disconnected
      if (this.#lastPongAt < sentAt) this.close(PONG_TIMEOUT_CLOSE.code, PONG_TIMEOUT_CLOSE.reason);
    }, this.#limits.pongTimeoutMs);
    this.#timers.push(t);
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
