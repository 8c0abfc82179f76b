import { describe, it } from "node:test";
import { assert, assertEquals, assertThrows } from "@std/assert";
import fc from "fast-check";
import { readSharedJson } from "../_data.ts";
import {
  compareDecimal,
  decimalsOf,
  isMultipleOfStep,
  type RoundingMode,
  roundToStep,
  toPlainString,
} from "../../src/core/decimal.ts";

interface Filter {
  [k: string]: string;
}
interface CcxtMarket {
  ccxt_symbol: string;
  id: string;
  market: string;
  PRICE_FILTER: Filter;
  LOT_SIZE: Filter;
  MARKET_LOT_SIZE?: Filter;
  info_pricePrecision?: string;
  ccxt_precision_digits: { amount: number; price: number };
}
interface FormatVector {
  symbol: string;
  market: string;
  field: string;
  stepSize?: string;
  tickSize?: string;
  input: number;
  expected_wire: string;
  mode: string;
}
const fixture = readSharedJson<{ markets: CcxtMarket[]; format_vectors: FormatVector[] }>(
  "peers/ccxt_binance_filters_and_precision_vectors.json",
);

/** Pads a plain decimal string to `decimals` fractional digits (test-side, independent of the module). */
function pad(s: string, decimals: number): string {
  const [int, frac = ""] = s.split(".");
  assert(frac.length <= decimals, `${s} has more than ${decimals} decimals`);
  return decimals === 0 ? int : `${int}.${frac.padEnd(decimals, "0")}`;
}

describe("decimal: ccxt format vectors (peers/ccxt_binance_filters_and_precision_vectors.json)", () => {
  const handled = new Set<FormatVector>();
  for (const v of fixture.format_vectors) {
    const step = v.stepSize ?? v.tickSize;
    if ((v.field === "quantity" || v.field === "price") && step !== undefined) {
      handled.add(v);
      // quantity: ccxt truncates (= floor for positive amounts); price: the vectors are "round-to-tick"
      // where truncation and nearest agree, so both modes must give the wire value.
      const modes: RoundingMode[] = v.field === "quantity" ? ["floor"] : ["floor", "nearest"];
      for (const mode of modes) {
        it(`${v.symbol} ${v.market} ${v.field} ${v.input} step ${step} ${mode} -> ${v.expected_wire}`, () => {
          const out = roundToStep(v.input, step, mode);
          // ccxt strips trailing zeros ("55000"); we write exactly the filter's decimals ("55000.00"),
          // which Binance accepts as the same value. Same number, same digits up to the padding.
          assertEquals(out, pad(v.expected_wire, decimalsOf(step)));
          assertEquals(compareDecimal(out, v.expected_wire), 0);
          assert(!/e/i.test(out));
        });
      }
    } else if (v.field === "quoteOrderQty") {
      handled.add(v);
      // ccxt formats cost with the market's price precision; Binance checks quoteOrderQty against the
      // quote asset precision, which for LTCUSDT spot coincides with the 0.01 tick used here.
      it(`${v.symbol} quoteOrderQty ${v.input} -> ${v.expected_wire} (rounded to the price tick)`, () => {
        const market = fixture.markets.find((m) => m.id === v.symbol && m.market === v.market)!;
        assertEquals(roundToStep(v.input, market.PRICE_FILTER.tickSize, "floor"), v.expected_wire);
      });
    } else if (v.field === "trailingDelta") {
      handled.add(v);
      // not a filter rounding: a percentage becomes basis points (x100), which must be a whole number
      it(`trailingPercent ${v.input} -> trailingDelta ${v.expected_wire} bips`, () => {
        assertEquals(roundToStep(v.input * 100, "1", "nearest"), v.expected_wire);
      });
    } else if (v.mode === "as given") {
      handled.add(v);
      // no filter for this symbol in the fixture: the value is only written in plain notation
      it(`${v.symbol} ${v.field} ${v.input} as given -> ${v.expected_wire}`, () => {
        assertEquals(toPlainString(v.input), v.expected_wire);
      });
    }
  }
  it("every vector of the fixture is used", () => {
    assertEquals(fixture.format_vectors.length, 12);
    assertEquals(handled.size, fixture.format_vectors.length);
  });
});

describe("decimal: real exchangeInfo filters of 11 markets", () => {
  it("the fixture holds 11 markets", () => assertEquals(fixture.markets.length, 11));
  for (const m of fixture.markets) {
    it(`${m.ccxt_symbol} (${m.market})`, () => {
      const tick = m.PRICE_FILTER.tickSize;
      const step = m.LOT_SIZE.stepSize;
      // decimals come from the significant part of the step (ccxt derives the same digits)
      assertEquals(decimalsOf(tick), m.ccxt_precision_digits.price);
      assertEquals(decimalsOf(step), m.ccxt_precision_digits.amount);
      // the filter bounds are themselves on the grid; rounding them changes nothing
      for (
        const [value, grid] of [[m.PRICE_FILTER.minPrice, tick], [m.PRICE_FILTER.maxPrice, tick], [
          m.LOT_SIZE.minQty,
          step,
        ], [m.LOT_SIZE.maxQty, step]]
      ) {
        assert(isMultipleOfStep(value, grid), `${value} on ${grid}`);
        for (const mode of ["floor", "ceil", "nearest"] as const) {
          assertEquals(compareDecimal(roundToStep(value, grid, mode), value), 0);
        }
      }
      // half a step above minQty (every step here is 10^-d): floor -> minQty, ceil/nearest -> minQty + step
      const d = decimalsOf(step);
      const minQty = pad(toPlainString(m.LOT_SIZE.minQty), d);
      const halfAbove = d === 0 ? `${minQty}.5` : `${minQty}5`;
      const scaled = (x: string) => BigInt(x.replace(".", ""));
      const unscale = (n: bigint) => {
        const digits = n.toString().padStart(d + 1, "0");
        return d === 0 ? digits : `${digits.slice(0, -d)}.${digits.slice(-d)}`;
      };
      const oneUp = unscale(scaled(minQty) + scaled(pad(toPlainString(step), d)));
      assertEquals(roundToStep(halfAbove, step, "floor"), minQty);
      assertEquals(roundToStep(halfAbove, step, "ceil"), oneUp);
      assertEquals(roundToStep(halfAbove, step, "nearest"), oneUp);
    });
  }
  it("USD-M BTCUSDT: pricePrecision 2 is not the tick (0.10 -> 1 decimal)", () => {
    const m = fixture.markets.find((x) => x.ccxt_symbol === "BTC/USDT:USDT")!;
    assertEquals(m.info_pricePrecision, "2");
    assertEquals(roundToStep("65000.17", m.PRICE_FILTER.tickSize, "floor"), "65000.1");
    assertEquals(isMultipleOfStep("65000.17", m.PRICE_FILTER.tickSize), false);
  });
});

describe("decimal: roundToStep table", () => {
  const table: [DecimalArg, string, RoundingMode, string][] = [
    // exact multiples stay
    ["0.0086", "0.00010000", "floor", "0.0086"],
    ["0.0086", "0.00010000", "ceil", "0.0086"],
    // floor / ceil / nearest, positive
    ["1.23456789", "0.001", "floor", "1.234"],
    ["1.23456789", "0.001", "ceil", "1.235"],
    ["1.23456789", "0.001", "nearest", "1.235"],
    ["1.2344", "0.001", "nearest", "1.234"],
    // ties: away from zero
    ["2.5", "1", "nearest", "3"],
    ["0.125", "0.01", "nearest", "0.13"],
    ["-2.5", "1", "nearest", "-3"],
    // negative values: floor toward -inf, ceil toward +inf, no "-0"
    ["-0.001", "0.01", "floor", "-0.01"],
    ["-0.001", "0.01", "ceil", "0.00"],
    ["-0.004", "0.01", "nearest", "0.00"],
    // steps that are not powers of ten
    ["7.3", "0.5", "floor", "7.0"],
    ["7.3", "0.5", "ceil", "7.5"],
    ["7.3", "0.25", "nearest", "7.25"],
    ["1234", "5", "nearest", "1235"],
    ["1231", "5", "floor", "1230"],
    // steps >= 1 with trailing zeros in the step string
    ["123.456", "1.00000000", "floor", "123"],
    ["123.456", "10", "ceil", "130"],
    // the step's decimals, not the value's: padding
    ["55000", "0.01000000", "floor", "55000.00"],
    [55000, "0.10", "nearest", "55000.0"],
    // never exponent notation, in or out
    [1e21, "0.01", "floor", "1000000000000000000000.00"],
    [1e-7, "0.00000001", "floor", "0.00000010"],
    ["1.5e-7", "1e-8", "nearest", "0.00000015"],
    [0.000000123, "0.00000001", "ceil", "0.00000013"],
    // binary floats are read through their shortest string
    [0.1 + 0.2, "0.01", "floor", "0.30"],
    [0.1 + 0.2, "0.00000000000000001", "floor", "0.30000000000000004"],
    [1.005, "0.01", "nearest", "1.01"],
    // big and long values stay exact
    [
      "123456789012345678901234567890.123456789",
      "0.00000001",
      "floor",
      "123456789012345678901234567890.12345678",
    ],
    ["99999999999999999999.999999995", "0.00000001", "nearest", "100000000000000000000.00000000"],
    // input forms
    ["+1.5", "1", "floor", "1"],
    [".5", "0.1", "floor", "0.5"],
    ["5.", "0.1", "floor", "5.0"],
    ["0", "0.001", "ceil", "0.000"],
    ["-0", "0.1", "floor", "0.0"],
  ];
  for (const [value, step, mode, expected] of table) {
    it(`${String(value)} step ${step} ${mode} -> ${expected}`, () => {
      const out = roundToStep(value, step, mode);
      assertEquals(out, expected);
      assert(isMultipleOfStep(out, step));
    });
  }
});
type DecimalArg = string | number;

describe("decimal: bad input names the argument", () => {
  const cases: [() => unknown, ErrorConstructor, string][] = [
    [() => roundToStep("1", "-0.01", "floor"), RangeError, "Invalid step: expected a value > 0"],
    [() => roundToStep("1", "0", "floor"), RangeError, "Invalid step: expected a value > 0"],
    [() => roundToStep("1", "0.00000000", "floor"), RangeError, "Invalid step"],
    [
      () => roundToStep(Number.NaN, "0.01", "floor"),
      RangeError,
      "Invalid value: expected a finite number, got NaN",
    ],
    [() => roundToStep(Infinity, "0.01", "floor"), RangeError, "Invalid value"],
    [
      () => roundToStep("abc", "0.01", "floor"),
      TypeError,
      'Invalid value: expected a decimal number, got "abc"',
    ],
    [() => roundToStep("", "0.01", "floor"), TypeError, "Invalid value"],
    [() => roundToStep(" 1", "0.01", "floor"), TypeError, "Invalid value"],
    [() => roundToStep("0x10", "0.01", "floor"), TypeError, "Invalid value"],
    [() => roundToStep("NaN", "0.01", "floor"), TypeError, "Invalid value"],
    [() => roundToStep("Infinity", "0.01", "floor"), TypeError, "Invalid value"],
    [() => roundToStep("1,5", "0.01", "floor"), TypeError, "Invalid value"],
    [
      () => roundToStep(null as unknown as string, "0.01", "floor"),
      TypeError,
      "Invalid value: expected a string or number, got null",
    ],
    [() => roundToStep(1n as unknown as string, "0.01", "floor"), TypeError, "got bigint"],
    [() => roundToStep("1", "abc", "floor"), TypeError, "Invalid step"],
    [() => roundToStep("1", "NaN", "floor"), TypeError, "Invalid step"],
    [
      () => roundToStep("1", 0.01 as unknown as string, "floor"),
      TypeError,
      "Invalid step: expected a decimal string, got number",
    ],
    [
      () => roundToStep("1", "0.01", "round" as RoundingMode),
      TypeError,
      'Invalid mode: expected "floor", "ceil" or "nearest", got "round"',
    ],
    [() => roundToStep("1", "0.01", "toString" as RoundingMode), TypeError, "Invalid mode"],
    [() => decimalsOf("x"), TypeError, "Invalid step"],
    [() => decimalsOf(undefined as unknown as string), TypeError, "Invalid step"],
    [() => toPlainString(Number.NaN), RangeError, "Invalid value"],
    [() => toPlainString("1e"), TypeError, "Invalid value"],
    [() => compareDecimal("1", "b"), TypeError, "Invalid b"],
    [() => compareDecimal(Number.NaN, "1"), RangeError, "Invalid a"],
    [() => isMultipleOfStep("1", "-1"), RangeError, "Invalid step"],
  ];
  for (const [fn, cls, msg] of cases) {
    it(msg, () => {
      assertThrows(fn, cls, msg);
    });
  }
});

describe("decimal: decimalsOf, toPlainString, compareDecimal, isMultipleOfStep", () => {
  const decimals: [string, number][] = [
    ["0.00100000", 3],
    ["1.00000000", 0],
    ["0.01000000", 2],
    ["0.10", 1],
    ["10", 0],
    ["1000", 0],
    ["0.00000001", 8],
    ["1e-8", 8],
    ["5e-9", 9],
    ["0.5", 1],
  ];
  for (const [s, n] of decimals) it(`decimalsOf(${s}) = ${n}`, () => assertEquals(decimalsOf(s), n));

  const plain: [DecimalArg, string][] = [
    [1e-7, "0.0000001"],
    [1.7e-7, "0.00000017"],
    [8e-7, "0.0000008"],
    [1e21, "1000000000000000000000"],
    ["1.50000000", "1.5"],
    ["-0", "0"],
    [-0, "0"],
    ["+3", "3"],
    ["1e-5", "0.00001"],
    [0.1 + 0.2, "0.30000000000000004"],
  ];
  for (const [v, s] of plain) {
    it(`toPlainString(${String(v)}) = ${s}`, () => assertEquals(toPlainString(v), s));
  }

  it("compareDecimal", () => {
    const t: [DecimalArg, DecimalArg, number][] = [
      ["0.10", 0.1, 0],
      ["9.99", "10", -1],
      ["10", "9.99", 1],
      ["-1", "0", -1],
      ["0", "-0", 0],
      ["9007199254740993", 9007199254740992, 1],
    ];
    for (const [a, b, c] of t) assertEquals(compareDecimal(a, b), c, `${a} vs ${b}`);
  });

  it("isMultipleOfStep", () => {
    const t: [DecimalArg, string, boolean][] = [
      ["0.0086", "0.00010000", true],
      ["0.00865", "0.00010000", false],
      ["556.80", "0.10", true],
      ["556.85", "0.10", false],
      ["7.5", "0.25", true],
      ["-0.02", "0.01", true],
      [0.3, "0.1", true], // the decimal 0.3, not the float 0.299999…
    ];
    for (const [v, s, r] of t) assertEquals(isMultipleOfStep(v, s), r, `${v} on ${s}`);
  });
});

describe("decimal: properties (fast-check)", () => {
  // value = int / 10^scale as an exact decimal string; step = digit * 10^-k
  const decimalString = fc.tuple(
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
    fc.integer({ min: 0, max: 12 }),
  )
    .map(([int, scale]) => {
      const neg = int < 0n;
      const digits = (neg ? -int : int).toString().padStart(scale + 1, "0");
      const s = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
      return neg ? `-${s}` : s;
    });
  const stepString = fc.tuple(fc.constantFrom("1", "2", "25", "5"), fc.integer({ min: -10, max: 3 }))
    .map(([d, e]) => e >= 0 ? d + "0".repeat(e) : toPlainString(`${d}e${e}`));

  it("floor <= value <= ceil, both on the grid, at most one step apart, exact decimals, no exponent", () => {
    fc.assert(
      fc.property(decimalString, stepString, (v, step) => {
        const f = roundToStep(v, step, "floor");
        const c = roundToStep(v, step, "ceil");
        const n = roundToStep(v, step, "nearest");
        for (const out of [f, c, n]) {
          assert(!/e/i.test(out), out);
          assertEquals((out.split(".")[1] ?? "").length, decimalsOf(step));
          assert(isMultipleOfStep(out, step), `${out} on ${step}`);
        }
        assert(compareDecimal(f, v) <= 0 && compareDecimal(v, c) <= 0);
        assert(compareDecimal(f, n) <= 0 && compareDecimal(n, c) <= 0);
        if (isMultipleOfStep(v, step)) {
          assertEquals([compareDecimal(f, v), compareDecimal(c, v)], [0, 0]);
        } else {
          // c - f == step, checked by rounding f + step (exact) back: ceil of (f + tiny) is c
          assertEquals(roundToStep(f, step, "floor"), f);
          assertEquals(compareDecimal(roundToStep(c, step, "floor"), c), 0);
          assert(compareDecimal(f, c) < 0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
