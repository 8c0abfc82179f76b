/**
 * One logical WebSocket connection: connect, reconnect with jittered exponential backoff,
 * 429/418-aware delays, client heartbeat, stall watchdog, paced sending, and proactive
 * make-before-break rotation before Binance's 24 h limit.
 *
 * Hot path: `#onMessage` runs for every frame; without a rotation in progress it does a
 * timestamp and one callback.
 *
 * @module
 */
import { backoffDelay } from "../core/backoff.ts";
import type { ConnectAttemptBudget } from "./attempt_budget.ts";
import { SendPacer } from "./pacer.ts";
import { StreamUnrepairableError } from "./errors.ts";
import { describeNetworkError, originOf } from "../core/_network.ts";

/** The part of the web-standard `WebSocket` the manager uses (the `ws` package fits too). */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Sends a text frame. */
  send(data: string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Open handler. */
  // deno-lint-ignore no-explicit-any
  onopen: ((ev: any) => any) | null;
  /** Message handler (`ev.data` is a string for text frames). */
  // deno-lint-ignore no-explicit-any
  onmessage: ((ev: any) => any) | null;
  /** Close handler (`ev.code`, `ev.reason`). */
  // deno-lint-ignore no-explicit-any
  onclose: ((ev: any) => any) | null;
  /** Error handler (`ev.message` carries the handshake status on Deno and Bun). */
  // deno-lint-ignore no-explicit-any
  onerror: ((ev: any) => any) | null;
}

/** A `WebSocket` constructor: `globalThis.WebSocket`, or the `ws` package's class on Node 20. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Timing options of a connection (all in milliseconds; 0 disables a feature). */
export interface ConnectionTimings {
  /** First reconnect delay (jittered, doubled per attempt). Default 500. */
  readonly backoffBaseMs?: number;
  /** Cap of the reconnect delay. Default 30 000. */
  readonly backoffMaxMs?: number;
  /** Least delay after a handshake answered 429. Default 60 000. */
  readonly rateLimitBackoffMs?: number;
  /** Least delay after a handshake answered 418 (Binance bans start at 2 min). Default 120 000. */
  readonly banBackoffMs?: number;
  /** Give up a handshake after this long. Default 10 000. */
  readonly connectTimeoutMs?: number;
  /** Connected but no data for this long → reconnect. Default 60 000; 0 = off. */
  readonly stallTimeoutMs?: number;
  /** No frame for this long → send a heartbeat probe. Default 30 000; 0 = off. */
  readonly heartbeatIntervalMs?: number;
  /** No frame this long after a probe → reconnect. Default 10 000. */
  readonly heartbeatTimeoutMs?: number;
  /** Open a replacement after this long (Binance closes at 24 h). Default 23.5 h; 0 = off. */
  readonly rotateAfterMs?: number;
  /** Longest overlap of old and new socket during a rotation. Default 10 000. */
  readonly rotationOverlapMaxMs?: number;
}

const TIMING_KEYS: readonly (keyof ConnectionTimings)[] = [
  "backoffBaseMs",
  "backoffMaxMs",
  "rateLimitBackoffMs",
  "banBackoffMs",
  "connectTimeoutMs",
  "stallTimeoutMs",
  "heartbeatIntervalMs",
  "heartbeatTimeoutMs",
  "rotateAfterMs",
  "rotationOverlapMaxMs",
];

/** Callbacks of a {@link Connection}. */
export interface ConnectionHooks {
  /** URL of the next attempt (may fetch a listenKey). Throw {@link StreamUnrepairableError} to give up. */
  url(): string | Promise<string>;
  /** A socket opened: send its subscriptions through `send` (paced). `rotation`: it is a replacement. */
  onOpen(send: (text: string) => void, info: { rotation: boolean }): void;
  /** One text frame, in order, never duplicated across a rotation. */
  onFrame(text: string): void;
  /** A connected period ended (not called for a rotation). */
  onDisconnect(reason: string): void;
  /** The connection gave up. */
  onUnrepairable(reason: string): void;
  /**
   * A connection attempt failed before it opened (refused, DNS, TLS, timeout, HTTP status); a
   * retry follows after the back-off. `reason` names the URL's origin, never its path or query.
   */
  onConnectFailed?(reason: string): void;
  /** The heartbeat probe to send (e.g. `LIST_SUBSCRIPTIONS`); undefined sends none. */
  probe?(): string | undefined;
}

/** Options of a {@link Connection}. */
export interface ConnectionOptions extends ConnectionTimings {
  /** The WebSocket constructor. */
  readonly WebSocket: WebSocketConstructor;
  /** Messages per second the pacer lets out. */
  readonly perSecond: number;
  /** Random source for the jitter (tests). Default `Math.random`. */
  readonly random?: () => number;
  /** Connection attempts shared with other connections (Binance: 300 per 5 min per IP); false = none. */
  readonly connectAttemptBudget?: ConnectAttemptBudget | false;
}

interface Sock {
  readonly ws: WebSocketLike;
  readonly url: string;
  readonly pacer: SendPacer;
  opened: boolean;
  openedAt: number;
  done: boolean;
  error: string;
  /** The error event's `error` (Node's `ws` and undici put the system error there). */
  cause?: unknown;
  closeReason?: string;
  connectTimer?: ReturnType<typeof setTimeout>;
}

interface RotationName {
  held: string[];
  /** The overlap point was found. */
  synced: boolean;
  /** The replacement delivered a frame the old socket had not: it is ahead from here on. */
  caughtUp: boolean;
  recentA: Set<string>;
  recentOrder: string[];
}

const RECENT_MAX = 512;

function nameOf(text: string): string {
  return text.startsWith('{"stream":"') ? text.slice(11, text.indexOf('"', 11)) : "";
}

/** Connection states. */
export type ConnectionState = "idle" | "connecting" | "open" | "waiting" | "stopped" | "failed";

/**
 * One logical connection that keeps itself connected until {@link Connection.stop} or an
 * unrepairable cause.
 */
export class Connection {
  readonly #o: Required<Omit<ConnectionOptions, "random">> & { random: () => number };
  readonly #hooks: ConnectionHooks;
  readonly #budget: ConnectAttemptBudget | undefined;
  #state: ConnectionState = "idle";
  /** The first attempt replaces a connection that still serves (see {@link start}). */
  #replacing = false;
  #cur: Sock | undefined;
  #next: Sock | undefined;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #lastFrameAt = 0;
  #lastDataAt = 0;
  #probeSentAt = 0;
  #rotation: Map<string, RotationName> | undefined;
  #rotationRetryAt = 0;
  #opens = 0;
  #behind: Map<string, Set<string>> | undefined;
  /** Successful opens after the first. */
  reconnects = 0;
  /** Completed rotations. */
  rotations = 0;

  /**
   * @param options Constructor, rate and timings.
   * @param hooks URL provider and event callbacks.
   */
  constructor(options: ConnectionOptions, hooks: ConnectionHooks) {
    this.#o = {
      backoffBaseMs: 500,
      backoffMaxMs: 30_000,
      rateLimitBackoffMs: 60_000,
      banBackoffMs: 120_000,
      connectTimeoutMs: 10_000,
      stallTimeoutMs: 60_000,
      heartbeatIntervalMs: 30_000,
      heartbeatTimeoutMs: 10_000,
      rotateAfterMs: 23.5 * 3600_000,
      rotationOverlapMaxMs: 10_000,
      random: Math.random,
      // only the known keys: callers pass wider option objects (which may hold API secrets)
      ...Object.fromEntries(TIMING_KEYS.flatMap((k) => options[k] === undefined ? [] : [[k, options[k]]])),
      WebSocket: options.WebSocket,
      perSecond: options.perSecond,
      ...(options.random ? { random: options.random } : {}),
    } as Required<Omit<ConnectionOptions, "random">> & { random: () => number };
    this.#hooks = hooks;
    this.#budget = options.connectAttemptBudget || undefined;
  }

  /** Current state. */
  get state(): ConnectionState {
    return this.#state;
  }
  /** True while a socket is open. */
  get isOpen(): boolean {
    return this.#state === "open";
  }
  /** True while a rotation overlap is running. */
  get rotating(): boolean {
    return this.#next !== undefined;
  }

  /**
   * Opens the first socket.
   *
   * @param options `replacement`: this connection replaces another that keeps serving until it is
   *   up (a listen-token renewal): its first attempt counts in the budget but does not wait for
   *   it, like a rotation's (waiting would let the old subscription run out meanwhile).
   */
  start(options: { readonly replacement?: boolean } = {}): void {
    if (this.#state !== "idle") return;
    this.#replacing = options.replacement === true;
    this.#open(false);
  }

  /**
   * Sends a message on the open socket (and on a rotation replacement), paced.
   *
   * @param text The serialized message.
   * @returns False when no socket is open (the caller's state is resent on the next open).
   */
  send(text: string): boolean {
    let sent = false;
    for (const s of [this.#cur, this.#next]) {
      if (s && s.opened && !s.done) {
        s.pacer.enqueue(text);
        sent = true;
      }
    }
    return sent;
  }

  /** Marks that a data frame (not a control reply) arrived: feeds the stall watchdog. */
  markData(): void {
    this.#lastDataAt = Date.now();
  }

  /**
   * Drops the socket and reconnects (after the usual backoff).
   *
   * @param reason Why, reported in `DISCONNECT`.
   */
  reconnect(reason: string): void {
    if (this.#cur && !this.#cur.done) this.#drop(this.#cur, reason);
  }

  /** Starts a make-before-break rotation now (e.g. on `serverShutdown`). */
  rotate(): void {
    if (this.#state === "open" && !this.#next) this.#open(true);
  }

  /**
   * Gives up: closes everything and reports `reason` through `onUnrepairable`.
   *
   * @param reason Why retrying cannot help.
   */
  fail(reason: string): void {
    if (this.#state === "stopped" || this.#state === "failed") return;
    this.#shutdown("failed");
    this.#hooks.onUnrepairable(reason);
  }

  /**
   * Closes everything; no reconnect follows.
   *
   * @returns True when a socket was open (the caller reports `DISCONNECT`).
   */
  stop(): boolean {
    if (this.#state === "stopped" || this.#state === "failed") return false;
    const wasOpen = this.#state === "open";
    this.#shutdown("stopped");
    return wasOpen;
  }

  #shutdown(state: "stopped" | "failed"): void {
    this.#state = state;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    if (this.#ticker !== undefined) clearInterval(this.#ticker);
    this.#retryTimer = this.#ticker = undefined;
    for (const s of [this.#cur, this.#next]) if (s) this.#close(s, 1000, "stop");
    this.#cur = this.#next = undefined;
    this.#rotation = undefined;
  }

  async #open(rotation: boolean): Promise<void> {
    const replacing = this.#replacing;
    this.#replacing = false;
    if (!rotation) this.#state = "connecting";
    let url: string;
    try {
      url = await this.#hooks.url();
    } catch (e) {
      if (this.#state === "stopped" || this.#state === "failed") return;
      const msg = e instanceof Error ? e.message : String(e);
      if (e instanceof StreamUnrepairableError) return this.fail(msg);
      if (rotation) return;
      this.#hooks.onConnectFailed?.(`Cannot build the connection URL: ${msg}`);
      return this.#scheduleRetry(`Cannot build the connection URL: ${msg}`, "");
    }
    if (this.#state === "stopped" || this.#state === "failed") return;
    // the shared budget keeps the attempts of all connections under the venue's limit
    // (a rotation's attempt counts, but does not wait: the old socket keeps serving meanwhile;
    // the same for the first attempt of a connection that replaces another)
    const forced = rotation || replacing;
    const wait = this.#budget?.reserve() ?? 0;
    if (wait > 0 && !forced) {
      await new Promise<void>((r) => this.#retryTimer = setTimeout(r, wait));
      this.#retryTimer = undefined;
      const st = this.#state as ConnectionState; // stop() may have run during the wait
      if (st === "stopped" || st === "failed") return;
    }
    // a timer that fired late must not bring its attempt into the window of later ones: the
    // attempts really made decide too (a rotation's is recorded without waiting)
    for (let more = this.#budget?.attempt(forced) ?? 0; more > 0; more = this.#budget!.attempt()) {
      await new Promise<void>((r) => this.#retryTimer = setTimeout(r, more));
      this.#retryTimer = undefined;
      const st = this.#state as ConnectionState;
      if (st === "stopped" || st === "failed") return;
    }
    let ws: WebSocketLike;
    try {
      ws = new this.#o.WebSocket(url);
    } catch (e) {
      return this.fail(`Cannot open a WebSocket: ${e instanceof Error ? e.message : String(e)}`);
    }
    const sock: Sock = {
      ws,
      url,
      pacer: new SendPacer({
        perSecond: this.#o.perSecond,
        send: (t) => {
          if (ws.readyState === 1) ws.send(t);
        },
      }),
      opened: false,
      openedAt: 0,
      done: false,
      error: "",
    };
    if (rotation) {
      this.#next = sock;
      // record the old socket's frames from now on: the replacement may receive some of them
      this.#rotation = new Map();
    } else this.#cur = sock;
    sock.connectTimer = setTimeout(() => {
      if (!sock.opened) this.#drop(sock, `connect timeout after ${this.#o.connectTimeoutMs} ms`);
    }, this.#o.connectTimeoutMs);
    ws.onopen = () => {
      if (sock.done) return;
      clearTimeout(sock.connectTimer);
      sock.opened = true;
      sock.openedAt = Date.now();
      const send = (t: string): void => sock.pacer.enqueue(t);
      // a replacement whose predecessor died before it opened is an ordinary reconnect now
      if (sock === this.#next) {
        this.#hooks.onOpen(send, { rotation: true });
        return;
      }
      if (this.#opens++ > 0) this.reconnects++;
      this.#state = "open";
      this.#lastFrameAt = this.#lastDataAt = sock.openedAt;
      this.#probeSentAt = 0;
      this.#startTicker();
      this.#hooks.onOpen(send, { rotation: false });
    };
    ws.onmessage = (ev: { data: unknown }) => {
      if (typeof ev.data === "string") this.#onMessage(sock, ev.data);
    };
    ws.onerror = (ev: { message?: string; error?: { message?: string } & object }) => {
      sock.error = ev?.message || ev?.error?.message || sock.error;
      sock.cause ??= ev?.error;
    };
    ws.onclose = (ev: { code?: number; reason?: string }) => {
      this.#onClose(sock, `closed with code ${ev?.code ?? 0}${ev?.reason ? `: ${ev.reason}` : ""}`);
    };
  }

  #onMessage(sock: Sock, text: string): void {
    if (sock.done) return;
    const now = Date.now();
    if (this.#next === undefined) {
      // fast path: no rotation running
      this.#lastFrameAt = now;
      if (this.#behind !== undefined && this.#skipBehind(text)) return;
      this.#probeSentAt = 0;
      if (this.#attempt) this.#attempt = 0;
      this.#hooks.onFrame(text);
      return;
    }
    const rot = this.#rotation as Map<string, RotationName>;
    const name = nameOf(text);
    let st = rot.get(name);
    if (!st) {
      rot.set(name, st = { held: [], synced: false, caughtUp: false, recentA: new Set(), recentOrder: [] });
    }
    if (sock === this.#cur) {
      this.#lastFrameAt = now;
      if (st.synced) return; // the replacement delivers this name now
      this.#hooks.onFrame(text);
      const k = st.held.indexOf(text);
      if (k >= 0) {
        // the replacement already had this frame: everything it holds after it is newer
        st.synced = st.caughtUp = true;
        const newer = st.held.slice(k + 1);
        st.held = [];
        for (const t of newer) this.#hooks.onFrame(t);
      } else {
        st.recentA.add(text);
        st.recentOrder.push(text);
        if (st.recentOrder.length > RECENT_MAX) st.recentA.delete(st.recentOrder.shift() as string);
      }
    } else if (sock === this.#next) {
      // the old socket may be ahead: what it already delivered is skipped
      if (st.synced) {
        if (!st.recentA.has(text)) {
          st.caughtUp = true;
          this.#hooks.onFrame(text);
        }
      } else if (st.recentA.has(text)) {
        // overlap found: the old socket delivered this and everything before it
        st.synced = true;
        st.held = [];
      } else st.held.push(text);
    }
    this.#maybeFinishRotation(false);
  }

  #maybeFinishRotation(force: boolean): void {
    const rot = this.#rotation;
    const next = this.#next;
    if (!rot || !next || !next.opened) return;
    let all = rot.size > 0;
    for (const st of rot.values()) if (!st.caughtUp) all = false;
    if (!all && !force && Date.now() - next.openedAt < this.#o.rotationOverlapMaxMs) return;
    for (const [name, st] of rot) {
      if (st.caughtUp) continue;
      for (const t of st.held) if (!st.recentA.has(t)) this.#hooks.onFrame(t);
      // the replacement is still behind on this name: skip what the old socket delivered
      if (st.synced) (this.#behind ??= new Map()).set(name, st.recentA);
    }
    const old = this.#cur;
    this.#cur = next;
    this.#next = undefined;
    this.#rotation = undefined;
    this.rotations++;
    if (old) this.#close(old, 1000, "rotated");
  }

  #skipBehind(text: string): boolean {
    const behind = this.#behind as Map<string, Set<string>>;
    const name = nameOf(text);
    const seen = behind.get(name);
    if (!seen) return false;
    if (seen.has(text)) return true;
    behind.delete(name);
    if (behind.size === 0) this.#behind = undefined;
    return false;
  }

  #onClose(sock: Sock, text: string): void {
    if (sock.done) return;
    sock.done = true;
    clearTimeout(sock.connectTimer);
    sock.pacer.close();
    const reason = sock.closeReason ?? (sock.opened ? text : (sock.error || `handshake failed (${text})`));
    if (sock === this.#next) {
      // the replacement failed: keep the current socket, try again later
      this.#next = undefined;
      this.#rotation = undefined;
      this.#rotationRetryAt = Date.now() + 60_000;
      return;
    }
    if (sock !== this.#cur) return;
    this.#cur = undefined;
    if (this.#state === "stopped" || this.#state === "failed") return;
    if (this.#next?.opened) {
      // the old socket died during a rotation: the replacement takes over at once
      this.#maybeFinishRotation(true);
      return;
    }
    if (sock.opened) this.#hooks.onDisconnect(reason);
    else this.#hooks.onConnectFailed?.(connectFailure(sock, text));
    if (this.#next) {
      // a replacement is already connecting (e.g. after serverShutdown): it becomes the retry
      this.#cur = this.#next;
      this.#next = undefined;
      this.#rotation = undefined;
      this.#state = "connecting";
      if (this.#ticker !== undefined) clearInterval(this.#ticker);
      this.#ticker = undefined;
      return;
    }
    this.#scheduleRetry(reason, sock.error);
  }

  #scheduleRetry(reason: string, errorText: string): void {
    if (this.#ticker !== undefined) clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#state = "waiting";
    // "equal" jitter in [exp/2, exp]: spreads reconnect storms and never retries at once
    let delay = backoffDelay(this.#attempt, {
      baseMs: this.#o.backoffBaseMs,
      maxMs: Math.max(this.#o.backoffBaseMs, this.#o.backoffMaxMs),
      random: this.#o.random,
      jitter: "equal",
    });
    if (/\b418\b/.test(errorText)) delay = Math.max(delay, this.#o.banBackoffMs);
    else if (/\b429\b/.test(errorText)) delay = Math.max(delay, this.#o.rateLimitBackoffMs);
    this.#attempt++;
    void reason;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#state === "waiting") {
        this.#state = "connecting";
        this.#open(false);
      }
    }, delay);
  }

  #startTicker(): void {
    if (this.#ticker !== undefined) return;
    const spans = [this.#o.stallTimeoutMs, this.#o.heartbeatIntervalMs, this.#o.heartbeatTimeoutMs]
      .filter((x) => x > 0);
    const tick = Math.max(20, Math.min(1000, ...spans.map((x) => x / 4)));
    this.#ticker = setInterval(() => this.#tick(), tick);
  }

  #tick(): void {
    const cur = this.#cur;
    if (this.#state !== "open" || !cur || cur.done) return;
    const now = Date.now();
    const o = this.#o;
    if (o.stallTimeoutMs > 0 && now - this.#lastDataAt > o.stallTimeoutMs) {
      return this.#drop(cur, `stalled: no data for ${o.stallTimeoutMs} ms`);
    }
    if (o.heartbeatIntervalMs > 0) {
      if (this.#probeSentAt && now - this.#probeSentAt > o.heartbeatTimeoutMs) {
        return this.#drop(cur, `heartbeat timeout: no frame ${o.heartbeatTimeoutMs} ms after a probe`);
      }
      if (!this.#probeSentAt && now - this.#lastFrameAt > o.heartbeatIntervalMs) {
        const probe = this.#hooks.probe?.();
        if (probe !== undefined) {
          this.#probeSentAt = now;
          cur.pacer.enqueue(probe);
        }
      }
    }
    if (this.#next) this.#maybeFinishRotation(false);
    else if (o.rotateAfterMs > 0 && now - cur.openedAt > o.rotateAfterMs && now >= this.#rotationRetryAt) {
      this.#open(true);
    }
  }

  #drop(sock: Sock, reason: string): void {
    sock.closeReason = reason;
    detachAndClose(sock.ws, 4000, reason);
    this.#onClose(sock, reason);
  }

  #close(sock: Sock, code: number, reason: string): void {
    sock.done = true;
    sock.pacer.close();
    clearTimeout(sock.connectTimer);
    detachAndClose(sock.ws, code, reason);
  }
}

/** Why a socket never opened, naming the origin only (the path may hold a listenKey). */
function connectFailure(sock: Sock, closeText: string): string {
  const origin = originOf(sock.url);
  const timeout = /^connect timeout after (\d+) ms$/.exec(sock.closeReason ?? "");
  if (timeout) return `No answer from ${origin} within ${timeout[1]} ms: timed out`;
  // Node's built-in WebSocket reports a bare TypeError: then the close code is all there is
  const described = sock.cause !== undefined || sock.error
    ? describeNetworkError(sock.cause ?? sock.error)
    : "";
  const why = described === "" || described === "network error"
    ? `handshake failed (${closeText})`
    : described;
  return `Cannot reach ${origin}: ${why}`;
}

function detachAndClose(ws: WebSocketLike, code: number, reason: string): void {
  ws.onopen = ws.onmessage = ws.onclose = null;
  ws.onerror = () => {};
  try {
    // a close reason is limited to 123 UTF-8 bytes
    ws.close(code, reason.slice(0, 100));
  } catch {
    // already closed
  }
}
