import { describe, it } from "node:test";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { startEmulator } from "../../src/testing/mod.ts";
import { hmacHex, signedCaller } from "./_sign.ts";
import { connect, getJson, sleep } from "./_ws.ts";

const KEY = "udKey1";
const SECRET = "udSecret1";

function sorted(p: Record<string, unknown>): string {
  return Object.keys(p).sort().map((k) => `${k}=${p[k]}`).join("&");
}

describe("user data and connection lifecycle", () => {
  it("transfer() emits balanceUpdate + outboundAccountPosition on a signature subscription", async () => {
    await using emu = await startEmulator({ paused: true, accounts: [{ apiKey: KEY, secretKey: SECRET }] });
    const c = await connect(emu.wsApiUrl);
    try {
      const p = { apiKey: KEY, timestamp: Date.now() };
      c.send({
        id: 1,
        method: "userDataStream.subscribe.signature",
        params: { ...p, signature: await hmacHex(SECRET, sorted(p)) },
      });
      await c.waitFor((f) => f.includes('"id":1') && f.includes("subscriptionId"));
      emu.transfer(KEY, { asset: "USDT", delta: "25.5" });
      const i = await c.waitFor((f) => f.includes("outboundAccountPosition"));
      const bu = c.frames.map((f) => JSON.parse(f)).find((f) => f.event?.e === "balanceUpdate");
      assertEquals([bu.event.a, bu.event.d], ["USDT", "25.5"]);
      assertEquals(JSON.parse(c.frames[i]).event.B, [{ a: "USDT", f: "10025.50000000", l: "0.00000000" }]);
      assertThrows(
        () => emu.transfer(KEY, { asset: "BTC", delta: "-5" }),
        RangeError,
        "smaller than the debit",
      );
      assertThrows(() => emu.transfer("nobody", { asset: "BTC", delta: "1" }), RangeError, "Unknown account");
    } finally {
      await c.close();
    }
  });

  it("margin listen token: REST token, WS-API subscribe.listenToken, invalid token -1209", async () => {
    await using emu = await startEmulator({ paused: true, accounts: [{ apiKey: KEY, secretKey: SECRET }] });
    const call = signedCaller(emu.restUrl, KEY, SECRET);
    const tok = await call("POST", "/sapi/v1/userListenToken", { validity: "60000" });
    assertEquals(tok.status, 200);
    assert(tok.body.expirationTime > Date.now());
    const c = await connect(emu.wsApiUrl);
    try {
      c.send({
        id: "a",
        method: "userDataStream.subscribe.listenToken",
        params: { listenToken: tok.body.token },
      });
      const i = await c.waitFor((f) => f.includes('"id":"a"'));
      assertEquals(JSON.parse(c.frames[i]).result.expirationTime, tok.body.expirationTime);
      c.send({ id: "b", method: "userDataStream.subscribe.listenToken", params: { listenToken: "nope" } });
      const j = await c.waitFor((f) => f.includes('"id":"b"'));
      assertEquals(JSON.parse(c.frames[j]).error.code, -1209);
    } finally {
      await c.close();
    }
  });

  it("USD-M WebSocket API places a signed order; a listen key that is not kept alive expires", async () => {
    await using emu = await startEmulator({
      paused: true,
      accounts: [{ apiKey: KEY, secretKey: SECRET }],
      limits: { listenKeyValidityMs: 300 },
    });
    const c = await connect(emu.futuresWsApiUrl);
    try {
      c.send({ id: 1, method: "userDataStream.start", params: { apiKey: KEY } });
      const i = await c.waitFor((f) => f.includes('"id":1'));
      const listenKey = JSON.parse(c.frames[i]).result.listenKey;
      const priv = await connect(
        `${emu.futuresWsUrl}/private/ws?listenKey=${listenKey}&events=ORDER_TRADE_UPDATE/listenKeyExpired`,
      );
      try {
        const p = {
          apiKey: KEY,
          symbol: "BTCUSDT",
          side: "BUY",
          type: "MARKET",
          quantity: "0.002",
          timestamp: Date.now(),
        };
        c.send({
          id: 2,
          method: "order.place",
          params: { ...p, signature: await hmacHex(SECRET, sorted(p)) },
        });
        const j = await c.waitFor((f) => f.includes('"id":2'));
        assertEquals(JSON.parse(c.frames[j]).result.status, "FILLED", c.frames[j]);
        await priv.waitFor((f) => f.includes("ORDER_TRADE_UPDATE"));
        await priv.waitFor((f) => f.includes("listenKeyExpired"), 3000);
        const ka = await getJson(`${emu.futuresRestUrl}/fapi/v1/listenKey`, {
          method: "PUT",
          headers: { "X-MBX-APIKEY": KEY },
        });
        assertEquals(ka.body.code, -1125);
      } finally {
        await priv.close();
      }
    } finally {
      await c.close();
    }
  });

  it("connections close after the maximum connection life", async () => {
    await using emu = await startEmulator({ paused: true, limits: { maxConnectionLifeMs: 200 } });
    const c = await connect(`${emu.wsUrl}/ws/btcusdt@trade`);
    const t0 = Date.now();
    const code = await Promise.race([c.closed, sleep(3000).then(() => -1)]);
    assertEquals(code, 1000);
    assert(Date.now() - t0 >= 150);
  });

  it("firehose mode streams as fast as the client reads", async () => {
    await using emu = await startEmulator({ firehose: true });
    const c = await connect(`${emu.wsUrl}/stream?streams=btcusdt@depth@100ms/btcusdt@trade`);
    try {
      // a 100 ms timer would need 20 s for 200 depth events; the firehose sends them as fast as
      // the client reads (milliseconds on a quiet machine; the bound leaves room for a loaded one)
      const t0 = Date.now();
      const depth = () => c.frames.filter((f) => f.includes("@depth")).length;
      while (depth() < 200 && Date.now() - t0 < 10_000) await sleep(20);
      assert(depth() >= 200, `only ${depth()} depth frames in ${Date.now() - t0} ms`);
    } finally {
      await c.close();
    }
  });
});
