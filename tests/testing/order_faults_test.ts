import { describe, it } from "node:test";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { hmacHex, signedCaller } from "./_sign.ts";
import { type AnyJson, type Client, connect, getJson } from "./_ws.ts";

const KEY = "faultKey1";
const SECRET = "faultSecret1";

async function setup(): Promise<{ emu: Emulator; call: ReturnType<typeof signedCaller> }> {
  const emu = await startEmulator({
    seed: 51,
    paused: true,
    accounts: [{ apiKey: KEY, secretKey: SECRET, balances: { USDT: "1000", BTC: "0.5" } }],
  });
  return { emu, call: signedCaller(emu.restUrl, KEY, SECRET) };
}

async function driveNow(
  emu: Emulator,
  symbol: string,
  path: string[],
  market: "spot" | "usdm" | "coinm" = "spot",
) {
  const d = emu.drive(symbol, path, { market, manual: true });
  emu.step(path.length);
  await d;
}

const sorted = (p: Record<string, unknown>) => Object.keys(p).sort().map((k) => `${k}=${p[k]}`).join("&");

async function wsApi(
  emu: Emulator,
): Promise<
  { c: Client; send: (id: number, method: string, p: Record<string, unknown>) => Promise<AnyJson> }
> {
  const c = await connect(emu.wsApiUrl);
  const send = async (id: number, method: string, p: Record<string, unknown>) => {
    const params = { ...p, apiKey: KEY, timestamp: Date.now() };
    c.send({ id, method, params: { ...params, signature: await hmacHex(SECRET, sorted(params)) } });
    const i = await c.waitFor((f) => f.includes(`"id":${id},`) || f.includes(`"id":${id}}`));
    return JSON.parse(c.frames[i]);
  };
  return { c, send };
}

const reports = (c: Client, orderId: number): AnyJson[] =>
  c.frames.map((f) => JSON.parse(f).event).filter((e: AnyJson) =>
    e?.e === "executionReport" && e.i === orderId
  );

describe("order-path faults: partial fills, external cancel, 5xx after execution, 429 and latency", () => {
  it("partialFill: a triggered STOP_LOSS_LIMIT fills half, rests, then fills the rest as the market crosses it", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSDT", ["65000.00"]);
    const { c, send } = await wsApi(emu);
    try {
      const sub = await send(1, "userDataStream.subscribe.signature", {});
      assert(sub.result?.subscriptionId !== undefined, JSON.stringify(sub));
      const placed = await send(2, "order.place", {
        symbol: "BTCUSDT",
        side: "SELL",
        type: "STOP_LOSS_LIMIT",
        timeInForce: "GTC",
        quantity: "0.5",
        stopPrice: "64000.00",
        price: "63000.00",
      });
      const id = placed.result.orderId;
      emu.inject({ name: "partialFill", symbol: "BTCUSDT", count: 1 });
      await driveNow(emu, "BTCUSDT", ["63950.00"]);
      const mid = await call("GET", "/api/v3/order", { symbol: "BTCUSDT", orderId: String(id) });
      assertEquals([mid.body.status, mid.body.executedQty], ["PARTIALLY_FILLED", "0.25000000"]);
      emu.step();
      const done = await call("GET", "/api/v3/order", { symbol: "BTCUSDT", orderId: String(id) });
      assertEquals(done.body.status, "FILLED");
      await c.waitFor((f) => f.includes('"X":"FILLED"'));
      const trades = reports(c, id).filter((e) => e.x === "TRADE").map((e) => e.X);
      assert(trades.includes("PARTIALLY_FILLED") && trades.at(-1) === "FILLED", trades.join());
    } finally {
      await c.close();
    }
  });

  it("partialFill: a market stop fills half and the rest expires; a USD-M algo stop leaves half the position", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSDT", ["65000.00"]);
    const s = await call("POST", "/api/v3/order", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_LOSS",
      quantity: "0.5",
      stopPrice: "64000.00",
    });
    emu.inject({ name: "partialFill", symbol: "BTCUSDT", target: "spot" });
    await driveNow(emu, "BTCUSDT", ["63950.00"]);
    const q = await call("GET", "/api/v3/order", { symbol: "BTCUSDT", orderId: String(s.body.orderId) });
    assertEquals([q.body.status, q.body.executedQty], ["EXPIRED", "0.25000000"]);
    assertEquals(emu.account(KEY).balances.BTC, { free: "0.25000000", locked: "0.00000000" });

    const f = signedCaller(emu.futuresRestUrl, KEY, SECRET);
    await driveNow(emu, "BTCUSDT", ["65000.0"], "usdm");
    await f("POST", "/fapi/v1/order", { symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.010" });
    const a = await f("POST", "/fapi/v1/algoOrder", {
      algoType: "CONDITIONAL",
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_MARKET",
      triggerPrice: "64000.0",
      quantity: "0.010",
      reduceOnly: "true",
    });
    emu.inject({ name: "partialFill", symbol: "BTCUSDT", target: "usdm" });
    await driveNow(emu, "BTCUSDT", ["63900.0"], "usdm");
    const algo = await f("GET", "/fapi/v1/algoOrder", { algoId: String(a.body.algoId) });
    assertEquals(algo.body.algoStatus, "FINISHED");
    const actual = await f("GET", "/fapi/v1/order", { symbol: "BTCUSDT", orderId: algo.body.actualOrderId });
    assertEquals([actual.body.status, actual.body.executedQty], ["EXPIRED", "0.005"]);
    const risk = await f("GET", "/fapi/v2/positionRisk", { symbol: "BTCUSDT" });
    assertEquals(risk.body[0].positionAmt, "0.005");
  });

  it("an external REST cancel emits CANCELED; cancelReplace on the WS API replaces atomically", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSDT", ["65000.00"]);
    const { c, send } = await wsApi(emu);
    try {
      await send(1, "userDataStream.subscribe.signature", {});
      const a = await send(2, "order.place", {
        symbol: "BTCUSDT",
        side: "SELL",
        type: "STOP_LOSS",
        quantity: "0.5",
        stopPrice: "64000.00",
      });
      const r = await send(3, "order.cancelReplace", {
        symbol: "BTCUSDT",
        cancelReplaceMode: "STOP_ON_FAILURE",
        cancelOrderId: a.result.orderId,
        side: "SELL",
        type: "STOP_LOSS",
        quantity: "0.5",
        stopPrice: "64200.00",
      });
      assertEquals([r.status, r.result.cancelResult, r.result.newOrderResult], [200, "SUCCESS", "SUCCESS"]);
      const newId = r.result.newOrderResponse.orderId;
      const del = await call("DELETE", "/api/v3/order", { symbol: "BTCUSDT", orderId: String(newId) });
      assertEquals(del.body.status, "CANCELED");
      await c.waitFor((f) => f.includes('"x":"CANCELED"') && f.includes(`"i":${newId}`));
      assertEquals(reports(c, newId).map((e) => e.x), ["NEW", "CANCELED"]);
      // replacing the cancelled order again fails as a whole
      const again = await send(4, "order.cancelReplace", {
        symbol: "BTCUSDT",
        cancelReplaceMode: "STOP_ON_FAILURE",
        cancelOrderId: newId,
        side: "SELL",
        type: "STOP_LOSS",
        quantity: "0.5",
        stopPrice: "64300.00",
      });
      assertEquals([again.status, again.error.code, again.error.data.newOrderResult], [
        400,
        -2022,
        "NOT_ATTEMPTED",
      ]);
      // the cancel succeeds but the new stop would trigger at once: a partial failure, no stop left
      const b = await send(5, "order.place", {
        symbol: "BTCUSDT",
        side: "SELL",
        type: "STOP_LOSS",
        quantity: "0.5",
        stopPrice: "64000.00",
      });
      const partial = await send(6, "order.cancelReplace", {
        symbol: "BTCUSDT",
        cancelReplaceMode: "STOP_ON_FAILURE",
        cancelOrderId: b.result.orderId,
        side: "SELL",
        type: "STOP_LOSS",
        quantity: "0.5",
        stopPrice: "65100.00",
      });
      assertEquals([partial.status, partial.error.code], [409, -2021]);
      assertEquals(partial.error.data.cancelResult, "SUCCESS");
      assertEquals(partial.error.data.newOrderResponse, {
        code: -2010,
        msg: "Order would trigger immediately.",
      });
      assertEquals(emu.account(KEY).openOrders, []);
      // ALLOW_FAILURE with both failing
      const both = await send(7, "order.cancelReplace", {
        symbol: "BTCUSDT",
        cancelReplaceMode: "ALLOW_FAILURE",
        cancelOrderId: b.result.orderId,
        side: "SELL",
        type: "STOP_LOSS",
        quantity: "0.5",
        stopPrice: "65100.00",
      });
      assertEquals([both.status, both.error.code, both.error.data.newOrderResult], [400, -2022, "FAILURE"]);
    } finally {
      await c.close();
    }
  });

  it("serverError with afterExecution: the order exists although REST and the WS API answered 5xx", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSDT", ["65000.00"]);
    emu.inject({ name: "serverError", target: "spot", status: 504, afterExecution: true });
    const r = await call("POST", "/api/v3/order", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_LOSS",
      quantity: "0.1",
      stopPrice: "64000.00",
      newClientOrderId: "unknown-outcome-1",
    });
    assertEquals([r.status, r.body.code], [504, -1007]);
    const q = await call("GET", "/api/v3/order", {
      symbol: "BTCUSDT",
      origClientOrderId: "unknown-outcome-1",
    });
    assertEquals(q.body.status, "NEW");
    const { c, send } = await wsApi(emu);
    try {
      emu.inject({ name: "serverError", target: "spot", status: 503, afterExecution: true });
      const p = await send(1, "order.place", {
        symbol: "BTCUSDT",
        side: "SELL",
        type: "STOP_LOSS",
        quantity: "0.1",
        stopPrice: "64000.00",
        newClientOrderId: "unknown-outcome-2",
      });
      assertEquals([p.status, p.error.code], [503, -1008]);
      const q2 = await call("GET", "/api/v3/order", {
        symbol: "BTCUSDT",
        origClientOrderId: "unknown-outcome-2",
      });
      assertEquals(q2.body.status, "NEW");
      // without afterExecution nothing happens
      emu.inject({ name: "serverError", target: "spot", status: 500 });
      const n = await send(2, "order.place", {
        symbol: "BTCUSDT",
        side: "SELL",
        type: "STOP_LOSS",
        quantity: "0.1",
        stopPrice: "64000.00",
        newClientOrderId: "not-placed",
      });
      assertEquals(n.status, 500);
      const q3 = await call("GET", "/api/v3/order", { symbol: "BTCUSDT", origClientOrderId: "not-placed" });
      assertEquals(q3.body.code, -2013);
      // a rate limit on the WS API order path; latency delays the answer
      emu.inject({ name: "rateLimit", target: "spot" });
      const l = await send(3, "order.cancelReplace", {
        symbol: "BTCUSDT",
        cancelReplaceMode: "STOP_ON_FAILURE",
      });
      assertEquals([l.status, l.error.code], [429, -1003]);
      const h = emu.inject({ name: "latency", target: "spot", ms: 300 });
      const t0 = Date.now();
      const slow = await send(4, "order.status", {
        symbol: "BTCUSDT",
        origClientOrderId: "unknown-outcome-2",
      });
      assert(Date.now() - t0 >= 250 && slow.status === 200);
      h.clear();
    } finally {
      await c.close();
    }
    assertThrows(
      () => emu.inject({ name: "serverError", afterExecution: "yes" as never }),
      TypeError,
      "afterExecution",
    );
  });

  it("stall withholds user-data events (the order still changes), latency delays them", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSDT", ["65000.00"]);
    const { c, send } = await wsApi(emu);
    try {
      await send(1, "userDataStream.subscribe.signature", {});
      const h = emu.inject({ name: "stall", target: "spot" });
      const a = await call("POST", "/api/v3/order", {
        symbol: "BTCUSDT",
        side: "SELL",
        type: "STOP_LOSS",
        quantity: "0.1",
        stopPrice: "64000.00",
      });
      assertEquals(a.status, 200);
      h.clear();
      const l = emu.inject({ name: "latency", target: "spot", ms: 300 });
      const t0 = Date.now();
      await call("DELETE", "/api/v3/order", { symbol: "BTCUSDT", orderId: String(a.body.orderId) });
      await c.waitFor((f) => f.includes('"x":"CANCELED"'), 3000);
      assert(Date.now() - t0 >= 250);
      l.clear();
      // the NEW report was withheld during the stall: only CANCELED arrived
      assertEquals(reports(c, a.body.orderId).map((e) => e.x), ["CANCELED"]);
    } finally {
      await c.close();
    }
    // USD-M private stream: a stall holds back ORDER_TRADE_UPDATE
    const lk = await getJson(`${emu.futuresRestUrl}/fapi/v1/listenKey`, {
      method: "POST",
      headers: { "X-MBX-APIKEY": KEY },
    });
    const p = await connect(
      `${emu.futuresWsUrl}/private/ws?listenKey=${lk.body.listenKey}&events=ORDER_TRADE_UPDATE`,
    );
    try {
      const f = signedCaller(emu.futuresRestUrl, KEY, SECRET);
      const h = emu.inject({ name: "stall", target: "usdm" });
      await f("POST", "/fapi/v1/order", {
        symbol: "BTCUSDT",
        side: "BUY",
        type: "MARKET",
        quantity: "0.002",
      });
      h.clear();
      await f("POST", "/fapi/v1/order", {
        symbol: "BTCUSDT",
        side: "SELL",
        type: "MARKET",
        quantity: "0.002",
      });
      await p.waitFor((x) => x.includes('"S":"SELL"') && x.includes('"X":"FILLED"'));
      assert(!p.frames.some((x) => x.includes('"S":"BUY"')), "events during the stall are withheld");
    } finally {
      await p.close();
    }
  });

  it("outage: connections drop, requests and connects answer 503 while it lasts, orders survive it", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSDT", ["65000.00"]);
    const placed = await call("POST", "/api/v3/order", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_LOSS",
      quantity: "0.1",
      stopPrice: "64000.00",
    });
    const ws = await connect(emu.wsApiUrl);
    const h = emu.inject({ name: "outage", target: "spot" });
    assert((await ws.closed) !== 1000);
    assertEquals((await call("GET", "/api/v3/openOrders", { symbol: "BTCUSDT" })).status, 503);
    let refused = false;
    try {
      const c = await connect(emu.wsApiUrl);
      await c.close();
    } catch {
      refused = true;
    }
    assert(refused, "a WebSocket connect during the outage fails");
    // the futures venue is not hit by a spot outage
    assertEquals((await getJson(`${emu.futuresRestUrl}/fapi/v1/ping`)).status, 200);
    h.clear();
    const open = await call("GET", "/api/v3/openOrders", { symbol: "BTCUSDT" });
    assertEquals(open.body.map((o: AnyJson) => o.orderId), [placed.body.orderId]);
  });

  it("margin listen tokens: the subscription ends with eventStreamTerminated at expiry and on listenKeyExpiry", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    const c = await connect(emu.wsApiUrl);
    try {
      const short = await call("POST", "/sapi/v1/userListenToken", { validity: "1500" });
      c.send({
        id: 1,
        method: "userDataStream.subscribe.listenToken",
        params: { listenToken: short.body.token },
      });
      await c.waitFor((f) => f.includes('"id":1') && f.includes("subscriptionId"));
      await c.waitFor((f) => f.includes("eventStreamTerminated"), 15000);
      const long = await call("POST", "/sapi/v1/userListenToken", { validity: "600000" });
      c.send({
        id: 2,
        method: "userDataStream.subscribe.listenToken",
        params: { listenToken: long.body.token },
      });
      const i = await c.waitFor((f) => f.includes('"id":2'));
      const sub = JSON.parse(c.frames[i]).result.subscriptionId;
      const from = c.frames.length;
      emu.inject({ name: "listenKeyExpiry", apiKey: KEY });
      const j = await c.waitFor((f) => f.includes("eventStreamTerminated"), 3000, from);
      assertEquals(JSON.parse(c.frames[j]).subscriptionId, sub);
      // the expired token is refused
      c.send({
        id: 3,
        method: "userDataStream.subscribe.listenToken",
        params: { listenToken: long.body.token },
      });
      const k = await c.waitFor((f) => f.includes('"id":3'));
      assertEquals(JSON.parse(c.frames[k]).error.code, -1209);
    } finally {
      await c.close();
    }
  });

  it("COIN-M user data: listenKeyExpiry and drop reach the dstream listen-key connection", async () => {
    const { emu } = await setup();
    await using _ = emu;
    const mk = async () => {
      const lk = await getJson(`${emu.futuresRestUrl}/dapi/v1/listenKey`, {
        method: "POST",
        headers: { "X-MBX-APIKEY": KEY },
      });
      return await connect(`${emu.coinmWsUrl}/ws/${lk.body.listenKey}`);
    };
    const a = await mk();
    try {
      emu.inject({ name: "listenKeyExpiry", apiKey: KEY });
      await a.waitFor((f) => f.includes("listenKeyExpired"));
    } finally {
      await a.close();
    }
    const b = await mk();
    emu.inject({ name: "drop", target: "usdm" });
    const code = await b.closed;
    assert(code !== 1000, String(code));
    // a stream name on the same path still works
    const s = await connect(`${emu.coinmWsUrl}/ws/btcusd_perp@aggTrade`);
    try {
      await driveNow(emu, "BTCUSD_PERP", ["64000.0"], "coinm");
      await s.waitFor((f) => f.includes('"e":"aggTrade"'));
    } finally {
      await s.close();
    }
  });
});
