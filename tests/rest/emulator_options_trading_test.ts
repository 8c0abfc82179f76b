/**
 * Options trading (`/eapi`) through `BinanceRestClient` on `binance.com-vanilla-options` against
 * the emulator's options books: a buy that takes the ask, a resting order (open, query by client
 * id, reconcile, cancel), IOC / FOK against the book's depth, reduce-only and balance checks,
 * selling to close and to open (margin locked), positions and the margin account with Greeks,
 * Binance's error codes and the venue gate.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals, assertRejects } from "@std/assert";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { apiError } from "./_api_error.ts";

const ACCOUNT = { apiKey: "optKey1", secretKey: "optSecret1" };

let emu: Emulator;
let opt: BinanceRestClient;
let call: string;

before(async () => {
  emu = await startEmulator({
    seed: 17,
    paused: true,
    accounts: [{ ...ACCOUNT, optionsBalances: { USDT: "20000" } }],
  });
  opt = new BinanceRestClient({
    exchange: "binance.com-vanilla-options",
    baseUrl: emu.restUrl,
    apiKey: ACCOUNT.apiKey,
    apiSecret: ACCOUNT.secretKey,
  });
  const info = (await opt.optionsExchangeInfo()) as { optionSymbols: { symbol: string; side: string }[] };
  call = info.optionSymbols.find((s) => s.side === "CALL" && s.symbol.startsWith("BTC-"))!.symbol;
});
after(() => emu.close());

const top = (side: "bids" | "asks") => emu.book(call, { market: "options", limit: 1 })[side][0];
const available = async (): Promise<number> =>
  Number((await opt.optionsMarginAccountInfo()).asset[0].available);

describe("options trading (emulator)", () => {
  it("a buy at the ask fills, pays the premium and opens a long", async () => {
    const [ask] = top("asks");
    const before = await available();
    const o = await opt.optionsPlaceOrder({
      symbol: call,
      side: "BUY",
      type: "LIMIT",
      quantity: "0.1",
      price: ask,
    });
    assertEquals([o.status, o.executedQty, o.avgPrice, o.optionSide], ["FILLED", "0.10", ask, "CALL"]);
    assert(o.clientOrderId.length > 0, "the client fills clientOrderId");
    const paid = before - (await available());
    assert(Math.abs(paid - Number(ask) * 0.1) < 1e-6, `paid ${paid}`);
    const [pos] = await opt.optionsPositions({ symbol: call });
    assertEquals([pos.side, pos.quantity, pos.entryPrice, pos.optionSide], ["LONG", "0.10", ask, "CALL"]);
    const acct = await opt.optionsMarginAccountInfo();
    assertEquals(acct.greek.map((g) => g.underlying), ["BTCUSDT"]);
    assert(Number(acct.greek[0].delta) > 0, "a long call has positive delta");
  });

  it("a resting order: open, query by client id, reconcile, cancel", async () => {
    const o = await opt.optionsPlaceOrder({
      symbol: call,
      side: "BUY",
      type: "LIMIT",
      quantity: "0.05",
      price: "5.0",
      clientOrderId: "rest-1",
    });
    assertEquals([o.status, o.clientOrderId], ["ACCEPTED", "rest-1"]);
    assertEquals((await opt.optionsQueryPendingOrders({ symbol: call })).map((x) => x.orderId), [o.orderId]);
    assertEquals((await opt.optionsQueryOrder({ symbol: call, clientOrderId: "rest-1" })).orderId, o.orderId);
    const found = await opt.reconcileOrder({
      endpoint: "POST /eapi/v1/order",
      newClientOrderId: "rest-1",
      symbol: call,
    });
    assertEquals((found as { orderId: number }).orderId, o.orderId);
    await apiError(
      opt.optionsPlaceOrder({
        symbol: call,
        side: "BUY",
        type: "LIMIT",
        quantity: "0.05",
        price: "5.0",
        clientOrderId: "rest-1",
      }),
      -4116,
    );
    assertEquals((await opt.optionsCancelOrder({ symbol: call, orderId: o.orderId })).status, "CANCELLED");
    await apiError(opt.optionsCancelOrder({ symbol: call, orderId: o.orderId }), -2013);
    await opt.optionsPlaceOrder({ symbol: call, side: "BUY", type: "LIMIT", quantity: "0.01", price: "5.0" });
    await opt.optionsPlaceOrder({ symbol: call, side: "BUY", type: "LIMIT", quantity: "0.01", price: "5.5" });
    assertEquals((await opt.optionsCancelAllOrders({ symbol: call })).code, 0);
    assertEquals(await opt.optionsQueryPendingOrders(), []);
  });

  it("IOC takes what the book has at the limit; FOK takes all or nothing", async () => {
    const [ask, depth] = top("asks");
    const more = (Number(depth) + 0.01).toFixed(2);
    const fok = await opt.optionsPlaceOrder({
      symbol: call,
      side: "BUY",
      type: "LIMIT",
      quantity: more,
      price: ask,
      timeInForce: "FOK",
    });
    assertEquals([fok.status, fok.executedQty], ["EXPIRED", "0.00"]);
    const ioc = await opt.optionsPlaceOrder({
      symbol: call,
      side: "BUY",
      type: "LIMIT",
      quantity: more,
      price: ask,
      timeInForce: "IOC",
    });
    assertEquals([ioc.status, ioc.executedQty], ["CANCELLED", Number(depth).toFixed(2)]);
  });

  it("selling closes the long, then opens a short that locks margin", async () => {
    const [pos] = await opt.optionsPositions({ symbol: call });
    const held = pos.quantity;
    await apiError(
      opt.optionsPlaceOrder({
        symbol: call,
        side: "SELL",
        type: "LIMIT",
        quantity: (Number(held) + 1).toFixed(2),
        price: "5.0",
        reduceOnly: true,
      }),
      -2022,
    );
    // a limit well under the bid sweeps as many levels as it needs
    const low = (Number(top("bids")[0]) * 0.5).toFixed(1);
    const close = await opt.optionsPlaceOrder({
      symbol: call,
      side: "SELL",
      type: "LIMIT",
      quantity: held,
      price: low,
      reduceOnly: true,
    });
    assertEquals(close.status, "FILLED");
    assertEquals(await opt.optionsPositions({ symbol: call }), []);
    assertEquals((await opt.optionsMarginAccountInfo()).asset[0].initialMargin, "0.00000000");
    const [bid2] = top("bids");
    const short = await opt.optionsPlaceOrder({
      symbol: call,
      side: "SELL",
      type: "LIMIT",
      quantity: "0.01",
      price: bid2,
    });
    assertEquals(short.status, "FILLED");
    const [sp] = await opt.optionsPositions({ symbol: call });
    assertEquals([sp.side, sp.quantity], ["SHORT", "-0.01"]);
    const margin = Number((await opt.optionsMarginAccountInfo()).asset[0].initialMargin);
    // 15 % of the BTC index per contract
    const index = Number(emu.book("BTCUSDT", { limit: 1 }).bids[0][0]);
    assert(Math.abs(margin - index * 0.15 * 0.01) < index * 0.0001, `margin ${margin}`);
  });

  it("refuses what Binance refuses", async () => {
    await apiError(
      opt.optionsPlaceOrder({ symbol: call, side: "BUY", type: "LIMIT", quantity: "100", price: "9000.0" }),
      -2018,
    );
    await apiError(
      opt.optionsPlaceOrder({
        symbol: "BTC-991231-1-C",
        side: "BUY",
        type: "LIMIT",
        quantity: "1",
        price: "5.0",
      }),
      -1121,
    );
    await apiError(
      opt.optionsPlaceOrder({
        symbol: call,
        side: "BUY",
        type: "MARKET" as "LIMIT",
        quantity: "1",
        price: "5.0",
      }),
      -1116,
    );
    await apiError(
      opt.optionsPlaceOrder({ symbol: call, side: "BUY", type: "LIMIT", quantity: "1", price: "5.05" }),
      -1111,
    );
    await apiError(opt.optionsQueryOrder({ symbol: call, orderId: 999999 }), -2013);
    // the open-orders call without symbol weighed 40 on the options pool
    assert((opt.usage.eapi?.weight["1M"] ?? 0) >= 40);
  });

  it("a resting order fills at its own price when the book moves through it", async () => {
    const info = (await opt.optionsExchangeInfo()) as { optionSymbols: { symbol: string }[] };
    const orders = [];
    for (const { symbol } of info.optionSymbols.filter((s) => s.symbol !== call).slice(0, 6)) {
      const [bid] = emu.book(symbol, { market: "options", limit: 1 }).bids[0];
      orders.push(
        await opt.optionsPlaceOrder({ symbol, side: "BUY", type: "LIMIT", quantity: "0.01", price: bid }),
      );
    }
    assert(orders.every((o) => o.status === "ACCEPTED"), "a bid does not cross the ask");
    // the books move every tenth step; some bid is reached within a few hundred steps
    let open = orders.length;
    for (let i = 0; i < 2000 && open === orders.length; i++) {
      emu.step();
      if (i % 10 === 9) open = (await opt.optionsQueryPendingOrders()).length;
    }
    assert(open < orders.length, "no resting order filled in 2000 steps");
    const filled =
      (await Promise.all(orders.map((o) => opt.optionsQueryOrder({ symbol: o.symbol, orderId: o.orderId }))))
        .filter((o) => o.status === "FILLED");
    for (const o of filled) {
      assertEquals(o.avgPrice, o.price);
      const [pos] = await opt.optionsPositions({ symbol: o.symbol });
      assertEquals([pos.side, pos.quantity], ["LONG", "0.01"]);
    }
    for (const o of await opt.optionsQueryPendingOrders()) {
      await opt.optionsCancelAllOrders({ symbol: o.symbol });
    }
  });

  it("a venue without /eapi refuses before sending", async () => {
    let sent = 0;
    const spot = new BinanceRestClient({
      exchange: "binance.com-testnet",
      apiKey: "k",
      apiSecret: "s",
      fetch: () => {
        sent++;
        return Promise.resolve(new Response("{}"));
      },
    });
    await assertRejects(
      () => spot.optionsPositions(),
      RangeError,
      "not served by exchange binance.com-testnet",
    );
    assertEquals(sent, 0);
  });
});
