import { after, before, describe, it } from "node:test";
import { assert, assertEquals, assertMatch } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { connect, sleep } from "./_ws.ts";

describe("market streams", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: 3, intervalMs: 10, limits: { maxStreams: 3 } });
  });
  after(async () => {
    await emu.close();
  });

  it("SUBSCRIBE, LIST_SUBSCRIPTIONS, UNSUBSCRIBE, SET_PROPERTY / GET_PROPERTY replies", async () => {
    const c = await connect(`${emu.wsUrl}/ws`);
    try {
      c.send({ method: "SUBSCRIBE", params: ["btcusdt@aggTrade", "ethusdt@trade"], id: 1 });
      await c.waitFor((f) => f === '{"result":null,"id":1}');
      c.send({ method: "LIST_SUBSCRIPTIONS", id: "abc" });
      await c.waitFor((f) => f === '{"result":["btcusdt@aggTrade","ethusdt@trade"],"id":"abc"}');
      c.send({ method: "GET_PROPERTY", params: ["combined"], id: 2 });
      await c.waitFor((f) => f === '{"result":false,"id":2}');
      c.send({ method: "SET_PROPERTY", params: ["combined", true], id: 3 });
      await c.waitFor((f) => f === '{"result":null,"id":3}');
      const i = await c.waitFor((f) => f.startsWith('{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade"'));
      const ev = JSON.parse(c.frames[i]).data;
      assertEquals(Object.keys(ev), ["e", "E", "s", "a", "p", "q", "f", "l", "T", "m", "M"]);
      await sleep(1100); // the 5 messages/s budget
      c.send({ method: "UNSUBSCRIBE", params: ["btcusdt@aggTrade"], id: 4 });
      await c.waitFor((f) => f === '{"result":null,"id":4}');
      c.send({ method: "SET_PROPERTY", params: ["combined", "yes"], id: 5 });
      await c.waitFor((f) =>
        f === '{"error":{"code":1,"msg":"Invalid value type: expected Boolean"},"id":5}'
      );
      c.send({ method: "NOPE", id: 6 });
      await c.waitFor((f) => f.includes('"code":2') && f.includes("unknown variant"));
      c.send("{not json");
      await c.waitFor((f) => f.startsWith('{"error":{"code":3,"msg":"Invalid JSON'));
    } finally {
      await c.close();
    }
  });

  it("a subscription past the per-connection stream limit is refused", async () => {
    const c = await connect(`${emu.wsUrl}/stream?streams=btcusdt@trade/ethusdt@trade`);
    try {
      c.send({ method: "SUBSCRIBE", params: ["bnbbtc@trade", "btcusdt@depth"], id: 7 });
      const i = await c.waitFor((f) => f.includes('"id":7'));
      const reply = JSON.parse(c.frames[i]);
      assertEquals(reply.error.code, 2);
      assertMatch(reply.error.msg, /limit of 3/);
      c.send({ method: "LIST_SUBSCRIPTIONS", id: 8 });
      const j = await c.waitFor((f) => f.includes('"id":8'));
      assertEquals(JSON.parse(c.frames[j]).result, ["btcusdt@trade", "ethusdt@trade"]);
    } finally {
      await c.close();
    }
  });

  it("more than 5 incoming messages per second disconnects the client", async () => {
    const c = await connect(`${emu.wsUrl}/ws`);
    for (let i = 0; i < 7; i++) c.send({ method: "LIST_SUBSCRIPTIONS", id: i });
    const code = await Promise.race([c.closed, sleep(2000).then(() => -1)]);
    assertEquals(code, 1008);
  });

  it("USD-M routing: /market carries aggTrade, the legacy root acknowledges it but stays silent", async () => {
    const routed = await connect(`${emu.futuresWsUrl}/market/ws/btcusdt@aggTrade`);
    const legacy = await connect(`${emu.futuresWsUrl}/ws/btcusdt@aggTrade`);
    try {
      const i = await routed.waitFor((f) => f.includes('"e":"aggTrade"'));
      assertEquals(Object.keys(JSON.parse(routed.frames[i])), [
        "e",
        "E",
        "a",
        "s",
        "p",
        "q",
        "f",
        "l",
        "T",
        "m",
      ]);
      await sleep(200);
      assertEquals(legacy.frames.length, 0);
      legacy.send({ method: "SUBSCRIBE", params: ["btcusdt@bookTicker"], id: 1 });
      await legacy.waitFor((f) => f === '{"result":null,"id":1}');
      await legacy.waitFor((f) => f.includes('"e":"bookTicker"'));
    } finally {
      await routed.close();
      await legacy.close();
    }
  });

  it("all channels deliver Binance-shaped payloads", async () => {
    const names = [
      "btcusdt@kline_1m",
      "btcusdt@miniTicker",
      "btcusdt@ticker",
      "!miniTicker@arr",
      "btcusdt@depth5@100ms",
      "btcusdt@bookTicker",
      "btcusdt@depth",
    ];
    const conns = await Promise.all(names.map((n) => connect(`${emu.wsUrl}/ws/${n}`)));
    try {
      const first = await Promise.all(
        conns.map(async (c) => JSON.parse(c.frames[await c.waitFor(() => true, 3000)])),
      );
      assertEquals(first[0].e, "kline");
      assertEquals(Object.keys(first[0].k), [
        "t",
        "T",
        "s",
        "i",
        "f",
        "L",
        "o",
        "c",
        "h",
        "l",
        "v",
        "n",
        "x",
        "q",
        "V",
        "Q",
        "B",
      ]);
      assertEquals(Object.keys(first[1]), ["e", "E", "s", "c", "o", "h", "l", "v", "q"]);
      assertEquals(first[2].e, "24hrTicker");
      assert(Array.isArray(first[3]) && first[3].length === 3);
      assertEquals(Object.keys(first[4]), ["lastUpdateId", "bids", "asks"]);
      assertEquals(first[4].bids.length, 5);
      assertEquals(Object.keys(first[5]), ["u", "s", "b", "B", "a", "A"]);
      assertEquals(Object.keys(first[6]), ["e", "E", "s", "U", "u", "b", "a"]);
    } finally {
      await Promise.all(conns.map((c) => c.close()));
    }
  });

  it("stall fault: the socket stays open and silent, then data resumes", async () => {
    const c = await connect(`${emu.wsUrl}/ws/btcusdt@depth@100ms`);
    try {
      await c.waitFor(() => true);
      const h = emu.inject({ name: "stall", target: "spot" });
      await sleep(50);
      const n = c.frames.length;
      await sleep(300);
      assertEquals(c.frames.length, n);
      assertEquals(c.ws.readyState, WebSocket.OPEN);
      h.clear();
      await c.waitFor(() => true, 2000, n);
    } finally {
      await c.close();
    }
  });

  it("drop fault closes connections; malformed frame fault sends one broken frame", async () => {
    const c = await connect(`${emu.wsUrl}/ws/btcusdt@depth@100ms`);
    await c.waitFor(() => true);
    emu.inject({ name: "malformedFrame", target: "spot" });
    const start = c.frames.length;
    await c.waitFor(() => true, 2000, start);
    let broken = 0;
    for (const f of c.frames.slice(start, start + 1)) {
      try {
        JSON.parse(f);
      } catch {
        broken++;
      }
    }
    assertEquals(broken, 1);
    emu.inject({ name: "drop", target: "spot" });
    const code = await Promise.race([c.closed, sleep(2000).then(() => -1)]);
    assert(code !== -1, "socket must close after a drop");
  });
});
