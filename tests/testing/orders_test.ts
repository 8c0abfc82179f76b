import { after, before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { signedCaller } from "./_sign.ts";
import { connect, getJson } from "./_ws.ts";

const KEY = "orderKey1";
const SECRET = "orderSecret1";

describe("matching engine (spot + USD-M) over plain REST", () => {
  let emu: Emulator;
  let call: ReturnType<typeof signedCaller>;
  before(async () => {
    emu = await startEmulator({
      seed: 11,
      paused: true,
      accounts: [{ apiKey: KEY, secretKey: SECRET, balances: { USDT: "100000", BTC: "2" } }],
      // the loops below poll order status after every simulator step
      limits: { listenKeyValidityMs: 60_000, requestWeight: 10_000_000 },
    });
    call = signedCaller(emu.restUrl, KEY, SECRET);
  });
  after(async () => {
    await emu.close();
  });

  it("a resting limit order fills (partially, then fully) when the market crosses it", async () => {
    const ask = Number(emu.book("BTCUSDT").asks[0][0]);
    const price = (ask - 0.01).toFixed(2);
    const r = await call("POST", "/api/v3/order", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.5",
      price,
    });
    assertEquals([r.status, r.body.status], [200, "NEW"]);
    assertEquals(emu.account(KEY).balances.USDT.locked, (Number(price) * 0.5).toFixed(8));
    const seen = new Set<string>();
    for (let i = 0; i < 2000 && !seen.has("FILLED"); i++) {
      emu.step();
      const q = await call("GET", "/api/v3/order", { symbol: "BTCUSDT", orderId: String(r.body.orderId) });
      seen.add(q.body.status);
    }
    assert(seen.has("PARTIALLY_FILLED"), [...seen].join());
    assert(seen.has("FILLED"));
    const acc = emu.account(KEY);
    assertEquals(acc.balances.BTC.free, "2.50000000");
    assertEquals(acc.balances.USDT.locked, "0.00000000");
    const trades = await call("GET", "/api/v3/myTrades", { symbol: "BTCUSDT" });
    assert(
      trades.body.length >= 2 &&
        trades.body.every((t: { isMaker: boolean; price: string }) =>
          t.isMaker && t.price === Number(price).toFixed(8)
        ),
    );
  });

  it("market order fills against the book and moves the public book", async () => {
    const before = emu.book("BTCUSDT", { limit: 1 });
    const r = await call("POST", "/api/v3/order", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "MARKET",
      quantity: "1",
    });
    assertEquals(r.body.status, "FILLED");
    assert(r.body.fills.length >= 1);
    assert(Number(r.headers.get("x-mbx-order-count-10s")) >= 1);
    assertEquals(r.body.fills[0].price, before.bids[0][0]);
    assert(emu.book("BTCUSDT").lastUpdateId > before.lastUpdateId);
  });

  it("STOP_LOSS_LIMIT triggers on the last trade price; cancel and openOrders", async () => {
    emu.step(100); // let trades print near the mid again after the market order swept the bids
    const last = Number((await getJson(`${emu.restUrl}/api/v3/ticker/price?symbol=BTCUSDT`)).body.price);
    const stop = (last - 0.05).toFixed(2);
    const sl = await call("POST", "/api/v3/order", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_LOSS_LIMIT",
      timeInForce: "GTC",
      quantity: "0.01",
      price: (last - 50).toFixed(2),
      stopPrice: stop,
    });
    assertEquals(sl.body.orderId > 0, true);
    const far = await call("POST", "/api/v3/order", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.01",
      price: "60000.00",
    });
    assertEquals((await call("GET", "/api/v3/openOrders", { symbol: "BTCUSDT" })).body.length, 2);
    // our own market sell sweeps the bids: the last trade price drops through the stop
    await call("POST", "/api/v3/order", { symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: "0.3" });
    let status = "";
    for (let i = 0; i < 3000 && status !== "FILLED"; i++) {
      emu.step();
      status =
        (await call("GET", "/api/v3/order", { symbol: "BTCUSDT", orderId: String(sl.body.orderId) })).body
          .status;
    }
    assertEquals(status, "FILLED");
    const c = await call("DELETE", "/api/v3/order", { symbol: "BTCUSDT", orderId: String(far.body.orderId) });
    assertEquals(c.body.status, "CANCELED");
    const again = await call("DELETE", "/api/v3/order", {
      symbol: "BTCUSDT",
      orderId: String(far.body.orderId),
    });
    assertEquals(again.body, { code: -2011, msg: "Unknown order sent." });
    assertEquals((await call("GET", "/api/v3/openOrders", {})).body, []);
  });

  it("OCO: when one leg executes the other expires", async () => {
    emu.step(100);
    const last = Number((await getJson(`${emu.restUrl}/api/v3/ticker/price?symbol=BTCUSDT`)).body.price);
    const r = await call("POST", "/api/v3/orderList/oco", {
      symbol: "BTCUSDT",
      side: "SELL",
      quantity: "0.01",
      aboveType: "LIMIT_MAKER",
      abovePrice: (last + 100).toFixed(2),
      belowType: "STOP_LOSS_LIMIT",
      belowPrice: (last - 50).toFixed(2),
      belowStopPrice: (last - 0.05).toFixed(2),
      belowTimeInForce: "GTC",
    });
    assertEquals(r.body.contingencyType, "OCO", JSON.stringify(r.body));
    const [above, below] = r.body.orders;
    await call("POST", "/api/v3/order", { symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: "0.3" });
    let st = "";
    for (let i = 0; i < 3000 && st !== "FILLED"; i++) {
      emu.step();
      st = (await call("GET", "/api/v3/order", { symbol: "BTCUSDT", orderId: String(below.orderId) })).body
        .status;
    }
    assertEquals(st, "FILLED");
    assertEquals(
      (await call("GET", "/api/v3/order", { symbol: "BTCUSDT", orderId: String(above.orderId) })).body.status,
      "EXPIRED",
    );
  });

  it("USD-M: listenKey, /private/ws with events filter, ORDER_TRADE_UPDATE + ACCOUNT_UPDATE, expiry", async () => {
    const fcall = signedCaller(emu.futuresRestUrl, KEY, SECRET);
    const lk = await getJson(`${emu.futuresRestUrl}/fapi/v1/listenKey`, {
      method: "POST",
      headers: { "X-MBX-APIKEY": KEY },
    });
    assertEquals(lk.body.listenKey.length, 64);
    const same = await getJson(`${emu.futuresRestUrl}/fapi/v1/listenKey`, {
      method: "POST",
      headers: { "X-MBX-APIKEY": KEY },
    });
    assertEquals(same.body.listenKey, lk.body.listenKey);
    const ws = await connect(
      `${emu.futuresWsUrl}/private/ws?listenKey=${lk.body.listenKey}&events=ORDER_TRADE_UPDATE/ACCOUNT_UPDATE/listenKeyExpired`,
    );
    const silent = await connect(`${emu.futuresWsUrl}/private/ws?listenKey=${lk.body.listenKey}`);
    try {
      const r = await fcall("POST", "/fapi/v1/order", {
        symbol: "BTCUSDT",
        side: "BUY",
        type: "MARKET",
        quantity: "0.010",
      });
      assertEquals(r.body.status, "FILLED", JSON.stringify(r.body));
      const i = await ws.waitFor((f) => f.includes('"ACCOUNT_UPDATE"'));
      const upd = JSON.parse(ws.frames[i]);
      assertEquals(upd.a.P[0].pa, "0.010");
      assert(
        ws.frames.some((f) => JSON.parse(f).e === "ORDER_TRADE_UPDATE" && JSON.parse(f).o.X === "FILLED"),
      );
      const pos = emu.account(KEY).positions.BTCUSDT;
      assertEquals(pos.amount, "0.01");
      const bal = await fcall("GET", "/fapi/v2/balance", {});
      assertEquals(bal.body[0].asset, "USDT");
      emu.inject({ name: "listenKeyExpiry", apiKey: KEY });
      const j = await ws.waitFor((f) => f.includes("listenKeyExpired"));
      assertEquals(JSON.parse(ws.frames[j]).listenKey, lk.body.listenKey);
      assertEquals(silent.frames.length, 0);
      const put = await getJson(`${emu.futuresRestUrl}/fapi/v1/listenKey`, {
        method: "PUT",
        headers: { "X-MBX-APIKEY": KEY },
      });
      assertEquals(put.body, { code: -1125, msg: "This listenKey does not exist." });
    } finally {
      await ws.close();
      await silent.close();
    }
  });
});
