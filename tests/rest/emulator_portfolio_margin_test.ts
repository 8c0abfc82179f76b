/**
 * Portfolio margin (`/papi`) through `BinanceRestClient` on `binance.com-portfolio_margin`
 * against the emulator: UM and CM order lifecycles on the simulated books, reconciliation by
 * client id, the unified balance and account after a fill, cross-margin loans and repayment,
 * Binance's error codes, the `/papi` weight pool, and the venue gate.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals, assertRejects } from "@std/assert";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { apiError } from "./_api_error.ts";

const ACCOUNT = { apiKey: "pmKey1", secretKey: "pmSecret1" };

let emu: Emulator;
let pm: BinanceRestClient;

before(async () => {
  emu = await startEmulator({
    seed: 13,
    paused: true,
    accounts: [{ ...ACCOUNT, marginBalances: { USDT: "1000" } }],
  });
  pm = new BinanceRestClient({
    exchange: "binance.com-portfolio_margin",
    baseUrl: emu.restUrl,
    apiKey: ACCOUNT.apiKey,
    apiSecret: ACCOUNT.secretKey,
  });
});
after(() => emu.close());

/** A bid price 10 % under the book, on the tick. */
function farBid(symbol: string, market: "usdm" | "coinm", decimals: number): string {
  const bid = Number(emu.book(symbol, { market, limit: 1 }).bids[0][0]);
  return (bid * 0.9).toFixed(decimals);
}

describe("portfolio margin (emulator)", () => {
  it("UM: place, list, query, cancel, reconcile", async () => {
    const placed = await pm.papiCreateUmOrder({
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.01",
      price: farBid("BTCUSDT", "usdm", 1),
    });
    assertEquals(placed.status, "NEW");
    assert(placed.clientOrderId.length > 0, "the client fills newClientOrderId");
    const open = await pm.papiGetUmOpenOrders({ symbol: "BTCUSDT" });
    assertEquals(open.map((o) => o.orderId), [placed.orderId]);
    assertEquals((await pm.papiGetUmOpenOrders()).length, 1);
    const found = await pm.reconcileOrder({
      endpoint: "POST /papi/v1/um/order",
      newClientOrderId: placed.clientOrderId,
      symbol: "BTCUSDT",
    });
    assertEquals((found as { orderId: number }).orderId, placed.orderId);
    const canceled = await pm.papiCancelUmOrder({ symbol: "BTCUSDT", orderId: placed.orderId });
    assertEquals(canceled.status, "CANCELED");
    assertEquals(
      (await pm.papiGetUmOrder({ symbol: "BTCUSDT", orderId: placed.orderId })).status,
      "CANCELED",
    );
    assertEquals(await pm.papiGetUmOpenOrders({ symbol: "BTCUSDT" }), []);
    await apiError(pm.papiCancelUmOrder({ symbol: "BTCUSDT", orderId: placed.orderId }), -2011);
    await apiError(pm.papiGetUmOpenOrders({ symbol: "NOPEUSDT" }), -1121);
    // the open-orders call without symbol weighed 40 on the /papi pool
    assert((pm.usage.papi?.weight["1M"] ?? 0) >= 40);
  });

  it("CM: place and cancel in contracts", async () => {
    const placed = await pm.papiCreateCmOrder({
      symbol: "BTCUSD_PERP",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "1",
      price: farBid("BTCUSD_PERP", "coinm", 1),
    });
    assertEquals([placed.status, placed.origQty], ["NEW", "1"]);
    assertEquals((await pm.papiGetCmOpenOrders({ symbol: "BTCUSD_PERP" })).map((o) => o.orderId), [
      placed.orderId,
    ]);
    assertEquals((await pm.papiGetCmOrder({ symbol: "BTCUSD_PERP", orderId: placed.orderId })).side, "BUY");
    assertEquals(
      (await pm.papiCancelCmOrder({ symbol: "BTCUSD_PERP", orderId: placed.orderId })).status,
      "CANCELED",
    );
    assertEquals(await pm.papiGetCmOpenOrders(), []);
  });

  it("a filled UM order shows in the unified balance and account", async () => {
    const before = await pm.papiGetAccount();
    assertEquals([before.accountInitialMargin, before.uniMMR, before.accountStatus], [
      "0.00000000",
      "0",
      "NORMAL",
    ]);
    const filled = await pm.papiCreateUmOrder({
      symbol: "BTCUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: "0.01",
    });
    assertEquals(filled.status, "FILLED");
    const usdt = await pm.papiGetBalance({ asset: "USDT" });
    assertEquals([usdt.asset, usdt.crossMarginAsset, usdt.umWalletBalance], [
      "USDT",
      "1000.00000000",
      "10000.00000000",
    ]);
    const all = await pm.papiGetBalance();
    assertEquals(all.map((b) => b.asset), ["BTC", "ETH", "USDT"]);
    assertEquals(all[0].cmWalletBalance, "1.00000000");
    const after = await pm.papiGetAccount();
    assert(Number(after.accountInitialMargin) > 0, after.accountInitialMargin);
    assert(Number(after.uniMMR) > 1, after.uniMMR);
    assert(Number(after.accountEquity) > 11000, after.accountEquity);
    // close the position again
    await pm.papiCreateUmOrder({
      symbol: "BTCUSDT",
      side: "SELL",
      type: "MARKET",
      quantity: "0.01",
      reduceOnly: "true",
    });
    assertEquals((await pm.papiGetAccount()).accountInitialMargin, "0.00000000");
  });

  it("borrows into and repays cross margin", async () => {
    const loan = await pm.papiMarginLoan({ asset: "USDT", amount: "100" });
    assert(loan.tranId > 0);
    const owed = await pm.papiGetBalance({ asset: "USDT" });
    assertEquals([owed.crossMarginBorrowed, owed.crossMarginFree], ["100.00000000", "1100.00000000"]);
    await apiError(pm.papiRepayLoan({ asset: "USDT", amount: "150" }), -3015);
    await apiError(pm.papiMarginLoan({ asset: "USDT", amount: "100000" }), -3006);
    await pm.papiRepayLoan({ asset: "USDT", amount: "100" });
    assertEquals((await pm.papiGetBalance({ asset: "USDT" })).crossMarginBorrowed, "0.00000000");
  });

  it("a venue without /papi refuses before sending", async () => {
    let sent = 0;
    const us = new BinanceRestClient({
      exchange: "binance.us",
      apiKey: "k",
      apiSecret: "s",
      fetch: () => {
        sent++;
        return Promise.resolve(new Response("{}"));
      },
    });
    await assertRejects(() => us.papiGetAccount(), RangeError, "not served by exchange binance.us");
    await assertRejects(
      () => us.papiCreateUmOrder({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.01" }),
      RangeError,
    );
    assertEquals(sent, 0);
  });
});
