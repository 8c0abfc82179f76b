import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { hmacHex, signedCaller } from "./_sign.ts";
import { type AnyJson, connect } from "./_ws.ts";

const KEY = "trailKey1";
const SECRET = "trailSecret1";

function sorted(p: Record<string, unknown>): string {
  return Object.keys(p).sort().map((k) => `${k}=${p[k]}`).join("&");
}

/** Drives a path with manual steps and waits for it. */
async function driveNow(emu: Emulator, path: string[]): Promise<void> {
  const d = emu.drive("BTCUSDT", path, { manual: true });
  emu.step(path.length);
  await d;
}

async function start() {
  const emu = await startEmulator({
    seed: 21,
    paused: true,
    accounts: [{
      apiKey: KEY,
      secretKey: SECRET,
      balances: { USDT: "100000", BTC: "1" },
      marginBalances: { BTC: "1" },
    }],
  });
  return { emu, call: signedCaller(emu.restUrl, KEY, SECRET) };
}

describe("spot trailingDelta (Binance's trailing-stop FAQ)", () => {
  it("STOP_LOSS SELL without stopPrice tracks from placement, ratchets with the high, fires after the delta", async () => {
    const { emu, call } = await start();
    await using _ = emu;
    await driveNow(emu, ["65000.00"]);
    const ws = await connect(emu.wsApiUrl);
    try {
      const sp = { apiKey: KEY, timestamp: Date.now() };
      ws.send({
        id: 1,
        method: "userDataStream.subscribe.signature",
        params: { ...sp, signature: await hmacHex(SECRET, sorted(sp)) },
      });
      await ws.waitFor((f) => f.includes('"id":1'));
      const placed = await call("POST", "/api/v3/order", {
        symbol: "BTCUSDT",
        side: "SELL",
        type: "STOP_LOSS",
        quantity: "0.001",
        trailingDelta: "100",
        newOrderRespType: "RESULT",
      });
      assertEquals(placed.status, 200, JSON.stringify(placed.body));
      assertEquals(placed.body.trailingDelta, 100);
      assert(placed.body.trailingTime > 0, "tracking starts at placement");
      const id = String(placed.body.orderId);
      const status = async () =>
        (await call("GET", "/api/v3/order", { symbol: "BTCUSDT", orderId: id })).body;
      // up to 66500, then a 0.9 % dip (no trigger), then exactly 1 % below the high
      await driveNow(emu, ["65500.00", "66500.00", "65901.50", "66000.00"]);
      assertEquals((await status()).status, "NEW");
      await driveNow(emu, ["65835.00"]);
      const done = await status();
      assertEquals([done.status, done.executedQty], ["FILLED", "0.00100000"]);
      assertEquals(done.trailingDelta, 100);
      assert(
        Number(done.cummulativeQuoteQty) <= 65.835 && Number(done.cummulativeQuoteQty) > 65,
        done.cummulativeQuoteQty,
      );
      const reports = ws.frames.map((f) => JSON.parse(f).event).filter((e: AnyJson) =>
        e?.e === "executionReport" && e.i === placed.body.orderId
      );
      await ws.waitFor((f) => f.includes('"X":"FILLED"'));
      const all = ws.frames.map((f) => JSON.parse(f).event).filter((e: AnyJson) =>
        e?.e === "executionReport" && e.i === placed.body.orderId
      );
      assert(reports.length >= 1);
      assertEquals(all[0].x, "NEW");
      assertEquals([all[0].d, all[0].D], [100, placed.body.trailingTime]);
      assertEquals(all[0].w, false);
      const trig = all.find((e: AnyJson) => e.x === "NEW" && e.w === true);
      assert(trig && trig.d === 100 && typeof trig.W === "number", JSON.stringify(all));
      assertEquals(all.at(-1).X, "FILLED");
    } finally {
      await ws.close();
    }
  });

  it("TAKE_PROFIT_LIMIT SELL with stopPrice activates at the stop price, then trails the high", async () => {
    const { emu, call } = await start();
    await using _ = emu;
    await driveNow(emu, ["65000.00"]);
    const placed = await call("POST", "/api/v3/order", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "TAKE_PROFIT_LIMIT",
      timeInForce: "GTC",
      quantity: "0.001",
      price: "60000.00",
      stopPrice: "66000.00",
      trailingDelta: "200",
    });
    assertEquals(placed.status, 200, JSON.stringify(placed.body));
    const id = String(placed.body.orderId);
    const status = async () => (await call("GET", "/api/v3/order", { symbol: "BTCUSDT", orderId: id })).body;
    assertEquals((await status()).trailingTime, -1);
    // a 2 % drop before activation is ignored
    await driveNow(emu, ["63000.00", "65990.00"]);
    assertEquals([(await status()).status, (await status()).trailingTime], ["NEW", -1]);
    await driveNow(emu, ["66000.00", "67000.00", "65700.00"]);
    const mid = await status();
    assert(mid.trailingTime > 0);
    assertEquals(mid.status, "NEW");
    await driveNow(emu, ["65660.00"]);
    assertEquals((await status()).status, "FILLED");
  });

  it("a cross-margin trailing STOP_LOSS_LIMIT goes through the same engine", async () => {
    const { emu, call } = await start();
    await using _ = emu;
    await driveNow(emu, ["65000.00"]);
    const placed = await call("POST", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_LOSS_LIMIT",
      timeInForce: "GTC",
      quantity: "0.5",
      price: "63000.00",
      trailingDelta: "50",
    });
    assertEquals(placed.status, 200, JSON.stringify(placed.body));
    assertEquals(emu.account(KEY).margin.cross.BTC.locked, "0.50000000");
    await driveNow(emu, ["65500.00", "65172.50"]);
    const q = await call("GET", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      orderId: String(placed.body.orderId),
    });
    assertEquals(q.body.status, "FILLED", JSON.stringify(q.body));
    assertEquals(emu.account(KEY).margin.cross.BTC.free, "0.50000000");
  });

  it("a cross-margin short: a BUY trailing stop with AUTO_REPAY repays the loan when it fills", async () => {
    const emu = await startEmulator({
      seed: 22,
      paused: true,
      accounts: [{ apiKey: KEY, secretKey: SECRET, marginBalances: { USDT: "20000" } }],
    });
    await using _ = emu;
    const call = signedCaller(emu.restUrl, KEY, SECRET);
    await driveNow(emu, ["65000.00"]);
    const short = await call("POST", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "MARKET",
      quantity: "0.1",
      sideEffectType: "MARGIN_BUY",
    });
    assertEquals(
      [short.status, short.body.marginBuyBorrowAmount],
      [200, "0.10000000"],
      JSON.stringify(short.body),
    );
    const stop = await call("POST", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "STOP_LOSS",
      quantity: "0.1",
      trailingDelta: "100",
      sideEffectType: "AUTO_REPAY",
    });
    assertEquals(stop.status, 200, JSON.stringify(stop.body));
    assertEquals(emu.account(KEY).margin.cross.BTC.borrowed, "0.10000000");
    // the low ratchets down to 64000; +1 % from there fires
    await driveNow(emu, ["64500.00", "64000.00", "64600.00", "64640.00"]);
    const q = await call("GET", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      orderId: String(stop.body.orderId),
    });
    assertEquals(q.body.status, "FILLED", JSON.stringify(q.body));
    assertEquals(emu.account(KEY).margin.cross.BTC, {
      free: "0.00000000",
      locked: "0.00000000",
      borrowed: "0.00000000",
    });
  });

  it("an isolated-margin trailing STOP_LOSS triggers on the shared spot market", async () => {
    const { emu, call } = await start();
    await using _ = emu;
    await driveNow(emu, ["65000.00"]);
    const t = await call("POST", "/sapi/v1/asset/transfer", {
      type: "MARGIN_ISOLATEDMARGIN",
      asset: "BTC",
      amount: "0.2",
      toSymbol: "BTCUSDT",
    });
    assertEquals(t.status, 200, JSON.stringify(t.body));
    const placed = await call("POST", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      isIsolated: "TRUE",
      side: "SELL",
      type: "STOP_LOSS",
      quantity: "0.2",
      trailingDelta: "30",
    });
    assertEquals(placed.status, 200, JSON.stringify(placed.body));
    await driveNow(emu, ["65300.00", "65104.10"]);
    const q = await call("GET", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      isIsolated: "TRUE",
      orderId: String(placed.body.orderId),
    });
    assertEquals(q.body.status, "FILLED", JSON.stringify(q.body));
    assertEquals(emu.account(KEY).margin.BTCUSDT.BTC.free, "0.00000000");
  });

  it("commission rates are zero on spot and futures (the emulator charges none)", async () => {
    const { emu, call } = await start();
    await using _ = emu;
    const spot = await call("GET", "/api/v3/account/commission", { symbol: "BTCUSDT" });
    assertEquals([spot.body.symbol, spot.body.standardCommission.taker], ["BTCUSDT", "0.00000000"]);
    assertEquals((await call("GET", "/api/v3/account/commission", { symbol: "NOPEUSDT" })).body.code, -1121);
    for (const v1 of ["/fapi/v1", "/dapi/v1"]) {
      const sym = v1 === "/fapi/v1" ? "BTCUSDT" : "BTCUSD_PERP";
      const f = await call("GET", `${v1}/commissionRate`, { symbol: sym });
      assertEquals(f.body, { symbol: sym, makerCommissionRate: "0", takerCommissionRate: "0" });
    }
  });

  it("refuses bad trailing parameters with Binance's codes", async () => {
    const { emu, call } = await start();
    await using _ = emu;
    const base = { symbol: "BTCUSDT", side: "SELL", quantity: "0.001" };
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ type: "STOP_LOSS", trailingDelta: "5" }, -1013, "Filter failure: TRAILING_DELTA"],
      [{ type: "STOP_LOSS", trailingDelta: "2001" }, -1013, "Filter failure: TRAILING_DELTA"],
      [{ type: "STOP_LOSS", trailingDelta: "1.5" }, -1100, "trailingDelta"],
      [
        { type: "LIMIT", timeInForce: "GTC", price: "65000.00", trailingDelta: "100" },
        -1106,
        "trailingDelta",
      ],
      [{ type: "STOP_LOSS" }, -1102, "stopPrice"],
    ];
    for (const [p, code, msg] of cases) {
      const r = await call("POST", "/api/v3/order", { ...base, ...p });
      assertEquals(r.body.code, code, JSON.stringify([p, r.body]));
      assert(String(r.body.msg).includes(msg), r.body.msg);
    }
  });
});
