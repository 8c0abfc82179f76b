import { afterEach, beforeEach, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { BinanceWebSocketManager, type BinanceWebSocketManagerOptions } from "../../src/ws/manager.ts";
import type { StreamSignal } from "../../src/ws/signals.ts";
import { sleep, until } from "./_stream_server.ts";

let emu: Emulator;
let ws: BinanceWebSocketManager;
let signals: StreamSignal[];

function manager(extra: Partial<BinanceWebSocketManagerOptions> = {}): BinanceWebSocketManager {
  signals = [];
  ws = new BinanceWebSocketManager({
    exchange: "binance.com",
    streamBase: emu.wsUrl,
    backoffBaseMs: 20,
    backoffMaxMs: 100,
    onStreamSignal: (s) => signals.push(s),
    ...extra,
  });
  return ws;
}
const types = (id?: string): string[] => signals.filter((s) => !id || s.streamId === id).map((s) => s.type);
const count = (t: string): number => types().filter((x) => x === t).length;

beforeEach(async () => {
  emu = await startEmulator({ seed: 7, intervalMs: 20 });
});
afterEach(async () => {
  await ws?.close();
  await emu.close();
});

describe("streams against the emulator", () => {
  it("signal order on connect, first data, drop and stop", async () => {
    manager();
    const id = ws.createStream(["depth@100ms"], ["BTCUSDT"], { label: "depth" });
    await until(() => types(id).includes("FIRST_RECEIVED_DATA"), 3000, "first data");
    emu.inject({ name: "drop" });
    await until(() => count("FIRST_RECEIVED_DATA") === 2, 3000, "data after the drop");
    ws.stopStream(id);
    assertEquals(types(id), [
      "CONNECT",
      "FIRST_RECEIVED_DATA",
      "DISCONNECT",
      "CONNECT",
      "FIRST_RECEIVED_DATA",
      "DISCONNECT",
      "STOP",
    ]);
    const drop = signals[2];
    assert(typeof drop.data === "string" && drop.data.startsWith('{"stream":"btcusdt@depth@100ms"'));
    assert(signals.every((s) => s.label === "depth"));
  });

  it("a dropped connection comes back with every subscription, runtime ones included", async () => {
    manager();
    const id = ws.createStream(["trade", "kline_1m"], ["BTCUSDT", "ETHUSDT"]);
    await until(() => types(id).includes("CONNECT"));
    ws.subscribe(id, { markets: ["BNBBTC"] });
    ws.unsubscribe(id, { channels: ["kline_1m"] });
    const want = ["bnbbtc@trade", "btcusdt@trade", "ethusdt@trade"];
    assertEquals((await ws.getStreamSubscriptions(id)).sort(), want);
    emu.inject({ name: "drop" });
    await until(() => count("CONNECT") === 2, 3000, "reconnect");
    assertEquals((await ws.getStreamSubscriptions(id)).sort(), want);
    assertEquals(ws.getStreamInfo(id).statistics.reconnects, 1);
  });

  it("a stall is detected within the configured time", async () => {
    manager({ stallTimeoutMs: 400, heartbeatIntervalMs: 0 });
    const id = ws.createStream(["depth@100ms"], ["BTCUSDT"]);
    await until(() => types(id).includes("FIRST_RECEIVED_DATA"));
    const t0 = Date.now();
    emu.inject({ name: "stall", durationMs: 3000 });
    await until(() => types(id).includes("DISCONNECT"), 2000, "stall detection");
    const took = Date.now() - t0;
    assert(took >= 350 && took < 900, `detected after ${took} ms`);
    assertEquals(signals.find((s) => s.type === "DISCONNECT")!.reason, "stalled: no data for 400 ms");
  });

  it("1000 streams and a burst of runtime subscribes stay under 5 messages/s (no 1008)", async () => {
    manager();
    const markets = Array.from({ length: 500 }, (_, i) => `SYM${i}USDT`);
    const id = ws.createStream(["trade", "aggTrade"], markets);
    await until(() => types(id).includes("CONNECT"));
    for (let i = 0; i < 10; i++) ws.subscribe(id, { markets: [`NEW${i}USDT`] });
    const subs = await ws.getStreamSubscriptions(id, { timeoutMs: 6000 });
    assertEquals(subs.length, 1020);
    assertEquals(types(id), ["CONNECT"]);
  });

  it("rotation is make-before-break: spot depth U/u stays contiguous", async () => {
    manager({ rotateAfterMs: 300, rotationOverlapMaxMs: 3000, stallTimeoutMs: 0 });
    const ups: { U: number; u: number }[] = [];
    const id = ws.createStream(["depth@100ms"], ["BTCUSDT"], {
      output: "parsed",
      onData: (m) => void ups.push((m.data as { data: { U: number; u: number } }).data),
    });
    await until(() => ws.getStatistics(id).rotations >= 2, 4000, "two rotations");
    await sleep(100);
    assert(ups.length > 20, `${ups.length} frames`);
    for (let i = 1; i < ups.length; i++) assertEquals(ups[i].U, ups[i - 1].u + 1, `gap or repeat at ${i}`);
    assertEquals(types(id), ["CONNECT", "FIRST_RECEIVED_DATA"]);
  });

  it("serverShutdown with an immediate close reconnects at once", async () => {
    manager();
    const id = ws.createStream(["depth@100ms"], ["BTCUSDT"]);
    await until(() => types(id).includes("FIRST_RECEIVED_DATA"));
    emu.inject({ name: "rotation" });
    await until(() => count("FIRST_RECEIVED_DATA") === 2, 3000, "data after serverShutdown");
    assertEquals(types(id), [
      "CONNECT",
      "FIRST_RECEIVED_DATA",
      "DISCONNECT",
      "CONNECT",
      "FIRST_RECEIVED_DATA",
    ]);
  });

  it("output unicornfy normalises frames (and a stream-level output overrides the default)", async () => {
    manager({ outputDefault: "unicornfy" });
    const got: { eventType?: string; symbol?: string; finalUpdateIdInEvent?: number }[] = [];
    const raw: unknown[] = [];
    ws.createStream(["depth@100ms"], ["BTCUSDT"], { onData: (m) => void got.push(m.data as never) });
    ws.createStream(["depth@100ms"], ["ETHUSDT"], { output: "raw", onData: (m) => void raw.push(m.data) });
    await until(() => got.length > 2 && raw.length > 0, 3000, "frames");
    assertEquals([got[0].eventType, got[0].symbol], ["depthUpdate", "BTCUSDT"]);
    assert(typeof got[0].finalUpdateIdInEvent === "number");
    assert(typeof raw[0] === "string");
  });

  it("an unknown stream name is unrepairable", async () => {
    manager();
    const id = ws.createStream(["nonsense"], ["BTCUSDT"]);
    await until(() => types(id).includes("STOP"), 3000, "stop");
    assertEquals(types(id).filter((t) => t !== "CONNECT" && t !== "DISCONNECT"), [
      "STREAM_UNREPAIRABLE",
      "STOP",
    ]);
    assert(signals.find((s) => s.type === "STREAM_UNREPAIRABLE")!.reason!.includes("unknown stream name"));
  });

  it("USD-M streams are routed to /public and /market and both deliver", async () => {
    manager({ exchange: "binance.com-futures", streamBase: emu.futuresWsUrl });
    const got = new Set<string>();
    const id = ws.createStream(["depth@100ms", "kline_1m", "aggTrade"], ["BTCUSDT"], {
      onData: (m) => void got.add(m.stream!),
    });
    const info = ws.getStreamInfo(id);
    assertEquals(info.connections.map((c) => c.category), ["public", "market"]);
    await until(
      () => got.has("btcusdt@depth@100ms") && (got.has("btcusdt@kline_1m") || got.has("btcusdt@aggTrade")),
      4000,
      "both routes",
    );
    assertEquals(types(id).filter((t) => t === "CONNECT").length, 2);
  });
});
