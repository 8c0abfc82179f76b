/**
 * Emulator fidelity of stream connections on every runtime: server pings (Deno included, through
 * its idle timeout), a client that does not answer pings is dropped, the connection-attempt
 * limit (300 per 5 minutes per IP, configured small) answered 429 with Retry-After, and the
 * WebSocket manager's reconnect back-off after a mass disconnect staying under it.
 */
import { afterEach, describe, it } from "node:test";
import { assert, assertEquals, assertMatch } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { BinanceWebSocketManager, ConnectAttemptBudget } from "../../src/ws/mod.ts";
import type { StreamSignal } from "../../src/ws/signals.ts";
import type { WebSocketConstructor } from "../../src/ws/connection.ts";
import { WebSocket as WsWebSocket } from "ws";
import { type RawClient, rawConnect } from "./_raw_ws.ts";
import { sleep } from "./_ws.ts";

let emu: Emulator | undefined;
let ws: BinanceWebSocketManager | undefined;
const raws: RawClient[] = [];
afterEach(async () => {
  for (const r of raws.splice(0)) r.destroy();
  await ws?.close();
  await emu?.close();
  emu = ws = undefined;
});

async function raw(url: string, answerPings: boolean): Promise<RawClient> {
  const r = await rawConnect(url, answerPings);
  raws.push(r);
  return r;
}

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

// Node's built-in WebSocket reports no handshake status, so the manager cannot tell a 429 there;
// on Node the mass-disconnect scenarios use the `ws` package, as docs/ws.md advises (Reconnects)
const onNode = (globalThis as { Deno?: unknown; Bun?: unknown }).Deno === undefined &&
  (globalThis as { Bun?: unknown }).Bun === undefined;
const SocketClass: WebSocketConstructor | undefined = onNode
  ? WsWebSocket as unknown as WebSocketConstructor
  : undefined;

describe("server pings and the pong deadline", () => {
  it("a client that answers pings is pinged and stays connected", async () => {
    // generous deadlines (Deno's is the ping interval): a loaded machine must not miss one
    const e = emu = await startEmulator({
      seed: 1,
      paused: true,
      limits: { pingIntervalMs: 700, pongTimeoutMs: 2000 },
    });
    const c = await raw(`${e.wsUrl}/ws/btcusdt@trade`, true);
    assertEquals(c.status, 101);
    await until(() => c.pings >= 3, 10_000, "three pings");
    const early = await Promise.race([c.ended, sleep(1000).then(() => "open")]);
    assertEquals(early, "open");
  });

  it("a client that does not answer pings is dropped with 1001", async () => {
    const e = emu = await startEmulator({
      seed: 1,
      paused: true,
      limits: { pingIntervalMs: 200, pongTimeoutMs: 600 },
    });
    const t0 = Date.now();
    const c = await raw(`${e.wsUrl}/ws/btcusdt@trade`, false);
    const code = await Promise.race([c.ended, sleep(5000).then(() => -1)]);
    assertEquals(code, 1001);
    assert(c.pings >= 1, "dropped without a ping");
    // Node and Bun: the ping interval plus the pong deadline; Deno: twice the ping interval
    assert(Date.now() - t0 >= 350, `dropped after ${Date.now() - t0} ms`);
  });

  it("futures connections have their own interval and deadline", async () => {
    const e = emu = await startEmulator({
      seed: 1,
      paused: true,
      limits: { futuresPingIntervalMs: 150, futuresPongTimeoutMs: 300, pingIntervalMs: 60_000 },
    });
    const quiet = await raw(`${e.futuresWsUrl}/market/ws/btcusdt@aggTrade`, false);
    const spot = await raw(`${e.wsUrl}/ws/btcusdt@trade`, false);
    assertEquals(await Promise.race([quiet.ended, sleep(5000).then(() => -1)]), 1001);
    assertEquals(spot.pings, 0);
    assertEquals(await Promise.race([spot.ended, sleep(200).then(() => "open")]), "open");
  });
});

describe("connection-attempt limit", () => {
  it("refuses attempts past the limit with 429 and Retry-After, per stream host, then admits again", async () => {
    const e = emu = await startEmulator({
      seed: 1,
      paused: true,
      limits: { connectionAttempts: 3, connectionAttemptWindowMs: 4000 },
    });
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) assertEquals((await raw(`${e.wsUrl}/ws/btcusdt@trade`, true)).status, 101);
    const refused = await raw(`${e.wsUrl}/stream?streams=btcusdt@trade`, true);
    assertEquals(refused.status, 429);
    const retry = Number(refused.headers["retry-after"]);
    assert(retry >= 1 && retry <= 4, `Retry-After ${retry}`);
    const body = JSON.parse(refused.body);
    assertEquals(body.code, -1003);
    assertMatch(body.msg, /^Too many connection attempts: 3 in 4000 ms \(limit 3\)/);
    // the futures host counts its own attempts
    assertEquals((await raw(`${e.futuresWsUrl}/market/ws/btcusdt@aggTrade`, true)).status, 101);
    await sleep(Math.max(0, 4100 - (Date.now() - t0)));
    assertEquals((await raw(`${e.wsUrl}/ws/btcusdt@trade`, true)).status, 101);
  });
});

/**
 * `streams` streams against `limit` attempts per window after all of them were dropped at once:
 * Binance's numbers (200 streams, 300 attempts per 5 minutes) scaled by 150 in time (the window is
 * 2 s), the control by ten in count as well.
 */
async function massDisconnect(
  streams: number,
  limit: number,
  budget?: ConnectAttemptBudget,
): Promise<{ connects: number; failed: StreamSignal[] }> {
  const STREAMS = streams;
  const WINDOW = 2000;
  const e = emu = await startEmulator({
    seed: 2,
    // 200 sockets on a loaded 2-core machine: a slow tick keeps the frames few
    intervalMs: streams > 50 ? 500 : 50,
    limits: { connectionAttempts: limit, connectionAttemptWindowMs: WINDOW },
  });
  const m = ws = new BinanceWebSocketManager({
    streamBase: e.wsUrl,
    // the manager's defaults scaled like the window: 500 ms base, 30 s cap, 60 s after a 429
    backoffBaseMs: 20,
    backoffMaxMs: 200,
    rateLimitBackoffMs: 400,
    heartbeatIntervalMs: 0,
    ...(budget ? { connectAttemptBudget: budget } : {}),
    ...(SocketClass ? { WebSocket: SocketClass } : {}),
  });
  const signals: StreamSignal[] = [];
  void (async () => {
    for await (const s of m.signals()) signals.push(s);
  })();
  const markets = ["btcusdt", "ethusdt", "bnbbtc"];
  for (let i = 0; i < STREAMS; i++) m.createStream([["trade", "depth@100ms"][i % 2]], [markets[i % 3]]);
  await until(() => signals.filter((s) => s.type === "CONNECT").length === STREAMS, 30_000, "first connects");
  await sleep(WINDOW + 100); // the first attempts leave the window, as hours after connecting
  const before = signals.length;
  e.inject({ name: "drop", target: "spot" });
  await until(
    () => signals.slice(before).filter((s) => s.type === "CONNECT").length === STREAMS,
    30_000,
    "every stream reconnected",
  );
  const after = signals.slice(before);
  return {
    connects: after.filter((s) => s.type === "CONNECT").length,
    failed: after.filter((s) => s.type === "CONNECT_FAILED"),
  };
}

describe("reconnect back-off after a mass disconnect", () => {
  it("200 streams against 300 attempts per 5 minutes (window scaled to 2 s): every stream back at its first attempt", async () => {
    // the manager's default budget (250 per 5 minutes) scaled in time like the server's window:
    // 200 first connects and 200 reconnects would not fit one unscaled 5-minute budget
    const r = await massDisconnect(200, 300, new ConnectAttemptBudget({ limit: 250, windowMs: 2000 }));
    assertEquals(r.connects, 200);
    assertEquals(r.failed.length, 0, r.failed.map((s) => s.reason).join("; "));
  });

  it("control: a limit below the stream count is hit, the back-off still brings every stream back", async () => {
    const r = await massDisconnect(20, 12);
    assertEquals(r.connects, 20);
    // at least the 8 streams past the limit were refused once (the signal's reason does not
    // name the status on every runtime, so only the count is checked)
    assert(r.failed.length >= 8, `${r.failed.length} refused attempts`);
  });
});

/** Most of `times` in any window of `ms`. */
function peak(times: readonly number[], ms: number): number {
  let max = 0;
  for (const a of times) max = Math.max(max, times.filter((b) => b >= a && b < a + ms).length);
  return max;
}

/**
 * An outage of 60 s against Binance's limits, scaled by 1/150 in time (the manager's back-off
 * too: 500 ms base → 3 ms, 30 s cap → 200 ms) and by 1/10 in count (20 streams, 30 attempts).
 * Returns the moments the manager opened a socket (every connection attempt on the wire).
 */
async function outage(budget: ConnectAttemptBudget | false): Promise<number[]> {
  const WINDOW = 2000;
  const e = emu = await startEmulator({
    seed: 3,
    intervalMs: 50,
    limits: { connectionAttempts: 30, connectionAttemptWindowMs: WINDOW },
  });
  const opened: number[] = [];
  const Base = globalThis.WebSocket;
  const m = ws = new BinanceWebSocketManager({
    streamBase: e.wsUrl,
    backoffBaseMs: 3,
    backoffMaxMs: 200,
    rateLimitBackoffMs: 400,
    heartbeatIntervalMs: 0,
    connectAttemptBudget: budget,
    WebSocket: class extends Base {
      constructor(url: string) {
        opened.push(Date.now());
        super(url);
      }
    },
  });
  const signals: StreamSignal[] = [];
  void (async () => {
    for await (const s of m.signals()) signals.push(s);
  })();
  for (let i = 0; i < 20; i++) m.createStream(["trade"], [["btcusdt", "ethusdt", "bnbbtc"][i % 3]]);
  await until(() => signals.filter((s) => s.type === "CONNECT").length === 20, 10_000, "first connects");
  const before = signals.length;
  e.inject({ name: "outage", target: "spot", durationMs: 400 });
  await until(
    () => signals.slice(before).filter((s) => s.type === "CONNECT").length === 20,
    30_000,
    "every stream reconnected",
  );
  return opened;
}

describe("the manager's connection-attempt budget", () => {
  it("an outage: the attempts of all connections stay within the budget, all streams come back", async () => {
    // 25 per window: the default 250 per 5 minutes, scaled like the rest
    const opened = await outage(new ConnectAttemptBudget({ limit: 25, windowMs: 2000 }));
    // the budget reads its clock a moment before the socket is constructed (where `opened` is
    // stamped); on a loaded machine that moment can be a few ms, so the window measured here is
    // 50 ms shorter than the budget's — still far below the control's count
    const p = peak(opened, 1950);
    assert(p <= 25, `${p} attempts in one window`);
    assert(opened.length > 40, `${opened.length} attempts: the outage refused none`);
  });

  it("control: without a budget the same outage exceeds the limit many times over", async () => {
    const p = peak(await outage(false), 2000);
    assert(p > 30, `only ${p} attempts in one window`);
  });
});
