/**
 * Test helpers: a plain WebSocket client that buffers frames, and small waiting utilities.
 *
 * @module
 */

/** A connected client with its received frames. */
export interface Client {
  readonly ws: WebSocket;
  readonly frames: string[];
  /** Resolves with the close code once the socket closes. */
  readonly closed: Promise<number>;
  /** Waits for a frame (after `from`) matching `pred`; returns its index. */
  waitFor(pred: (f: string) => boolean, timeoutMs?: number, from?: number): Promise<number>;
  send(value: unknown): void;
  close(): Promise<void>;
}

/** Opens a WebSocket and resolves once it is open. */
export function connect(url: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames: string[] = [];
    const waiters: Array<() => void> = [];
    let closeCode = -1;
    const closed = new Promise<number>((r) => {
      ws.addEventListener("close", (e) => {
        closeCode = (e as CloseEvent).code;
        r(closeCode);
        for (const w of waiters) w();
      });
    });
    ws.addEventListener("message", (e) => {
      frames.push(String((e as MessageEvent).data));
      for (const w of waiters.splice(0)) w();
    });
    ws.addEventListener("error", () => reject(new Error(`Cannot connect to ${url}`)));
    ws.addEventListener("open", () =>
      resolve({
        ws,
        frames,
        closed,
        send: (v) => ws.send(typeof v === "string" ? v : JSON.stringify(v)),
        async waitFor(pred, timeoutMs = 3000, from = 0) {
          const deadline = Date.now() + timeoutMs;
          let i = from;
          while (true) {
            for (; i < frames.length; i++) if (pred(frames[i])) return i;
            if (closeCode >= 0) throw new Error(`Socket closed (${closeCode}) before the expected frame`);
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`Timed out waiting for a frame; got ${frames.length}`);
            await new Promise<void>((r) => {
              const t = setTimeout(r, left);
              waiters.push(() => {
                clearTimeout(t);
                r();
              });
            });
          }
        },
        async close() {
          if (ws.readyState === WebSocket.CLOSED) return;
          ws.close();
          await Promise.race([closed, sleep(1000)]);
        },
      }));
  });
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Parsed JSON of a test response (shape checked by the assertions). */
// deno-lint-ignore no-explicit-any
export type AnyJson = any;

/** Fetches JSON and returns status, headers and body. */
export async function getJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; headers: Headers; body: AnyJson }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) };
}
