/**
 * The manager on emulated binance.com spot: ratchet and fill, partial fill, external cancel,
 * restart from a state file, a WebSocket drop, insufficient balance, a would-trigger rejection,
 * native trailingDelta, option validation and the venue checks.
 */
import { describe, it } from "node:test";
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BinanceTrailingStopLossManager } from "../../src/trailing/manager.ts";
import { FileStateStore } from "../../src/trailing/state_file_node.ts";
import type { TrailingEvent } from "../../src/trailing/events.ts";
import {
  emulator,
  KEY,
  managerOptions,
  ramp,
  recorder,
  restClient,
  SECRET,
  spotVwap,
  until,
  within,
} from "./_emu.ts";

type Finished = Extract<TrailingEvent, { type: "finished" }>;
type Moved = Extract<TrailingEvent, { type: "stopMoved" }>;

const ON_NODE = (globalThis as { Deno?: unknown }).Deno === undefined &&
  (globalThis as { Bun?: unknown }).Bun === undefined;
const UP_DOWN = [...ramp(65000, 65500, 50), ...ramp(65450, 64000, 50)];

function moves(events: TrailingEvent[]): Moved[] {
  return events.filter((e): e is Moved => e.type === "stopMoved");
}

describe("trailing manager on spot (emulator)", () => {
  it("ratchets up with the price, fires once on the way down, onFinished with the VWAP of the fills", async () => {
    await using emu = await emulator();
    const rec = recorder();
    const finished: Finished[] = [];
    await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, "binance.com", {
      triggerGap: "0.2%",
      onStopMoved: rec.push,
      onError: (e) => rec.push({ type: "error", time: 0, error: e, fatal: false }),
      onFinished: (e) => void finished.push(e),
    }));
    const iterated: string[] = [];
    const iterating = (async () => {
      for await (const e of tsl) iterated.push(e.type);
    })();
    await tsl.start();
    assertEquals(tsl.status, "trailing");
    assertEquals(tsl.stopOrder?.type, "STOP_LOSS_LIMIT");
    assertEquals(tsl.stopOrder?.quantity, "1.00000");
    await emu.drive("BTCUSDT", UP_DOWN, { stepsPerPrice: 2 });
    const done = await within(tsl.done);
    assertEquals(done.type, "finished");
    assertEquals(finished.length, 1);
    assertEquals(finished[0].reason, "filled");
    const m = moves(rec.events);
    assert(m.length >= 4, `the stop moved ${m.length} times`);
    const levels = m.map((e) => Number(e.stop.price));
    assertEquals([...levels].sort((a, b) => a - b), levels, "the stop only moves up");
    assert(m.slice(1).every((e) => e.via === "cancelReplace"));
    // the average is that of the exchange's own trades of the stop order(s)
    const rest = restClient(emu);
    const vwap = await spotVwap(rest, "BTCUSDT");
    assertEquals(vwap.qty.toFixed(), "1");
    assertEquals(finished[0].averagePrice, vwap.avg);
    assertEquals(finished[0].filledQuantity, "1");
    assertEquals(emu.account(KEY).balances.BTC.free, "0.00000000");
    assertEquals(rec.events.filter((e) => e.type === "error").length, 0);
    await iterating;
    assertEquals(iterated.at(-1), "finished");
    assert(iterated.includes("started"));
    assertEquals((await tsl.stop()).leftOnBook, null);
  });

  // Known gap (issue 11): under Node the rest of the partially filled stop sells before the price
  // makes a new high, so the scenario never reaches the move it checks; it runs on Deno and Bun.
  it(
    "a partial fill leaves the rest on the stop, the moved stop has only the rest, the average covers all fills",
    {
      skip: ON_NODE ? "partial-fill scenario: the rest fills before a new high under Node (issue 11)" : false,
    },
    async () => {
      await using emu = await emulator({
        accounts: [{ apiKey: KEY, secretKey: "x", balances: { BTC: "30", USDT: "0" } }],
      });
      const rec = recorder();
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, "binance.com", {
        apiSecret: "x",
        triggerGap: "0.2%",
        // a plain stop-limit: it must trigger on the gap down to 64800 (a guarded one would wait
        // for a further 0.1 % drop, which this path never makes)
        crossGuard: false,
        onStopMoved: rec.push,
        onPartiallyFilled: rec.push,
        onFinished: rec.push,
      }));
      await tsl.start();
      // the stop triggers on the drop to 64800; its limit (64845) rests above the market and fills
      // partly as the price climbs back through it
      await emu.drive("BTCUSDT", [...ramp(65000, 65500, 50), "64800.00", ...ramp(64850, 65450, 50)], {
        stepsPerPrice: 2,
      });
      await until(() => rec.types().includes("partiallyFilled"), 15_000, "a partial fill");
      const partial = rec.events.find((e) => e.type === "partiallyFilled") as Extract<
        TrailingEvent,
        { type: "partiallyFilled" }
      >;
      const firstFilled = Number(partial.filledQuantity);
      assert(firstFilled > 0 && firstFilled < 30, partial.filledQuantity);
      // up to a new high: the stop moves with the rest only; then it triggers below 65966.67 and its
      // limit (65835) fills as the price swings back up through it (below the high: no more moves)
      const swing = [...ramp(66450, 65500, 50), ...ramp(65550, 66450, 50)];
      await emu.drive("BTCUSDT", ramp(65500, 66500, 50), { stepsPerPrice: 3 });
      // each swing fills what the book's takers bring; swing until the rest is sold
      for (let k = 0; k < 20 && tsl.status === "trailing"; k++) {
        await emu.drive("BTCUSDT", swing, { stepsPerPrice: 3 });
      }
      const done = await within(tsl.done) as Finished;
      assertEquals(done.reason, "filled");
      const after = moves(rec.events).filter((e) => e.time > partial.time);
      assert(after.length > 0, "moved after the partial fill");
      assert(Number(after[0].stop.quantity) < 30, `moved with ${after[0].stop.quantity}`);
      const vwap = await spotVwap(restClient(emu, "binance.com", "x"), "BTCUSDT");
      assertEquals(vwap.qty.toFixed(), "30");
      assertEquals(done.filledQuantity, "30");
      assertEquals(done.averagePrice, vwap.avg);
    },
  );

  it("a partial fill (the stop's market order fills half, its rest expires): one more order sells only the rest", async () => {
    await using emu = await emulator({
      accounts: [{ apiKey: KEY, secretKey: "x", balances: { BTC: "1", USDT: "0" } }],
    });
    const coverage = emu.recordCoverage("BTCUSDT", { apiKey: KEY });
    const rec = recorder();
    await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, "binance.com", {
      apiSecret: "x",
      stopLossOrderType: "MARKET",
      onStopMoved: rec.push,
      onPartiallyFilled: rec.push,
    }));
    await tsl.start();
    await emu.drive("BTCUSDT", ramp(65000, 65400, 50), { stepsPerPrice: 2 });
    await until(() => tsl.stopOrder?.stopPrice === "64746.00", 30_000, "the stop at 64746");
    const stop = tsl.stopOrder!;
    emu.inject({ name: "partialFill", target: "spot", symbol: "BTCUSDT", count: 1 });
    await emu.drive("BTCUSDT", ramp(65350, 64500, 50), { stepsPerPrice: 2 });
    const done = await within(tsl.done) as Finished;
    assertEquals(done.reason, "filled");
    const partial = rec.events.findLast((e) => e.type === "partiallyFilled");
    assert(partial?.type === "partiallyFilled", rec.types().join());
    assertEquals(partial.filledQuantity, "0.5");
    assertEquals(done.filledQuantity, "1");
    const rest = restClient(emu, "binance.com", "x");
    const vwap = await spotVwap(rest, "BTCUSDT");
    assertEquals(vwap.qty.toFixed(), "1");
    assertEquals(done.averagePrice, vwap.avg);
    const trades = await rest.getMyTrades({ symbol: "BTCUSDT", limit: 1000 });
    const byOrder = new Map<string, number>();
    for (const t of trades) {
      byOrder.set(String(t.orderId), (byOrder.get(String(t.orderId)) ?? 0) + Number(t.qty));
    }
    assertEquals(byOrder.size, 2, JSON.stringify([...byOrder]));
    assertEquals(byOrder.get(stop.orderId), 0.5);
    assertEquals(emu.account(KEY).balances.BTC.free, "0.00000000");
    assertEquals((await rest.getOpenOrders({ symbol: "BTCUSDT" })).length, 0);
    coverage.stop();
    assertEquals(coverage.summary().overCovered, [], "never more than the position on stops");
  });

  it("a stop cancelled by someone else is placed again (replace) or ends the engine (stop)", async () => {
    await using emu = await emulator();
    const rest = restClient(emu);
    for (const policy of ["replace", "stop"] as const) {
      const rec = recorder();
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, "binance.com", {
        onExternalCancel: policy,
        onStopMoved: rec.push,
        onError: (e) => rec.push({ type: "error", time: 0, error: e, fatal: false }),
      }));
      await tsl.start();
      const first = tsl.stopOrder!;
      await rest.cancelOrder({ symbol: "BTCUSDT", origClientOrderId: first.clientOrderId });
      if (policy === "replace") {
        await until(() => tsl.stopOrder !== null && tsl.stopOrder.clientOrderId !== first.clientOrderId);
        const open = await rest.getOpenOrders({ symbol: "BTCUSDT" });
        assertEquals(open.map((o) => o.clientOrderId), [tsl.stopOrder!.clientOrderId]);
        assert(rec.events.some((e) => e.type === "error" && /cancel/i.test(e.error.message)));
        assertEquals((await tsl.stop({ cancelStop: true })).leftOnBook, null);
      } else {
        const done = await within(tsl.done) as Finished;
        assertEquals(done.reason, "canceled");
        assertEquals((await rest.getOpenOrders({ symbol: "BTCUSDT" })).length, 0);
      }
    }
  });

  it("a restart with the state file adopts the same stop and resumes the same ratchet", async () => {
    await using emu = await emulator();
    const file = join(mkdtempSync(join(tmpdir(), "tsl-state-")), "state.json");
    await using first = new BinanceTrailingStopLossManager(
      managerOptions(emu, "binance.com", {
        stateStore: new FileStateStore(file),
        stopLossOrderType: "MARKET",
      }),
    );
    await first.start();
    await emu.drive("BTCUSDT", ramp(65000, 65600, 100), { stepsPerPrice: 2 });
    await until(() => Number(first.referencePrice) === 65600 && first.stopOrder?.stopPrice === "64944.00");
    const left = (await first.stop()).leftOnBook;
    assertEquals([left?.type, left?.stopPrice], ["STOP_LOSS", "64944.00"]);
    // the price dips while no engine runs: the restarted one must not forget the 65600 high
    await emu.drive("BTCUSDT", ["65300.00", "65200.00"]);
    const rec = recorder();
    await using second = new BinanceTrailingStopLossManager(
      managerOptions(emu, "binance.com", {
        stateStore: new FileStateStore(file),
        stopLossOrderType: "MARKET",
        onStopMoved: rec.push,
      }),
    );
    const started: TrailingEvent[] = [];
    second.start();
    for await (const e of second) {
      started.push(e);
      if (e.type === "started") break;
    }
    const s = started.find((e) => e.type === "started") as Extract<TrailingEvent, { type: "started" }>;
    assertEquals(s.adopted, true);
    assertEquals(s.stop?.clientOrderId, left?.clientOrderId);
    assertEquals(second.prefix, first.prefix);
    assertEquals(second.referencePrice, "65600");
    assertEquals((await restClient(emu).getOpenOrders({ symbol: "BTCUSDT" })).length, 1);
    await emu.drive("BTCUSDT", [...ramp(65300, 65800, 50), ...ramp(65750, 64000, 50)], { stepsPerPrice: 2 });
    const done = await within(second.done) as Finished;
    assertEquals(done.reason, "filled");
    assert(
      moves(rec.events).some((e) =>
        e.via === "cancelReplace" && e.previous?.clientOrderId === left?.clientOrderId
      ),
    );
    assertEquals(
      await new FileStateStore(file).load(`binance.com:BTCUSDT:long`),
      null,
      "cleared when finished",
    );
  });

  it("keeps trailing across a WebSocket drop (price stream, user data and WebSocket API)", async () => {
    await using emu = await emulator();
    const rec = recorder();
    await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, "binance.com", {
      stopLossOrderType: "MARKET",
      onStopMoved: rec.push,
    }));
    await tsl.start();
    await emu.drive("BTCUSDT", ramp(65000, 65300, 50), { stepsPerPrice: 2 });
    await until(() => Number(tsl.referencePrice) === 65300);
    emu.inject({ name: "drop", target: "spot" });
    await emu.drive("BTCUSDT", [...ramp(65350, 65800, 50), ...ramp(65750, 64000, 50)], { stepsPerPrice: 3 });
    const done = await within(tsl.done) as Finished;
    assertEquals(done.reason, "filled");
    const last = moves(rec.events).at(-1)!;
    // the trail followed the price up after the drop (65800 × 0.99 = 65142)
    assert(Number(last.stop.stopPrice) > 64647, last.stop.stopPrice);
  });

  it("rides out an emulator outage (restart: connections dropped, 503 for a second) and resumes", async () => {
    await using emu = await emulator();
    const rec = recorder();
    await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, "binance.com", {
      stopLossOrderType: "MARKET",
      onStopMoved: rec.push,
    }));
    await tsl.start();
    await emu.drive("BTCUSDT", ramp(65000, 65300, 50), { stepsPerPrice: 2 });
    await until(() => Number(tsl.referencePrice) === 65300);
    const outage = emu.inject({ name: "outage", target: "spot", durationMs: 1000 });
    await emu.drive("BTCUSDT", ramp(65350, 65600, 50), { stepsPerPrice: 4 });
    outage.clear();
    await emu.drive("BTCUSDT", [...ramp(65650, 65900, 50), ...ramp(65850, 64500, 50)], { stepsPerPrice: 3 });
    const done = await within(tsl.done) as Finished;
    assertEquals(done.reason, "filled");
    // it trailed past the outage: the last stop comes from a high above 65600
    assert(
      Number(moves(rec.events).at(-1)!.stop.stopPrice) > 65600 * 0.99,
      moves(rec.events).at(-1)!.stop.stopPrice,
    );
  });

  it("insufficient balance: the first stop is refused, onError names it, start() rejects, nothing on the book", async () => {
    await using emu = await emulator();
    const errors: Error[] = [];
    await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, "binance.com", {
      quantity: "5",
      onError: (e) => void errors.push(e),
    }));
    await assertRejects(() => tsl.start(), Error, "insufficient balance");
    assertEquals(tsl.status, "failed");
    assert(errors.some((e) => /insufficient/i.test(e.message)));
    assertEquals((await restClient(emu).getOpenOrders({ symbol: "BTCUSDT" })).length, 0);
    assertEquals((await tsl.stop()).leftOnBook, null);
  });

  it("a move the market crosses in flight, guarded (default): the new stop is accepted and tracks; covered at every step", async () => {
    await using emu = await emulator();
    const errors: Error[] = [];
    const rec = recorder();
    const coverage = emu.recordCoverage("BTCUSDT", { apiKey: KEY });
    await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, "binance.com", {
      stopLossOrderType: "MARKET",
      onStopMoved: rec.push,
      onError: (e) => void errors.push(e),
    }));
    await tsl.start();
    const first = tsl.stopOrder!;
    // the stop carries the symbol's smallest trailingDelta (the emulator's TRAILING_DELTA minimum)
    assertEquals([first.type, first.trailingDelta], ["STOP_LOSS", 10]);
    const slow = emu.inject({ name: "latency", ms: 300, durationMs: 60_000 });
    // as below: the engine sends a stop for the 66000 high (65340) after the market fell to 65300
    await emu.drive("BTCUSDT", ["66000.00", "65300.00"], { stepsPerPrice: 1, intervalMs: 150 });
    await until(() => tsl.counts.replaces === 1, 10_000, "the replace");
    slow.clear();
    // Binance took the trailing stop although the market is through its stopPrice: it tracks from
    // 65300 and fires after a 0.1 % drop from the highest price since (65234.7)
    assertEquals(errors.map((e) => e.message), []);
    assertEquals(tsl.counts.exits, 0);
    assertEquals(tsl.stopOrder!.stopPrice, "65340.00");
    await emu.drive("BTCUSDT", ["65260.00", "65240.00"], { stepsPerPrice: 1 });
    assertEquals(tsl.status, "trailing"); // not yet 0.1 % below 65300
    await emu.drive("BTCUSDT", ["65230.00", "65200.00"], { stepsPerPrice: 1 });
    const done = await within(tsl.done) as Finished;
    coverage.stop();
    assertEquals(done.reason, "filled");
    assertEquals(done.filledQuantity, "1");
    assert(
      Number(done.averagePrice) > Number(first.stopPrice!) + 500,
      `${done.averagePrice} vs ${first.stopPrice}`,
    );
    const s = coverage.summary();
    assert(s.firstCovered !== undefined);
    assertEquals([s.uncovered, s.overCovered], [[], []]);
    assertEquals((await restClient(emu).getOpenOrders({ symbol: "BTCUSDT" })).length, 0);
  });

  it("cross guard: which stops carry the smallest trailingDelta", async () => {
    await using emu = await emulator();
    const cases: [Record<string, unknown>, number | undefined][] = [
      [{ stopLossOrderType: "MARKET" }, 10],
      [{ stopLossOrderType: "MARKET", crossGuard: false }, undefined],
      // a limit at least 0.1 % under the stop price stays marketable at the guarded trigger
      [{ stopLossOrderType: "LIMIT", triggerGap: "0.2%" }, 10],
      // the default one-tick gap: the limit would sit above the later trigger, so a plain stop
      [{ stopLossOrderType: "LIMIT" }, undefined],
      [{ stopLossOrderType: "LIMIT", triggerGap: "0.05%" }, undefined],
    ];
    for (const [extra, delta] of cases) {
      const tsl = new BinanceTrailingStopLossManager(managerOptions(emu, "binance.com", extra));
      try {
        await tsl.start();
        assertEquals(tsl.stopOrder!.trailingDelta, delta, JSON.stringify(extra));
        const open = await restClient(emu).getOpenOrders({ symbol: "BTCUSDT" }) as {
          trailingDelta?: number;
        }[];
        assertEquals(open.length, 1);
        assertEquals(open[0].trailingDelta, delta, JSON.stringify(extra));
      } finally {
        await tsl.stop({ cancelStop: true });
      }
    }
  });

  it("a move the market crosses in flight, unguarded: Binance cancels the old stop and refuses the new one; the engine sells at once", async () => {
    await using emu = await emulator();
    const errors: Error[] = [];
    const rec = recorder();
    await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, "binance.com", {
      stopLossOrderType: "MARKET",
      crossGuard: false,
      onStopMoved: rec.push,
      onError: (e) => void errors.push(e),
    }));
    await tsl.start();
    const first = tsl.stopOrder!;
    // prices reach the engine 300 ms late: it sends a stop for the 66000 high after the market
    // fell to 65300, which lies below that stop (65340)
    const slow = emu.inject({ name: "latency", ms: 300, durationMs: 60_000 });
    // 150 ms between the two prices: the engine acts on 66000 before it sees 65300, and its
    // request reaches the exchange after the market fell (requests are not delayed, answers are)
    await emu.drive("BTCUSDT", ["66000.00", "65300.00"], { stepsPerPrice: 1, intervalMs: 150 });
    const done = await within(tsl.done) as Finished;
    slow.clear();
    // the 409 answer named both halves: no blind retry of the refused stop, no lookup first —
    // the order the stop would have become (a MARKET sell) went out at once
    assert(errors.some((e) => /cancel-replace partially failed/i.test(e.message)), errors.join("; "));
    assertEquals(done.reason, "filled");
    assertEquals(done.filledQuantity, "1");
    assertEquals(tsl.counts.exits, 1);
    assertEquals(tsl.counts.replaces, 0);
    const exit = moves(rec.events).find((e) => e.via === "exit");
    // the fill event can beat the order's answer; when the answer came first it is reported
    if (exit) assertEquals([exit.stop.type, exit.stop.quantity], ["MARKET", "1.00000"]);
    // sold near the market it crossed (65300), far above the stop it had (first.stopPrice)
    assert(
      Number(done.averagePrice) > Number(first.stopPrice!) + 500,
      `${done.averagePrice} vs ${first.stopPrice}`,
    );
    assertEquals((await restClient(emu).getOpenOrders({ symbol: "BTCUSDT" })).length, 0);
    assertEquals(emu.account(KEY).balances.BTC.free, "0.00000000");
  });

  it("a move whose level the market is already through (best seen during the debounce) exits instead of racing it", async () => {
    await using emu = await emulator();
    const rec = recorder();
    await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, "binance.com", {
      stopLossOrderType: "LIMIT",
      triggerGap: "0.1%",
      debounceMs: 400,
      onStopMoved: rec.push,
    }));
    await tsl.start();
    // the high (66000: level 65340) arrives during the debounce; when it ends the market is at
    // 65200, below that level: a stop there would trigger at once, so it becomes its LIMIT order
    await emu.drive("BTCUSDT", ["66000.00", "65200.00"], { stepsPerPrice: 1, intervalMs: 50 });
    await until(() => tsl.counts.exits === 1 || tsl.status !== "trailing", 10_000, "the exit");
    assertEquals(tsl.counts.exits, 1);
    // the limit is marketable (one gap below a trigger one tick below the market): its fill event
    // can beat the order's answer; when the answer came first it is reported
    const exit = moves(rec.events).find((e) => e.via === "exit");
    if (exit) {
      assertEquals(exit.stop.type, "LIMIT");
      assert(Number(exit.stop.price) < 65200, exit.stop.price);
    }
    // what a triggered stop-limit does: the limit rests if the book's bids did not take it all,
    // and fills as the market comes back up through it
    for (let k = 0; k < 20 && tsl.status === "trailing"; k++) {
      await emu.drive("BTCUSDT", [...ramp(65150, 65400, 50), ...ramp(65350, 65150, 50)], {
        stepsPerPrice: 2,
      });
    }
    const done = await within(tsl.done) as Finished;
    assertEquals(done.reason, "filled");
    assertEquals(done.filledQuantity, "1");
    // sold below the crossed level (65340) and far above the first stop (1 % under 65000)
    assert(Number(done.averagePrice) < 65340 && Number(done.averagePrice) > 64900, done.averagePrice);
    assertEquals((await restClient(emu).getOpenOrders({ symbol: "BTCUSDT" })).length, 0);
  });

  it("native mode: one STOP_LOSS_LIMIT with trailingDelta that Binance trails and fills", async () => {
    await using emu = await emulator();
    await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, "binance.com", {
      mode: "native",
      stopLossOrderType: "MARKET",
    }));
    await tsl.start();
    assertEquals(tsl.stopOrder?.type, "STOP_LOSS");
    assertEquals(tsl.stopOrder?.trailingDelta, 100);
    await emu.drive("BTCUSDT", [...ramp(65000, 66000, 100), ...ramp(65900, 65000, 100)], {
      stepsPerPrice: 2,
    });
    const done = await within(tsl.done) as Finished;
    assertEquals(done.reason, "filled");
    assertEquals(tsl.counts.replaces, 0);
    // triggered after a 1 % drop from the 66000 high
    assert(Number(done.averagePrice) <= 65340 && Number(done.averagePrice) > 65000, done.averagePrice);
  });

  it("jump-in-and-trail: buys with a MARKET order, protects what it bought, trails", async () => {
    await using emu = await emulator({
      accounts: [{ apiKey: KEY, secretKey: SECRET, balances: { BTC: "0", USDT: "13000" } }],
    });
    const rec = recorder();
    await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, "binance.com", {
      engine: "jump-in-and-trail",
      jumpIn: { type: "MARKET", quoteQuantity: "6500" },
      stopLossOrderType: "MARKET",
      onStopMoved: rec.push,
    }));
    await tsl.start();
    const bought = emu.account(KEY).balances.BTC;
    const held = Number(bought.free) + Number(bought.locked);
    assert(held > 0.09 && held < 0.11, JSON.stringify(bought));
    assertEquals(Number(tsl.stopOrder?.quantity), Math.floor(held * 1e5) / 1e5);
    await emu.drive("BTCUSDT", [...ramp(65000, 65400, 50), ...ramp(65350, 64000, 50)], { stepsPerPrice: 2 });
    const done = await within(tsl.done) as Finished;
    assertEquals(done.reason, "filled");
    assert(moves(rec.events).length >= 3);
  });

  it("validates options and venues before sending anything", () => {
    const base = { market: "BTCUSDT", stopLossLimit: "1%", apiKey: "k", apiSecret: "s", autoStart: false };
    assertThrows(
      () => new BinanceTrailingStopLossManager({ ...base, stopLoss: "1" } as never),
      TypeError,
      '"stopLoss"',
    );
    assertThrows(
      () => new BinanceTrailingStopLossManager({ ...base, stopLossLimit: "-1" }),
      TypeError,
      "stopLossLimit",
    );
    assertThrows(
      () => new BinanceTrailingStopLossManager({ ...base, crossGuard: "yes" } as never),
      TypeError,
      "crossGuard",
    );
    assertThrows(
      () => new BinanceTrailingStopLossManager({ ...base, apiSecret: "" }),
      TypeError,
      "hidden",
    );
    assertThrows(
      () => new BinanceTrailingStopLossManager({ ...base, exchange: "binance.us" }),
      RangeError,
      "user-data",
    );
    assertThrows(
      () => new BinanceTrailingStopLossManager({ ...base, exchange: "trbinance.com" }),
      RangeError,
    );
    assertThrows(
      () => new BinanceTrailingStopLossManager({ ...base, exchange: "binance.com-vanilla-options" }),
      RangeError,
      "Unsupported exchange",
    );
    assertThrows(() => new BinanceTrailingStopLossManager({ ...base, side: "short" }), RangeError, "short");
    assertThrows(
      () => new BinanceTrailingStopLossManager({ ...base, exchange: "binance.com-margin", mode: "native" }),
      RangeError,
      "native",
    );
  });
});
