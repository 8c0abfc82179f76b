/**
 * Options user data end to end: options orders on the emulator (`/eapi/v1/order` through
 * `BinanceRestClient`) reach the `BinanceWebSocketManager`'s options user-data stream as Binance's
 * `ORDER_TRADE_UPDATE` (placed, cancelled, filled), `BALANCE_POSITION_UPDATE` and `ACCOUNT_UPDATE`,
 * raw and unicornfied, agreeing with what REST reports at the same moment.
 */
import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { Decimal } from "decimal.js";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { startEmulator } from "../../src/testing/mod.ts";
import { BinanceWebSocketManager } from "../../src/ws/manager.ts";
import type { UnicornfyMessage } from "../../src/unicornfy/mod.ts";
import { until } from "./_stream_server.ts";

const KEY = "optUdKey";
const SECRET = "optUdSecret";

// deno-lint-ignore no-explicit-any
type Raw = any;

describe("options user data through the WebSocket manager", () => {
  it("placing, cancelling and filling options orders: ORDER_TRADE_UPDATE, BALANCE_POSITION_UPDATE, ACCOUNT_UPDATE", async () => {
    await using emu = await startEmulator({
      seed: 17,
      paused: true,
      accounts: [{ apiKey: KEY, secretKey: SECRET, optionsBalances: { USDT: "20000" } }],
    });
    const rest = new BinanceRestClient({
      exchange: "binance.com-vanilla-options",
      baseUrl: emu.restUrl,
      apiKey: KEY,
      apiSecret: SECRET,
    });
    const info = (await rest.optionsExchangeInfo()) as { optionSymbols: { symbol: string; side: string }[] };
    const sym = info.optionSymbols.find((s) => s.side === "CALL" && s.symbol.startsWith("BTC-"))!.symbol;
    await using ws = new BinanceWebSocketManager({
      exchange: "binance.com-vanilla-options",
      restUrl: emu.restUrl,
      streamBase: emu.futuresWsUrl,
      backoffBaseMs: 20,
    });
    const raw: Raw[] = [];
    const typed: UnicornfyMessage[] = [];
    ws.createUserDataStream({
      apiKey: KEY,
      apiSecret: SECRET,
      output: "parsed",
      onData: (m) => void raw.push(m.data),
    });
    ws.createUserDataStream({
      apiKey: KEY,
      apiSecret: SECRET,
      output: "unicornfy",
      onData: (m) => void typed.push(m.data),
    });
    const open = () =>
      ws.getStreamList().every((id) => ws.getStreamInfo(id).connections[0]?.state === "open");
    await until(open, 10_000, "both user-data connections");
    const orders = () => raw.filter((e) => e.e === "ORDER_TRADE_UPDATE").map((e) => e.o);

    // a resting buy below the book: NEW (ACCEPTED) with its open bid notional, then CANCELED
    const deep = emu.book(sym, { market: "options", limit: 20 }).bids[19][0];
    const resting = await rest.optionsPlaceOrder({
      symbol: sym,
      side: "BUY",
      type: "LIMIT",
      quantity: "0.2",
      price: deep,
    });
    assertEquals(resting.status, "ACCEPTED");
    await until(() => orders().length === 1, 5000, "the NEW event");
    const neu = orders()[0];
    assertEquals([neu.s, neu.S, neu.o, neu.x, neu.X, neu.i, neu.q, neu.p, neu.z, neu.R], [
      sym,
      "BUY",
      "LIMIT",
      "NEW",
      "ACCEPTED",
      resting.orderId,
      "0.20",
      deep,
      "0.00",
      false,
    ]);
    assertEquals(neu.c, resting.clientOrderId);
    assertEquals(neu.b, new Decimal(deep).times("0.2").toFixed(8));
    assertEquals(neu.a, "0.00000000");
    await rest.optionsCancelOrder({ symbol: sym, orderId: resting.orderId });
    await until(() => orders().length === 2, 5000, "the CANCELED event");
    assertEquals([orders()[1].x, orders()[1].X, orders()[1].b], ["CANCELED", "CANCELLED", "0.00000000"]);
    // no balance or position change so far
    assertEquals(raw.filter((e) => e.e !== "ORDER_TRADE_UPDATE").length, 0);

    // a buy at the ask fills: NEW, TRADE (FILLED), then the balance, position and account
    const [ask] = emu.book(sym, { market: "options", limit: 1 }).asks[0];
    const buy = await rest.optionsPlaceOrder({
      symbol: sym,
      side: "BUY",
      type: "LIMIT",
      quantity: "0.1",
      price: ask,
    });
    assertEquals(buy.status, "FILLED");
    await until(() => raw.some((e) => e.e === "ACCOUNT_UPDATE"), 5000, "the account update");
    const acct = await rest.optionsMarginAccountInfo();
    const trade = orders().find((o) => o.x === "TRADE")!;
    assertEquals([trade.X, trade.l, trade.z, trade.L, trade.ap, trade.m, trade.rp], [
      "FILLED",
      "0.10",
      "0.10",
      ask,
      ask,
      false,
      "0.00000000",
    ]);
    assert(typeof trade.t === "number" && trade.t > 0, "a trade id");
    const premium = new Decimal(ask).times("0.1");
    const bpu = raw.find((e) => e.e === "BALANCE_POSITION_UPDATE")!;
    assertEquals(bpu.m, "ORDER");
    assertEquals(bpu.B, [{
      a: "USDT",
      b: new Decimal(20000).minus(premium).toFixed(8),
      bc: premium.neg().toFixed(8),
    }]);
    assertEquals([bpu.P[0].s, bpu.P[0].c, bpu.P[0].a], [sym, "0.10", new Decimal(ask).toFixed(8)]);
    const au = raw.find((e) => e.e === "ACCOUNT_UPDATE")!;
    // the account update reports what /eapi/v1/marginAccount reports at the same moment
    assertEquals([au.eq, au.b, au.u, au.i, au.M], [
      acct.asset[0].equity,
      new Decimal(20000).minus(premium).toFixed(8),
      acct.asset[0].unrealizedPNL,
      acct.asset[0].initialMargin,
      acct.asset[0].maintMargin,
    ]);
    assertEquals(au.aeq, au.eq);

    // selling to close at the bid realises the spread
    const [bid] = emu.book(sym, { market: "options", limit: 1 }).bids[0];
    const sell = await rest.optionsPlaceOrder({
      symbol: sym,
      side: "SELL",
      type: "LIMIT",
      quantity: "0.1",
      price: bid,
    });
    assertEquals(sell.status, "FILLED");
    await until(() => orders().filter((o) => o.x === "TRADE").length === 2, 5000, "the closing fill");
    const close = orders().filter((o) => o.x === "TRADE")[1];
    assertEquals(close.rp, new Decimal(bid).minus(ask).times("0.1").toFixed(8));
    await until(
      () => raw.filter((e) => e.e === "BALANCE_POSITION_UPDATE").length === 2,
      5000,
      "the flat position",
    );
    assertEquals(raw.filter((e) => e.e === "BALANCE_POSITION_UPDATE")[1].P[0].c, "0.00");

    // the same events, unicornfied and typed
    await until(() => typed.length === raw.length, 5000, "the unicornfied copies");
    const typedOrders = typed.flatMap((m) =>
      m.eventType === "ORDER_TRADE_UPDATE" && !("positionSide" in m) ? [m] : []
    );
    assertEquals(typedOrders.map((m) => m.currentExecutionType), orders().map((o) => o.x));
    assertEquals(typedOrders[0].netPay, neu.b);
    assertEquals(typedOrders.at(-1)!.orderRealizedProfit, close.rp);
    const accounts = typed.flatMap((m) => m.eventType === "ACCOUNT_UPDATE" && "equity" in m ? [m] : []);
    assertEquals(accounts[0].equity, au.eq);
    assertEquals(accounts[0].maintenanceMargin, au.M);
  });

  it("an options transfer: BALANCE_POSITION_UPDATE (DEPOSIT) and ACCOUNT_UPDATE on the same wallet orders use", async () => {
    await using emu = await startEmulator({
      seed: 17,
      paused: true,
      accounts: [{ apiKey: KEY, secretKey: SECRET, optionsBalances: { USDT: "500" } }],
    });
    await using ws = new BinanceWebSocketManager({
      exchange: "binance.com-vanilla-options",
      restUrl: emu.restUrl,
      streamBase: emu.futuresWsUrl,
      backoffBaseMs: 20,
    });
    const raw: Raw[] = [];
    ws.createUserDataStream({
      apiKey: KEY,
      apiSecret: SECRET,
      output: "parsed",
      onData: (m) => void raw.push(m.data),
    });
    await until(
      () => ws.getStreamInfo(ws.getStreamList()[0]).connections[0]?.state === "open",
      10_000,
      "open",
    );
    emu.transfer(KEY, { asset: "USDT", delta: "25", market: "options" });
    await until(() => raw.length === 2, 5000, "two events");
    assertEquals(raw.map((e) => e.e), ["BALANCE_POSITION_UPDATE", "ACCOUNT_UPDATE"]);
    assertEquals(raw[0].B, [{ a: "USDT", b: "525.00000000", bc: "25.00000000" }]);
    assertEquals([raw[1].b, raw[1].eq], ["525.00000000", "525.00000000"]);
    const rest = new BinanceRestClient({
      exchange: "binance.com-vanilla-options",
      baseUrl: emu.restUrl,
      apiKey: KEY,
      apiSecret: SECRET,
    });
    // the deposit is what options orders can spend
    assertEquals((await rest.optionsMarginAccountInfo()).asset[0].available, "525.00000000");
  });
});
