/**
 * Futures venues on the emulator: COIN-M inverse contracts (`/dapi/v1`) share the USD-M engine
 * with their own arithmetic (PnL in the base asset), and both venues serve leverage, margin
 * type, position mode (hedge mode positions), positionRisk, income and funding settlements.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { type AnyJson, getJson } from "./_ws.ts";
import { signedCaller } from "./_sign.ts";

// 07:59:00 UTC: the 08:00 funding settlement is one simulated minute away
const T0 = Date.UTC(2026, 2, 2, 7, 59, 0);

describe("futures venues (COIN-M and USD-M)", () => {
  let emu: Emulator;
  let clock = T0;
  const realNow = Date.now;
  let dapi: ReturnType<typeof signedCaller>;
  let fapi: ReturnType<typeof signedCaller>;
  before(async () => {
    emu = await startEmulator({
      seed: 5,
      paused: true,
      now: () => clock,
      accounts: [{ apiKey: "fk", secretKey: "fs" }, { apiKey: "other", secretKey: "os" }],
    });
    emu.step(5);
    Date.now = () => clock; // signedCaller stamps Date.now(); the emulator's clock is pinned
    dapi = signedCaller(emu.restUrl, "fk", "fs");
    fapi = signedCaller(emu.futuresRestUrl, "fk", "fs");
  });
  after(async () => {
    Date.now = realNow;
    await emu.close();
  });

  it("COIN-M market data: contract size, pair, arrays, weights", async () => {
    const info = (await getJson(`${emu.restUrl}/dapi/v1/exchangeInfo`)).body as AnyJson;
    const btc = info.symbols.find((s: AnyJson) => s.symbol === "BTCUSD_PERP");
    assertEquals([btc.pair, btc.contractSize, btc.marginAsset, btc.contractType], [
      "BTCUSD",
      100,
      "BTC",
      "PERPETUAL",
    ]);
    assertEquals(info.rateLimits[0].limit, 2400);
    const depth = await getJson(`${emu.restUrl}/dapi/v1/depth?symbol=BTCUSD_PERP&limit=5`);
    assertEquals(depth.body.pair, "BTCUSD");
    assertEquals(depth.body.bids.length, 5);
    assertEquals(depth.body.bids[0], emu.book("BTCUSD_PERP", { market: "coinm", limit: 1 }).bids[0]);
    assertEquals((await getJson(`${emu.restUrl}/dapi/v1/depth?symbol=BTCUSD_PERP&limit=7`)).body.code, -1130);
    const t24 = (await getJson(`${emu.restUrl}/dapi/v1/ticker/24hr?symbol=BTCUSD_PERP`)).body;
    assert(Array.isArray(t24) && t24.length === 1, "COIN-M answers arrays for one symbol");
    assert("baseVolume" in t24[0] && !("quoteVolume" in t24[0]));
    const byPair = (await getJson(`${emu.restUrl}/dapi/v1/ticker/price?pair=ETHUSD`)).body;
    assertEquals(byPair.map((x: AnyJson) => [x.symbol, x.ps]), [["ETHUSD_PERP", "ETHUSD"]]);
    const trades = (await getJson(`${emu.restUrl}/dapi/v1/trades?symbol=BTCUSD_PERP&limit=3`)).body;
    for (const tr of trades) {
      // base value of contracts: qty × 100 USD ÷ price
      assertAlmostEquals(Number(tr.baseQty), Number(tr.qty) * 100 / Number(tr.price), 1e-8);
    }
    assertEquals((await getJson(`${emu.restUrl}/dapi/v1/ticker/24hr?symbol=BTCUSDT`)).body.code, -1121);
  });

  it("COIN-M order round trip: inverse PnL lands in the BTC wallet and income", async () => {
    const before = Number(emu.account("fk").coinmBalances.BTC);
    const buy = await dapi("POST", "/dapi/v1/order", {
      symbol: "BTCUSD_PERP",
      side: "BUY",
      type: "MARKET",
      quantity: "10",
    });
    assertEquals(buy.status, 200, JSON.stringify(buy.body));
    assertEquals([buy.body.status, buy.body.pair, buy.body.executedQty], ["FILLED", "BTCUSD", "10"]);
    assertEquals(buy.headers.get("X-MBX-ORDER-COUNT-1M"), "1");
    const risk = (await dapi("GET", "/dapi/v1/positionRisk", { pair: "BTCUSD" })).body;
    assertEquals(risk.length, 1);
    assertEquals(risk[0].positionAmt, "10");
    const entry = Number(risk[0].entryPrice);
    emu.step(20);
    const sell = await dapi("POST", "/dapi/v1/order", {
      symbol: "BTCUSD_PERP",
      side: "SELL",
      type: "MARKET",
      quantity: "10",
    });
    assertEquals(sell.body.status, "FILLED");
    const exit = Number(sell.body.avgPrice);
    const expected = 10 * 100 * (1 / entry - 1 / exit);
    const after = Number(emu.account("fk").coinmBalances.BTC);
    assertAlmostEquals(after - before, expected, 1e-7);
    const trades = (await dapi("GET", "/dapi/v1/userTrades", { symbol: "BTCUSD_PERP" })).body;
    assertEquals(trades.length >= 2, true);
    const pnl = trades.reduce((s: number, x: AnyJson) => s + Number(x.realizedPnl), 0);
    assertAlmostEquals(pnl, expected, 1e-7);
    const income = (await dapi("GET", "/dapi/v1/income", { incomeType: "REALIZED_PNL" })).body;
    assertAlmostEquals(income.reduce((s: number, x: AnyJson) => s + Number(x.income), 0), expected, 1e-7);
    assertEquals(income[0].asset, "BTC");
    const bal = (await dapi("GET", "/dapi/v1/balance", {})).body.find((b: AnyJson) => b.asset === "BTC");
    assertEquals(Number(bal.balance), after);
    // the order is visible in allOrders, unknown ones answer -2013
    const all = (await dapi("GET", "/dapi/v1/allOrders", { symbol: "BTCUSD_PERP" })).body;
    assertEquals(all.map((o: AnyJson) => o.orderId), [buy.body.orderId, sell.body.orderId]);
    assertEquals(
      (await dapi("GET", "/dapi/v1/order", { symbol: "BTCUSD_PERP", orderId: "1" })).body.code,
      -2013,
    );
    // the USD-M engine is a separate account and order sequence
    assertEquals((await fapi("GET", "/fapi/v1/allOrders", { symbol: "BTCUSDT" })).body, []);
  });

  it("COIN-M resting limit order, cancel, margin check", async () => {
    const bid = Number(emu.book("ETHUSD_PERP", { market: "coinm", limit: 1 }).bids[0][0]);
    const price = (bid * 0.9).toFixed(2);
    const o = await dapi("POST", "/dapi/v1/order", {
      symbol: "ETHUSD_PERP",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "5",
      price,
    });
    assertEquals(o.body.status, "NEW");
    assertEquals((await dapi("GET", "/dapi/v1/openOrders", { pair: "ETHUSD" })).body.length, 1);
    const c = await dapi("DELETE", "/dapi/v1/order", {
      symbol: "ETHUSD_PERP",
      orderId: String(o.body.orderId),
    });
    assertEquals(c.body.status, "CANCELED");
    assertEquals(
      (await dapi("DELETE", "/dapi/v1/order", { symbol: "ETHUSD_PERP", orderId: String(o.body.orderId) }))
        .body.code,
      -2011,
    );
    // 10 ETH at 20x carry about 200 ETH of notional: 80 000 contracts of 10 USD at 3500 is 228 ETH
    const big = await dapi("POST", "/dapi/v1/order", {
      symbol: "ETHUSD_PERP",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "80000",
      price,
    });
    assertEquals(big.body.code, -2019);
    const bad = await dapi("POST", "/dapi/v1/order", {
      symbol: "ETHUSD_PERP",
      side: "BUY",
      type: "MARKET",
      quantity: "1.5",
    });
    assertEquals(bad.body.code, -1111);
  });

  for (
    const [venue, path, symbol] of [["COIN-M", "/dapi/v1", "BTCUSD_PERP"], [
      "USD-M",
      "/fapi/v1",
      "BTCUSDT",
    ]] as const
  ) {
    it(`${venue} settings: leverage, marginType, position mode with hedge positions`, async () => {
      const call = venue === "COIN-M" ? dapi : fapi;
      const lev = await call("POST", `${path}/leverage`, { symbol, leverage: "7" });
      assertEquals(lev.body.leverage, 7);
      assertEquals(lev.body.symbol, symbol);
      assertEquals((await call("POST", `${path}/leverage`, { symbol, leverage: "0" })).body.code, -4028);
      assertEquals(
        (await call("POST", `${path}/leverage`, { symbol: "NOPE", leverage: "5" })).body.code,
        -1121,
      );
      assertEquals(
        (await call("POST", `${path}/marginType`, { symbol, marginType: "CROSSED" })).body.code,
        -4046,
      );
      assertEquals((await call("POST", `${path}/marginType`, { symbol, marginType: "ISOLATED" })).body, {
        code: 200,
        msg: "success",
      });
      const riskPath = venue === "COIN-M" ? "/dapi/v1/positionRisk" : "/fapi/v2/positionRisk";
      const risk = (await call("GET", riskPath, { symbol })).body;
      assertEquals([risk[0].leverage, risk[0].marginType], ["7", "isolated"]);
      assertEquals((await call("GET", `${path}/positionSide/dual`, {})).body, { dualSidePosition: false });
      assertEquals(
        (await call("POST", `${path}/positionSide/dual`, { dualSidePosition: "false" })).body.code,
        -4059,
      );
      assertEquals(
        (await call("POST", `${path}/positionSide/dual`, { dualSidePosition: "true" })).status,
        200,
      );
      const qty = venue === "COIN-M" ? "2" : "0.002";
      const order = { symbol, side: "BUY", type: "MARKET", quantity: qty };
      assertEquals((await call("POST", `${path}/order`, order)).body.code, -4061);
      const long = await call("POST", `${path}/order`, { ...order, positionSide: "LONG" });
      assertEquals([long.body.status, long.body.positionSide], ["FILLED", "LONG"]);
      const short = await call("POST", `${path}/order`, { ...order, side: "SELL", positionSide: "SHORT" });
      assertEquals(short.body.status, "FILLED");
      const sides = (await call("GET", riskPath, { symbol })).body.map((
        p: AnyJson,
      ) => [p.positionSide, p.positionAmt]);
      assertEquals(sides, [["LONG", qty], ["SHORT", `-${qty}`]]);
      assertEquals(
        (await call("POST", `${path}/positionSide/dual`, { dualSidePosition: "false" })).body.code,
        -4068,
      );
      // closing more than the LONG position is refused; closing it exactly works
      const close = { ...order, side: "SELL", positionSide: "LONG" };
      assertEquals(
        (await call("POST", `${path}/order`, { ...close, quantity: venue === "COIN-M" ? "3" : "0.003" })).body
          .code,
        -2022,
      );
      assertEquals((await call("POST", `${path}/order`, close)).body.status, "FILLED");
      assertEquals(
        (await call("POST", `${path}/order`, { ...order, positionSide: "SHORT" })).body.status,
        "FILLED",
      );
      assertEquals(
        (await call("POST", `${path}/positionSide/dual`, { dualSidePosition: "false" })).status,
        200,
      );
      const acct = (await call("GET", venue === "COIN-M" ? "/dapi/v1/account" : "/fapi/v2/account", {})).body;
      assert(acct.assets.length > 0 && acct.positions.length > 0);
    });
  }

  it("funding settles at 08:00 UTC: history, FUNDING_FEE income, premiumIndex", async () => {
    const open = await fapi("POST", "/fapi/v1/order", {
      symbol: "ETHUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: "0.5",
    });
    assertEquals(open.body.status, "FILLED");
    const prem = (await getJson(`${emu.restUrl}/fapi/v1/premiumIndex?symbol=ETHUSDT`)).body;
    assertEquals(prem.nextFundingTime, Date.UTC(2026, 2, 2, 8));
    assertEquals((await getJson(`${emu.restUrl}/fapi/v1/fundingRate?symbol=ETHUSDT`)).body, []);
    while (clock < Date.UTC(2026, 2, 2, 8, 0, 5)) {
      clock += 1000;
      emu.step();
    }
    const hist = (await getJson(`${emu.restUrl}/fapi/v1/fundingRate?symbol=ETHUSDT`)).body;
    assertEquals(hist.length, 1);
    assertEquals(hist[0].fundingTime, Date.UTC(2026, 2, 2, 8));
    const fees =
      (await fapi("GET", "/fapi/v1/income", { incomeType: "FUNDING_FEE", symbol: "ETHUSDT" })).body;
    assertEquals(fees.length, 1);
    // a long pays rate × notional at the mark
    assertAlmostEquals(
      Number(fees[0].income),
      -0.5 * Number(hist[0].markPrice) * Number(hist[0].fundingRate),
      1e-8,
    );
    const coin = (await getJson(`${emu.restUrl}/dapi/v1/fundingRate?symbol=BTCUSD_PERP`)).body;
    assertEquals(coin.length, 1);
    const oi = (await getJson(`${emu.restUrl}/fapi/v1/openInterest?symbol=ETHUSDT`)).body;
    assert(Number(oi.openInterest) >= 0.5);
    assertEquals(
      (await getJson(`${emu.restUrl}/dapi/v1/openInterest?symbol=BTCUSD_PERP`)).body.pair,
      "BTCUSD",
    );
  });

  it("COIN-M listenKey is separate from USD-M's", async () => {
    const post = (path: string, method = "POST") =>
      fetch(`${emu.restUrl}${path}`, { method, headers: { "X-MBX-APIKEY": "fk" } }).then((r) => r.json());
    const d = await post("/dapi/v1/listenKey");
    const f = await post("/fapi/v1/listenKey");
    assert(d.listenKey !== f.listenKey);
    assertEquals((await post("/dapi/v1/listenKey", "PUT")).listenKey, d.listenKey);
    assertEquals(await post("/dapi/v1/listenKey", "DELETE"), {});
    assertEquals((await post("/dapi/v1/listenKey", "PUT")).code, -1125);
    assertEquals((await post("/fapi/v1/listenKey", "PUT")).listenKey, f.listenKey);
  });
});
