import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { startEmulator } from "../../src/testing/mod.ts";
import { connect, getJson, sleep } from "./_ws.ts";

describe("faults", () => {
  it("rateLimit burst: 429 with Retry-After for `count` requests, then normal", async () => {
    await using emu = await startEmulator({ paused: true });
    emu.inject({ name: "rateLimit", count: 2, target: "spot" });
    const a = await getJson(`${emu.restUrl}/api/v3/ping`);
    const b = await getJson(`${emu.restUrl}/api/v3/ping`);
    const c = await getJson(`${emu.restUrl}/api/v3/ping`);
    assertEquals([a.status, b.status, c.status], [429, 429, 200]);
    assertEquals(a.body.code, -1003);
    assert(Number(a.headers.get("retry-after")) >= 1);
    assertEquals((await getJson(`${emu.futuresRestUrl}/fapi/v1/ping`)).status, 200);
  });

  it("ban: 418 with Retry-After while active; WS API answers 418 and disconnects", async () => {
    await using emu = await startEmulator({ paused: true });
    const h = emu.inject({ name: "ban", durationMs: 60_000 });
    const r = await getJson(`${emu.restUrl}/api/v3/time`);
    assertEquals(r.status, 418);
    assert(/IP banned until \d+/.test(r.body.msg));
    const ws = await connect(emu.wsApiUrl);
    ws.send({ id: 1, method: "ping" });
    const i = await ws.waitFor((f) => f.includes('"id":1'));
    const resp = JSON.parse(ws.frames[i]);
    assertEquals([resp.status, resp.error.code], [418, -1003]);
    assert(typeof resp.error.data.retryAfter === "number");
    assertEquals(await Promise.race([ws.closed, sleep(2000).then(() => -1)]), 1008);
    h.clear();
    assertEquals((await getJson(`${emu.restUrl}/api/v3/time`)).status, 200);
  });

  it("serverError: the chosen 5xx with Binance's body, `count` times", async () => {
    await using emu = await startEmulator({ paused: true });
    emu.inject({ name: "serverError", status: 504, count: 1 });
    const r = await getJson(`${emu.restUrl}/api/v3/depth?symbol=BTCUSDT`);
    assertEquals(r.status, 504);
    assertEquals(r.body.code, -1007);
    assert(r.body.msg.includes("execution status unknown"));
    assertEquals((await getJson(`${emu.restUrl}/api/v3/depth?symbol=BTCUSDT`)).status, 200);
  });

  it("latency adds delay to REST; clockSkew shifts server time", async () => {
    await using emu = await startEmulator({ paused: true });
    emu.inject({ name: "latency", ms: 150, durationMs: 5000 });
    const t0 = Date.now();
    await getJson(`${emu.restUrl}/api/v3/ping`);
    assert(Date.now() - t0 >= 140);
    emu.inject({ name: "clockSkew", ms: -30_000, target: "spot" });
    const st = (await getJson(`${emu.restUrl}/api/v3/time`)).body.serverTime;
    assert(Math.abs(st - (Date.now() - 30_000)) < 2000, `serverTime ${st}`);
  });

  it("rotation: serverShutdown in each connection's framing, then a close", async () => {
    await using emu = await startEmulator({ paused: true });
    const raw = await connect(`${emu.wsUrl}/ws/btcusdt@trade`);
    const comb = await connect(`${emu.wsUrl}/stream?streams=btcusdt@trade`);
    const api = await connect(emu.wsApiUrl);
    emu.inject({ name: "rotation" });
    for (const c of [raw, comb, api]) {
      assertEquals(await Promise.race([c.closed, sleep(2000).then(() => -1)]), 1000);
    }
    assertEquals(JSON.parse(raw.frames[0]).e, "serverShutdown");
    assertEquals(JSON.parse(comb.frames[0]).stream, "!serverShutdown");
    assertEquals(JSON.parse(api.frames[0]).event.e, "serverShutdown");
  });

  it("scheduled faults fire at their time", async () => {
    await using emu = await startEmulator({
      paused: true,
      faults: [{ name: "serverError", at: 100, count: 1 }],
    });
    assertEquals((await getJson(`${emu.restUrl}/api/v3/ping`)).status, 200);
    await sleep(200);
    assertEquals((await getJson(`${emu.restUrl}/api/v3/ping`)).status, 503);
  });

  it("close() frees the port: a new emulator can bind it at once", async () => {
    const a = await startEmulator({ paused: true });
    const port = a.port;
    const c = await connect(`${a.wsUrl}/ws/btcusdt@trade`);
    await a.close();
    await Promise.race([c.closed, sleep(2000)]);
    const b = await startEmulator({ paused: true, port });
    try {
      assertEquals((await getJson(`${b.restUrl}/api/v3/ping`)).status, 200);
    } finally {
      await b.close();
    }
  });
});
