import { describe, it } from "node:test";
import { assertEquals, assertThrows } from "@std/assert";
import {
  detectScale,
  formatQuantity,
  formatTicks,
  parseTicks,
  scaleDivisor,
  scaleOfStep,
  wireDecimals,
} from "../../src/depthcache/ticks.ts";
import { readSharedJson } from "../_data.ts";

describe("integer price ticks", () => {
  it("parses Binance strings exactly, with or without padding", () => {
    assertEquals(parseTicks("0.35210000", 4), 3521);
    assertEquals(parseTicks("0.35210000", 8), 35210000);
    assertEquals(parseTicks("99999.99", 2), 9999999);
    assertEquals(parseTicks("100000.00000000", 2), 10000000);
    assertEquals(parseTicks("42", 3), 42000);
    assertEquals(parseTicks("7.6110", 4), 76110);
    assertEquals(parseTicks("0", 8), 0);
  });

  it("tick / 10^scale equals parseFloat of the string for every UBLDC fixture price", () => {
    const { items } = readSharedJson<{ items: Record<string, number> }>("depth/ubldc_unittest_items.json");
    for (const price of Object.keys(items)) {
      assertEquals(parseTicks(price, 8) / scaleDivisor(8), Number.parseFloat(price), price);
    }
  });

  it("refuses to round, and rejects malformed or too large input", () => {
    assertThrows(() => parseTicks("0.123456", 4), RangeError, "more than 4 significant decimals");
    assertThrows(() => parseTicks("1e5", 2), SyntaxError, "not a plain decimal");
    assertThrows(() => parseTicks("-1.00", 2), SyntaxError);
    assertThrows(() => parseTicks("1.0.0", 4), SyntaxError);
    assertThrows(() => parseTicks("", 2), SyntaxError);
    assertThrows(() => parseTicks(".", 2), SyntaxError);
    assertThrows(() => parseTicks("100000000.00", 8), RangeError, "exceed 2^53");
    assertEquals(parseTicks("90071992.54740991", 8), Number.MAX_SAFE_INTEGER);
    assertThrows(() => parseTicks("1", 23), RangeError, "scale");
  });

  it("formats ticks back to fixed decimals", () => {
    assertEquals(formatTicks(3521, 4), "0.3521");
    assertEquals(formatTicks(5, 8), "0.00000005");
    assertEquals(formatTicks(10000000, 2), "100000.00");
    assertEquals(formatTicks(42, 0), "42");
    assertThrows(() => formatTicks(1.5, 2), RangeError, "safe integer");
  });

  it("reads scales from steps and strings", () => {
    assertEquals(scaleOfStep("0.00010000"), 4);
    assertEquals(scaleOfStep("1.00000000"), 0);
    assertEquals(scaleOfStep("0.1"), 1);
    assertEquals(detectScale(["7.6110", "7.6080", "0.01731"]), 5);
    assertEquals(detectScale([]), 0);
    assertEquals(wireDecimals("0.35210000"), 8);
    assertThrows(() => scaleOfStep("1e-8"), SyntaxError);
  });

  it("formats f64 quantities back to the original strings with the step decimals", () => {
    for (const q of ["672.00000000", "0.00000001", "3052.12345678", "90000000.00000000"]) {
      assertEquals(formatQuantity(Number(q), 8), q);
    }
    assertThrows(() => formatQuantity(1, -1), RangeError);
  });
});
