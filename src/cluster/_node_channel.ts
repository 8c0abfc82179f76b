/**
 * The router's read channels to nodes: one WebSocket per node (`/internal/v1/ws`), authenticated
 * by a first frame with the cluster secret, carrying reads as `{ i, e, m, s, l?, t? }` and answers
 * as `{ i, …NodeReadResponse }` (levels last: the router passes them through unparsed,
 * `_read_wire.ts`). Reads issued in one turn of the event loop share one frame (one per line), and
 * so do their answers. One HTTP request per read costs a fetch on each side; a frame on an open
 * socket costs a fraction of that. While a node's channel is not open yet (or was lost a
 * moment ago) the router reads that node over HTTP, so nothing waits for a socket.
 *
 * @module
 */
import type { ReadParams } from "./protocol.ts";
import { parseAnswerText, type RawNodeAnswer } from "./_read_wire.ts";

interface Pending {
  readonly resolve: (r: RawNodeAnswer) => void;
  readonly reject: (e: Error) => void;
  readonly at: number;
}

const RETRY_MS = 1000;

class Channel {
  readonly #ws: WebSocket;
  readonly #pending = new Map<number, Pending>();
  readonly #timeoutMs: number;
  readonly #sweep: ReturnType<typeof setInterval>;
  #seq = 0;
  #outbox: string[] = [];
  ready = false;
  closed = false;

  constructor(url: string, secret: string, timeoutMs: number, onGone: () => void) {
    this.#timeoutMs = timeoutMs;
    this.#ws = new WebSocket(url);
    this.#ws.onopen = () => this.#ws.send(JSON.stringify({ auth: secret }));
    this.#ws.onmessage = (e) => {
      if (typeof e.data !== "string") return;
      if (!this.ready) {
        if (e.data === '{"ready":true}') this.ready = true;
        return;
      }
      // one answer per line: `{"i":N,…answer}`
      const text: string = e.data;
      if (!text.includes("\n")) this.#answer(text);
      else for (const line of text.split("\n")) this.#answer(line);
      // reads that waited for this answer go out now, together
      if (this.#outbox.length > 0) this.#flush();
    };
    const gone = () => {
      if (this.closed) return;
      this.closed = true;
      this.ready = false;
      clearInterval(this.#sweep);
      for (const p of this.#pending.values()) p.reject(new Error("Node channel closed"));
      this.#pending.clear();
      onGone();
    };
    this.#ws.onclose = gone;
    this.#ws.onerror = gone;
    this.#sweep = setInterval(() => {
      // reads held back behind an answer that did not come (a timed-out read) go out now
      if (this.#outbox.length > 0) this.#flush();
      const now = performance.now();
      for (const [id, p] of this.#pending) {
        if (now - p.at < this.#timeoutMs) continue;
        this.#pending.delete(id);
        p.reject(new DOMException("Node read timed out", "TimeoutError"));
      }
    }, Math.min(250, timeoutMs));
  }

  /** Settles the pending read an answer line names: the id from the head, the levels unparsed. */
  #answer(line: string): void {
    const comma = line.indexOf(",", 5);
    if (!line.startsWith('{"i":') || comma < 0) return;
    const i = Number(line.slice(5, comma));
    const p = this.#pending.get(i);
    if (!p) return;
    this.#pending.delete(i);
    const r = parseAnswerText(line, comma + 1);
    if (r) p.resolve(r);
    else p.reject(new Error("Unreadable answer from the node"));
  }

  read(p: ReadParams, side: "asks" | "bids"): Promise<RawNodeAnswer> {
    const i = ++this.#seq;
    return new Promise((resolve, reject) => {
      // Batching (one frame, one read per line: one send and one message event per batch on each
      // side): with nothing in flight a read goes out at the end of this turn of the event loop
      // (with the others issued in it); while reads are in flight, new ones wait for the next
      // answer frame and go out with it. So an idle channel adds no wait, a busy one batches.
      const inFlight = this.#pending.size - this.#outbox.length;
      this.#pending.set(i, { resolve, reject, at: performance.now() });
      this.#outbox.push(
        JSON.stringify({ i, e: p.exchange, m: p.market, s: side, l: p.limitCount, t: p.thresholdVolume }),
      );
      if (inFlight === 0 && this.#outbox.length === 1) queueMicrotask(this.#flush);
    });
  }

  readonly #flush = (): void => {
    const frames = this.#outbox;
    this.#outbox = [];
    if (this.closed || frames.length === 0) return;
    try {
      this.#ws.send(frames.length === 1 ? frames[0] : frames.join("\n"));
    } catch {
      // the socket is closing: its close event fails these reads
    }
  };

  close(): void {
    clearInterval(this.#sweep);
    try {
      this.#ws.close();
    } catch {
      // already closed
    }
  }
}

/** The channels of one router, by node URL. */
export class NodeChannels {
  readonly #secret: string;
  readonly #timeoutMs: number;
  readonly #channels = new Map<string, Channel>();
  readonly #retryAt = new Map<string, number>();
  #closed = false;

  constructor(secret: string, timeoutMs: number) {
    this.#secret = secret;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * The open channel to a node, or undefined (read over HTTP then); starts connecting when there
   * is none (at most once per second per node after a loss).
   */
  ready(
    nodeUrl: string,
  ): { read(p: ReadParams, side: "asks" | "bids"): Promise<RawNodeAnswer> } | undefined {
    const ch = this.#channels.get(nodeUrl);
    if (ch) return ch.ready ? ch : undefined;
    if (this.#closed || typeof WebSocket === "undefined") return undefined;
    if ((this.#retryAt.get(nodeUrl) ?? 0) > Date.now()) return undefined;
    const url = `${nodeUrl.replace(/^http/, "ws")}/internal/v1/ws`;
    let made: Channel;
    try {
      made = new Channel(url, this.#secret, this.#timeoutMs, () => {
        if (this.#channels.get(nodeUrl) === made) this.#channels.delete(nodeUrl);
        this.#retryAt.set(nodeUrl, Date.now() + RETRY_MS);
      });
    } catch {
      this.#retryAt.set(nodeUrl, Date.now() + RETRY_MS);
      return undefined;
    }
    this.#channels.set(nodeUrl, made);
    return undefined;
  }

  /** Closes every channel. */
  close(): void {
    this.#closed = true;
    for (const ch of this.#channels.values()) ch.close();
    this.#channels.clear();
  }
}
