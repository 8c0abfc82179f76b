/**
 * A scripted fake `fetch` and a manual clock for REST client unit tests.
 *
 * @module
 */
import type { RestClock } from "../../src/rest/client_core.ts";

/** One request the client sent. */
export interface Sent {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: string;
}

/** Answers one request; `"network"` rejects like a failed connection, `"hang"` never answers. */
export type Reply = Response | "network" | "hang" | ((req: Sent) => Response | "network" | "hang");

/** JSON response helper. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** A fake fetch answering `/time` with the clock plus `serverSkew`, and everything else from a queue. */
export class FakeFetch {
  readonly sent: Sent[] = [];
  readonly queue: Reply[] = [];
  serverSkew = 0;
  #clock: ManualClock;

  constructor(clock: ManualClock) {
    this.#clock = clock;
  }

  /** Requests except the time probes. */
  get calls(): Sent[] {
    return this.sent.filter((s) => !s.url.pathname.endsWith("/time"));
  }

  readonly fetch: typeof fetch = (input, init) => {
    const req: Sent = {
      method: init?.method ?? "GET",
      url: new URL(String(input)),
      headers: new Headers(init?.headers),
      body: typeof init?.body === "string" ? init.body : "",
    };
    this.sent.push(req);
    if (req.url.pathname.endsWith("/time")) {
      return Promise.resolve(json({ serverTime: this.#clock.now() + this.serverSkew }));
    }
    let reply = this.queue.shift();
    if (reply === undefined) throw new Error(`Unexpected request ${req.method} ${req.url}`);
    if (typeof reply === "function") reply = reply(req);
    if (reply === "network") return Promise.reject(new TypeError("fetch failed: connection refused"));
    if (reply === "hang") {
      return new Promise((_, reject) => {
        if (init?.signal?.aborted) return reject(init.signal.reason);
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason), { once: true });
      });
    }
    return Promise.resolve(reply);
  };
}

/** A clock that only moves when told to or when slept on. */
export class ManualClock implements RestClock {
  t = 1_700_000_000_000;
  readonly sleeps: number[] = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
    return Promise.resolve();
  }
}
