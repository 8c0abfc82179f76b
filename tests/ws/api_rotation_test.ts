/**
 * WebSocket-API rotation is make-before-break, under a steady order load against the emulator:
 * forced rotations (`serverShutdown` with a grace period before the close) and timer rotations
 * (`rotateAfterMs`). Every request settles exactly once (resolved, none rejected) and the
 * emulator holds exactly one order per request. A spot user-data stream rotated under deposit
 * traffic delivers every event once. Prints the figures.
 */
import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { BinanceWebSocketManager } from "../../src/ws/manager.ts";
import type { StreamSignal } from "../../src/ws/signals.ts";
import { WebSocketRequestError } from "../../src/ws/errors.ts";
import { until } from "./_stream_server.ts";

const KEY = "rotKey";
const SECRET = "rotSecret";
const ACCOUNTS = [{ apiKey: KEY, secretKey: SECRET, balances: { USDT: "1000000000", BTC: "10" } }];
const WORKERS = 4;

interface Load {
  readonly stop: () => Promise<void>;
  readonly issued: string[];
  readonly resolved: Set<string>;
  readonly rejected: string[];
}

/** Keeps `WORKERS` order requests in flight until stopped. */
function orderLoad(ws: BinanceWebSocketManager, label: string, keepOnDisconnect = false): Load {
  const issued: string[] = [];
  const resolved = new Set<string>();
  const rejected: string[] = [];
  let running = true;
  let n = 0;
  const worker = async (w: number): Promise<void> => {
    while (running) {
      const id = `rot${w}x${n++}`;
      issued.push(id);
      const ok = await ws.api.spot.createOrder({
        symbol: "BTCUSDT",
        side: "BUY",
        type: "LIMIT",
        timeInForce: "GTC",
        price: 30000,
        quantity: 0.001,
        newClientOrderId: id,
      }, { label }).then(
        () => resolved.add(id),
        (e: Error) => {
          rejected.push(`${id}: ${e.message}`);
          // a request cut off by a closed connection: the next ones wait for the reconnect
          return keepOnDisconnect && e instanceof WebSocketRequestError && e.reason === "disconnect";
        },
      );
      // a rejection ends the worker (the assertion reports it): no tight loop of failures
      if (!ok) break;
    }
  };
  const all = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  return {
    issued,
    resolved,
    rejected,
    stop: async () => {
      running = false;
      await all;
    },
  };
}

/** Every issued request resolved once and placed exactly one order. */
function check(emu: Emulator, load: Load, what: string): number {
  const open = emu.account(KEY).openOrders as { clientOrderId: string }[];
  const count = new Map<string, number>();
  for (const o of open) count.set(o.clientOrderId, (count.get(o.clientOrderId) ?? 0) + 1);
  const lost = load.issued.filter((id) => !count.has(id));
  const doubled = load.issued.filter((id) => (count.get(id) ?? 0) > 1);
  assertEquals(load.rejected, [], `${what}: rejected requests`);
  assertEquals(
    [lost.length, doubled.length],
    [0, 0],
    `${what}: lost ${lost.slice(0, 3)} doubled ${doubled.slice(0, 3)}`,
  );
  assertEquals(load.resolved.size, load.issued.length, `${what}: every request resolved`);
  return open.length;
}

describe("WebSocket-API rotation", () => {
  it("forced rotations (serverShutdown, then close after a grace period) lose and repeat no request", async () => {
    await using emu = await startEmulator({ paused: true, intervalMs: 20, accounts: ACCOUNTS });
    const signals: StreamSignal[] = [];
    await using ws = new BinanceWebSocketManager({
      wsApiUrl: emu.wsApiUrl,
      apiKey: KEY,
      apiSecret: SECRET,
      onStreamSignal: (s) => void signals.push(s),
    });
    const id = ws.createApiStream({ label: "main" });
    await until(() => signals.some((s) => s.type === "CONNECT"), 10_000, "connect");
    const load = orderLoad(ws, "main");
    const ROTATIONS = 5;
    for (let r = 1; r <= ROTATIONS; r++) {
      const before = load.resolved.size;
      await until(() => load.resolved.size > before + 20 || load.rejected.length > 0, 10_000, "load");
      emu.inject({ name: "rotation", target: "spot", durationMs: 1000 });
      await until(() => ws.getStatistics(id).rotations === r, 10_000, `rotation ${r}`);
    }
    const last = load.resolved.size;
    await until(() => load.resolved.size > last + 40 || load.rejected.length > 0, 10_000, "load after");
    await load.stop();
    const orders = check(emu, load, "forced rotation");
    console.log(
      `WS-API forced rotation: ${ROTATIONS} rotations, ${load.issued.length} requests (${WORKERS} in flight), ` +
        `resolved ${load.resolved.size}, rejected ${load.rejected.length}, orders on the server ${orders}, ` +
        `reconnects ${ws.getStatistics(id).reconnects}`,
    );
    // a rotation is no reconnect (API responses are not data frames: no FIRST_RECEIVED_DATA)
    assertEquals(signals.filter((s) => s.streamId === id).map((s) => s.type), ["CONNECT"]);
    assertEquals(ws.getStreamInfo(id).connections[0].state, "open");
  });

  it("a forced rotation without a grace period: every request settles, the cut-off ones say disconnect", async () => {
    await using emu = await startEmulator({ paused: true, intervalMs: 20, accounts: ACCOUNTS });
    await using ws = new BinanceWebSocketManager({
      wsApiUrl: emu.wsApiUrl,
      apiKey: KEY,
      apiSecret: SECRET,
      backoffBaseMs: 20,
    });
    const id = ws.createApiStream({ label: "main" });
    const load = orderLoad(ws, "main", true);
    await until(() => load.resolved.size > 20, 10_000, "load");
    // the emulator closes at once after serverShutdown: requests on the wire get no answer
    emu.inject({ name: "rotation", target: "spot" });
    const after = load.resolved.size;
    await until(() => load.resolved.size > after + 40, 10_000, "load after the close");
    await load.stop();
    const open = new Set(
      (emu.account(KEY).openOrders as { clientOrderId: string }[]).map((o) => o.clientOrderId),
    );
    const cut = load.rejected.map((r) => r.slice(0, r.indexOf(":")));
    assertEquals(load.resolved.size + cut.length, load.issued.length, "every request settled once");
    assert([...load.resolved].every((c) => open.has(c)), "every resolved order is on the server");
    assert(load.rejected.every((r) => r.includes("connection lost")), load.rejected.join("; "));
    console.log(
      `WS-API close without grace: ${load.issued.length} requests, resolved ${load.resolved.size}, ` +
        `rejected "disconnect" ${cut.length} (of which on the server ${
          cut.filter((c) => open.has(c)).length
        }), ` +
        `reconnects ${ws.getStatistics(id).reconnects}`,
    );
  });

  it("timer rotations (rotateAfterMs) under load lose and repeat no request", async () => {
    await using emu = await startEmulator({ paused: true, intervalMs: 20, accounts: ACCOUNTS });
    const signals: StreamSignal[] = [];
    await using ws = new BinanceWebSocketManager({
      wsApiUrl: emu.wsApiUrl,
      apiKey: KEY,
      apiSecret: SECRET,
      rotateAfterMs: 150,
      onStreamSignal: (s) => void signals.push(s),
    });
    const id = ws.createApiStream({ label: "main" });
    await until(() => signals.some((s) => s.type === "CONNECT"), 10_000, "connect");
    const load = orderLoad(ws, "main");
    await until(() => ws.getStatistics(id).rotations >= 20, 30_000, "20 rotations");
    await load.stop();
    const orders = check(emu, load, "timer rotation");
    console.log(
      `WS-API timer rotation: ${ws.getStatistics(id).rotations} rotations, ${load.issued.length} requests, ` +
        `resolved ${load.resolved.size}, rejected ${load.rejected.length}, orders on the server ${orders}`,
    );
    assertEquals(signals.filter((s) => s.streamId === id).map((s) => s.type), ["CONNECT"]);
  });

  it("a spot user-data stream rotated under deposit traffic delivers every event once", async () => {
    await using emu = await startEmulator({ paused: true, intervalMs: 20, accounts: ACCOUNTS });
    await using ws = new BinanceWebSocketManager({
      wsApiUrl: emu.wsApiUrl,
      apiKey: KEY,
      apiSecret: SECRET,
      rotateAfterMs: 100,
    });
    const seen = new Map<string, number>();
    const id = ws.createUserDataStream({
      output: "parsed",
      onData: (m) => {
        const ev = (m.data as { event?: { e: string; d?: string } }).event;
        if (ev?.e === "balanceUpdate") seen.set(String(ev.d), (seen.get(String(ev.d)) ?? 0) + 1);
      },
    });
    // probe until the subscription delivers
    let k = 0;
    while (seen.size === 0) {
      emu.transfer(KEY, { asset: "USDT", delta: `0.${++k}` });
      await until(() => seen.size > 0, 100).catch(() => {});
    }
    const sent: string[] = [];
    while (ws.getStatistics(id).rotations < 20) {
      const d = `1.${++k}`;
      emu.transfer(KEY, { asset: "USDT", delta: d });
      sent.push(d);
      await new Promise((r) => setTimeout(r, 1));
    }
    await until(() => sent.every((d) => seen.has(d)), 10_000, "every event").catch(() => {});
    const lost = sent.filter((d) => !seen.has(d));
    const doubled = sent.filter((d) => (seen.get(d) ?? 0) > 1);
    console.log(
      `user data over WS-API rotation: ${ws.getStatistics(id).rotations} rotations, ${sent.length} events, ` +
        `lost ${lost.length}, doubled ${doubled.length}`,
    );
    assertEquals([lost.length, doubled.length], [0, 0]);
    assert(sent.length >= 20);
  });
});
