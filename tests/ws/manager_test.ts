import { afterEach, beforeEach, describe, it } from "node:test";
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { WebSocket as WsWebSocket } from "ws";
import { BinanceWebSocketManager, type BinanceWebSocketManagerOptions } from "../../src/ws/manager.ts";
import type { StreamSignal } from "../../src/ws/signals.ts";
import type { WebSocketConstructor } from "../../src/ws/connection.ts";
import { StreamUnrepairableError } from "../../src/ws/errors.ts";
import { sleep, startStreamServer, type StreamServer, until } from "./_stream_server.ts";

let server: StreamServer;
let ws: BinanceWebSocketManager;
let signals: StreamSignal[];

function manager(extra: Partial<BinanceWebSocketManagerOptions> = {}): BinanceWebSocketManager {
  signals = [];
  ws = new BinanceWebSocketManager({
    exchange: "binance.com",
    streamBase: server.url,
    backoffBaseMs: 20,
    backoffMaxMs: 100,
    onStreamSignal: (s) => signals.push(s),
    ...extra,
  });
  return ws;
}
const types = (id?: string): string[] => signals.filter((s) => !id || s.streamId === id).map((s) => s.type);

beforeEach(async () => {
  server = await startStreamServer();
});
afterEach(async () => {
  await ws?.close();
  await server.close();
});

describe("BinanceWebSocketManager streams", () => {
  it("puts the streams in the URL, no SUBSCRIBE, and delivers parsed frames", async () => {
    manager({ outputDefault: "parsed" });
    const got: unknown[] = [];
    const id = ws.createStream(["trade", "kline_1m"], ["BTCUSDT", "ethusdt"], {
      label: "t",
      onData: (m) => void got.push(m.data),
    });
    await until(() => types(id).includes("CONNECT"));
    assertEquals(server.conns[0].path, "/stream");
    assertEquals([...server.conns[0].subs].sort(), [
      "btcusdt@kline_1m",
      "btcusdt@trade",
      "ethusdt@kline_1m",
      "ethusdt@trade",
    ]);
    assertEquals(server.conns[0].received, []);
    server.publish("btcusdt@trade", { e: "trade", t: 12345678901234567890n.toString() });
    await until(() => got.length === 1);
    assertEquals(got[0], { stream: "btcusdt@trade", data: { e: "trade", t: "12345678901234567890" } });
    assertEquals(ws.getStreamIdByLabel("t"), id);
    assertEquals(ws.getStreamList(), [id]);
  });

  it("signal order: CONNECT, FIRST_RECEIVED_DATA, DISCONNECT (last record), CONNECT … DISCONNECT, STOP", async () => {
    manager();
    const id = ws.createStream(["trade"], ["btcusdt"], { label: "L", onData: () => {} });
    await until(() => types().includes("CONNECT"));
    server.publish("btcusdt@trade", { n: 1 });
    await until(() => types().includes("FIRST_RECEIVED_DATA"));
    server.dropAll();
    await until(() => types().filter((t) => t === "CONNECT").length === 2, 3000, "reconnect");
    server.publish("btcusdt@trade", { n: 2 });
    await until(() => types().filter((t) => t === "FIRST_RECEIVED_DATA").length === 2);
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
    const firstDisconnect = signals[2];
    assertEquals(firstDisconnect.data, '{"stream":"btcusdt@trade","data":{"n":1}}');
    assert(signals.every((s) => s.label === "L" && s.time > 0 && s.streamId === id));
    assertEquals(ws.getStreamInfo(id).status, "stopped");
    assertEquals(ws.getStatistics(id).reconnects, 1);
  });

  it("reconnect restores every subscription, including runtime ones, with one SUBSCRIBE", async () => {
    manager();
    const id = ws.createStream(["trade", "kline_1m"], ["BTCUSDT", "ethusdt"]);
    await until(() => server.open().length === 1);
    assertEquals(ws.subscribe(id, { markets: ["bnbusdt"] }).sort(), ["bnbusdt@kline_1m", "bnbusdt@trade"]);
    await until(() => server.conns[0].subs.size === 6);
    // the UBWA wire trace: removing ethusdt from {trade, kline_1m} unsubscribes exactly its two names
    assertEquals(ws.unsubscribe(id, { markets: ["ethusdt"] }), ["ethusdt@trade", "ethusdt@kline_1m"]);
    await until(() => server.conns[0].subs.size === 4);
    server.dropAll();
    await until(() => server.open().length === 1, 3000, "reconnect");
    const c = server.open()[0];
    assertEquals([...c.subs].sort(), [
      "bnbusdt@kline_1m",
      "bnbusdt@trade",
      "btcusdt@kline_1m",
      "btcusdt@trade",
    ]);
    await sleep(100);
    assertEquals(c.received.filter((m) => m.includes("SUBSCRIBE")), []);
    assertEquals((await ws.getStreamSubscriptions(id)).sort(), [...c.subs].sort());
  });

  it("detects a stall within the configured time and reconnects", async () => {
    manager({ stallTimeoutMs: 300, heartbeatIntervalMs: 0 });
    const id = ws.createStream(["trade"], ["btcusdt"]);
    await until(() => types().includes("CONNECT"));
    const t0 = Date.now();
    server.publish("btcusdt@trade", { n: 1 });
    await until(() => types().includes("DISCONNECT"), 2000, "stall");
    const elapsed = Date.now() - t0;
    assert(elapsed >= 280 && elapsed < 700, `stall detected after ${elapsed} ms`);
    assert(signals.find((s) => s.type === "DISCONNECT")!.reason!.startsWith("stalled"));
    await until(() => types(id).filter((t) => t === "CONNECT").length === 2);
  });

  it("heartbeat: a silent server is dropped after the probe timeout", async () => {
    manager({ stallTimeoutMs: 0, heartbeatIntervalMs: 150, heartbeatTimeoutMs: 150 });
    server.silent = true;
    ws.createStream(["trade"], ["btcusdt"]);
    await until(() => types().includes("DISCONNECT"), 2000, "heartbeat timeout");
    assert(signals.find((s) => s.type === "DISCONNECT")!.reason!.startsWith("heartbeat timeout"));
    assert(server.conns[0].received.some((m) => m.includes("LIST_SUBSCRIPTIONS")));
  });

  it("subscribing 1000 streams stays within 5 messages per second (no 1008)", async () => {
    manager();
    const id = ws.createStream(["trade"], ["btcusdt"]);
    await until(() => server.open().length === 1);
    const markets = Array.from({ length: 1000 }, (_, i) => `sym${i}usdt`);
    ws.subscribe(id, { channels: ["aggTrade", "bookTicker"], markets: markets.slice(0, 300) });
    await until(() => server.conns[0].subs.size === 3 * 301, 3000, "all subscribed");
    assertEquals(server.conns[0].closedWith, undefined);
    const times = server.conns[0].sendTimes;
    for (let i = 4; i < times.length; i++) assert(times[i] - times[i - 4] >= 1000, "4 per second");
    assertEquals(ws.getStreamInfo(id).streams.length, server.conns[0].subs.size);
    // 9 more runtime calls: with the 3 chunks above, 12 messages at 4 per second need over 2 s
    const t0 = Date.now();
    for (let i = 0; i < 9; i++) ws.subscribe(id, { markets: [`more${i}usdt`] });
    await until(() => server.conns[0].subs.has("more8usdt@bookTicker"), 4000, "paced subscribes");
    assert(Date.now() - t0 >= 1900, `12 messages at 4/s took ${Date.now() - t0} ms`);
    assertEquals(server.conns[0].closedWith, undefined);
    for (let i = 4; i < times.length; i++) assert(times[i] - times[i - 4] >= 1000, "4 per second");
  });

  it("splits across connections by the limit, or refuses for singleConnection", async () => {
    manager({ maxStreamsPerConnection: 10 });
    const markets = Array.from({ length: 25 }, (_, i) => `s${i}`);
    const id = ws.createStream(["trade"], markets);
    await until(() => server.open().length === 3);
    assertEquals(server.conns.map((c) => c.subs.size).sort(), [10, 10, 5]);
    assertEquals(ws.getStreamInfo(id).connections.length, 3);
    assertThrows(
      () => ws.createStream(["trade"], markets, { singleConnection: true }),
      RangeError,
      "exceed the limit of 10",
    );
    // runtime subscribe fills the free room first, then opens a new connection
    ws.subscribe(id, { markets: Array.from({ length: 8 }, (_, i) => `x${i}`) });
    await until(() => server.open().length === 4);
    assertEquals(server.open().map((c) => c.subs.size).sort((a, b) => a - b), [3, 10, 10, 10]);
  });

  it("a throwing consumer raises CONSUMER_ERROR and the stream keeps running", async () => {
    manager();
    let calls = 0;
    const id = ws.createStream(["trade"], ["btcusdt"], {
      onData: () => {
        calls++;
        throw new Error("bad consumer");
      },
    });
    await until(() => types().includes("CONNECT"));
    server.publish("btcusdt@trade", 1);
    server.publish("btcusdt@trade", 2);
    await until(() => calls === 2);
    assertEquals(types(id).filter((t) => t === "CONSUMER_ERROR").length, 2);
    assertEquals(signals.find((s) => s.type === "CONSUMER_ERROR")!.reason, "consumer failed: bad consumer");
    assertEquals(ws.getStreamInfo(id).status, "running");
  });

  it("stopOnConsumerError: an async consumer rejection stops the stream as unrepairable", async () => {
    manager({ stopOnConsumerError: true });
    const id = ws.createStream(["trade"], ["btcusdt"], {
      label: "trades",
      onData: () => Promise.reject(new Error("nope")),
    });
    const it = ws.stream(id)[Symbol.asyncIterator]();
    await until(() => types().includes("CONNECT"));
    server.publish("btcusdt@trade", 1);
    await until(() => types().includes("STOP"));
    assertEquals(types(id), [
      "CONNECT",
      "FIRST_RECEIVED_DATA",
      "CONSUMER_ERROR",
      "STREAM_UNREPAIRABLE",
      "DISCONNECT",
      "STOP",
    ]);
    assertEquals((await it.next()).done, false); // the frame that was delivered
    await assertRejects(() => it.next(), StreamUnrepairableError, "consumer error");
    // a crashed stream says which one and why
    assertThrows(
      () => ws.getStreamSubscriptions(id),
      RangeError,
      `Stream "${id}" (label "trades") is crashed: consumer error: consumer failed: nope`,
    );
  });

  it("async callbacks get frames one at a time, in order", async () => {
    manager();
    const seen: number[] = [];
    let active = 0;
    const id = ws.createStream(["trade"], ["btcusdt"], {
      output: "parsed",
      onData: async (m) => {
        assertEquals(active++, 0);
        await sleep(2);
        seen.push((m.data as { data: number }).data);
        active--;
      },
    });
    await until(() => types(id).includes("CONNECT"));
    for (let i = 0; i < 20; i++) server.publish("btcusdt@trade", i);
    await until(() => seen.length === 20);
    assertEquals(seen, Array.from({ length: 20 }, (_, i) => i));
  });

  it("iterator, global buffer and named buffer; a slow consumer keeps memory bounded", async () => {
    manager({ bufferCapacity: 50 });
    const a = ws.createStream(["trade"], ["btcusdt"]);
    const b = ws.createStream(["trade"], ["ethusdt"], { bufferName: "eth" });
    const c = ws.createStream(["trade"], ["bnbusdt"]);
    const iter = ws.stream(c, { capacity: 10 })[Symbol.asyncIterator]();
    await until(() => server.open().length === 3);
    for (let i = 0; i < 200; i++) {
      server.publish("btcusdt@trade", i);
      server.publish("ethusdt@trade", i);
      server.publish("bnbusdt@trade", i);
    }
    await until(() => ws.getStatistics().messages === 600, 3000, "600 frames");
    assertEquals(ws.getBufferStats(), { length: 50, capacity: 50, dropped: 150 });
    assertEquals(ws.getBufferStats("eth"), { length: 50, capacity: 50, dropped: 150 });
    assertEquals(ws.popStreamData()!.data, '{"stream":"btcusdt@trade","data":150}');
    assertEquals(ws.popStreamData("eth", "LIFO")!.data, '{"stream":"ethusdt@trade","data":199}');
    assertEquals((await iter.next()).value!.data, '{"stream":"bnbusdt@trade","data":190}');
    assertEquals(ws.getStatistics(c).dropped, 190);
    assertEquals(ws.getStatistics(a).messages, 200);
    assertEquals(ws.getStreamInfo(b).bufferName, "eth");
    ws.stopStream(c);
    let rest = 0;
    while (!(await iter.next()).done) rest++;
    assertEquals(rest, 9);
  });

  it("rotation is make-before-break: a sequenced depth stream loses and repeats no frame", async () => {
    manager({ rotateAfterMs: 250, rotationOverlapMaxMs: 2000, stallTimeoutMs: 0, heartbeatIntervalMs: 0 });
    const got: number[] = [];
    const id = ws.createStream(["depth@100ms"], ["btcusdt"], {
      output: "parsed",
      onData: (m) => void got.push((m.data as { data: { u: number } }).data.u),
    });
    await until(() => server.open().length === 1);
    let u = 0;
    const feed = setInterval(() => {
      for (let k = 0; k < 3; k++) {
        server.publish("btcusdt@depth@100ms", { e: "depthUpdate", U: u + 1, u: ++u });
      }
    }, 5);
    try {
      await until(() => ws.getStatistics(id).rotations >= 2, 4000, "two rotations");
    } finally {
      clearInterval(feed);
    }
    await sleep(50);
    assert(got.length > 50);
    assertEquals(got, Array.from({ length: got.length }, (_, i) => i + 1));
    assertEquals(types(id), ["CONNECT", "FIRST_RECEIVED_DATA"]);
    assert(server.conns.length >= 3);
  });

  it("serverShutdown triggers an immediate rotation", async () => {
    manager({ stallTimeoutMs: 0, heartbeatIntervalMs: 0, rotationOverlapMaxMs: 200 });
    const id = ws.createStream(["trade"], ["btcusdt"]);
    await until(() => server.open().length === 1);
    server.conns[0].subs.add("!serverShutdown");
    server.publish("!serverShutdown", { e: "serverShutdown", E: 1 });
    await until(() => ws.getStatistics(id).rotations === 1, 2000, "rotation");
    assertEquals(types(id), ["CONNECT"]);
  });

  it("failed handshakes are retried with jittered exponential backoff, capped", async () => {
    manager({ backoffBaseMs: 40, backoffMaxMs: 160 });
    server.rejectNext(5, 503);
    ws.createStream(["trade"], ["btcusdt"]);
    // the server may see the upgrade before the client's open event: wait for both
    await until(
      () => server.open().length === 1 && types().includes("CONNECT"),
      10_000,
      "connect after five 503s",
    );
    const h = server.handshakes;
    const gaps = h.slice(1).map((t, i) => t - h[i]);
    // attempt n waits in [d/2, d] with d = min(160, 40 * 2^n)
    const bounds = [40, 80, 160, 160, 160];
    gaps.forEach((g, i) => assert(g >= bounds[i] / 2 - 5 && g <= bounds[i] + 60, `gap ${i}: ${g} ms`));
    // no DISCONNECT for connections that never opened: each failed attempt is a CONNECT_FAILED
    assertEquals(types(), [...Array(5).fill("CONNECT_FAILED"), "CONNECT"]);
    for (const s of signals.filter((x) => x.type === "CONNECT_FAILED")) {
      assert(/^Cannot reach ws:\/\/127\.0\.0\.1:\d+: \S/.test(s.reason ?? ""), s.reason);
      assert(!s.reason?.includes("btcusdt"), s.reason);
    }
  });

  it("a 429 handshake delays the next attempt by rateLimitBackoffMs", async () => {
    manager({ WebSocket: WsWebSocket as unknown as WebSocketConstructor, rateLimitBackoffMs: 400 });
    server.rejectNext(1, 429);
    ws.createStream(["trade"], ["btcusdt"]);
    await until(() => server.open().length === 1, 3000, "connect after 429");
    const [first, second] = server.handshakes;
    assert(second - first >= 380, `retried after ${second - first} ms`);
  });

  it("a rejected SUBSCRIBE is unrepairable; abort signal stops a stream", async () => {
    manager();
    const ac = new AbortController();
    const id = ws.createStream(["trade"], ["btcusdt"], { signal: ac.signal });
    await until(() => types(id).includes("CONNECT"));
    ac.abort();
    assertEquals(types(id), ["CONNECT", "DISCONNECT", "STOP"]);
    assertThrows(() => ws.subscribe(id, { markets: ["x"] }), RangeError, "stopped");
  });

  it("64-bit ids survive output parsed (bigint, never rounded)", async () => {
    manager({ outputDefault: "parsed" });
    const got: unknown[] = [];
    ws.createStream(["trade"], ["btcusdt"], { onData: (m) => void got.push(m.data) });
    await until(() => server.open().length === 1);
    await sleep(20);
    server.open()[0].ws.send(
      '{"stream":"btcusdt@trade","data":{"e":"trade","t":12345678901234567890,"T":1}}',
    );
    await until(() => got.length === 1);
    assertEquals((got[0] as { data: { t: unknown } }).data.t, 12345678901234567890n);
  });

  it("signals without a callback go to the signal buffer and to signals() iterators", async () => {
    ws = new BinanceWebSocketManager({ streamBase: server.url, backoffBaseMs: 20 });
    const seen: string[] = [];
    const reader = (async () => {
      for await (const s of ws.signals()) seen.push(s.type);
    })();
    const id = ws.createStream(["trade"], ["btcusdt"], { label: "buf" });
    await until(() => seen.includes("CONNECT"));
    ws.stopStream(id);
    await ws.close();
    await reader;
    assertEquals(seen, ["CONNECT", "DISCONNECT", "STOP"]);
    const buffered: string[] = [];
    for (let s = ws.popStreamSignal(); s; s = ws.popStreamSignal()) buffered.push(`${s.type}:${s.label}`);
    assertEquals(buffered, ["CONNECT:buf", "DISCONNECT:buf", "STOP:buf"]);
  });

  it("getStreamInfo describes a stream", async () => {
    manager();
    const id = ws.createStream(["trade", "!miniTicker"], ["BTCUSDT"], { label: "info", bufferName: "b" });
    await until(() => types(id).includes("CONNECT"));
    server.publish("btcusdt@trade", { x: 1 });
    await until(() => ws.getStatistics(id).messages === 1);
    const info = ws.getStreamInfo(id);
    assertEquals(
      [
        info.label,
        info.kind,
        info.status,
        info.channels,
        info.markets,
        info.streams,
        info.output,
        info.bufferName,
      ],
      [
        "info",
        "market",
        "running",
        ["trade", "!miniTicker"],
        ["btcusdt"],
        ["btcusdt@trade", "!miniTicker@arr"],
        "raw",
        "b",
      ],
    );
    assertEquals(info.connections.map((c) => [c.index, c.state, c.streams]), [[0, "open", 2]]);
    assertEquals(info.lastSignal, "FIRST_RECEIVED_DATA");
    assertEquals(info.statistics.bytes, '{"stream":"btcusdt@trade","data":{"x":1}}'.length);
    assert(info.statistics.lastDataTime > 0);
    assertThrows(() => ws.getStreamInfo("nope"), RangeError, "Unknown stream id");
  });

  it("replaceStream switches to the new stream once it has data, then stops the old one", async () => {
    manager();
    const got: string[] = [];
    const old = ws.createStream(["trade"], ["btcusdt"], {
      label: "r",
      onData: (m) => void got.push(m.stream!),
    });
    await until(() => types(old).includes("CONNECT"));
    const feed = setInterval(() => {
      server.publish("btcusdt@trade", 1);
      server.publish("ethusdt@trade", 2);
    }, 5);
    try {
      const id = await ws.replaceStream(old, ["trade"], ["btcusdt", "ethusdt"]);
      assertEquals(ws.getStreamInfo(old).status, "stopped");
      assertEquals(ws.getStreamInfo(id).label, "r");
      assertEquals(types(id).slice(0, 2), ["CONNECT", "FIRST_RECEIVED_DATA"]);
      // the old stream stopped only after the new one delivered
      const firstNew = signals.findIndex((s) => s.streamId === id && s.type === "FIRST_RECEIVED_DATA");
      const oldStop = signals.findIndex((s) => s.streamId === old && s.type === "STOP");
      assert(firstNew < oldStop);
      await until(() => got.includes("ethusdt@trade"));
    } finally {
      clearInterval(feed);
    }
  });

  it("futures connections are paced at 9 messages per second", async () => {
    await server.close();
    server = await startStreamServer({ maxPerSecond: 10 });
    manager({ exchange: "binance.com-futures" });
    const id = ws.createStream(["aggTrade"], ["btcusdt"]);
    await until(() => server.open().length === 1);
    await sleep(20);
    const t0 = Date.now();
    for (let i = 0; i < 18; i++) ws.subscribe(id, { markets: [`s${i}usdt`] });
    await until(() => server.conns[0].subs.has("s17usdt@aggTrade"), 4000, "18 subscribes");
    const took = Date.now() - t0;
    assert(took >= 950 && took < 2500, `18 messages took ${took} ms`);
    assertEquals(server.conns[0].path, "/market/stream");
    assertEquals(server.conns[0].closedWith, undefined);
  });

  it("await using closes every stream", async () => {
    {
      await using m = manager();
      const id = m.createStream(["trade"], ["btcusdt"]);
      // open on both ends: the server may see the socket before the client's open event fires,
      // and a stream closed before it connected stops without a DISCONNECT
      await until(() => server.open().length === 1 && types(id).includes("CONNECT"));
    }
    await until(() => server.open().length === 0);
    assertEquals(types().slice(-2), ["DISCONNECT", "STOP"]);
    assertThrows(() => ws.createStream(["trade"], ["x"]), TypeError, "closed");
  });
});
