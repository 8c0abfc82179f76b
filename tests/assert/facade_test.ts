import { describe, it } from "node:test";
import {
  assert,
  assertAlmostEquals,
  assertArrayIncludes,
  assertEquals,
  assertExists,
  assertInstanceOf,
  AssertionError,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertStrictEquals,
  assertThrows,
  fail,
} from "@std/assert";

describe("assert facade", () => {
  it("assertEquals compares deeply", () => {
    assertEquals({ a: [1, 2n], m: new Map([["x", 1]]) }, { a: [1, 2n], m: new Map([["x", 1]]) });
    assertThrows(() => assertEquals({ a: 1 }, { a: 2 }), AssertionError);
  });
  it("assertNotEquals", () => {
    assertNotEquals([1], [2]);
    assertThrows(() => assertNotEquals([1], [1]), AssertionError);
  });
  it("assertStrictEquals uses identity", () => {
    const o = {};
    assertStrictEquals(o, o);
    assertThrows(() => assertStrictEquals({}, {}), AssertionError);
  });
  it("assert and fail", () => {
    assert(1);
    assertThrows(() => assert(0, "zero"), AssertionError, "zero");
    assertThrows(() => fail("boom"), AssertionError, "boom");
  });
  it("assertExists", () => {
    assertExists(0);
    assertThrows(() => assertExists(null), AssertionError);
    assertThrows(() => assertExists(undefined), AssertionError);
  });
  it("assertInstanceOf", () => {
    assertInstanceOf(new RangeError("x"), Error);
    assertThrows(() => assertInstanceOf({}, Date), AssertionError, "Date");
  });
  it("assertMatch", () => {
    assertMatch("abc-123", /\d+/);
    assertThrows(() => assertMatch("abc", /\d/), AssertionError);
  });
  it("assertAlmostEquals", () => {
    assertAlmostEquals(0.1 + 0.2, 0.3);
    assertAlmostEquals(10, 10.4, 0.5);
    assertThrows(() => assertAlmostEquals(1, 1.1), AssertionError);
  });
  it("assertArrayIncludes", () => {
    assertArrayIncludes([1, { a: 2 }, 3], [{ a: 2 }, 3]);
    assertThrows(() => assertArrayIncludes([1, 2], [3]), AssertionError, "missing");
  });
  it("assertThrows checks class and message", () => {
    const e = assertThrows(
      () => {
        throw new RangeError("bad tick size");
      },
      RangeError,
      "tick",
    );
    assertEquals(e.message, "bad tick size");
    assertThrows(() => assertThrows(() => {}), AssertionError, "Expected function to throw");
    assertThrows(
      () =>
        assertThrows(() => {
          throw new TypeError("x");
        }, RangeError),
      AssertionError,
      "RangeError",
    );
    assertThrows(
      () =>
        assertThrows(
          () => {
            throw new RangeError("x");
          },
          RangeError,
          "y",
        ),
      AssertionError,
      "include",
    );
  });
  it("assertRejects checks class and message", async () => {
    const e = await assertRejects(() => Promise.reject(new TypeError("no fetch")), TypeError, "fetch");
    assertEquals(e.message, "no fetch");
    await assertRejects(() => assertRejects(() => Promise.resolve(1)), AssertionError, "reject");
  });
});
