/**
 * Convert through `BinanceRestClient` against the emulator, on a clock the test moves: pairs and
 * asset precision, quotes priced from the book (either amount side), acceptance moving the spot
 * balances, quotes that expire, quotes without an id when the wallet cannot pay, an order that
 * fails when the balance is spent before acceptance, order status and the trade history.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { Decimal } from "decimal.js";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { apiError } from "./_api_error.ts";

const ACCOUNT = { apiKey: "convertKey1", secretKey: "convertSecret1" };

let emu: Emulator;
let client: BinanceRestClient;
let clock = Date.UTC(2026, 1, 2, 9);
const start = clock;

before(async () => {
  emu = await startEmulator({
    seed: 3,
    paused: true,
    now: () => clock,
    accounts: [{ ...ACCOUNT, balances: { USDT: "1000", BTC: "1" } }],
  });
  client = new BinanceRestClient({
    baseUrl: emu.restUrl,
    apiKey: ACCOUNT.apiKey,
    apiSecret: ACCOUNT.secretKey,
  });
  await client.syncTime("sapi");
});
after(() => emu.close());

async function advance(ms: number): Promise<void> {
  clock += ms;
  await client.syncTime("sapi");
}

const spot = async (asset: string): Promise<Decimal> =>
  new Decimal((await client.getAccount()).balances.find((b) => b.asset === asset)?.free ?? "0");

describe("Convert (emulator)", () => {
  it("lists pairs with limits and asset precision", async () => {
    const pairs = await client.getConvertExchangeInfo({ fromAsset: "BTC" });
    // BTCUSDT and BNBBTC join BTC to USDT and BNB
    assertEquals(pairs.map((p) => p.toAsset).sort(), ["BNB", "USDT"]);
    const btc = pairs.find((p) => p.toAsset === "USDT")!;
    const mid = Number(emu.book("BTCUSDT", { limit: 1 }).bids[0][0]);
    // at least 10 USDT worth of BTC
    assert(Number(btc.fromAssetMinAmount) * mid >= 10 && Number(btc.fromAssetMinAmount) * mid < 10.1);
    assertEquals(btc.toAssetMinAmount, "10");
    assertEquals((await client.getConvertExchangeInfo({ toAsset: "BTC" })).map((p) => p.fromAsset).sort(), [
      "BNB",
      "USDT",
    ]);
    const info = await client.getConvertAssetInfo();
    assertEquals(info.find((a) => a.asset === "USDT")?.fraction, 6);
    // exchangeInfo is public: 3000 on the IP pool
    assert((client.usage.sapi?.weight["IP-1M"] ?? 0) >= 6000);
  });

  it("quotes, accepts and moves the spot balances", async () => {
    const btc = await spot("BTC");
    const usdt = await spot("USDT");
    const q = await client.convertRequestQuote({ fromAsset: "BTC", toAsset: "USDT", fromAmount: "0.1" });
    assert(q.quoteId, "a covered quote has an id");
    assertEquals(q.validTimestamp, clock + 10_000);
    assertEquals(
      q.toAmount,
      new Decimal("0.1").times(q.ratio).toDecimalPlaces(8, Decimal.ROUND_DOWN).toFixed(),
    );
    const mid = (Number(emu.book("BTCUSDT", { limit: 1 }).bids[0][0]) +
      Number(emu.book("BTCUSDT", { limit: 1 }).asks[0][0])) / 2;
    // the book's middle less 0.1 %
    assert(Math.abs(Number(q.ratio) - mid * 0.999) < 0.01, `${q.ratio} vs ${mid}`);
    await advance(9_000);
    const accepted = await client.convertAcceptQuote({ quoteId: q.quoteId! });
    assertEquals(accepted.orderStatus, "PROCESS");
    assertEquals((await spot("BTC")).toFixed(), btc.minus("0.1").toFixed());
    assertEquals((await spot("USDT")).toFixed(), usdt.plus(q.toAmount).toFixed());
    const status = await client.getConvertOrderStatus({ orderId: accepted.orderId });
    assertEquals([status.orderStatus, status.fromAmount, status.toAmount], ["SUCCESS", "0.1", q.toAmount]);
    assertEquals((await client.getConvertOrderStatus({ quoteId: q.quoteId })).orderId, status.orderId);
    // a quote is used once
    await apiError(client.convertAcceptQuote({ quoteId: q.quoteId! }), -1130, "Unknown or used quote");
  });

  it("a quote expires at its validTimestamp", async () => {
    const usdt = await spot("USDT");
    const q = await client.convertRequestQuote({
      fromAsset: "USDT",
      toAsset: "BTC",
      toAmount: "0.001",
      validTime: "30s",
    });
    assertEquals(q.toAmount, "0.001");
    assertEquals(q.validTimestamp, clock + 30_000);
    await advance(30_001);
    await apiError(client.convertAcceptQuote({ quoteId: q.quoteId! }), -1130, "Quote expired");
    assertEquals((await spot("USDT")).toFixed(), usdt.toFixed());
  });

  it("no quote id without funds; an order fails when the funds went before acceptance", async () => {
    const big = await client.convertRequestQuote({ fromAsset: "BTC", toAsset: "USDT", fromAmount: "5" });
    assertEquals(big.quoteId, undefined);
    assert(Number(big.toAmount) > 0);
    const q = await client.convertRequestQuote({ fromAsset: "USDT", toAsset: "BTC", fromAmount: "50" });
    // spend the USDT elsewhere before accepting
    const all = await spot("USDT");
    await client.convertAcceptQuote({
      quoteId:
        (await client.convertRequestQuote({ fromAsset: "USDT", toAsset: "BTC", fromAmount: all.toFixed() }))
          .quoteId!,
    });
    const failed = await client.convertAcceptQuote({ quoteId: q.quoteId! });
    assertEquals((await client.getConvertOrderStatus({ orderId: failed.orderId })).orderStatus, "FAIL");
    assertEquals((await spot("USDT")).toFixed(), "0");
  });

  it("refuses bad requests with Binance's codes", async () => {
    const base = { fromAsset: "BTC", toAsset: "USDT" } as const;
    await apiError(client.convertRequestQuote({ ...base, fromAmount: "0.1", toAmount: "10" }), -1128);
    await apiError(client.convertRequestQuote(base), -1102);
    await apiError(
      client.convertRequestQuote({ fromAsset: "BTC", toAsset: "DOGE", fromAmount: "0.1" }),
      -1130,
    );
    await apiError(client.convertRequestQuote({ ...base, fromAmount: "0.0000001" }), -1130, "must be within");
    await apiError(
      client.convertRequestQuote({ ...base, fromAmount: "0.1", validTime: "5s" as "10s" }),
      -1130,
    );
    await apiError(client.getConvertOrderStatus({ orderId: "999999" }), -1130);
    await apiError(client.getConvertTradeHistory({ startTime: 0, endTime: clock }), -1127);
  });

  it("the trade history lists the orders in time order", async () => {
    const flow = await client.getConvertTradeHistory({ startTime: start, endTime: clock });
    assertEquals(flow.list.map((o) => o.orderStatus), ["SUCCESS", "SUCCESS", "FAIL"]);
    assertEquals(flow.moreData, false);
    const one = await client.getConvertTradeHistory({ startTime: start, endTime: clock, limit: 1 });
    assertEquals([one.list.length, one.moreData], [1, true]);
    assert(one.list[0].quoteId.length > 0);
  });
});
