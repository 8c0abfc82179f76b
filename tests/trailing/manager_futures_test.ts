/**
 * The manager on emulated USDⓈ-M (algo orders) and COIN-M futures: ratchet and fill with the
 * average from the fills, a listen-key expiry and a WebSocket drop during the trail, a fill while
 * the user-data stream is stalled, a short position's BUY stop, an external cancel, native
 * TRAILING_STOP_MARKET, a restart from a state file, and the coverage record
 * (place-new-then-cancel-old: never uncovered, never a double close). Partial fills, refusals and
 * the crossed-trail exits are in manager_futures_exits_test.ts.
 */
import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { Decimal } from "decimal.js";
import { BinanceTrailingStopLossManager } from "../../src/trailing/manager.ts";
import type { TrailingEvent } from "../../src/trailing/events.ts";
import { emulator, KEY, managerOptions, ramp, recorder, restClient, until, within } from "./_emu.ts";
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
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStateStore } from "../../src/trailing/state_file_node.ts";

for (const v of VENUES) {
  const coin = v.market === "coinm";
  describe(`trailing manager on ${v.exchange} (emulator)`, () => {
    it("ratchets, survives a user-data disruption, fires once; coverage never lapses, never closes twice", async () => {
      await using emu = await emulator();
      const rest = restClient(emu, v.exchange);
      await open(rest, coin, v.symbol, "BUY", v.qty);
      const coverage = emu.recordCoverage(v.symbol, { apiKey: KEY, market: v.market });
      const rec = recorder();
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        market: v.symbol,
        onStopMoved: rec.push,
        onError: (e) => rec.push({ type: "error", time: 0, error: e, fatal: false }),
      }));
      await tsl.start();
      assertEquals(tsl.stopOrder?.type, "STOP_MARKET");
      assertEquals(tsl.stopOrder?.quantity, v.qty.replace(/^0\.010$/, "0.010"));
      await emu.drive(v.symbol, ramp(65000, 65400, 50, v.decimals), { market: v.market, stepsPerPrice: 2 });
      // USD-M: the listen key expires; COIN-M: every connection drops
      emu.inject(coin ? { name: "drop", target: "usdm" } : { name: "listenKeyExpiry", apiKey: KEY });
      await emu.drive(v.symbol, [
        ...ramp(65450, 65800, 50, v.decimals),
        ...ramp(65750, 64000, 50, v.decimals),
      ], {
        market: v.market,
        stepsPerPrice: 3,
      });
      const done = await within(tsl.done) as Finished;
      assertEquals(done.reason, "filled");
      const moved = rec.events.filter((e) => e.type === "stopMoved");
      assert(moved.length >= 4, `moved ${moved.length} times`);
      assert(moved.slice(1).every((e) => e.type === "stopMoved" && e.via === "placeThenCancel"));
      const fills = await sells(rest, coin, v.symbol, "SELL");
      assertEquals(fills.qty.toFixed(), new Decimal(v.qty).toFixed());
      assertEquals(new Decimal(done.averagePrice!).toFixed(8), fills.avg.toFixed(8));
      coverage.stop();
      const s = coverage.summary();
      assertEquals(s.uncovered, [], "never without a stop after the first placement");
      // place-new-then-cancel-old doubles the stop quantity between the two requests (reduce-only:
      // it can never execute twice); the position never turns short
      assert(coverage.records.every((r) => Number(r.position) >= 0), "never closed twice");
      // at most the two stops of one move, and only for the round trip of its cancel (one step of
      // 20 ms when quiet, a few on a loaded machine)
      assert(
        coverage.records.every((r) => Number(r.stopQty) <= 2 * Number(r.position) + 1e-9),
        "never more than the old and the new stop",
      );
      assert(
        s.overCovered.length <= 3 * moved.length,
        `${s.overCovered.length} double-covered steps for ${moved.length} moves`,
      );
    });

    it("the other disruption during the trail (USD-M a drop, COIN-M a listen-key expiry): the fill still seen", async () => {
      await using emu = await emulator();
      const rest = restClient(emu, v.exchange);
      await open(rest, coin, v.symbol, "BUY", v.qty);
      const rec = recorder();
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        market: v.symbol,
        onStopMoved: rec.push,
      }));
      await tsl.start();
      await emu.drive(v.symbol, ramp(65000, 65300, 50, v.decimals), { market: v.market, stepsPerPrice: 2 });
      await until(() => Number(tsl.referencePrice) === 65300, 10_000, "the 65300 high");
      emu.inject(coin ? { name: "listenKeyExpiry", apiKey: KEY } : { name: "drop", target: "usdm" });
      await emu.drive(v.symbol, [
        ...ramp(65350, 65700, 50, v.decimals),
        ...ramp(65650, 64000, 50, v.decimals),
      ], { market: v.market, stepsPerPrice: 3 });
      const done = await within(tsl.done) as Finished;
      assertEquals(done.reason, "filled");
      // the trail followed the price after the disruption (above 65300 × 0.99, up to 65700 × 0.99)
      const top = Math.max(...moves(rec.events).map((e) => Number(e.stop.stopPrice ?? 0)));
      assert(top > 64647 && top <= 65043, `highest stop ${top}`);
      assertEquals(await position(rest, coin, v.symbol), "0");
      const fills = await sells(rest, coin, v.symbol, "SELL");
      assertAverage(done.averagePrice, fills.avg);
    });

    it("a fill while the user-data stream is stalled is found by reconciliation, with its quantity and average", async () => {
      await using emu = await emulator();
      const rest = restClient(emu, v.exchange);
      await open(rest, coin, v.symbol, "BUY", v.qty);
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        market: v.symbol,
        reconcileIntervalMs: 300,
      }));
      await tsl.start();
      await emu.drive(v.symbol, ramp(65000, 65400, 50, v.decimals), { market: v.market, stepsPerPrice: 2 });
      await until(() => tsl.stopOrder?.stopPrice === "64746.0", 30_000, "the stop at 64746.0");
      // no frame reaches the engine while the stop triggers and fills
      const stall = emu.inject({ name: "stall", target: "usdm", durationMs: 60_000 });
      await emu.drive(v.symbol, ramp(65350, 64500, 50, v.decimals), { market: v.market, stepsPerPrice: 2 });
      assertEquals(await position(rest, coin, v.symbol), "0");
      const done = await within(tsl.done) as Finished;
      stall.clear();
      assertEquals(done.reason, "filled");
      assertEquals(new Decimal(done.filledQuantity).toFixed(), new Decimal(v.qty).toFixed());
      const fills = await sells(rest, coin, v.symbol, "SELL");
      assertAverage(done.averagePrice, fills.avg);
      assertEquals(await openOrders(rest, coin, v.symbol), 0);
    });

    it("a short position gets a BUY stop that trails down", async () => {
      await using emu = await emulator();
      const rest = restClient(emu, v.exchange);
      await open(rest, coin, v.symbol, "SELL", v.qty);
      await using tsl = new BinanceTrailingStopLossManager(
        managerOptions(emu, v.exchange, { market: v.symbol, side: "short" }),
      );
      await tsl.start();
      assertEquals(tsl.stopOrder?.side, "BUY");
      const first = Number(tsl.stopOrder!.stopPrice);
      await emu.drive(v.symbol, [
        ...ramp(64950, 64500, 50, v.decimals),
        ...ramp(64550, 66000, 50, v.decimals),
      ], {
        market: v.market,
        stepsPerPrice: 2,
      });
      const done = await within(tsl.done) as Finished;
      assertEquals(done.reason, "filled");
      assert(Number(done.stop?.stopPrice) < first, `${done.stop?.stopPrice} < ${first}`);
      const fills = await sells(rest, coin, v.symbol, "BUY");
      assertEquals(fills.qty.toFixed(), new Decimal(v.qty).toFixed(), "the close");
      assertEquals(new Decimal(done.averagePrice!).toFixed(8), fills.avg.toFixed(8));
    });

    it("native mode: one TRAILING_STOP_MARKET that Binance trails", async () => {
      await using emu = await emulator();
      const rest = restClient(emu, v.exchange);
      await open(rest, coin, v.symbol, "BUY", v.qty);
      await using tsl = new BinanceTrailingStopLossManager(
        managerOptions(emu, v.exchange, { market: v.symbol, mode: "native", stopLossLimit: "1%" }),
      );
      await tsl.start();
      assertEquals([tsl.stopOrder?.type, tsl.stopOrder?.callbackRate], ["TRAILING_STOP_MARKET", "1.0"]);
      await emu.drive(v.symbol, [
        ...ramp(65000, 66000, 100, v.decimals),
        ...ramp(65900, 65000, 100, v.decimals),
      ], {
        market: v.market,
        stepsPerPrice: 2,
      });
      const done = await within(tsl.done) as Finished;
      assertEquals(done.reason, "filled");
      assertEquals(tsl.counts.replaces, 0);
      assert(Number(done.averagePrice) <= 65340, done.averagePrice);
    });

    it("an external cancel is replaced at once", async () => {
      await using emu = await emulator();
      const rest = restClient(emu, v.exchange);
      await open(rest, coin, v.symbol, "BUY", v.qty);
      await using tsl = new BinanceTrailingStopLossManager(
        managerOptions(emu, v.exchange, { market: v.symbol }),
      );
      await tsl.start();
      const id = tsl.stopOrder!.clientOrderId;
      if (coin) await rest.futuresCoinCancelOrder({ symbol: v.symbol, origClientOrderId: id });
      else await rest.futuresCancelAlgoOrder({ clientAlgoId: id });
      await until(() => tsl.stopOrder !== null && tsl.stopOrder.clientOrderId !== id, 10_000, "the new stop");
      const left = await tsl.stop({ cancelStop: true });
      assertEquals(left.leftOnBook, null);
    });
    it("a restart with the state file adopts the same stop and resumes the same ratchet", async () => {
      await using emu = await emulator();
      const rest = restClient(emu, v.exchange);
      await open(rest, coin, v.symbol, "BUY", v.qty);
      const file = join(mkdtempSync(join(tmpdir(), "tsl-futures-state-")), "state.json");
      await using first = new BinanceTrailingStopLossManager(
        managerOptions(emu, v.exchange, { market: v.symbol, stateStore: new FileStateStore(file) }),
      );
      await first.start();
      await emu.drive(v.symbol, ramp(65000, 65600, 100, v.decimals), { market: v.market, stepsPerPrice: 2 });
      await until(
        () => Number(first.referencePrice) === 65600 && first.stopOrder?.stopPrice === "64944.0",
        10_000,
        "the stop at 64944.0",
      );
      const left = (await first.stop()).leftOnBook;
      assertEquals([left?.type, left?.stopPrice], ["STOP_MARKET", "64944.0"]);
      // a dip while no engine runs: the restarted one keeps the 65600 high
      await emu.drive(v.symbol, ["65300.0", "65200.0"], { market: v.market });
      const rec = recorder();
      await using second = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        market: v.symbol,
        stateStore: new FileStateStore(file),
        onStopMoved: rec.push,
      }));
      const started: TrailingEvent[] = [];
      second.start();
      for await (const e of second) {
        started.push(e);
        if (e.type === "started") break;
      }
      const s = started.find((e) => e.type === "started");
      assert(s?.type === "started");
      assertEquals(s.adopted, true);
      assertEquals(s.stop?.clientOrderId, left?.clientOrderId);
      assertEquals(second.prefix, first.prefix);
      assertEquals(second.referencePrice, "65600");
      assertEquals(await openOrders(rest, coin, v.symbol), 1);
      await emu.drive(v.symbol, [
        ...ramp(65300, 65800, 50, v.decimals),
        ...ramp(65750, 64000, 50, v.decimals),
      ], { market: v.market, stepsPerPrice: 2 });
      const done = await within(second.done) as Finished;
      assertEquals(done.reason, "filled");
      assertEquals(new Decimal(done.filledQuantity).toFixed(), new Decimal(v.qty).toFixed());
      assert(
        moves(rec.events).some((e) =>
          e.via === "placeThenCancel" && e.previous?.clientOrderId === left?.clientOrderId
        ),
      );
      assertEquals(await position(rest, coin, v.symbol), "0");
      assertEquals(await new FileStateStore(file).load(`${v.exchange}:${v.symbol}:long`), null, "cleared");
    });
  });
}
