import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { hmacHex, signedCaller } from "./_sign.ts";
import { type AnyJson, type Client, connect, getJson } from "./_ws.ts";

const KEY = "condKey1";
const SECRET = "condSecret1";

type Venue = "usdm" | "coinm";

async function setup(): Promise<{ emu: Emulator; call: ReturnType<typeof signedCaller> }> {
  const emu = await startEmulator({ seed: 31, paused: true, accounts: [{ apiKey: KEY, secretKey: SECRET }] });
  return { emu, call: signedCaller(emu.futuresRestUrl, KEY, SECRET) };
}

/** Drives a path with manual steps and waits for it. */
async function driveNow(emu: Emulator, symbol: string, market: Venue, path: unknown[]): Promise<void> {
  const d = emu.drive(symbol, path as string[], { market, manual: true });
  emu.step(path.length);
  await d;
}

async function userStream(emu: Emulator, venue: Venue): Promise<Client> {
  const v1 = venue === "usdm" ? "/fapi/v1" : "/dapi/v1";
  const lk = await getJson(`${emu.futuresRestUrl}${v1}/listenKey`, {
    method: "POST",
    headers: { "X-MBX-APIKEY": KEY },
  });
  return venue === "usdm"
    ? await connect(
      `${emu.futuresWsUrl}/private/ws?listenKey=${lk.body.listenKey}&events=ORDER_TRADE_UPDATE/ALGO_UPDATE`,
    )
    : await connect(`${emu.coinmWsUrl}/ws/${lk.body.listenKey}`);
}

const events = (c: Client, e: string): AnyJson[] =>
  c.frames.map((f) => JSON.parse(f)).filter((x: AnyJson) => x.e === e);

describe("USD-M conditional orders on the Algo Service (/fapi/v1/algoOrder)", () => {
  it("a closePosition STOP_MARKET on the mark price closes the whole position; ALGO_UPDATE and ORDER_TRADE_UPDATE follow it", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSDT", "usdm", ["65000.0"]);
    const ws = await userStream(emu, "usdm");
    try {
      const buy = await call("POST", "/fapi/v1/order", {
        symbol: "BTCUSDT",
        side: "BUY",
        type: "MARKET",
        quantity: "0.010",
      });
      assertEquals(buy.body.status, "FILLED", JSON.stringify(buy.body));
      const placed = await call("POST", "/fapi/v1/algoOrder", {
        algoType: "CONDITIONAL",
        symbol: "BTCUSDT",
        side: "SELL",
        type: "STOP_MARKET",
        triggerPrice: "64000.0",
        closePosition: "true",
        workingType: "MARK_PRICE",
        clientAlgoId: "trail-1",
      });
      assertEquals(placed.status, 200, JSON.stringify(placed.body));
      assertEquals(
        [placed.body.algoStatus, placed.body.orderType, placed.body.closePosition, placed.body.triggerPrice],
        ["NEW", "STOP_MARKET", true, "64000.0"],
      );
      const open = await call("GET", "/fapi/v1/openAlgoOrders", { symbol: "BTCUSDT" });
      assertEquals(open.body.map((a: AnyJson) => a.clientAlgoId), ["trail-1"]);
      assertEquals((await call("GET", "/fapi/v1/openOrders", { symbol: "BTCUSDT" })).body, []);
      assertEquals(emu.account(KEY).futuresOpenAlgoOrders.map((a) => (a as AnyJson).clientAlgoId), [
        "trail-1",
      ]);
      // the last price stays, only the mark falls through the trigger
      await driveNow(emu, "BTCUSDT", "usdm", [{ markPrice: "64500.0" }]);
      assertEquals(
        (await call("GET", "/fapi/v1/algoOrder", { algoId: String(placed.body.algoId) })).body.algoStatus,
        "NEW",
      );
      await driveNow(emu, "BTCUSDT", "usdm", [{ markPrice: "63990.0" }]);
      const q = await call("GET", "/fapi/v1/algoOrder", { clientAlgoId: "trail-1" });
      assertEquals(q.body.algoStatus, "FINISHED", JSON.stringify(q.body));
      assert(q.body.actualOrderId !== "" && q.body.triggerTime > 0);
      const risk = await call("GET", "/fapi/v2/positionRisk", { symbol: "BTCUSDT" });
      assertEquals(Number(risk.body[0].positionAmt), 0);
      const actual = await call("GET", "/fapi/v1/order", {
        symbol: "BTCUSDT",
        orderId: q.body.actualOrderId,
      });
      assertEquals(
        [
          actual.body.status,
          actual.body.type,
          actual.body.origType,
          actual.body.closePosition,
          actual.body.executedQty,
        ],
        ["FILLED", "MARKET", "STOP_MARKET", true, "0.010"],
      );
      await ws.waitFor((f) => f.includes('"X":"FINISHED"'));
      const algo = events(ws, "ALGO_UPDATE").map((e) => e.o.X);
      assertEquals(algo, ["NEW", "TRIGGERING", "TRIGGERED", "FINISHED"]);
      const fin = events(ws, "ALGO_UPDATE").at(-1).o;
      assertEquals([fin.caid, fin.ai, fin.aq, fin.act, fin.cp, fin.wt], [
        "trail-1",
        q.body.actualOrderId,
        "0.010",
        "MARKET",
        true,
        "MARK_PRICE",
      ]);
      const otu = events(ws, "ORDER_TRADE_UPDATE").map((e) => e.o).filter((o: AnyJson) =>
        o.ot === "STOP_MARKET"
      );
      assertEquals(otu.map((o: AnyJson) => [o.x, o.X, o.o]), [["NEW", "NEW", "MARKET"], [
        "TRADE",
        "FILLED",
        "MARKET",
      ]]);
      assertEquals([otu[0].sp, otu[0].cp, otu[0].wt, otu[0].c], ["64000.0", true, "MARK_PRICE", "trail-1"]);
    } finally {
      await ws.close();
    }
  });

  it("a reduce-only TRAILING_STOP_MARKET activates at activatePrice, trails the high, fires after callbackRate", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSDT", "usdm", ["65000.0"]);
    await call("POST", "/fapi/v1/order", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: "0.020",
    });
    const placed = await call("POST", "/fapi/v1/algoOrder", {
      algoType: "CONDITIONAL",
      symbol: "BTCUSDT",
      side: "SELL",
      type: "TRAILING_STOP_MARKET",
      quantity: "0.010",
      reduceOnly: "true",
      callbackRate: "1",
      activatePrice: "65500.0",
    });
    assertEquals(placed.status, 200, JSON.stringify(placed.body));
    assertEquals([placed.body.activatePrice, placed.body.callbackRate], ["65500.0", "1"]);
    const status = async () =>
      (await call("GET", "/fapi/v1/algoOrder", { algoId: String(placed.body.algoId) })).body;
    // below activation a 1 % drop does nothing; then 65500 activates, 66000 ratchets, 65400 is 0.9 % off
    await driveNow(emu, "BTCUSDT", "usdm", ["64300.0", "65500.0", "66000.0", "65400.0"]);
    assertEquals((await status()).algoStatus, "NEW");
    await driveNow(emu, "BTCUSDT", "usdm", ["65340.0"]);
    const done = await status();
    assertEquals(done.algoStatus, "FINISHED");
    const risk = await call("GET", "/fapi/v2/positionRisk", { symbol: "BTCUSDT" });
    assertEquals(risk.body[0].positionAmt, "0.010");
  });

  it("refuses with Binance's codes: -4120, -2021, -4137, -1106, -4130, -2007, -1102", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSDT", "usdm", ["65000.0"]);
    const base = { algoType: "CONDITIONAL", symbol: "BTCUSDT", side: "SELL" };
    const plain = await call("POST", "/fapi/v1/order", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_MARKET",
      stopPrice: "64000.0",
      quantity: "0.010",
    });
    assertEquals(plain.body.code, -4120);
    const cases: Array<[Record<string, string>, number]> = [
      [{ type: "STOP_MARKET", triggerPrice: "65100.0", quantity: "0.010" }, -2021],
      [{ type: "TAKE_PROFIT_MARKET", triggerPrice: "64900.0", quantity: "0.010" }, -2021],
      [{ type: "STOP_MARKET", triggerPrice: "64000.0", quantity: "0.010", closePosition: "true" }, -4137],
      [{ type: "STOP_MARKET", triggerPrice: "64000.0", closePosition: "true", reduceOnly: "true" }, -1106],
      [{ type: "STOP", triggerPrice: "64000.0", price: "63900.0", closePosition: "true" }, -1106],
      [{ type: "TRAILING_STOP_MARKET", quantity: "0.010", callbackRate: "20" }, -2007],
      [
        { type: "TRAILING_STOP_MARKET", quantity: "0.010", callbackRate: "1", activatePrice: "64000.0" },
        -2021,
      ],
      [{ type: "STOP_MARKET", quantity: "0.010" }, -1102],
      [{ type: "STOP", triggerPrice: "64000.0", quantity: "0.010" }, -1102],
      [{ type: "STOP_MARKET", triggerPrice: "64000.0", quantity: "0.010", workingType: "INDEX" }, -4031],
    ];
    for (const [p, code] of cases) {
      const r = await call("POST", "/fapi/v1/algoOrder", { ...base, ...p });
      assertEquals(r.body.code, code, JSON.stringify([p, r.body]));
    }
    const noType = await call("POST", "/fapi/v1/algoOrder", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_MARKET",
    });
    assertEquals(noType.body.code, -1102);
    const cp = { ...base, type: "STOP_MARKET", triggerPrice: "64000.0", closePosition: "true" };
    assertEquals((await call("POST", "/fapi/v1/algoOrder", cp)).status, 200);
    assertEquals((await call("POST", "/fapi/v1/algoOrder", cp)).body.code, -4130);
  });

  it("a reduce-only stop with nothing to reduce is REJECTED at the trigger; cancel emits CANCELED, then -2011", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSDT", "usdm", ["65000.0"]);
    const ws = await userStream(emu, "usdm");
    try {
      const a = await call("POST", "/fapi/v1/algoOrder", {
        algoType: "CONDITIONAL",
        symbol: "BTCUSDT",
        side: "SELL",
        type: "STOP_MARKET",
        triggerPrice: "64900.0",
        quantity: "0.010",
        reduceOnly: "true",
      });
      const b = await call("POST", "/fapi/v1/algoOrder", {
        algoType: "CONDITIONAL",
        symbol: "BTCUSDT",
        side: "SELL",
        type: "STOP_MARKET",
        triggerPrice: "60000.0",
        quantity: "0.010",
        reduceOnly: "true",
      });
      await driveNow(emu, "BTCUSDT", "usdm", ["64800.0"]);
      const ra = await call("GET", "/fapi/v1/algoOrder", { algoId: String(a.body.algoId) });
      assertEquals(ra.body.algoStatus, "REJECTED");
      const c = await call("DELETE", "/fapi/v1/algoOrder", { algoId: String(b.body.algoId) });
      assertEquals([c.status, c.body.algoId], [200, b.body.algoId]);
      assertEquals(
        (await call("DELETE", "/fapi/v1/algoOrder", { algoId: String(b.body.algoId) })).body.code,
        -2011,
      );
      await ws.waitFor((f) => f.includes('"X":"CANCELED"'));
      const rej = events(ws, "ALGO_UPDATE").find((e) => e.o.X === "REJECTED");
      assertEquals(rej.o.rm, "Reduce Only reject");
    } finally {
      await ws.close();
    }
  });

  it("hedge mode: a closePosition stop on the LONG side closes only that side; coverage follows positionSide", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSDT", "usdm", ["65000.0"]);
    assertEquals(
      (await call("POST", "/fapi/v1/positionSide/dual", { dualSidePosition: "true" })).status,
      200,
    );
    const rec = emu.recordCoverage("BTCUSDT", { apiKey: KEY, market: "usdm", positionSide: "LONG" });
    for (const [side, ps] of [["BUY", "LONG"], ["SELL", "SHORT"]]) {
      const r = await call("POST", "/fapi/v1/order", {
        symbol: "BTCUSDT",
        side,
        positionSide: ps,
        type: "MARKET",
        quantity: "0.010",
      });
      assertEquals(r.body.status, "FILLED", JSON.stringify(r.body));
    }
    const a = await call("POST", "/fapi/v1/algoOrder", {
      algoType: "CONDITIONAL",
      symbol: "BTCUSDT",
      side: "SELL",
      positionSide: "LONG",
      type: "STOP_MARKET",
      triggerPrice: "64000.0",
      closePosition: "true",
    });
    assertEquals(a.status, 200, JSON.stringify(a.body));
    emu.step();
    assertEquals([rec.records.at(-1)!.position, rec.records.at(-1)!.stopQty], ["0.01", "0.01"]);
    await driveNow(emu, "BTCUSDT", "usdm", ["63950.0"]);
    const risk = await call("GET", "/fapi/v2/positionRisk", { symbol: "BTCUSDT" });
    const amt = (ps: string) => Number(risk.body.find((p: AnyJson) => p.positionSide === ps).positionAmt);
    assertEquals([amt("LONG"), amt("SHORT")], [0, -0.01]);
    assertEquals(rec.records.at(-1)!.position, "0");
  });

  it("the project's REST client: futuresCreateOrder routes a STOP_MARKET to the algo endpoint, which the emulator serves", async () => {
    const { emu } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSDT", "usdm", ["65000.0"]);
    const c = new BinanceRestClient({
      exchange: "binance.com-futures",
      baseUrl: emu.futuresRestUrl,
      apiKey: KEY,
      apiSecret: SECRET,
    });
    await c.futuresCreateOrder({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.010" });
    const stop = await c.futuresCreateOrder({
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_MARKET",
      stopPrice: "64000.0",
      reduceOnly: true,
      quantity: "0.010",
      newClientOrderId: "rest-client-stop",
    }) as AnyJson;
    assertEquals([stop.clientAlgoId, stop.algoStatus, stop.triggerPrice], [
      "rest-client-stop",
      "NEW",
      "64000.0",
    ]);
    const open = await c.futuresGetOpenAlgoOrders({ symbol: "BTCUSDT" });
    assertEquals(open.map((a) => a.clientAlgoId), ["rest-client-stop"]);
    await c.futuresCancelAlgoOrder({ clientAlgoId: "rest-client-stop" });
    assertEquals((await c.futuresGetAlgoOrder({ clientAlgoId: "rest-client-stop" })).algoStatus, "CANCELED");
  });

  it("the USD-M WebSocket API places and cancels algo orders", async () => {
    const { emu } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSDT", "usdm", ["65000.0"]);
    const c = await connect(emu.futuresWsApiUrl);
    const sign = async (p: Record<string, unknown>) => {
      const q = Object.keys(p).sort().map((k) => `${k}=${p[k]}`).join("&");
      return { ...p, signature: await hmacHex(SECRET, q) };
    };
    try {
      c.send({
        id: 1,
        method: "algoOrder.place",
        params: await sign({
          apiKey: KEY,
          algoType: "CONDITIONAL",
          symbol: "BTCUSDT",
          side: "SELL",
          type: "STOP_MARKET",
          triggerPrice: "64000.0",
          quantity: "0.010",
          timestamp: Date.now(),
        }),
      });
      const i = await c.waitFor((f) => f.includes('"id":1'));
      const placed = JSON.parse(c.frames[i]).result;
      assertEquals(placed.algoStatus, "NEW", c.frames[i]);
      c.send({
        id: 2,
        method: "algoOrder.cancel",
        params: await sign({ apiKey: KEY, algoId: placed.algoId, timestamp: Date.now() }),
      });
      const j = await c.waitFor((f) => f.includes('"id":2'));
      assertEquals(JSON.parse(c.frames[j]).result.msg, "success");
    } finally {
      await c.close();
    }
  });
});

describe("COIN-M conditional orders on /dapi/v1/order", () => {
  it("STOP_MARKET closePosition: NEW, then at the trigger EXPIRED and NEW again as MARKET (same id), FILLED", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSD_PERP", "coinm", ["65000.0"]);
    const ws = await userStream(emu, "coinm");
    try {
      const buy = await call("POST", "/dapi/v1/order", {
        symbol: "BTCUSD_PERP",
        side: "BUY",
        type: "MARKET",
        quantity: "10",
      });
      assertEquals(buy.body.status, "FILLED", JSON.stringify(buy.body));
      const stop = await call("POST", "/dapi/v1/order", {
        symbol: "BTCUSD_PERP",
        side: "SELL",
        type: "STOP_MARKET",
        stopPrice: "64000.0",
        closePosition: "true",
      });
      assertEquals(stop.status, 200, JSON.stringify(stop.body));
      assertEquals([stop.body.status, stop.body.type, stop.body.stopPrice], [
        "NEW",
        "STOP_MARKET",
        "64000.0",
      ]);
      const open = await call("GET", "/dapi/v1/openOrders", { symbol: "BTCUSD_PERP" });
      assertEquals(open.body.map((o: AnyJson) => o.orderId), [stop.body.orderId]);
      assertEquals(emu.account(KEY).coinmOpenOrders.map((o) => (o as AnyJson).orderId), [stop.body.orderId]);
      await driveNow(emu, "BTCUSD_PERP", "coinm", ["64500.0", "63900.0"]);
      const q = await call("GET", "/dapi/v1/order", {
        symbol: "BTCUSD_PERP",
        orderId: String(stop.body.orderId),
      });
      assertEquals([q.body.status, q.body.type, q.body.origType, q.body.executedQty], [
        "FILLED",
        "MARKET",
        "STOP_MARKET",
        "10",
      ]);
      const risk = await call("GET", "/dapi/v1/positionRisk", {});
      assertEquals(Number(risk.body.find((p: AnyJson) => p.symbol === "BTCUSD_PERP").positionAmt), 0);
      await ws.waitFor((f) => f.includes('"X":"FILLED"') && f.includes('"ot":"STOP_MARKET"'));
      const seq = events(ws, "ORDER_TRADE_UPDATE").map((e) => e.o).filter((o: AnyJson) =>
        o.i === stop.body.orderId
      );
      assertEquals(seq.map((o: AnyJson) => [o.x, o.X, o.o, o.ot]), [
        ["NEW", "NEW", "STOP_MARKET", "STOP_MARKET"],
        ["EXPIRED", "EXPIRED", "STOP_MARKET", "STOP_MARKET"],
        ["NEW", "NEW", "MARKET", "STOP_MARKET"],
        ["TRADE", "FILLED", "MARKET", "STOP_MARKET"],
      ]);
      assert(seq.every((o: AnyJson) => o.sp === "64000.0" && o.cp === true));
    } finally {
      await ws.close();
    }
  });

  it("TRAILING_STOP_MARKET without activation trails from placement; queries show activatePrice and priceRate", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, "BTCUSD_PERP", "coinm", ["65000.0"]);
    await call("POST", "/dapi/v1/order", {
      symbol: "BTCUSD_PERP",
      side: "BUY",
      type: "MARKET",
      quantity: "10",
    });
    const t = await call("POST", "/dapi/v1/order", {
      symbol: "BTCUSD_PERP",
      side: "SELL",
      type: "TRAILING_STOP_MARKET",
      quantity: "10",
      reduceOnly: "true",
      callbackRate: "0.5",
    });
    assertEquals([t.body.type, t.body.priceRate, t.body.activatePrice], ["TRAILING_STOP_MARKET", "0.5", "0"]);
    await driveNow(emu, "BTCUSD_PERP", "coinm", ["66000.0", "65700.0"]);
    const mid = await call("GET", "/dapi/v1/order", {
      symbol: "BTCUSD_PERP",
      orderId: String(t.body.orderId),
    });
    assertEquals(mid.body.status, "NEW");
    await driveNow(emu, "BTCUSD_PERP", "coinm", ["65670.0"]);
    const done = await call("GET", "/dapi/v1/order", {
      symbol: "BTCUSD_PERP",
      orderId: String(t.body.orderId),
    });
    assertEquals(done.body.status, "FILLED");
  });
});
