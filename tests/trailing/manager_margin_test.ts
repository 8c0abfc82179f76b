/**
 * The manager on emulated cross and isolated margin: ratchet and fill with the average of the
 * margin trades across a listen-token renewal and a WebSocket drop, an external cancel, the
 * coverage record of cancel-then-place (margin has no cancel-replace; the window is two
 * back-to-back requests), a partial fill, a restart from a state file, insufficient balance, and
 * the two crossed-trail exits (found in flight, known before sending).
 */
import { describe, it } from "node:test";
import { assert, assertEquals, assertRejects } from "@std/assert";
import { Decimal } from "decimal.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStateStore } from "../../src/trailing/state_file_node.ts";
import type { BinanceRestClient } from "../../src/rest/client.ts";
import { BinanceTrailingStopLossManager } from "../../src/trailing/manager.ts";
import type { TrailingEvent } from "../../src/trailing/events.ts";
import { emulator, KEY, managerOptions, ramp, recorder, restClient, SECRET, until, within } from "./_emu.ts";

type Finished = Extract<TrailingEvent, { type: "finished" }>;
type Moved = Extract<TrailingEvent, { type: "stopMoved" }>;

function moves(events: TrailingEvent[]): Moved[] {
  return events.filter((e): e is Moved => e.type === "stopMoved");
}

const VENUES = [
  { exchange: "binance.com-margin", market: "margin" as const, isolated: false },
  { exchange: "binance.com-isolated_margin", market: "isolatedMargin" as const, isolated: true },
];

async function setup(isolated: boolean) {
  const emu = await emulator({
    accounts: [{ apiKey: KEY, secretKey: SECRET, marginBalances: { BTC: "1" } }],
  });
  const rest = restClient(emu, isolated ? "binance.com-isolated_margin" : "binance.com-margin");
  if (isolated) {
    await rest.universalTransfer({
      type: "MARGIN_ISOLATEDMARGIN",
      asset: "BTC",
      amount: "1",
      toSymbol: "BTCUSDT",
    });
  }
  return { emu, rest };
}

function openRef(isolated: boolean): { symbol: string; isIsolated?: "TRUE" } {
  return { symbol: "BTCUSDT", ...(isolated ? { isIsolated: "TRUE" as const } : {}) };
}

async function marginVwap(rest: BinanceRestClient, isolated: boolean) {
  const trades = await rest.getMarginTrades({
    symbol: "BTCUSDT",
    limit: 1000,
    ...(isolated ? { isIsolated: "TRUE" } : {}),
  });
  let qty = new Decimal(0);
  let quote = new Decimal(0);
  const byOrder = new Map<string, Decimal>();
  const rows = trades as unknown as { isBuyer: boolean; qty: string; price: string; orderId: number }[];
  for (const t of rows) {
    if (t.isBuyer) continue;
    qty = qty.plus(t.qty);
    quote = quote.plus(new Decimal(t.qty).times(t.price));
    byOrder.set(String(t.orderId), (byOrder.get(String(t.orderId)) ?? new Decimal(0)).plus(t.qty));
  }
  return { qty, avg: qty.gt(0) ? quote.div(qty).toDecimalPlaces(8).toFixed() : "0", byOrder };
}

for (const v of VENUES) {
  describe(`trailing manager on ${v.exchange} (emulator)`, () => {
    it("ratchets across a listen-token renewal and a drop, fires once, the average of the margin trades", async () => {
      const { emu, rest } = await setup(v.isolated);
      await using _ = emu;
      const coverage = emu.recordCoverage("BTCUSDT", { apiKey: KEY, market: v.market });
      const rec = recorder();
      let tokens = 0;
      const base = managerOptions(emu, v.exchange);
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        wsOptions: {
          ...base.wsOptions,
          fetch: (input, init) => {
            if (String(input instanceof Request ? input.url : input).includes("/userListenToken")) tokens++;
            return fetch(input, init);
          },
        },
        stopLossOrderType: "MARKET",
        listenTokenValidityMs: 1500,
        onStopMoved: rec.push,
        onError: (e) => rec.push({ type: "error", time: 0, error: e, fatal: false }),
      }));
      await tsl.start();
      assertEquals([tsl.stopOrder?.type, tsl.stopOrder?.quantity], ["STOP_LOSS", "1.00000"]);
      await emu.drive("BTCUSDT", ramp(65000, 65400, 50), { stepsPerPrice: 4 });
      emu.inject({ name: "drop", target: "spot" });
      // long enough for at least one token renewal (at 80 % of 1.5 s)
      await emu.drive("BTCUSDT", [...ramp(65450, 65800, 50), ...ramp(65750, 64000, 50)], {
        stepsPerPrice: 5,
      });
      const done = await within(tsl.done) as Finished;
      assertEquals(done.reason, "filled");
      assert(tokens >= 2, `listen token renewed (${tokens} tokens)`);
      const moved = rec.events.filter((e) => e.type === "stopMoved");
      assert(moved.length >= 4, `moved ${moved.length} times`);
      assert(moved.slice(1).every((e) => e.type === "stopMoved" && e.via === "cancelThenPlace"));
      const vwap = await marginVwap(rest, v.isolated);
      assertEquals(vwap.qty.toFixed(), "1");
      assertEquals(done.averagePrice, vwap.avg);
      coverage.stop();
      const s = coverage.summary();
      // cancel-then-place: uncovered only if a simulator step falls between the two requests
      assert(
        s.uncovered.length <= moved.length,
        `${s.uncovered.length} uncovered steps for ${moved.length} moves`,
      );
      assertEquals(s.overCovered, [], "never more than the position on stops");
    });

    it("a listen-token expiry during the trail: a new token, the moves and the fill still seen", async () => {
      const { emu, rest } = await setup(v.isolated);
      await using _ = emu;
      const rec = recorder();
      let tokens = 0;
      const base = managerOptions(emu, v.exchange);
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        wsOptions: {
          ...base.wsOptions,
          fetch: (input, init) => {
            if (String(input instanceof Request ? input.url : input).includes("/userListenToken")) tokens++;
            return fetch(input, init);
          },
        },
        stopLossOrderType: "MARKET",
        onStopMoved: rec.push,
      }));
      await tsl.start();
      await emu.drive("BTCUSDT", ramp(65000, 65300, 50), { stepsPerPrice: 2 });
      await until(() => Number(tsl.referencePrice) === 65300, 10_000, "the 65300 high");
      const before = tokens;
      // the token ends now: the subscription gets eventStreamTerminated, the token answers -1209
      emu.inject({ name: "listenKeyExpiry", apiKey: KEY });
      await until(() => tokens > before, 10_000, "a new listen token");
      await emu.drive("BTCUSDT", [...ramp(65350, 65700, 50), ...ramp(65650, 64000, 50)], {
        stepsPerPrice: 3,
      });
      const done = await within(tsl.done) as Finished;
      assertEquals(done.reason, "filled");
      // the trail followed the price after the expiry (above 65300 × 0.99, up to 65700 × 0.99)
      const top = Math.max(...moves(rec.events).map((e) => Number(e.stop.stopPrice ?? 0)));
      assert(top > 64647 && top <= 65043, `highest stop ${top}`);
      const vwap = await marginVwap(rest, v.isolated);
      assertEquals([vwap.qty.toFixed(), vwap.avg], ["1", done.averagePrice]);
    });

    it("an external cancel is placed again", async () => {
      const { emu, rest } = await setup(v.isolated);
      await using _ = emu;
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange));
      await tsl.start();
      const id = tsl.stopOrder!.clientOrderId;
      await rest.cancelMarginOrder({
        symbol: "BTCUSDT",
        origClientOrderId: id,
        ...(v.isolated ? { isIsolated: "TRUE" as const } : {}),
      });
      await until(() => tsl.stopOrder !== null && tsl.stopOrder.clientOrderId !== id, 10_000, "the new stop");
      assertEquals((await tsl.stop({ cancelStop: true })).leftOnBook, null);
    });
    it("a partial fill: the stop's rest expires, the engine sells only the rest, the average covers all fills", async () => {
      const { emu, rest } = await setup(v.isolated);
      await using _ = emu;
      const coverage = emu.recordCoverage("BTCUSDT", { apiKey: KEY, market: v.market });
      const rec = recorder();
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        stopLossOrderType: "MARKET",
        onStopMoved: rec.push,
        onPartiallyFilled: rec.push,
      }));
      await tsl.start();
      await emu.drive("BTCUSDT", ramp(65000, 65400, 50), { stepsPerPrice: 2 });
      await until(() => tsl.stopOrder?.stopPrice === "64746.00", 30_000, "the stop at 64746");
      const stop = tsl.stopOrder!;
      // the stop's market order fills half; its rest expires (a thin book)
      emu.inject({ name: "partialFill", target: "spot", symbol: "BTCUSDT", count: 1 });
      await emu.drive("BTCUSDT", ramp(65350, 64500, 50), { stepsPerPrice: 2 });
      const done = await within(tsl.done) as Finished;
      assertEquals(done.reason, "filled");
      // one event per trade of the stop's market order; the last one has its half
      const partial = rec.events.findLast((e) => e.type === "partiallyFilled");
      assert(partial?.type === "partiallyFilled", rec.types().join());
      assertEquals(partial.filledQuantity, "0.5");
      assertEquals(done.filledQuantity, "1");
      const vwap = await marginVwap(rest, v.isolated);
      assertEquals(vwap.qty.toFixed(), "1");
      assertEquals(done.averagePrice, vwap.avg);
      // two orders sold: the stop (half), then one order with only the rest
      const sold = [...vwap.byOrder.entries()];
      assertEquals(sold.length, 2, JSON.stringify(sold));
      assertEquals(vwap.byOrder.get(stop.orderId)?.toFixed(), "0.5");
      assertEquals(sold.find(([id]) => id !== stop.orderId)?.[1].toFixed(), "0.5");
      const after = moves(rec.events).filter((e) => e.time >= partial.time);
      assert(after.every((e) => e.stop.quantity === "0.50000"), JSON.stringify(after.map((e) => e.stop)));
      assertEquals((await rest.getOpenMarginOrders(openRef(v.isolated))).length, 0);
      coverage.stop();
      assertEquals(coverage.summary().overCovered, [], "never more than the position on stops");
    });

    it("a restart with the state file adopts the same stop and resumes the same ratchet", async () => {
      const { emu, rest } = await setup(v.isolated);
      await using _ = emu;
      const file = join(mkdtempSync(join(tmpdir(), "tsl-margin-state-")), "state.json");
      const opts = { stateStore: new FileStateStore(file), stopLossOrderType: "MARKET" as const };
      await using first = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, opts));
      await first.start();
      await emu.drive("BTCUSDT", ramp(65000, 65600, 100), { stepsPerPrice: 2 });
      await until(
        () => Number(first.referencePrice) === 65600 && first.stopOrder?.stopPrice === "64944.00",
        10_000,
        "the stop at 64944",
      );
      const left = (await first.stop()).leftOnBook;
      assertEquals([left?.type, left?.stopPrice], ["STOP_LOSS", "64944.00"]);
      // a dip while no engine runs: the restarted one keeps the 65600 high
      await emu.drive("BTCUSDT", ["65300.00", "65200.00"]);
      const rec = recorder();
      await using second = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        ...opts,
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
      assertEquals((await rest.getOpenMarginOrders(openRef(v.isolated))).length, 1);
      await emu.drive("BTCUSDT", [...ramp(65300, 65800, 50), ...ramp(65750, 64000, 50)], {
        stepsPerPrice: 2,
      });
      const done = await within(second.done) as Finished;
      assertEquals(done.reason, "filled");
      assertEquals(done.filledQuantity, "1");
      assert(
        moves(rec.events).some((e) =>
          e.via === "cancelThenPlace" && e.previous?.clientOrderId === left?.clientOrderId
        ),
      );
      assertEquals(await new FileStateStore(file).load(`${v.exchange}:BTCUSDT:long`), null, "cleared");
    });

    it("insufficient balance: the first stop is refused, onError names it, start() rejects, nothing on the book", async () => {
      const { emu, rest } = await setup(v.isolated);
      await using _ = emu;
      const errors: Error[] = [];
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        quantity: "5",
        onError: (e) => void errors.push(e),
      }));
      await assertRejects(() => tsl.start(), Error, "insufficient balance");
      assertEquals(tsl.status, "failed");
      assert(errors.some((e) => /insufficient/i.test(e.message)), errors.join("; "));
      assertEquals((await rest.getOpenMarginOrders(openRef(v.isolated))).length, 0);
      assertEquals((await tsl.stop()).leftOnBook, null);
    });

    it("a move the market crosses in flight: the old stop is cancelled, the new one refused; the engine sells at once", async () => {
      const { emu, rest } = await setup(v.isolated);
      await using _ = emu;
      const errors: Error[] = [];
      const rec = recorder();
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        stopLossOrderType: "MARKET",
        onStopMoved: rec.push,
        onError: (e) => void errors.push(e),
      }));
      await tsl.start();
      const first = tsl.stopOrder!;
      // prices and requests are 300 ms late: the engine cancels the stop and places one for the
      // 66000 high after the market fell to 65300, below that stop (65340)
      const slow = emu.inject({ name: "latency", ms: 300, durationMs: 60_000 });
      await emu.drive("BTCUSDT", ["66000.00", "65300.00"], { stepsPerPrice: 1, intervalMs: 150 });
      const done = await within(tsl.done) as Finished;
      slow.clear();
      assert(errors.some((e) => /trigger immediately/i.test(e.message)), errors.join("; "));
      assertEquals(done.reason, "filled");
      assertEquals(done.filledQuantity, "1");
      assertEquals(tsl.counts.exits, 1);
      const exit = moves(rec.events).find((e) => e.via === "exit");
      // the fill event can beat the order's answer; when the answer came first it is reported
      if (exit) assertEquals([exit.stop.type, exit.stop.quantity], ["MARKET", "1.00000"]);
      // sold near the market it crossed (65300), far above the stop it had
      assert(
        Number(done.averagePrice) > Number(first.stopPrice!) + 500,
        `${done.averagePrice} vs ${first.stopPrice}`,
      );
      const vwap = await marginVwap(rest, v.isolated);
      assertEquals([vwap.qty.toFixed(), vwap.avg], ["1", done.averagePrice]);
      assertEquals((await rest.getOpenMarginOrders(openRef(v.isolated))).length, 0);
    });

    it("a move whose level the market is already through (best seen during the debounce) exits with its LIMIT order", async () => {
      const { emu, rest } = await setup(v.isolated);
      await using _ = emu;
      const rec = recorder();
      await using tsl = new BinanceTrailingStopLossManager(managerOptions(emu, v.exchange, {
        stopLossOrderType: "LIMIT",
        triggerGap: "0.1%",
        // the high and the fall (50 ms apart) both arrive within it, with slack on a loaded machine
        debounceMs: 1000,
        onStopMoved: rec.push,
      }));
      await tsl.start();
      // the 66000 high (level 65340) arrives during the debounce; when it ends the market is at
      // 65200, below that level: the stop becomes its LIMIT order
      await emu.drive("BTCUSDT", ["66000.00", "65200.00"], { stepsPerPrice: 1, intervalMs: 50 });
      await until(() => tsl.counts.exits === 1 || tsl.status !== "trailing", 10_000, "the exit");
      assertEquals(tsl.counts.exits, 1);
      const exit = moves(rec.events).find((e) => e.via === "exit");
      if (exit) {
        assertEquals(exit.stop.type, "LIMIT");
        assert(Number(exit.stop.price) < 65200, exit.stop.price);
      }
      // the limit rests where the bids did not take it, and fills as the market comes back
      for (let k = 0; k < 20 && tsl.status === "trailing"; k++) {
        await emu.drive("BTCUSDT", [...ramp(65150, 65400, 50), ...ramp(65350, 65150, 50)], {
          stepsPerPrice: 2,
        });
      }
      const done = await within(tsl.done) as Finished;
      assertEquals(done.reason, "filled");
      assertEquals(done.filledQuantity, "1");
      assert(Number(done.averagePrice) < 65340 && Number(done.averagePrice) > 64900, done.averagePrice);
      const vwap = await marginVwap(rest, v.isolated);
      assertEquals([vwap.qty.toFixed(), vwap.avg], ["1", done.averagePrice]);
      assertEquals((await rest.getOpenMarginOrders(openRef(v.isolated))).length, 0);
    });
  });
}
