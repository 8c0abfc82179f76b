/**
 * The manager on emulated USDⓈ-M and COIN-M futures when the stop does not simply fill: a partial
 * fill (the triggered stop's rest expires), nothing to protect and insufficient margin, and the
 * two crossed-trail exits (found in flight: the new stop refused, the old one protecting until the
 * exit closed the position; known before sending after the debounce: a reduce-only LIMIT exit).
 */
import { describe, it } from "node:test";
import { assert, assertEquals, assertRejects } from "@std/assert";
import { Decimal } from "decimal.js";
import { BinanceTrailingStopLossManager } from "../../src/trailing/manager.ts";
import { emulator, KEY, managerOptions, ramp, recorder, restClient, SECRET, until, within } from "./_emu.ts";
import {
  assertAverage,
  type Finished,
  moves,
  open,
  openOrders,
  position,
  sells,
  VENUES,
} from "./_futures.ts";

for (const v of VENUES) {
  const coin = v.market === "coinm";
  describe(`trailing manager exits on ${v.exchange} (emulator)`, () => {
    it("a partial fill: the stop's rest expires, the engine closes only the rest, the average covers all fills", async () => {
      await using emu = await emulator();
      const rest = restClient(emu, v.exchange);
      await open(rest, coin, v.symbol, "BUY", v.qty);
      const coverage = emu.recordCoverage(v.symbol, { apiKey: KEY, market: v.market });
      const rec = recorder();
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        market: v.symbol,
        onStopMoved: rec.push,
        onPartiallyFilled: rec.push,
        onError: (e) => rec.push({ type: "error", time: 0, error: e, fatal: false }),
      }));
      await tsl.start();
      await emu.drive(v.symbol, ramp(65000, 65400, 50, v.decimals), { market: v.market, stepsPerPrice: 2 });
      await until(() => tsl.stopOrder?.stopPrice === "64746.0", 30_000, "the stop at 64746.0");
      // the triggered stop's market order fills half; its rest expires (a thin book)
      emu.inject({ name: "partialFill", target: "usdm", symbol: v.symbol, count: 1 });
      await emu.drive(v.symbol, ramp(65350, 64500, 50, v.decimals), { market: v.market, stepsPerPrice: 2 });
      const done = await within(tsl.done) as Finished;
      assertEquals(done.reason, "filled");
      const half = new Decimal(v.qty).div(2).toFixed();
      const partial = rec.events.findLast((e) => e.type === "partiallyFilled");
      assert(partial?.type === "partiallyFilled", rec.types().join());
      assertEquals(new Decimal(partial.filledQuantity).toFixed(), half);
      assertEquals(new Decimal(done.filledQuantity).toFixed(), new Decimal(v.qty).toFixed());
      assertEquals(await position(rest, coin, v.symbol), "0");
      const fills = await sells(rest, coin, v.symbol, "SELL");
      assertEquals(fills.qty.toFixed(), new Decimal(v.qty).toFixed());
      assertAverage(done.averagePrice, fills.avg);
      // two orders closed it: the triggered stop (half), then one order with only the rest
      assertEquals([...fills.byOrder.values()].map((q) => q.toFixed()), [half, half]);
      const after = moves(rec.events).filter((e) => e.time >= partial.time);
      assert(
        after.every((e) => new Decimal(e.stop.quantity ?? 0).toFixed() === half),
        JSON.stringify(after.map((e) => e.stop)),
      );
      assertEquals(await openOrders(rest, coin, v.symbol), 0);
      coverage.stop();
      assert(coverage.records.every((r) => Number(r.position) >= 0), "never closed twice");
    });

    it("nothing to protect without a position; insufficient margin for a jump-in: start() rejects, nothing on the book", async () => {
      await using emu = await emulator({
        accounts: [{
          apiKey: KEY,
          secretKey: SECRET,
          futuresBalances: { USDT: "1" },
          coinmBalances: { BTC: "0.00001" },
        }],
      });
      const rest = restClient(emu, v.exchange);
      await using flat = new BinanceTrailingStopLossManager(
        managerOptions(emu, v.exchange, { market: v.symbol }),
      );
      await assertRejects(() => flat.start(), Error, "Nothing to protect");
      assertEquals(flat.counts.placements, 0);
      // the jump-in's buy needs margin the account does not have (-2019): never retried
      const errors: Error[] = [];
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        market: v.symbol,
        engine: "jump-in-and-trail",
        jumpIn: { type: "MARKET", quantity: v.qty },
        onError: (e) => void errors.push(e),
      }));
      await assertRejects(() => tsl.start(), Error, "Margin is insufficient");
      assertEquals(tsl.status, "failed");
      assert(errors.some((e) => /insufficient/i.test(e.message)), errors.join("; "));
      assertEquals(await position(rest, coin, v.symbol), "0");
      assertEquals(await openOrders(rest, coin, v.symbol), 0);
      assertEquals((await tsl.stop()).leftOnBook, null);
    });

    it("a move the market crosses in flight: the new stop is refused, the old one protects until the exit closes", async () => {
      await using emu = await emulator();
      const rest = restClient(emu, v.exchange);
      await open(rest, coin, v.symbol, "BUY", v.qty);
      const coverage = emu.recordCoverage(v.symbol, { apiKey: KEY, market: v.market });
      const errors: Error[] = [];
      const rec = recorder();
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        market: v.symbol,
        onStopMoved: rec.push,
        onError: (e) => void errors.push(e),
      }));
      await tsl.start();
      const first = tsl.stopOrder!;
      // prices and requests are 300 ms late: the engine places a stop for the 66000 high after
      // the market fell to 65300, below that stop (65340)
      const slow = emu.inject({ name: "latency", ms: 300, durationMs: 60_000 });
      await emu.drive(v.symbol, ["66000.0", "65300.0"], {
        market: v.market,
        stepsPerPrice: 1,
        intervalMs: 150,
      });
      const done = await within(tsl.done) as Finished;
      slow.clear();
      // the exit's fill can arrive before its answer: `finished` waits for the old stop's cancel
      assertEquals(await openOrders(rest, coin, v.symbol), 0, "nothing of the engine on the book");
      assert(errors.some((e) => /immediately trigger/i.test(e.message)), errors.join("; "));
      assertEquals(done.reason, "filled");
      assertEquals(new Decimal(done.filledQuantity).toFixed(), new Decimal(v.qty).toFixed());
      assertEquals(tsl.counts.exits, 1);
      const exit = moves(rec.events).find((e) => e.via === "exit");
      if (exit) assertEquals([exit.stop.type, exit.stop.quantity], ["MARKET", v.qty]);
      assert(
        Number(done.averagePrice) > Number(first.stopPrice!) + 500,
        `${done.averagePrice} vs ${first.stopPrice}`,
      );
      const fills = await sells(rest, coin, v.symbol, "SELL");
      assertAverage(done.averagePrice, fills.avg);
      assertEquals(await position(rest, coin, v.symbol), "0");
      assertEquals(await openOrders(rest, coin, v.symbol), 0);
      coverage.stop();
      assertEquals(coverage.summary().uncovered, [], "the old stop stayed until the exit");
      assert(coverage.records.every((r) => Number(r.position) >= 0), "never closed twice");
    });

    it("a move whose level the market is already through (best seen during the debounce) exits with a reduce-only LIMIT", async () => {
      await using emu = await emulator();
      const rest = restClient(emu, v.exchange);
      await open(rest, coin, v.symbol, "BUY", v.qty);
      const coverage = emu.recordCoverage(v.symbol, { apiKey: KEY, market: v.market });
      const rec = recorder();
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        market: v.symbol,
        stopLossOrderType: "LIMIT",
        triggerGap: "0.1%",
        // the high and the fall (50 ms apart) both arrive within it, with slack on a loaded machine
        debounceMs: 1000,
        onStopMoved: rec.push,
      }));
      await tsl.start();
      assertEquals(tsl.stopOrder?.type, "STOP");
      // the 66000 high (level 65340) arrives during the debounce; when it ends the market is at
      // 65200, below that level: the stop becomes its LIMIT order
      await emu.drive(v.symbol, ["66000.0", "65200.0"], {
        market: v.market,
        stepsPerPrice: 1,
        intervalMs: 50,
      });
      await until(() => tsl.counts.exits === 1 || tsl.status !== "trailing", 10_000, "the exit");
      assertEquals(tsl.counts.exits, 1);
      const exit = moves(rec.events).find((e) => e.via === "exit");
      if (exit) {
        assertEquals(exit.stop.type, "LIMIT");
        assert(Number(exit.stop.price) < 65200, exit.stop.price);
      }
      for (let k = 0; k < 20 && tsl.status === "trailing"; k++) {
        await emu.drive(v.symbol, [
          ...ramp(65150, 65400, 50, v.decimals),
          ...ramp(65350, 65150, 50, v.decimals),
        ], { market: v.market, stepsPerPrice: 2 });
      }
      const done = await within(tsl.done) as Finished;
      assertEquals(done.reason, "filled");
      assertEquals(new Decimal(done.filledQuantity).toFixed(), new Decimal(v.qty).toFixed());
      assert(Number(done.averagePrice) < 65340 && Number(done.averagePrice) > 64900, done.averagePrice);
      const fills = await sells(rest, coin, v.symbol, "SELL");
      assertAverage(done.averagePrice, fills.avg);
      assertEquals(await position(rest, coin, v.symbol), "0");
      assertEquals(await openOrders(rest, coin, v.symbol), 0);
      coverage.stop();
      assertEquals(coverage.summary().uncovered, [], "never without a stop or the exit");
      assert(coverage.records.every((r) => Number(r.position) >= 0), "never closed twice");
    });
  });
}
