import { describe, it } from "node:test";
import { assertEquals, assertThrows } from "@std/assert";
import { checkOptions, closestKey, optionKeys, showValue } from "../../src/core/_options.ts";
import { BinanceRestClient } from "../../src/rest/mod.ts";
import { BoundedQueue } from "../../src/ws/mod.ts";

describe("options: closestKey", () => {
  const keys = [
    "exchange",
    "apiKey",
    "apiSecret",
    "baseUrl",
    "baseUrls",
    "timeoutMs",
    "restOptions",
    "wsOptions",
  ];
  const nested = { restOptions: ["baseUrl", "apiKey", "timeoutMs"], wsOptions: ["streamBase", "wsApiUrl"] };
  const table: [string, string | undefined, Record<string, readonly string[]>?][] = [
    ["baseURL", "baseUrl"], // case only
    ["BASEURL", "baseUrl"],
    ["baseurls", "baseUrls"],
    ["exchnage", "exchange"], // a transposition is one edit
    ["exchagne", "exchange"],
    ["apiSceret", "apiSecret"],
    ["apikey", "apiKey"],
    ["api_key", "apiKey"],
    ["apiSecrett", "apiSecret"],
    ["timeout", "timeoutMs"], // a missing unit: 2 edits in 7 letters
    ["limit", undefined], // nothing within 1 edit
    ["timeoutMS", "timeoutMs"],
    ["bogusKey", undefined],
    ["x", undefined],
    ["streamBase", undefined], // nested keys only count when given
    ["streamBase", "wsOptions.streamBase", nested],
    ["streambase", "wsOptions.streamBase", nested],
    ["wsApiURL", "wsOptions.wsApiUrl", nested],
    ["baseURL", "baseUrl", nested], // the top level wins a tie
    ["restOption", "restOptions", nested],
  ];
  for (const [key, want, n] of table) {
    it(`${key}${n ? " (nested)" : ""} -> ${want}`, () => {
      assertEquals(closestKey(key, keys, n), want);
    });
  }
});

describe("options: checkOptions", () => {
  const keys = optionKeys<{ a?: number; baseUrl?: string }>({ a: true, baseUrl: true });
  const inner = optionKeys<{ streamBase?: string }>({ streamBase: true });

  it("accepts known keys, undefined values and no options", () => {
    checkOptions({ a: 1, baseUrl: undefined }, "T options", keys);
    checkOptions(undefined, "T options", keys);
    checkOptions({}, "T options", keys);
  });

  it("names the unknown key, the object and the intended key", () => {
    assertThrows(
      () => checkOptions({ baseURL: "x" }, "T options", keys),
      TypeError,
      'Invalid T options: unknown key "baseURL" (did you mean "baseUrl"?)',
    );
    assertThrows(
      () => checkOptions({ bogusKey: 1 }, "T options", keys),
      TypeError,
      'Invalid T options: unknown key "bogusKey"',
    );
  });

  it("lists every unknown key and knows where a nested key belongs", () => {
    assertThrows(
      () => checkOptions({ baseUrl: "x", streamBase: "y", zz: 1 }, "M options", keys, { wsOptions: inner }),
      TypeError,
      'Invalid M options: unknown keys "streamBase" (did you mean "wsOptions.streamBase"?), "zz"',
    );
  });

  it("refuses values that are not objects", () => {
    for (const [v, got] of [[null, "null"], [5, "number"], ["x", '"x"'], [[1], "an array"]] as const) {
      assertThrows(
        () => checkOptions(v, "T options", keys),
        TypeError,
        `Invalid T options: expected an object, got ${got}`,
      );
    }
  });

  it("ignores inherited keys (a class instance's prototype methods)", () => {
    const proto = { inherited: 1 };
    checkOptions(Object.create(proto), "T options", keys);
  });
});

describe("options: values in messages", () => {
  const table: [unknown, string][] = [
    ["100", '"100"'],
    [100, "100"],
    [-1.5, "-1.5"],
    [NaN, "NaN"],
    [10n, "10n"],
    [null, "null"],
    [undefined, "undefined"],
    [true, "true"],
    [[1], "an array"],
    [{}, "an object"],
    [() => 1, "a function"],
    ["x".repeat(100), `"${"x".repeat(35)}…"`],
  ];
  for (const [v, want] of table) it(`${want}`, () => assertEquals(showValue(v), want));

  it('a string "100" is quoted where a number was expected', () => {
    assertThrows(
      () => new BinanceRestClient({ timeoutMs: "100" as unknown as number }),
      RangeError,
      'Invalid timeoutMs: expected a positive number, got "100"',
    );
    assertThrows(
      () => new BoundedQueue({ capacity: "100" as unknown as number }),
      RangeError,
      'Invalid capacity "100": expected a positive integer',
    );
  });
});
