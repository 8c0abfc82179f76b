/**
 * USDⓈ-M algo (conditional) orders through `BinanceRestClient` against the emulator's Algo
 * Service: place (directly and through `futuresCreateOrder`), query by id and client id, open
 * and historical lists, cancel and cancel-all, a trigger driven by the price path that opens the
 * position, and Binance's codes.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { apiError } from "./_api_error.ts";

const ACCOUNT = { apiKey: "algoKey1", secretKey: "algoSecret1" };

let emu: Emulator;
let f: BinanceRestClient;

before(async () => {
  emu = await startEmulator({ seed: 23, paused: true, accounts: [ACCOUNT] });
  f = new BinanceRestClient({
    exchange: "binance.com-futures",
    baseUrl: emu.restUrl,
    apiKey: ACCOUNT.apiKey,
    apiSecret: ACCOUNT.secretKey,
  });
});
after(() => emu.close());

/** The last USD-M BTCUSDT price plus `delta`, on the 0.1 tick. */
async function near(delta: number): Promise<string> {
  const [t] = await f.futuresRecentTrades({ symbol: "BTCUSDT", limit: 1 });
  return (Math.round((Number(t.price) + delta) * 10) / 10).toFixed(1);
}

describe("USDⓈ-M algo orders (emulator)", () => {
  it("places, queries, lists and cancels", async () => {
    const a = await f.futuresCreateAlgoOrder({
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_MARKET",
      quantity: "0.01",
      triggerPrice: await near(-5000),
      reduceOnly: "false",
    });
    assertEquals([a.algoType, a.algoStatus, a.orderType], ["CONDITIONAL", "NEW", "STOP_MARKET"]);
    assert(a.clientAlgoId.length > 0, "the client fills clientAlgoId");
    assertEquals((await f.futuresGetAlgoOrder({ algoId: a.algoId })).clientAlgoId, a.clientAlgoId);
    assertEquals((await f.futuresGetAlgoOrder({ clientAlgoId: a.clientAlgoId })).algoId, a.algoId);
    // futuresCreateOrder routes conditional types to the Algo Service (stopPrice → triggerPrice)
    const b = await f.futuresCreateOrder({
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_MARKET",
      quantity: "0.01",
      stopPrice: await near(-6000),
      newClientOrderId: "algo-b",
    });
    assertEquals((b as { clientAlgoId: string }).clientAlgoId, "algo-b");
    assertEquals((await f.futuresGetOpenAlgoOrders({ symbol: "BTCUSDT" })).length, 2);
    assertEquals((await f.futuresGetOpenAlgoOrders()).length, 2);
    const canceled = await f.futuresCancelAlgoOrder({ algoId: a.algoId });
    assertEquals([canceled.clientAlgoId, canceled.msg], [a.clientAlgoId, "success"]);
    assertEquals((await f.futuresGetAlgoOrder({ algoId: a.algoId })).algoStatus, "CANCELED");
    await apiError(f.futuresCancelAlgoOrder({ algoId: a.algoId }), -2011);
    assertEquals((await f.futuresCancelAllAlgoOpenOrders({ symbol: "BTCUSDT" })).code, 200);
    assertEquals(await f.futuresGetOpenAlgoOrders(), []);
    const all = await f.futuresGetAllAlgoOrders({ symbol: "BTCUSDT" });
    assertEquals(all.map((x) => x.algoStatus), ["CANCELED", "CANCELED"]);
    await apiError(f.futuresGetAlgoOrder({ algoId: 1 }), -2013);
    await apiError(
      f.futuresCreateAlgoOrder({
        symbol: "BTCUSDT",
        side: "SELL",
        type: "STOP_MARKET",
        quantity: "0.01",
        triggerPrice: "1.0",
        algoType: "VP",
      }),
      -1130,
    );
    // the open list without symbol weighed 40 on the USD-M pool
    assert((f.usage.fapi?.weight["1M"] ?? 0) >= 40);
  });

  it("a driven price path triggers a stop and opens the position", async () => {
    const trigger = await near(100);
    const a = await f.futuresCreateAlgoOrder({
      symbol: "BTCUSDT",
      side: "BUY",
      type: "STOP_MARKET",
      quantity: "0.01",
      triggerPrice: trigger,
    });
    assertEquals(a.algoStatus, "NEW");
    await emu.drive("BTCUSDT", [
      await near(50),
      (Number(trigger) + 50).toFixed(1),
      (Number(trigger) + 50).toFixed(1),
    ], {
      market: "usdm",
    });
    const done = await f.futuresGetAlgoOrder({ algoId: a.algoId });
    assert(done.algoStatus === "TRIGGERED" || done.algoStatus === "FINISHED", String(done.algoStatus));
    assert(String(done.actualOrderId) !== "", "the triggered order is named");
    const [pos] = (await f.futuresPositionInformation({ symbol: "BTCUSDT" })).filter((p) =>
      Number(p.positionAmt) !== 0
    );
    assertEquals(pos.positionAmt, "0.010");
  });
});
