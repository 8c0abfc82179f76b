/**
 * Margin on the emulator: universal transfers between wallets, cross and isolated borrow/repay
 * within the leverage limit, margin orders matched against the spot books with balances kept
 * apart from spot, side effects (MARGIN_BUY, AUTO_REPAY), and margin events on a listen token.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { type AnyJson, connect } from "./_ws.ts";
import { signedCaller } from "./_sign.ts";

describe("margin (cross and isolated)", () => {
  let emu: Emulator;
  let call: ReturnType<typeof signedCaller>;
  before(async () => {
    emu = await startEmulator({ seed: 9, paused: true, accounts: [{ apiKey: "mk", secretKey: "ms" }] });
    emu.step(10);
    call = signedCaller(emu.restUrl, "mk", "ms");
  });
  after(() => emu.close());

  it("universal transfer moves balances between spot, margin and futures", async () => {
    const r = await call("POST", "/sapi/v1/asset/transfer", {
      type: "MAIN_MARGIN",
      asset: "USDT",
      amount: "3000",
    });
    assertEquals(r.status, 200, JSON.stringify(r.body));
    assert(typeof r.body.tranId === "number");
    // transfers count per account (UID), account reads per IP
    assertEquals(r.headers.get("X-SAPI-USED-UID-WEIGHT-1M"), "900");
    assertEquals(emu.account("mk").balances.USDT.free, "7000.00000000");
    assertEquals(emu.account("mk").margin.cross.USDT.free, "3000.00000000");
    const read = await call("GET", "/sapi/v1/margin/account", {});
    assertEquals(read.headers.get("X-SAPI-USED-IP-WEIGHT-1M"), "10");
    const acct = read.body;
    assertEquals(acct.userAssets.find((a: AnyJson) => a.asset === "USDT").free, "3000.00000000");
    assertEquals(acct.totalLiabilityOfBtc, "0.00000000");
    // USD-M and back
    await call("POST", "/sapi/v1/asset/transfer", { type: "MAIN_UMFUTURE", asset: "USDT", amount: "500" });
    const fut = signedCaller(emu.futuresRestUrl, "mk", "ms");
    const bal = (await fut("GET", "/fapi/v2/balance", {})).body.find((b: AnyJson) => b.asset === "USDT");
    assertEquals(bal.balance, "10500.00000000");
    const inc = (await fut("GET", "/fapi/v1/income", { incomeType: "TRANSFER" })).body;
    assertEquals(inc.map((x: AnyJson) => x.income), ["500.00000000"]);
    const hist = (await call("GET", "/sapi/v1/asset/transfer", { type: "MAIN_MARGIN" })).body;
    assertEquals([hist.total, hist.rows[0].amount, hist.rows[0].status], [1, "3000.00000000", "CONFIRMED"]);
    // failures
    assertEquals(
      (await call("POST", "/sapi/v1/asset/transfer", {
        type: "MAIN_MARGIN",
        asset: "USDT",
        amount: "999999",
      })).body
        .code,
      -5013,
    );
    assertEquals(
      (await call("POST", "/sapi/v1/asset/transfer", { type: "MAIN_MOON", asset: "USDT", amount: "1" })).body
        .code,
      -1130,
    );
    assertEquals(
      (await call("POST", "/sapi/v1/asset/transfer", { type: "MAIN_MARGIN", asset: "USDT" })).body.code,
      -1102,
    );
    assertEquals(emu.account("mk").balances.USDT.free, "6500.00000000");
  });

  it("cross borrow within 3x, margin SELL against the spot book, AUTO_REPAY buy-back", async () => {
    const max = (await call("GET", "/sapi/v1/margin/maxBorrowable", { asset: "BTC" })).body;
    // 3000 USDT net at 3x: up to 6000 USDT of liabilities
    const px = Number(emu.book("BTCUSDT", { limit: 1 }).bids[0][0]);
    assertAlmostEquals(Number(max.amount) * px, 6000, 1);
    const over = await call("POST", "/sapi/v1/margin/borrow-repay", {
      asset: "BTC",
      amount: (Number(max.amount) + 0.001).toFixed(8),
      type: "BORROW",
    });
    assertEquals(over.body.code, -3006);
    const b = await call("POST", "/sapi/v1/margin/borrow-repay", {
      asset: "BTC",
      amount: "0.02",
      type: "BORROW",
    });
    assertEquals(b.status, 200, JSON.stringify(b.body));
    const loans = (await call("GET", "/sapi/v1/margin/borrow-repay", { type: "BORROW" })).body;
    assertEquals([loans.total, loans.rows[0].txId, loans.rows[0].amount], [1, b.body.tranId, "0.02000000"]);
    const spotBtc = emu.account("mk").balances.BTC.free;
    const bestBid = emu.book("BTCUSDT", { limit: 1 }).bids[0];
    const sell = await call("POST", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "MARKET",
      quantity: "0.02",
    });
    assertEquals(sell.status, 200, JSON.stringify(sell.body));
    assertEquals([sell.body.status, sell.body.isIsolated], ["FILLED", false]);
    // the spot book gave the liquidity; the spot wallet did not move
    assert(Number(sell.body.fills[0].price) === Number(bestBid[0]));
    assertEquals(emu.account("mk").balances.BTC.free, spotBtc);
    const m = emu.account("mk").margin.cross;
    assertEquals([m.BTC.free, m.BTC.borrowed], ["0.00000000", "0.02000000"]);
    assertAlmostEquals(Number(m.USDT.free), 3000 + Number(sell.body.cummulativeQuoteQty), 1e-8);
    assertEquals(
      (await call("POST", "/sapi/v1/margin/borrow-repay", { asset: "BTC", amount: "0.03", type: "REPAY" }))
        .body.code,
      -3015,
    );
    assertEquals(
      (await call("POST", "/sapi/v1/margin/borrow-repay", { asset: "BTC", amount: "0.01", type: "REPAY" }))
        .body.code,
      -3041,
    );
    const buy = await call("POST", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: "0.02",
      sideEffectType: "AUTO_REPAY",
    });
    assertEquals(buy.body.status, "FILLED");
    assertEquals(emu.account("mk").margin.cross.BTC.borrowed, "0.00000000");
    const trades = (await call("GET", "/sapi/v1/margin/myTrades", { symbol: "BTCUSDT" })).body;
    assertEquals([...new Set(trades.map((x: AnyJson) => x.orderId))], [sell.body.orderId, buy.body.orderId]);
    const repays = (await call("GET", "/sapi/v1/margin/borrow-repay", { type: "REPAY" })).body;
    assertEquals(repays.rows[0].amount, "0.02000000");
    // the order is not visible to spot queries
    const spot = await call("GET", "/api/v3/order", {
      symbol: "BTCUSDT",
      orderId: String(sell.body.orderId),
    });
    assertEquals(spot.body.code, -2013);
  });

  it("resting margin order: open, query, cancel; errors", async () => {
    const bid = Number(emu.book("BTCUSDT", { limit: 1 }).bids[0][0]);
    const o = await call("POST", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.001",
      price: (bid * 0.95).toFixed(2),
    });
    assertEquals(o.body.status, "NEW");
    assertEquals((await call("GET", "/sapi/v1/margin/openOrders", { symbol: "BTCUSDT" })).body.length, 1);
    const q = await call("GET", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      orderId: String(o.body.orderId),
    });
    assertEquals([q.body.status, q.body.isIsolated], ["NEW", false]);
    assert(Number(emu.account("mk").margin.cross.USDT.locked) > 0);
    const c = await call("DELETE", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      orderId: String(o.body.orderId),
    });
    assertEquals(c.body.status, "CANCELED");
    assertEquals(emu.account("mk").margin.cross.USDT.locked, "0.00000000");
    const all = (await call("GET", "/sapi/v1/margin/allOrders", { symbol: "BTCUSDT" })).body;
    assertEquals(all.length, 3);
    const big = await call("POST", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "1",
      price: (bid * 0.95).toFixed(2),
    });
    assertEquals(big.body.code, -2010);
    assertEquals((await call("GET", "/sapi/v1/margin/allOrders", {})).body.code, -1102);
    assertEquals(
      (await call("POST", "/sapi/v1/margin/order", { symbol: "NOPE", side: "BUY" })).body.code,
      -1121,
    );
    assertEquals(
      (await call("POST", "/sapi/v1/margin/order", {
        symbol: "BTCUSDT",
        side: "BUY",
        type: "MARKET",
        quantity: "0.001",
        sideEffectType: "X",
      }))
        .body.code,
      -1130,
    );
  });

  it("isolated: transfer in, MARGIN_BUY borrows the shortfall, accounts stay apart, listen token events", async () => {
    const t = await call("POST", "/sapi/v1/asset/transfer", {
      type: "MARGIN_ISOLATEDMARGIN",
      asset: "USDT",
      amount: "100",
      toSymbol: "BTCUSDT",
    });
    assertEquals(t.status, 200, JSON.stringify(t.body));
    const bad = await call("POST", "/sapi/v1/asset/transfer", {
      type: "MARGIN_ISOLATEDMARGIN",
      asset: "ETH",
      amount: "1",
      toSymbol: "BTCUSDT",
    });
    assertEquals(bad.body.code, -11001);
    const tok = await call("POST", "/sapi/v1/userListenToken", { isIsolated: "TRUE", symbol: "BTCUSDT" });
    assertEquals(tok.status, 200);
    const ws = await connect(emu.wsApiUrl);
    try {
      ws.send({
        id: 1,
        method: "userDataStream.subscribe.listenToken",
        params: { listenToken: tok.body.token },
      });
      await ws.waitFor((f) => f.includes('"id":1'));
      const ask = Number(emu.book("BTCUSDT", { limit: 1 }).asks[0][0]);
      const o = await call("POST", "/sapi/v1/margin/order", {
        symbol: "BTCUSDT",
        isIsolated: "TRUE",
        side: "BUY",
        type: "LIMIT",
        timeInForce: "GTC",
        quantity: "0.004",
        price: (ask * 1.01).toFixed(2),
        sideEffectType: "MARGIN_BUY",
      });
      assertEquals(o.status, 200, JSON.stringify(o.body));
      assertEquals([o.body.isIsolated, o.body.marginBuyBorrowAsset], [true, "USDT"]);
      const need = 0.004 * Number((ask * 1.01).toFixed(2));
      assertAlmostEquals(Number(o.body.marginBuyBorrowAmount), need - 100, 1e-6);
      const iso = (await call("GET", "/sapi/v1/margin/isolated/account", { symbols: "BTCUSDT" })).body;
      assertEquals(iso.assets[0].symbol, "BTCUSDT");
      assertEquals(iso.assets[0].baseAsset.free, "0.00400000");
      assertEquals(iso.assets[0].quoteAsset.borrowed, o.body.marginBuyBorrowAmount);
      // the cross account does not see the isolated order
      assertEquals(
        (await call("GET", "/sapi/v1/margin/order", { symbol: "BTCUSDT", orderId: String(o.body.orderId) }))
          .body.code,
        -2013,
      );
      const q = await call("GET", "/sapi/v1/margin/order", {
        symbol: "BTCUSDT",
        isIsolated: "TRUE",
        orderId: String(o.body.orderId),
      });
      assertEquals([q.body.status, q.body.isIsolated], ["FILLED", true]);
      await ws.waitFor((f) => f.includes('"executionReport"') && f.includes(String(o.body.orderId)));
      const ev = ws.frames.map((f) => JSON.parse(f)).find((f: AnyJson) =>
        f.event?.e === "executionReport" && f.event.X === "FILLED"
      );
      assertEquals(ev.event.i, o.body.orderId);
    } finally {
      await ws.close();
    }
  });
});
