// Property test of the ratchet: for any price path, side, distance, gap, order type, minimum
// step, debounce and any pattern of failed placements, the stop on the book never moves against
// the position, every price is on tick, every quantity on step in plain notation, and no stop
// is sent that would trigger at the price it was computed at.
import { describe, it } from "node:test";
import { assert } from "@std/assert";
import fc from "fast-check";
import { compareDecimal, isMultipleOfStep } from "../../src/core/decimal.ts";
import {
  initialTrail,
  onPrice,
  type StopOrder,
  stopQuantity,
  trailConfig,
  type TrailDecision,
  type TrailState,
} from "../../src/trailing/engine.ts";
import { Decimal } from "decimal.js";
import { rulesOf } from "./_rules.ts";

const TICKS = ["0.01", "0.5", "0.00001", "1"] as const;
const STEPS = ["0.00001", "0.1", "1"] as const;

const scenario = fc.record({
  tick: fc.constantFrom(...TICKS),
  step: fc.constantFrom(...STEPS),
  side: fc.constantFrom("SELL" as const, "BUY" as const),
  distance: fc.oneof(
    fc.integer({ min: 1, max: 2000 }).map((n) => `${n / 100}%`),
    fc.integer({ min: 1, max: 400 }).map((n) => ({ ticks: n })),
  ),
  gap: fc.option(
    fc.oneof(
      fc.constant("0"),
      fc.integer({ min: 1, max: 300 }).map((n) => `${n / 100}%`),
      fc.constant({ ticks: 3 }),
    ),
  ),
  orderType: fc.constantFrom("LIMIT" as const, "MARKET" as const),
  minStep: fc.option(fc.oneof(fc.constant("0.1%"), fc.constant({ ticks: 5 }))),
  debounceMs: fc.constantFrom(0, 0, 250, 1000),
  free: fc.integer({ min: 1, max: 10_000_000 }).map((n) => new Decimal(n).div(1000).toFixed()),
  start: fc.integer({ min: 500, max: 200_000 }),
  moves: fc.array(
    fc.tuple(fc.integer({ min: -60, max: 60 }), fc.integer({ min: 0, max: 700 }), fc.boolean()),
    {
      minLength: 1,
      maxLength: 120,
    },
  ),
});

function amount(a: string | { ticks: number }, tick: string): string {
  return typeof a === "string" ? a : new Decimal(tick).times(a.ticks).toFixed();
}

function checkOrder(o: StopOrder, price: string, tick: string, step: string): void {
  assert(isMultipleOfStep(o.stopPrice, tick), `stop ${o.stopPrice} off tick ${tick}`);
  assert(!/e/i.test(o.stopPrice) && !/e/i.test(o.quantity), `exponent notation in ${JSON.stringify(o)}`);
  assert(isMultipleOfStep(o.quantity, step), `quantity ${o.quantity} off step ${step}`);
  if (o.limitPrice !== undefined) {
    assert(isMultipleOfStep(o.limitPrice, tick), `limit ${o.limitPrice} off tick`);
    assert(!/e/i.test(o.limitPrice));
    // the limit is on the far side of the trigger, so a triggered stop can fill
    assert(
      o.side === "SELL"
        ? compareDecimal(o.limitPrice, o.stopPrice) <= 0
        : compareDecimal(o.limitPrice, o.stopPrice) >= 0,
    );
  }
  // at least one tick away from the price it was computed at: never triggers at once
  const gap = new Decimal(price).minus(o.stopPrice);
  assert(
    o.side === "SELL" ? gap.gte(tick) : gap.lte(new Decimal(tick).neg()),
    `stop ${o.stopPrice} triggers at ${price}`,
  );
}

describe("ratchet properties", () => {
  it("the stop never moves against the position; prices on tick, quantities on step, no exponent", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const rules = rulesOf(s.tick, s.step);
        const config = trailConfig({
          side: s.side,
          distance: amount(s.distance, s.tick),
          orderType: s.orderType,
          debounceMs: s.debounceMs,
          ...(s.gap !== null ? { triggerGap: amount(s.gap, s.tick) } : {}),
          ...(s.minStep !== null ? { minStep: amount(s.minStep, s.tick) } : {}),
        });
        const q = stopQuantity({ free: s.free, rules, commissionRate: "0.001" });
        if (!q.ok) return;
        assert(isMultipleOfStep(q.quantity, s.step) && !/e/i.test(q.quantity));
        let ticks = s.start;
        let time = 0;
        const price = () => new Decimal(s.tick).times(ticks).toFixed();
        let d: TrailDecision = initialTrail(config, rules, { price: price(), time, quantity: q.quantity });
        let state: TrailState = d.state;
        let onBook: StopOrder | undefined = d.action.kind === "place" ? d.action.order : undefined;
        if (onBook) checkOrder(onBook, price(), s.tick, s.step);
        else state = d.keep;
        let lastTick = onBook ? 0 : -Infinity;
        for (const [move, dt, accepted] of s.moves) {
          ticks = Math.max(1, ticks + move);
          time += dt;
          d = onPrice(state, { price: price(), time }, config, rules);
          const a = d.action;
          if (a.kind === "place" || a.kind === "replace") {
            checkOrder(a.order, price(), s.tick, s.step);
            if (a.kind === "replace") {
              assert(onBook !== undefined && a.previous === onBook);
              const c = compareDecimal(a.order.stopPrice, onBook.stopPrice);
              assert(
                s.side === "SELL" ? c > 0 : c < 0,
                `stop moved against the position: ${onBook.stopPrice} → ${a.order.stopPrice}`,
              );
              // never more often than the debounce
              assert(time - lastTick >= s.debounceMs, "debounce violated");
            }
            if (accepted) {
              state = d.state;
              onBook = a.order;
              lastTick = time;
            } else {
              state = d.keep;
            }
          } else {
            assert(d.state === d.keep);
            state = d.state;
          }
          assert(state.stop === onBook, "state and book disagree");
        }
      }),
      { numRuns: 300, seed: 20261203 },
    );
  });
});
