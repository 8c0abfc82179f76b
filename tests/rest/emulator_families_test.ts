/**
 * Every REST family driven through `BinanceRestClient` against the local emulator: market data
 * (spot, USDⓈ-M, COIN-M, options), spot trading, USD-M and COIN-M futures, cross and isolated
 * margin, and the wallet. Each client selects its venue with an exchange string and points every
 * API family at the emulator with `baseUrl`. The request shapes are covered by
 * families_test.ts; here the responses are real: signatures are verified, errors come back as
 * `BinanceApiError` with Binance's codes, and state changes show in the next call.
 */
import { Decimal } from "decimal.js";
import { after, before, describe, it } from "node:test";
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { readSharedJson } from "../_data.ts";
import { apiError } from "./_api_error.ts";

// deno-lint-ignore no-explicit-any
const V: any = readSharedJson("signing/vectors.json");
const KEY: string = V.hmac_rest.apiKey;
const SECRET: string = V.hmac_rest.secretKey;

// deno-lint-ignore no-explicit-any
type Any = any;

let emu: Emulator;
const c: Record<"spot" | "usdm" | "coinm" | "options" | "margin" | "isolated", BinanceRestClient> =
  {} as never;

before(async () => {
  // thirty seconds of history that ends now: the server clock runs behind until the last step
  let skew = -30_000;
  emu = await startEmulator({
    seed: 21,
    paused: true,
    now: () => Date.now() + skew,
    accounts: [{ apiKey: KEY, secretKey: SECRET }],
  });
  for (; skew < 0; skew += 1000) emu.step();
  const exchanges = {
    spot: "binance.com",
    usdm: "binance.com-futures",
    coinm: "binance.com-coin_futures",
    options: "binance.com-vanilla-options",
    margin: "binance.com-margin",
    isolated: "binance.com-isolated_margin",
  } as const;
  for (const [k, exchange] of Object.entries(exchanges)) {
    c[k as keyof typeof exchanges] = new BinanceRestClient({
      exchange,
      baseUrl: emu.restUrl,
      apiKey: KEY,
      apiSecret: SECRET,
    });
  }
});
after(() => emu.close());

describe("market data on every venue (emulator)", () => {
  it("spot: klines from startTime, uiKlines, average price", async () => {
    const all = await c.spot.getKlines({ symbol: "BTCUSDT", interval: "1s" });
    assert(all.length >= 2);
    const from = Number(all[all.length - 1][0]) - 500;
    // the clock runs on while the emulator is paused: an endTime keeps a new 1s candle out
    const endTime = from + 1000;
    const some = await c.spot.getKlines({ symbol: "BTCUSDT", interval: "1s", startTime: from, endTime });
    assertEquals(some.map((k) => k[0]), [all[all.length - 1][0]]);
    // uiKlines serve the same candles (the emulator has nothing to adjust for presentation)
    const ui = await c.spot.getUiKlines({ symbol: "BTCUSDT", interval: "1s", startTime: from, endTime });
    assertEquals(ui, some);
    assert(Number((await c.spot.getAvgPrice({ symbol: "BTCUSDT" })).price) > 0);
  });

  it("USD-M: mark price, funding history, open interest", async () => {
    const mark = await c.usdm.futuresMarkPrice({ symbol: "BTCUSDT" });
    assertEquals(mark.symbol, "BTCUSDT");
    const book = emu.book("BTCUSDT", { market: "usdm", limit: 1 });
    assertAlmostEquals(Number(mark.markPrice), (Number(book.bids[0][0]) + Number(book.asks[0][0])) / 2, 0.06);
    assertEquals((await c.usdm.futuresMarkPrice()).length, 2);
    assertEquals(await c.usdm.futuresFundingRate({ symbol: "BTCUSDT" }), []);
    assert(Number((await c.usdm.futuresOpenInterest({ symbol: "BTCUSDT" })).openInterest) > 0);
    assertEquals(c.usdm.usage.fapi?.weight["1M"] !== undefined, true);
  });

  it("COIN-M: every market-data call, symbol rules, weight pool", async () => {
    const m = c.coinm;
    assertEquals(await m.futuresCoinPing(), {});
    assert((await m.futuresCoinTime()).serverTime > 0);
    const rules = await m.getSymbolInfo("BTCUSD_PERP") as Any;
    assertEquals([rules.contractSize, rules.marginAsset, rules.pair], [100, "BTC", "BTCUSD"]);
    const depth = await m.futuresCoinOrderBook({ symbol: "BTCUSD_PERP", limit: 5 });
    assertEquals(depth.bids, emu.book("BTCUSD_PERP", { market: "coinm", limit: 5 }).bids);
    assertEquals((await m.futuresCoinRecentTrades({ symbol: "BTCUSD_PERP", limit: 3 })).length, 3);
    assert((await m.futuresCoinAggregateTrades({ symbol: "ETHUSD_PERP", limit: 3 })).length > 0);
    assert((await m.futuresCoinKlines({ symbol: "BTCUSD_PERP", interval: "1m" })).length >= 1);
    const marks = await m.futuresCoinMarkPrice({ pair: "BTCUSD" });
    assertEquals(marks.map((x) => x.symbol), ["BTCUSD_PERP"]);
    const t24 = await m.futuresCoinTicker({ symbol: "ETHUSD_PERP" });
    assertEquals([t24.length, (t24[0] as Any).pair], [1, "ETHUSD"]);
    assertEquals((await m.futuresCoinSymbolTicker()).length, 2);
    const bt = await m.futuresCoinOrderbookTicker({ symbol: "BTCUSD_PERP" });
    assertEquals(bt[0].bidPrice, depth.bids[0][0]);
    assertEquals(await m.futuresCoinFundingRate({ symbol: "BTCUSD_PERP" }), []);
    assertEquals((await m.futuresCoinOpenInterest({ symbol: "BTCUSD_PERP" })).symbol, "BTCUSD_PERP");
    assert((m.usage.dapi?.weight["1M"] ?? 0) > 0);
    // COIN-M weight is its own pool: spot and USD-M counters are untouched by these calls
    await apiError(m.futuresCoinOrderBook({ symbol: "BTCUSD_PERP", limit: 7 as 5 }), -1130);
    await apiError(m.futuresCoinKlines({ symbol: "BTCUSDT", interval: "1m" }), -1121);
  });

  it("options: chain, depth, klines, mark, ticker, index, trades", async () => {
    const o = c.options;
    assertEquals(await o.optionsPing(), {});
    const info = await o.optionsExchangeInfo() as Any;
    const sym: string = info.optionSymbols[0].symbol;
    const rules = await o.getSymbolInfo(sym);
    assertEquals(rules?.symbol, sym);
    const depth = await o.optionsOrderBook({ symbol: sym, limit: 10 });
    assertEquals(depth.bids, emu.book(sym, { market: "options", limit: 10 }).bids);
    assert((await o.optionsKlines({ symbol: sym, interval: "1m" })).length >= 1);
    const mark = (await o.optionsMarkPrice({ symbol: sym }))[0];
    assert(Number(mark.markIV) > 0 && Number(mark.markIV) < 5);
    const tick = (await o.optionsTicker({ symbol: sym }))[0];
    assertEquals(tick.bidPrice, depth.bids[0][0]);
    const idx = await o.optionsIndexPrice({ underlying: "BTCUSDT" }) as Any;
    assert(Number(idx.indexPrice) > 0);
    // an option prints when a random taker hits it: step until this one has (the chain, and so which
    // option is first, depends on the date)
    let trades = await o.optionsRecentTrades({ symbol: sym, limit: 5 });
    for (let i = 0; i < 2000 && trades.length === 0; i++) {
      emu.step();
      if (i % 20 === 19) trades = await o.optionsRecentTrades({ symbol: sym, limit: 5 });
    }
    assert(trades.length > 0 && trades.length <= 5);
    assert((await o.optionsTime()).serverTime > 0);
    await apiError(o.optionsMarkPrice({ symbol: "BTC-000000-1-C" }), -1121);
  });
});

describe("trading families (emulator)", () => {
  it("spot: order lifecycle, balances, order-count usage, error mapping", async () => {
    const s = c.spot;
    const bid = Number(emu.book("ETHUSDT", { limit: 1 }).bids[0][0]);
    const o = await s.createOrder({
      symbol: "ETHUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.01",
      price: (bid * 0.9).toFixed(2),
    });
    assertEquals(o.status, "NEW");
    assertEquals(s.usage.api?.orderCount["10S"], 1);
    assertEquals((await s.getOpenOrders({ symbol: "ETHUSDT" })).map((x) => x.orderId), [o.orderId]);
    const usdt = (await s.getAccount()).balances.find((b) => b.asset === "USDT")!;
    // exact decimals: a float product of the price and 0.01 may round differently (31.4995)
    assertEquals(
      new Decimal(usdt.locked).toString(),
      new Decimal((bid * 0.9).toFixed(2)).times("0.01").toString(),
    );
    assertEquals((await s.cancelOrder({ symbol: "ETHUSDT", orderId: o.orderId })).status, "CANCELED");
    const mkt = await s.createOrder({ symbol: "ETHUSDT", side: "SELL", type: "MARKET", quantity: "0.1" });
    assertEquals(mkt.status, "FILLED");
    const trades = await s.getMyTrades({ symbol: "ETHUSDT" });
    assertEquals(trades.every((t) => t.orderId === mkt.orderId), true);
    assertEquals(emu.account(KEY).balances.ETH.free, "9.90000000");
    await apiError(
      s.createOrder({ symbol: "ETHUSDT", side: "BUY", type: "MARKET", quantity: "100000" }),
      -2010,
    );
    await apiError(s.getOrder({ symbol: "ETHUSDT", orderId: 1 }), -2013);
  });

  it("USD-M: leverage, position mode, order, position, income, balance, listenKey", async () => {
    const f = c.usdm;
    assertEquals((await f.futuresChangeLeverage({ symbol: "ETHUSDT", leverage: 10 })).leverage, 10);
    assertEquals(await f.futuresGetPositionMode(), { dualSidePosition: false });
    await apiError(f.futuresChangePositionMode({ dualSidePosition: false }), -4059);
    await apiError(f.futuresChangeMarginType({ symbol: "ETHUSDT", marginType: "CROSSED" }), -4046);
    const open = await f.futuresCreateOrder({
      symbol: "ETHUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: "0.1",
    });
    assertEquals(open.status, "FILLED");
    assertEquals(f.usage.fapi?.orderCount["1M"], 1);
    const pos = (await f.futuresPositionInformation({ symbol: "ETHUSDT" }))[0];
    assertEquals([pos.positionAmt, pos.leverage], ["0.100", "10"]);
    emu.step(20);
    const close = await f.futuresCreateOrder({
      symbol: "ETHUSDT",
      side: "SELL",
      type: "MARKET",
      quantity: "0.1",
      reduceOnly: true,
    });
    const fills = (await f.futuresAccountTrades({ symbol: "ETHUSDT" })).filter((t) =>
      t.orderId === close.orderId
    );
    const pnl = fills.reduce((x, t) => x + (Number(t.price) - Number(pos.entryPrice)) * Number(t.qty), 0);
    const income = await f.futuresIncomeHistory({ incomeType: "REALIZED_PNL" });
    assertAlmostEquals(income.reduce((x, i) => x + Number(i.income), 0), pnl, 1e-8);
    const bal = (await f.futuresAccountBalance()).find((b) => b.asset === "USDT")!;
    assertAlmostEquals(Number(bal.balance), 10000 + pnl, 1e-8);
    const key = await f.futuresStreamGetListenKey();
    await f.futuresStreamKeepalive();
    await f.futuresStreamClose();
    assertEquals(key.length, 64);
    await apiError(f.futuresStreamKeepalive(), -1125);
    await apiError(
      f.futuresCreateOrder({
        symbol: "ETHUSDT",
        side: "SELL",
        type: "MARKET",
        quantity: "0.1",
        reduceOnly: true,
      }),
      -2022,
    );
  });

  it("COIN-M: order lifecycle on the inverse engine, position, income, balance", async () => {
    const f = c.coinm;
    const bid = Number(emu.book("BTCUSD_PERP", { market: "coinm", limit: 1 }).bids[0][0]);
    const rest = await f.futuresCoinCreateOrder({
      symbol: "BTCUSD_PERP",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "3",
      price: (bid * 0.95).toFixed(1),
    });
    assertEquals([rest.status, (rest as Any).pair], ["NEW", "BTCUSD"]);
    assertEquals((await f.futuresCoinGetOpenOrders({ symbol: "BTCUSD_PERP" })).length, 1);
    assertEquals(
      (await f.futuresCoinGetOrder({ symbol: "BTCUSD_PERP", orderId: rest.orderId })).status,
      "NEW",
    );
    assertEquals(
      (await f.futuresCoinCancelOrder({ symbol: "BTCUSD_PERP", orderId: rest.orderId })).status,
      "CANCELED",
    );
    const buy = await f.futuresCoinCreateOrder({
      symbol: "BTCUSD_PERP",
      side: "BUY",
      type: "MARKET",
      quantity: "20",
    });
    const pos = (await f.futuresCoinPositionInformation({ pair: "BTCUSD" }))[0];
    assertEquals(pos.positionAmt, "20");
    emu.step(20);
    const sell = await f.futuresCoinCreateOrder({
      symbol: "BTCUSD_PERP",
      side: "SELL",
      type: "MARKET",
      quantity: "20",
    });
    const pnl = 20 * 100 * (1 / Number(pos.entryPrice) - 1 / Number(sell.avgPrice));
    const income = await f.futuresCoinIncomeHistory({ incomeType: "REALIZED_PNL" });
    assertAlmostEquals(income.reduce((x, i) => x + Number(i.income), 0), pnl, 1e-7);
    const btc = (await f.futuresCoinAccountBalance()).find((b) => b.asset === "BTC")!;
    assertAlmostEquals(Number(btc.balance), 1 + pnl, 1e-7);
    const all = await f.futuresCoinGetAllOrders({ symbol: "BTCUSD_PERP" });
    assertEquals(all.map((o) => o.orderId), [rest.orderId, buy.orderId, sell.orderId]);
    assertEquals((await f.futuresCoinAccountTrades({ symbol: "BTCUSD_PERP" })).length >= 2, true);
    assertEquals((await f.futuresCoinAccount()).assets.length, 2);
    assertEquals(
      (await f.futuresCoinChangeLeverage({ symbol: "BTCUSD_PERP", leverage: 5 })).maxQty !== undefined,
      true,
    );
    await apiError(f.futuresCoinChangeMarginType({ symbol: "BTCUSD_PERP", marginType: "CROSSED" }), -4046);
    assertEquals(await f.futuresCoinGetPositionMode(), { dualSidePosition: false });
    await apiError(
      f.futuresCoinCreateOrder({ symbol: "BTCUSD_PERP", side: "BUY", type: "MARKET", quantity: "100000" }),
      -2019,
    );
    assert((await f.futuresCoinStreamGetListenKey()).length === 64);
  });
});

describe("margin and wallet (emulator)", () => {
  it("cross margin: transfer in, borrow, sell on the spot book, repay, history, transfer out", async () => {
    const m = c.margin;
    await m.transferSpotToMargin({ asset: "USDT", amount: "2000" });
    const acct = await m.getMarginAccount();
    assertEquals(acct.userAssets.find((a) => a.asset === "USDT")!.free, "2000.00000000");
    const max = await m.getMaxMarginLoan({ asset: "ETH" });
    assert(Number(max.amount) > 1);
    await m.createMarginLoan({ asset: "ETH", amount: "1" });
    const sell = await m.createMarginOrder({
      symbol: "ETHUSDT",
      side: "SELL",
      type: "MARKET",
      quantity: "1",
    });
    assertEquals(sell.status, "FILLED");
    assertEquals((await m.getMarginOrder({ symbol: "ETHUSDT", orderId: sell.orderId })).status, "FILLED");
    assertEquals(
      (await m.getMarginTrades({ symbol: "ETHUSDT" })).every((t) => t.orderId === sell.orderId),
      true,
    );
    await apiError(m.repayMarginLoan({ asset: "ETH", amount: "2" }), -3015);
    const buy = await m.createMarginOrder({
      symbol: "ETHUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: "1",
      sideEffectType: "AUTO_REPAY",
    });
    assertEquals(buy.status, "FILLED");
    const after = await m.getMarginAccount();
    assertEquals(after.userAssets.find((a) => a.asset === "ETH")!.borrowed, "0.00000000");
    const hist = await m.getMarginBorrowRepayHistory({ type: "REPAY" }) as Any;
    assertEquals(hist.rows[0].amount, "1.00000000");
    assertEquals((await m.getAllMarginOrders({ symbol: "ETHUSDT" })).map((o) => o.orderId), [
      sell.orderId,
      buy.orderId,
    ]);
    const usdt = Number(after.userAssets.find((a) => a.asset === "USDT")!.free);
    await m.transferMarginToSpot({ asset: "USDT", amount: usdt.toFixed(8) });
    assertEquals((await m.getMarginAccount()).userAssets.find((a) => a.asset === "USDT")!.free, "0.00000000");
  });

  it("isolated margin: universal transfer in, order, account, listen token", async () => {
    const m = c.isolated;
    await m.transferSpotToMargin({ asset: "USDT", amount: "500" });
    await m.universalTransfer({
      type: "MARGIN_ISOLATEDMARGIN",
      asset: "USDT",
      amount: "500",
      toSymbol: "BTCUSDT",
    });
    const bid = Number(emu.book("BTCUSDT", { limit: 1 }).bids[0][0]);
    const o = await m.createMarginOrder({
      symbol: "BTCUSDT",
      isIsolated: "TRUE",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.002",
      price: (bid * 0.9).toFixed(2),
    });
    assertEquals((o as Any).isIsolated, true);
    const open = await m.getOpenMarginOrders({ symbol: "BTCUSDT", isIsolated: "TRUE" });
    assertEquals(open.map((x) => x.orderId), [o.orderId]);
    assertEquals(await m.getOpenMarginOrders({ symbol: "BTCUSDT" }), []);
    const iso = await m.getIsolatedMarginAccount({ symbols: "BTCUSDT" }) as Any;
    assert(Number(iso.assets[0].quoteAsset.locked) > 0);
    await m.cancelMarginOrder({ symbol: "BTCUSDT", isIsolated: "TRUE", orderId: o.orderId });
    const token = await m.createMarginListenToken({ isIsolated: "TRUE", symbol: "BTCUSDT" });
    assert(token.token.length > 0 && token.expirationTime > Date.now());
  });

  it("wallet: status, coins, addresses, deposits, withdrawals, transfers, snapshots", async () => {
    const w = c.spot;
    assertEquals(await w.getSystemStatus(), { status: 0, msg: "normal" });
    assertEquals((await w.getAccountStatus()).data, "Normal");
    const coins = await w.getAllCoinsInfo();
    assert(coins.some((x) => x.coin === "BNB" && x.networkList.length === 1));
    const addr = await w.getDepositAddress({ coin: "BTC" });
    assert(addr.address.startsWith("bc1q"));
    emu.transfer(KEY, { asset: "BNB", delta: "3" });
    const deps = await w.getDepositHistory({ coin: "BNB" });
    assertEquals(deps.map((d) => [d.amount, d.status]), [["3.00000000", 1]]);
    const wd = await w.withdraw({ coin: "BNB", network: "BSC", address: "0xabc", amount: "1" });
    assertEquals((await w.getWithdrawHistory({ coin: "BNB" })).map((x) => x.id), [wd.id]);
    assertEquals(emu.account(KEY).balances.BNB.free, "102.00000000");
    await apiError(w.withdraw({ coin: "BNB", network: "TRX", address: "T", amount: "1" }), -4018);
    assertEquals(Object.keys(await w.getAssetDetails({ asset: "ETH" })), ["ETH"]);
    assertEquals((await w.getTradeFee({ symbol: "BNBBTC" }))[0].makerCommission, "0");
    const before = (await c.usdm.futuresAccountBalance()).find((b) => b.asset === "USDT")!.balance;
    const tr = await w.universalTransfer({ type: "MAIN_UMFUTURE", asset: "USDT", amount: "25" });
    const afterBal = (await c.usdm.futuresAccountBalance()).find((b) => b.asset === "USDT")!.balance;
    assertAlmostEquals(Number(afterBal) - Number(before), 25, 1e-8);
    const hist = await w.queryUniversalTransferHistory({ type: "MAIN_UMFUTURE" });
    assertEquals(hist.rows?.[0].tranId, tr.tranId);
    await apiError(w.universalTransfer({ type: "MAIN_UMFUTURE", asset: "USDT", amount: "99999999" }), -5013);
    const snap = await w.getAccountSnapshot({ type: "SPOT" }) as Any;
    assertEquals([snap.code, snap.snapshotVos.length], [200, 1]);
    assert((w.usage.sapi?.weight["IP-1M"] ?? 0) > 0);
  });
});
