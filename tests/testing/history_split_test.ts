import { describe, it } from "node:test";
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  expandLeaf,
  type HistNode,
  splitInt,
  splitNode,
  splitQuote,
} from "../../src/testing/emulator/history_split.ts";
import { Rng } from "../../src/testing/emulator/rng.ts";
import { MarketHistory } from "../../src/testing/emulator/history.ts";
import { DEFAULT_MARKETS, resolveMarket } from "../../src/testing/emulator/symbols.ts";

const value = (x: number) => 1e6 * Math.exp(x);
const DAY: HistNode = {
  openTime: Date.UTC(2024, 1, 29),
  span: 86_400_000,
  o: 0,
  h: 0.031,
  l: -0.022,
  c: 0.012,
  n: 400_000,
  g: 180_000,
  v: 2_000_000,
  tb: 900_000,
  q: 2_000_000_000_000n,
  tq: 900_000_000_000n,
  firstId: 1000,
  firstAgg: 500,
};

function checkSplit(p: HistNode, kids: HistNode[], span: number): void {
  assertEquals(kids.length, p.span / span);
  assertEquals([kids[0].o, kids.at(-1)!.c], [p.o, p.c], "open and close");
  assertEquals(Math.max(...kids.map((k) => k.h)), p.h, "high");
  assertEquals(Math.min(...kids.map((k) => k.l)), p.l, "low");
  for (const f of ["n", "g", "v", "tb"] as const) assertEquals(kids.reduce((a, k) => a + k[f], 0), p[f], f);
  assertEquals(kids.reduce((a, k) => a + k.q, 0n), p.q, "quote");
  assertEquals(kids.reduce((a, k) => a + k.tq, 0n), p.tq, "taker quote");
  kids.forEach((k, i) => {
    assertEquals(k.openTime, p.openTime + i * span);
    assertEquals(k.firstId, i === 0 ? p.firstId : kids[i - 1].firstId + kids[i - 1].n, "ids are contiguous");
    assertEquals(k.firstAgg, i === 0 ? p.firstAgg : kids[i - 1].firstAgg + kids[i - 1].g);
    const leaves = span / 1000;
    assert(k.n >= 2 * leaves && k.g >= 2 * leaves && k.g <= k.n && k.v >= k.n, "room for every second");
    assert(k.tb >= leaves && k.tb <= k.v - leaves, "a taker buy and a taker sell in every second");
    assert(k.h >= Math.max(k.o, k.c) && k.l <= Math.min(k.o, k.c) && k.h <= p.h && k.l >= p.l);
    assert(k.tq <= k.q + 2n && k.q > 0n);
  });
}

describe("history splits (pure)", () => {
  it("splitInt: exact totals inside the bounds", () => {
    const table: Array<[number, number[], number[], number[]]> = [
      [10, [1, 1, 1], [0, 0, 0], [Infinity, Infinity, Infinity]],
      [100, [5, 1, 1], [10, 10, 10], [40, 100, 100]],
      [7, [1, 2, 3, 4], [1, 1, 1, 1], [2, 2, 2, 2]],
      [1_000_000, [0.5, 1.5], [2, 2], [Infinity, 10]],
    ];
    for (const [total, w, lo, hi] of table) {
      const out = splitInt(total, w, lo, hi);
      assertEquals(out.reduce((a, b) => a + b, 0), total);
      out.forEach((x, i) => assert(x >= lo[i] && x <= hi[i] && Number.isInteger(x)));
    }
    assertThrows(() => splitInt(5, [1, 1], [3, 3], [9, 9]), RangeError, "does not fit");
    assertThrows(() => splitInt(30, [1, 1], [0, 0], [9, 9]), RangeError);
  });

  it("splitQuote: the exact total, averages kept inside the children's ranges when possible", () => {
    const q = splitQuote(1000n, [300, 300, 300], [250, 250, 250], [400, 400, 400]);
    assertEquals(q.reduce((a, b) => a + b, 0n), 1000n);
    q.forEach((x) => assert(x >= 250n && x <= 400n));
  });

  it("a day splits into hours, minutes and seconds that aggregate back exactly", () => {
    const rng = new Rng(42);
    const hours = splitNode(DAY, 24, 3_600_000, rng, value);
    checkSplit(DAY, hours, 3_600_000);
    for (const h of [hours[0], hours[13], hours[23]]) {
      const mins = splitNode(h, 60, 60_000, rng, value);
      checkSplit(h, mins, 60_000);
      const secs = splitNode(mins[7], 60, 1000, rng, value);
      checkSplit(mins[7], secs, 1000);
      for (const s of secs) {
        const { trades, aggs } = expandLeaf(s, rng);
        assertEquals(trades.length, s.n);
        assertEquals(aggs.length, s.g);
        assertEquals(trades.map((t) => t.id), [...Array(s.n).keys()].map((i) => s.firstId + i));
        assertEquals(aggs.map((a) => a.a), [...Array(s.g).keys()].map((i) => s.firstAgg + i));
        assertEquals([trades[0].x, trades.at(-1)!.x], [s.o, s.c]);
        assertEquals(Math.max(...trades.map((t) => t.x)), s.h);
        assertEquals(Math.min(...trades.map((t) => t.x)), s.l);
        assertEquals(trades.reduce((a, t) => a + t.qty, 0), s.v);
        assertEquals(trades.filter((t) => !t.buyerMaker).reduce((a, t) => a + t.qty, 0), s.tb);
        for (const a of aggs) {
          const mine = trades.filter((t) => t.id >= a.first && t.id <= a.last);
          assert(mine.every((t) => t.x === a.x && t.time === a.time && t.buyerMaker === a.buyerMaker));
          assertEquals(mine.reduce((x, t) => x + t.qty, 0), a.qty);
          assert(a.time >= s.openTime && a.time < s.openTime + 1000);
        }
        for (let i = 1; i < aggs.length; i++) assertEquals(aggs[i].first, aggs[i - 1].last + 1);
      }
    }
  });

  it("the same seed splits the same way", () => {
    assertEquals(
      splitNode(DAY, 24, 3_600_000, new Rng(7), value),
      splitNode(DAY, 24, 3_600_000, new Rng(7), value),
    );
  });

  it("every generated day of a market splits (no day breaks the bounds of its seconds)", () => {
    for (const seed of [1, 2]) {
      const h = new MarketHistory(
        resolveMarket(DEFAULT_MARKETS[0], "m"),
        seed,
        Date.UTC(2026, 11, 3, 10),
        100,
      );
      for (let t = h.start; t < h.end - 86_400_000; t += 86_400_000) {
        checkSplit(
          h.node(86_400_000, t),
          [
            ...Array(24).keys(),
          ].map((i) => h.node(3_600_000, t + i * 3_600_000)),
          3_600_000,
        );
      }
    }
  });
});
