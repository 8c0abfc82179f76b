import { describe, it } from "node:test";
import { assertEquals, assertThrows } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { signedCaller } from "./_sign.ts";

const KEY = "covKey1";
const SECRET = "covSecret1";

async function setup(): Promise<{ emu: Emulator; call: ReturnType<typeof signedCaller> }> {
  const emu = await startEmulator({
    seed: 41,
    paused: true,
    accounts: [{
      apiKey: KEY,
      secretKey: SECRET,
      balances: { USDT: "1000", BTC: "0.5" },
      marginBalances: { BTC: "0.2" },
    }],
  });
  return { emu, call: signedCaller(emu.restUrl, KEY, SECRET) };
}

async function driveNow(emu: Emulator, path: string[], market: "spot" | "usdm" = "spot"): Promise<void> {
  const d = emu.drive("BTCUSDT", path, { market, manual: true });
  emu.step(path.length);
  await d;
}

describe("emu.recordCoverage: position vs. stop quantity at every step", () => {
  it("spot: a stop replaced atomically keeps the position covered until the fill", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, ["65000.00"]);
    const rec = emu.recordCoverage("BTCUSDT", { apiKey: KEY });
    emu.step();
    const first = await call("POST", "/api/v3/order", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_LOSS_LIMIT",
      timeInForce: "GTC",
      quantity: "0.5",
      stopPrice: "64000.00",
      price: "63000.00",
    });
    assertEquals(first.status, 200, JSON.stringify(first.body));
    await driveNow(emu, ["65500.00"]);
    const rep = await call("POST", "/api/v3/order/cancelReplace", {
      symbol: "BTCUSDT",
      cancelReplaceMode: "STOP_ON_FAILURE",
      cancelOrderId: String(first.body.orderId),
      side: "SELL",
      type: "STOP_LOSS_LIMIT",
      timeInForce: "GTC",
      quantity: "0.5",
      stopPrice: "64500.00",
      price: "63500.00",
    });
    assertEquals(rep.status, 200, JSON.stringify(rep.body));
    await driveNow(emu, ["65200.00", "64400.00"]);
    rec.stop();
    const n = rec.records.length;
    emu.step();
    assertEquals(rec.records.length, n, "stop() ends the recording");
    const r = rec.records;
    assertEquals(r[0], {
      step: r[0].step,
      time: r[0].time,
      price: "65000.00000000",
      position: "0.5",
      stopQty: "0",
      stops: 0,
    });
    assertEquals([r[1].position, r[1].stopQty, r[1].stops], ["0.5", "0.5", 1]);
    // the stop sold the whole position (the last price is its last fill, at or below 64400)
    assertEquals([r.at(-1)!.position, r.at(-1)!.stopQty], ["0", "0"]);
    assertEquals(rec.summary(), { steps: r.length, firstCovered: r[1].step, uncovered: [], overCovered: [] });
  });

  it("spot: a cancel with a step before the new stop shows as an uncovered step; two stops as over-covered", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, ["65000.00"]);
    const rec = emu.recordCoverage("BTCUSDT", { apiKey: KEY, market: "spot" });
    const stop = (qty: string) =>
      call("POST", "/api/v3/order", {
        symbol: "BTCUSDT",
        side: "SELL",
        type: "STOP_LOSS",
        quantity: qty,
        stopPrice: "60000.00",
      });
    const a = await stop("0.3");
    emu.step();
    await call("DELETE", "/api/v3/order", { symbol: "BTCUSDT", orderId: String(a.body.orderId) });
    emu.step();
    const gap = emu.stepIndex;
    await stop("0.3");
    emu.step();
    // a trailing stop counts as well: 0.3 + 0.2 on 0.5 is covered, not more
    await call("POST", "/api/v3/order", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_LOSS",
      quantity: "0.2",
      trailingDelta: "100",
    });
    emu.step();
    const s = rec.summary();
    assertEquals(s.uncovered, [gap]);
    assertEquals(s.overCovered, []);
    assertEquals(rec.records.at(-1)!.stopQty, "0.5");
    assertEquals(rec.records.at(-1)!.stops, 2);
  });

  it("USD-M: closePosition counts the whole position; a second reduce-only stop over-covers", async () => {
    const { emu } = await setup();
    await using _ = emu;
    const call = signedCaller(emu.futuresRestUrl, KEY, SECRET);
    await driveNow(emu, ["65000.0"], "usdm");
    const rec = emu.recordCoverage("BTCUSDT", { apiKey: KEY, market: "usdm" });
    await call("POST", "/fapi/v1/order", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: "0.010",
    });
    emu.step();
    await call("POST", "/fapi/v1/algoOrder", {
      algoType: "CONDITIONAL",
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_MARKET",
      triggerPrice: "64000.0",
      closePosition: "true",
    });
    emu.step();
    await call("POST", "/fapi/v1/algoOrder", {
      algoType: "CONDITIONAL",
      symbol: "BTCUSDT",
      side: "SELL",
      type: "TRAILING_STOP_MARKET",
      quantity: "0.004",
      reduceOnly: "true",
      callbackRate: "2",
    });
    emu.step();
    const r = rec.records;
    assertEquals(r.map((x) => [x.position, x.stopQty, x.stops]), [["0.01", "0", 0], ["0.01", "0.01", 1], [
      "0.01",
      "0.014",
      2,
    ]]);
    assertEquals(rec.summary().overCovered, [r[2].step]);
    // the closePosition stop fires; the reduce-only trailing stop stays on a flat position
    await driveNow(emu, ["63900.0"], "usdm");
    assertEquals([r.at(-1)!.position, r.at(-1)!.stopQty, r.at(-1)!.stops], ["0", "0.004", 1]);
  });

  it("cross margin: the margin account's base asset minus what is borrowed", async () => {
    const { emu, call } = await setup();
    await using _ = emu;
    await driveNow(emu, ["65000.00"]);
    const rec = emu.recordCoverage("BTCUSDT", { apiKey: KEY, market: "margin" });
    await call("POST", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_LOSS",
      quantity: "0.2",
      stopPrice: "64000.00",
    });
    emu.step();
    assertEquals([rec.records[0].position, rec.records[0].stopQty], ["0.2", "0.2"]);
  });

  it("refuses unknown options, keys and symbols", async () => {
    const { emu } = await setup();
    await using _ = emu;
    assertThrows(
      () => emu.recordCoverage("BTCUSDT", { apiKey: KEY, venue: "x" } as never),
      TypeError,
      "options.venue",
    );
    assertThrows(() => emu.recordCoverage("BTCUSDT", { apiKey: "nobody" }), RangeError, "apiKey");
    assertThrows(() => emu.recordCoverage("XRPUSDT", { apiKey: KEY }), RangeError, "XRPUSDT");
    assertThrows(
      () => emu.recordCoverage("BTCUSDT", { apiKey: KEY, market: "options" as never }),
      TypeError,
      "market",
    );
  });
});
