// The Python examples of python-suite.md E.4 C–E, through the TypeScript engine. Where Python is
// wrong the row states the corrected value and why.
import { describe, it } from "node:test";
import { assertEquals } from "@std/assert";
import {
  computeStop,
  initialTrail,
  onPrice,
  parseAmount,
  stopLevel,
  stopQuantity,
  symbolRules,
  trailConfig,
  type TrailState,
} from "../../src/trailing/engine.ts";
import { ccxtSpot, rulesOf } from "./_rules.ts";

describe("E.4 C stop-loss price (calculate_stop_loss_price)", () => {
  const rows: Array<
    { price: string; limit: string; tick: string; python: string; ours: string; why?: string }
  > = [
    { price: "65000", limit: "1.5%", tick: "0.01", python: "64025.0", ours: "64025.00" },
    { price: "65000.5", limit: "1.5%", tick: "0.01", python: "64025.49", ours: "64025.49" },
    {
      price: "64990",
      limit: "1.5%",
      tick: "0.01",
      python: "64015.14",
      ours: "64015.15",
      why: "64990 × 0.985 = 64015.15 exactly; Python's float product is 64015.149999… and floor2 cuts a cent",
    },
    { price: "65000", limit: "50", tick: "0.01", python: "64950.0", ours: "64950.00" },
    { price: "2.3456", limit: "1%", tick: "0.01", python: "2.32", ours: "2.32" },
    {
      price: "2.3456",
      limit: "1%",
      tick: "0.0001",
      python: "2.32",
      ours: "2.3221",
      why: "T1: Python floors to 2 decimals whatever the tick; 2.322144 floored to tick 0.0001 is 2.3221",
    },
    {
      price: "0.00001234",
      limit: "1%",
      tick: "0.00000001",
      python: "0.0",
      ours: "0.00001221",
      why: "T1: floor2 gives 0.0 (a stop at zero); 0.0000122166 floored to tick 1e-8 is 0.00001221",
    },
  ];
  for (const r of rows) {
    it(`(${r.price}, ${r.limit}) tick ${r.tick} → ${r.ours} (Python ${r.python})`, () => {
      assertEquals(stopLevel("SELL", r.price, parseAmount(r.limit, "distance"), r.tick), r.ours, r.why);
    });
  }
  it("the BUY side mirrors it (short: stop above, ceiled)", () => {
    assertEquals(stopLevel("BUY", "64990", parseAmount("1.5%", "distance"), "0.01"), "65964.85");
    assertEquals(stopLevel("BUY", "2.3456", parseAmount("1%", "distance"), "0.0001"), "2.3691");
  });
});

describe("E.4 D trigger price (get_stop_loss_trigger_price)", () => {
  const btc = symbolRules(ccxtSpot(), "spot");
  it("p = 64025.0, gap 0.01 → stopPrice 64025.01 (as Python)", () => {
    const r = computeStop(
      { side: "SELL", orderType: "LIMIT", triggerGap: parseAmount("0.01", "g", true) },
      btc,
      {
        level: "64025.00",
        price: "65000.00",
        quantity: "0.1",
      },
    );
    assertEquals(r, {
      order: {
        side: "SELL",
        type: "STOP_LOSS_LIMIT",
        stopPrice: "64025.01",
        limitPrice: "64025.00",
        quantity: "0.1",
      },
    });
  });
  it("gap 1% → stopPrice 64665.25, not Python's 127409.75 (T2: the gap is 1% of the price, not 99% of it)", () => {
    const r = computeStop(
      { side: "SELL", orderType: "LIMIT", triggerGap: parseAmount("1%", "g", true) },
      btc,
      {
        level: "64025.00",
        price: "65000.00",
        quantity: "0.1",
      },
    );
    assertEquals("order" in r && [r.order.stopPrice, r.order.limitPrice], ["64665.25", "64025.00"]);
  });
  it("p = 1.84 with stepSize 0.1 → stop 1.850 / limit 1.840, not Python's stop 1.8 below the limit (T3: tick, not step)", () => {
    // RENDERUSDC-like: tick 0.001, step 0.1 (PR #63's trail: stop_loss_price 1.84, qty 25.0)
    const render = rulesOf("0.001", "0.1");
    const r = computeStop(
      { side: "SELL", orderType: "LIMIT", triggerGap: parseAmount("0.01", "g", true) },
      render,
      {
        level: "1.840",
        price: "1.86",
        quantity: "25.0",
      },
    );
    assertEquals("order" in r && [r.order.stopPrice, r.order.limitPrice, r.order.quantity], [
      "1.850",
      "1.840",
      "25.0",
    ]);
  });
  it("a gap smaller than the tick is one tick, so the trigger stays beyond the limit", () => {
    const r = computeStop(
      { side: "SELL", orderType: "LIMIT", triggerGap: parseAmount("0.01", "g", true) },
      rulesOf("0.1", "0.001"),
      { level: "100.0", price: "110.0", quantity: "1" },
    );
    assertEquals("order" in r && [r.order.stopPrice, r.order.limitPrice], ["100.1", "100.0"]);
  });
  it("the 1% gap that would trigger immediately is recomputed one tick below the price, not retried every 5 s", () => {
    // distance 0.5%, gap 1%: the trigger would be above the market; Python looped on -2010 forever
    const cfg = trailConfig({ side: "SELL", distance: "0.5%", triggerGap: "1%" });
    const d = initialTrail(cfg, btc, { price: "65000.00", time: 0, quantity: "0.1" });
    assertEquals(d.action.kind, "place");
    if (d.action.kind !== "place") return;
    assertEquals(d.action.order.stopPrice, "64999.99");
    // the gap (1% of the level 64675.00 = 646.75) is kept: limit = 64999.99 − 646.75
    assertEquals(d.action.order.limitPrice, "64353.24");
    assertEquals(d.action.order.adjusted, ["would-trigger"]);
  });
});

describe("E.4 E quantity", () => {
  const rules = rulesOf("0.01", "0.00001");
  const rows: Array<
    {
      name: string;
      input: Parameters<typeof stopQuantity>[0];
      want: ReturnType<typeof stopQuantity>;
      why?: string;
    }
  > = [
    {
      name: "free 0.12345678, spot fee 0.1 % → 0.12333",
      input: { free: "0.12345678", commissionRate: "0.001", rules },
      want: { ok: true, quantity: "0.12333" },
    },
    {
      name: "free 0.12345678, isolated fee 0.075 % → 0.12336",
      input: { free: "0.12345678", commissionRate: "0.00075", rules },
      want: { ok: true, quantity: "0.12336" },
    },
    {
      name: "keep 20% of total = free = 1.0 → 0.8",
      input: { free: "1.0", keepThreshold: "20%", rules },
      want: { ok: true, quantity: "0.80000" },
    },
    {
      name: "keep absolute 0.5 of 1.0 → 0.5",
      input: { free: "1.0", keepThreshold: "0.5", rules },
      want: { ok: true, quantity: "0.50000" },
    },
    {
      name: "keep > free → a rejection naming keepThreshold (Python went on with quantity 0)",
      input: { free: "0.4", keepThreshold: "0.5", rules },
      want: {
        ok: false,
        rule: "keepThreshold",
        message: "Nothing to protect: keepThreshold 0.5 (0.5) is not below the balance 0.4",
      },
    },
    {
      name: "zero quantity → a rejection naming LOT_SIZE",
      input: { free: "0.000009", rules },
      want: {
        ok: false,
        rule: "LOT_SIZE",
        message:
          "Nothing to protect: quantity 0.00000 from balance 0.000009 is below minQty 0.00001 (stepSize 0.00001)",
      },
    },
    {
      name: "T12: free 0 but 0.5 locked by the own stop → 0.5 (Python read free only and stopped)",
      input: { free: "0", lockedByOwnStop: "0.5", commissionRate: "0.001", rules },
      want: { ok: true, quantity: "0.49950" },
    },
  ];
  for (const r of rows) {
    it(r.name, () => assertEquals(stopQuantity(r.input), r.want, r.why));
  }
});

describe("E.4 B/F ratchet and the net effective rule", () => {
  const btc = symbolRules(ccxtSpot(), "spot");
  it("the stop follows new highs and never lowers (SELL STOP_LOSS_LIMIT, 1.5 %, gap 0.01)", () => {
    const cfg = trailConfig({ side: "SELL", distance: "1.5%", triggerGap: "0.01" });
    let state: TrailState = initialTrail(cfg, btc, { price: "65000.00", time: 0, quantity: "0.12333" }).state;
    const seen: string[] = [state.stop!.limitPrice!];
    for (const [i, p] of ["65000.50", "64990.00", "65100.00", "64000.00", "65100.00"].entries()) {
      const d = onPrice(state, { price: p, time: i + 1 }, cfg, btc);
      state = d.state;
      if (d.action.kind === "replace") seen.push(d.action.order.limitPrice!);
    }
    // Python would send the same levels (floor2 of the running max × 0.985), one cancel+create each
    assertEquals(seen, ["64025.00", "64025.49", "64123.50"]);
    assertEquals(state.stop!.stopPrice, "64123.51");
  });
});
