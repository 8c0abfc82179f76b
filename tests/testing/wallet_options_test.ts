/**
 * Wallet (`/sapi/v1` system status, coins, deposit address, deposit and withdraw history,
 * withdraw, asset detail, trade fee, account snapshots) and options market data (`/eapi/v1`)
 * on the emulator.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertAlmostEquals, assertEquals, assertMatch } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { bsPrice, impliedVol } from "../../src/testing/emulator/options_chain.ts";
import { type AnyJson, getJson } from "./_ws.ts";
import { signedCaller } from "./_sign.ts";

// 23:59:00 UTC: the simulator passes midnight during the test and takes a daily snapshot
const T0 = Date.UTC(2026, 4, 6, 23, 59, 0);

describe("wallet and options", () => {
  let emu: Emulator;
  let clock = T0;
  const realNow = Date.now;
  let call: ReturnType<typeof signedCaller>;
  before(async () => {
    emu = await startEmulator({
      seed: 4,
      paused: true,
      now: () => clock,
      accounts: [{ apiKey: "wk", secretKey: "ws" }],
    });
    Date.now = () => clock;
    emu.step(10);
    call = signedCaller(emu.restUrl, "wk", "ws");
  });
  after(async () => {
    Date.now = realNow;
    await emu.close();
  });

  it("status, coins with networks, deterministic deposit addresses", async () => {
    assertEquals((await getJson(`${emu.restUrl}/sapi/v1/system/status`)).body, { status: 0, msg: "normal" });
    assertEquals((await call("GET", "/sapi/v1/account/status", {})).body, { data: "Normal" });
    const coins = (await call("GET", "/sapi/v1/capital/config/getall", {})).body;
    const usdt = coins.find((c: AnyJson) => c.coin === "USDT");
    assertEquals(usdt.free, "10000.00000000");
    assertEquals(usdt.networkList.map((n: AnyJson) => n.network), ["ETH", "TRX", "BSC"]);
    const a = (await call("GET", "/sapi/v1/capital/deposit/address", { coin: "USDT", network: "TRX" })).body;
    assertMatch(a.address, /^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    assertEquals(
      (await call("GET", "/sapi/v1/capital/deposit/address", { coin: "USDT", network: "TRX" })).body.address,
      a.address,
    );
    const eth = (await call("GET", "/sapi/v1/capital/deposit/address", { coin: "ETH" })).body;
    assertMatch(eth.address, /^0x[0-9a-f]{40}$/);
    assertEquals(
      (await call("GET", "/sapi/v1/capital/deposit/address", { coin: "BTC", network: "TRX" })).body.code,
      -4018,
    );
    assertEquals((await call("GET", "/sapi/v1/capital/deposit/address", {})).body.code, -1102);
    const detail = (await call("GET", "/sapi/v1/asset/assetDetail", { asset: "BTC" })).body;
    assertEquals(detail.BTC.minWithdrawAmount, "0.0001");
    const fee = (await call("GET", "/sapi/v1/asset/tradeFee", { symbol: "BTCUSDT" })).body;
    assertEquals(fee, [{ symbol: "BTCUSDT", makerCommission: "0", takerCommission: "0" }]);
  });

  it("deposits and withdrawals land in the histories and the balances", async () => {
    emu.transfer("wk", { asset: "ETH", delta: "2.5" });
    const dep = (await call("GET", "/sapi/v1/capital/deposit/hisrec", { coin: "ETH" })).body;
    assertEquals(dep.length, 1);
    assertEquals([dep[0].amount, dep[0].status, dep[0].network], ["2.50000000", 1, "ETH"]);
    const w = await call("POST", "/sapi/v1/capital/withdraw/apply", {
      coin: "USDT",
      network: "TRX",
      address: "TXYZ",
      amount: "100",
      withdrawOrderId: "mine1",
    });
    assertEquals(w.status, 200, JSON.stringify(w.body));
    assertEquals(emu.account("wk").balances.USDT.free, "9900.00000000");
    const hist = (await call("GET", "/sapi/v1/capital/withdraw/history", { withdrawOrderId: "mine1" })).body;
    assertEquals(hist.length, 1);
    // the fee (1 USDT on TRX) comes out of the amount
    assertEquals([hist[0].id, hist[0].amount, hist[0].transactionFee, hist[0].status], [
      w.body.id,
      "99.00000000",
      "1.00000000",
      6,
    ]);
    assertEquals(
      (await call("POST", "/sapi/v1/capital/withdraw/apply", {
        coin: "USDT",
        network: "TRX",
        address: "T",
        amount: "99999",
      }))
        .body.code,
      -4026,
    );
    assertEquals(
      (await call("POST", "/sapi/v1/capital/withdraw/apply", {
        coin: "USDT",
        network: "TRX",
        address: "T",
        amount: "5",
      }))
        .body.code,
      -4022,
    );
    assertEquals(emu.account("wk").balances.USDT.free, "9900.00000000");
  });

  it("account snapshots: the start-of-run close, then one per UTC midnight", async () => {
    const first = (await call("GET", "/sapi/v1/accountSnapshot", { type: "SPOT" })).body;
    assertEquals(first.code, 200);
    assertEquals(first.snapshotVos.length, 1);
    assertEquals(first.snapshotVos[0].updateTime, Date.UTC(2026, 4, 6) - 1);
    while (clock < Date.UTC(2026, 4, 7, 0, 0, 2)) {
      clock += 1000;
      emu.step();
    }
    const snaps = (await call("GET", "/sapi/v1/accountSnapshot", { type: "SPOT" })).body.snapshotVos;
    assertEquals(snaps.map((s: AnyJson) => s.updateTime), [
      Date.UTC(2026, 4, 6) - 1,
      Date.UTC(2026, 4, 7) - 1,
    ]);
    const usdt = snaps[1].data.balances.find((b: AnyJson) => b.asset === "USDT");
    assertEquals(usdt.free, "9900.00000000");
    assert(Number(snaps[1].data.totalAssetOfBtc) > 1);
    const fut = (await call("GET", "/sapi/v1/accountSnapshot", { type: "FUTURES" })).body.snapshotVos;
    assertEquals(fut[0].data.assets[0].walletBalance, "10000.00000000");
    const mar = (await call("GET", "/sapi/v1/accountSnapshot", { type: "MARGIN" })).body.snapshotVos;
    assertEquals(mar[0].type, "margin");
    assertEquals((await call("GET", "/sapi/v1/accountSnapshot", { type: "SAVINGS" })).body.code, -1130);
  });

  it("options: listed chain, depth, klines, mark with IV and Greeks, ticker, index", async () => {
    const info = (await getJson(`${emu.restUrl}/eapi/v1/exchangeInfo`)).body;
    assertEquals(info.optionContracts.map((c: AnyJson) => c.underlying), ["BTCUSDT", "ETHUSDT"]);
    assertEquals(info.optionSymbols.length, 40);
    const call0 = info.optionSymbols.find((o: AnyJson) => o.side === "CALL" && o.underlying === "BTCUSDT");
    assertMatch(call0.symbol, /^BTC-\d{6}-\d+-C$/);
    // expiries are Fridays 08:00 UTC
    assertEquals(new Date(call0.expiryDate).getUTCDay(), 5);
    assertEquals(new Date(call0.expiryDate).getUTCHours(), 8);
    const sym = call0.symbol;
    const depth = (await getJson(`${emu.restUrl}/eapi/v1/depth?symbol=${sym}&limit=10`)).body;
    assertEquals(depth.bids.length, 10);
    assertEquals(depth.bids[0], emu.book(sym, { market: "options", limit: 1 }).bids[0]);
    assertEquals((await getJson(`${emu.restUrl}/eapi/v1/depth?symbol=${sym}&limit=7`)).body.code, -1130);
    const idx = (await getJson(`${emu.restUrl}/eapi/v1/index?underlying=BTCUSDT`)).body;
    const book = emu.book("BTCUSDT", { limit: 1 });
    assertAlmostEquals(Number(idx.indexPrice), (Number(book.bids[0][0]) + Number(book.asks[0][0])) / 2, 0.01);
    const mark = (await getJson(`${emu.restUrl}/eapi/v1/mark?symbol=${sym}`)).body[0];
    // the mark IV reprices the mark through Black-Scholes
    const t = (call0.expiryDate - clock) / (365 * 86_400_000);
    const s = Number(idx.indexPrice);
    const k = Number(call0.strikePrice);
    assertAlmostEquals(bsPrice("CALL", s, k, t, Number(mark.markIV)), Number(mark.markPrice), 0.06);
    assertAlmostEquals(impliedVol("CALL", s, k, t, Number(mark.markPrice)), Number(mark.markIV), 1e-6);
    assert(Number(mark.delta) > 0 && Number(mark.delta) < 1);
    const put = (await getJson(`${emu.restUrl}/eapi/v1/mark?symbol=${sym.replace(/C$/, "P")}`)).body[0];
    assert(Number(put.delta) < 0 && Number(put.delta) > -1);
    const kl = (await getJson(`${emu.restUrl}/eapi/v1/klines?symbol=${sym}&interval=1m`)).body;
    assert(kl.length >= 1 && "tradeCount" in kl[0] && "amount" in kl[0]);
    const tick = (await getJson(`${emu.restUrl}/eapi/v1/ticker?symbol=${sym}`)).body[0];
    assertEquals([tick.strikePrice, tick.bidPrice], [call0.strikePrice, depth.bids[0][0]]);
    assertEquals((await getJson(`${emu.restUrl}/eapi/v1/mark`)).body.length, 40);
    assertEquals((await getJson(`${emu.restUrl}/eapi/v1/ticker?symbol=BTCUSDT`)).body.code, -1121);
    assertEquals((await getJson(`${emu.restUrl}/eapi/v1/index`)).body.code, -1102);
    assertEquals((await getJson(`${emu.restUrl}/eapi/v1/time`)).body.serverTime, clock);
  });
});
