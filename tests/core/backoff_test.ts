import { describe, it } from "node:test";
import { assert, assertEquals, assertThrows } from "@std/assert";
import fc from "fast-check";
import { Backoff, backoffDelay, type BackoffOptions } from "../../src/core/backoff.ts";

describe("backoff: backoffDelay table", () => {
  const base = { baseMs: 1000, maxMs: 60_000 };
  const table: [number, BackoffOptions, number][] = [
    // no jitter: doubling, capped
    [0, { ...base, jitter: "none" }, 1000],
    [1, { ...base, jitter: "none" }, 2000],
    [5, { ...base, jitter: "none" }, 32_000],
    [6, { ...base, jitter: "none" }, 60_000],
    [50, { ...base, jitter: "none" }, 60_000],
    [5000, { ...base, jitter: "none" }, 60_000], // 2^5000 would overflow
    [0, { baseMs: 1, maxMs: 1, jitter: "none" }, 1],
    [3, { baseMs: 250.4, maxMs: 10_000, jitter: "none" }, 2003], // rounded
    // full jitter: r * exp, floored
    [0, { ...base, random: () => 0 }, 0],
    [0, { ...base, random: () => 0.5 }, 500],
    [3, { ...base, random: () => 0.25 }, 2000],
    [10, { ...base, random: () => 0.999999 }, 59_999],
    [3, { ...base, random: () => 0.5, jitter: "full" }, 4000],
    // equal jitter: exp/2 + r * exp/2
    [3, { ...base, random: () => 0, jitter: "equal" }, 4000],
    [3, { ...base, random: () => 0.5, jitter: "equal" }, 6000],
    [20, { ...base, random: () => 0, jitter: "equal" }, 30_000],
  ];
  for (const [attempt, opts, expected] of table) {
    it(`attempt ${attempt} ${opts.jitter ?? "full"} r=${opts.random?.() ?? "-"} -> ${expected}`, () => {
      assertEquals(backoffDelay(attempt, opts), expected);
    });
  }

  it("uses Math.random by default and stays within [0, exp)", () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(4, base);
      assert(d >= 0 && d < 16_000, String(d));
    }
  });

  it("property: bounds, monotone cap, integer results", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.double({ min: 0.001, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.constantFrom("full", "equal", "none") as fc.Arbitrary<"full" | "equal" | "none">,
        (attempt, baseMs, extra, r, jitter) => {
          const maxMs = baseMs + extra;
          const d = backoffDelay(attempt, { baseMs, maxMs, random: () => r, jitter });
          const exp = Math.min(maxMs, baseMs * 2 ** attempt);
          assert(Number.isInteger(d));
          assert(d >= 0 && d <= Math.ceil(maxMs), `${d} <= ${maxMs}`);
          if (jitter === "full") assert(d <= exp);
          if (jitter === "equal") assert(d >= Math.floor(exp / 2) && d <= exp);
          if (jitter === "none") assertEquals(d, Math.round(exp));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("backoff: bad input", () => {
  const ok = { baseMs: 100, maxMs: 1000 };
  const cases: [() => unknown, ErrorConstructor, string][] = [
    [() => backoffDelay(-1, ok), RangeError, "Invalid attempt"],
    [() => backoffDelay(1.5, ok), RangeError, "Invalid attempt"],
    [() => backoffDelay(Number.NaN, ok), RangeError, "Invalid attempt"],
    [() => backoffDelay(0, { baseMs: 0, maxMs: 10 }), RangeError, "Invalid baseMs"],
    [() => backoffDelay(0, { baseMs: -5, maxMs: 10 }), RangeError, "Invalid baseMs"],
    [() => backoffDelay(0, { baseMs: Infinity, maxMs: Infinity }), RangeError, "Invalid baseMs"],
    [() => backoffDelay(0, { baseMs: 100, maxMs: 50 }), RangeError, "Invalid maxMs"],
    [() => backoffDelay(0, { baseMs: 100, maxMs: Number.NaN }), RangeError, "Invalid maxMs"],
    [() => backoffDelay(0, { ...ok, random: () => 1 }), RangeError, "Invalid random()"],
    [() => backoffDelay(0, { ...ok, random: () => -0.1 }), RangeError, "Invalid random()"],
    [() => backoffDelay(0, { ...ok, random: () => Number.NaN }), RangeError, "Invalid random()"],
    [() => backoffDelay(0, { ...ok, jitter: "half" as "full" }), TypeError, "Invalid jitter"],
    [() => new Backoff({ baseMs: 100, maxMs: 10 }), RangeError, "Invalid maxMs"],
    [() => new Backoff({ ...ok, jitter: "x" as "full" }), TypeError, "Invalid jitter"],
  ];
  for (const [fn, cls, msg] of cases) {
    it(msg, () => {
      assertThrows(fn, cls, msg);
    });
  }
});

describe("backoff: Backoff counter", () => {
  it("advances, resets and keeps its own copy of the options", () => {
    const opts = { baseMs: 100, maxMs: 500, jitter: "none" as const };
    const b = new Backoff(opts);
    assertEquals(b.attempt, 0);
    assertEquals([b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 500, 500]);
    assertEquals(b.attempt, 5);
    b.reset();
    assertEquals(b.attempt, 0);
    assertEquals(b.next(), 100);
  });
  it("passes the injected random through", () => {
    const seq = [0.1, 0.9];
    let i = 0;
    const b = new Backoff({ baseMs: 1000, maxMs: 10_000, random: () => seq[i++] });
    assertEquals([b.next(), b.next()], [100, 1800]);
  });
});
