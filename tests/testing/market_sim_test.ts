import { describe, it } from "node:test";
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { Market } from "../../src/testing/emulator/market.ts";
import { resolveMarket } from "../../src/testing/emulator/symbols.ts";

function run(seed: number, steps: number, market: "spot" | "usdm" = "spot") {
  const spec = resolveMarket({
    symbol: "BTCUSDT",
    market,
    price: "65000.00",
    tickSize: "0.01",
    stepSize: "0.00001",
  }, "m");
  const m = new Market(spec, seed, 0);
  const ids: Array<[number, number, number]> = [];
  for (let i = 0; i < steps; i++) {
    const c = m.step(i * 100);
    if (c) ids.push([c.U, c.u, c.pu]);
  }
  return { m, ids };
}

describe("market simulator (pure)", () => {
  it("a market a few hundred ticks above zero keeps stepping (no freeze) with positive prices", () => {
    // Regression: refilling the bid side below one tick looped forever (seen in firehose runs).
    const valid = resolveMarket(
      { symbol: "CHEAPUSDT", price: "1.0000", tickSize: "0.0001", stepSize: "1", levels: 500 },
      "m",
    );
    // Where a long random walk can end up (options validation keeps a fresh market further away):
    // 500 ticks above zero for 500 levels.
    const spec = { ...valid, initialPrice: valid.tickUnits * 500 };
    const m = new Market(spec, 5, 0);
    for (let i = 0; i < 20_000; i++) m.step(i);
    const bids = m.bids.top(1000);
    assert(bids.length > 0 && bids.length < 500, `bid levels ${bids.length}`);
    for (const [tick] of bids) assert(tick > 0, `bid at ${tick}`);
    assertEquals(m.asks.top(1000).length, 500);
    assert(m.bids.best()! < m.asks.best()!);
  });
  it("is deterministic for a seed and differs across seeds", () => {
    const a = run(42, 500);
    const b = run(42, 500);
    assertEquals(a.ids, b.ids);
    assertEquals(a.m.bids.top(50), b.m.bids.top(50));
    assertEquals(a.m.asks.top(50), b.m.asks.top(50));
    assertNotEquals(run(43, 500).m.bids.top(50), a.m.bids.top(50));
  });

  it("keeps thousands of levels per side, uncrossed", () => {
    const { m } = run(1, 1000);
    assertEquals(m.bids.size, 5000);
    assertEquals(m.asks.size, 5000);
    assert(m.bids.best()! < m.asks.best()!);
  });

  it("spot ids are contiguous; USD-M ids leave gaps and chain with pu", () => {
    const spot = run(3, 300).ids;
    for (let i = 1; i < spot.length; i++) assertEquals(spot[i][0], spot[i - 1][1] + 1);
    const fut = run(3, 300, "usdm").ids;
    let gaps = 0;
    for (let i = 1; i < fut.length; i++) {
      assertEquals(fut[i][2], fut[i - 1][1]);
      if (fut[i][0] !== fut[i - 1][1] + 1) gaps++;
    }
    assertEquals(gaps, fut.length - 1);
  });

  it("takers print trades at the touch and consume the level", () => {
    const { m } = run(5, 10);
    const ask = m.asks.best()!;
    const q = m.asks.get(ask);
    const fills = m.take("BUY", q, { time: 1 });
    assertEquals(fills.length, 1);
    assertEquals(fills[0].price, ask);
    assertEquals(m.asks.get(ask), 0);
  });
});
