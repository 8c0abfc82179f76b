import { describe, it } from "node:test";
import { assert, assertEquals, assertInstanceOf, assertStrictEquals, assertThrows } from "@std/assert";
import {
  BinanceApiError,
  BinanceError,
  IpBannedError,
  isBinanceApiError,
  isBinanceError,
  isIpBannedError,
  isRateLimitError,
  parseBannedUntil,
  RateLimitError,
} from "../../src/core/errors.ts";

describe("errors: hierarchy", () => {
  const cause = new Error("socket hang up");
  const cases: {
    label: string;
    make: () => Error;
    name: string;
    classes: (abstract new (...a: never[]) => Error)[];
  }[] = [
    {
      label: "base",
      make: () => new BinanceError("Cannot reach Binance: timeout", { cause }),
      name: "BinanceError",
      classes: [Error, BinanceError],
    },
    {
      label: "api",
      make: () =>
        new BinanceApiError("Binance rejected the request: Invalid symbol", {
          code: -1121,
          status: 400,
          cause,
        }),
      name: "BinanceApiError",
      classes: [Error, BinanceError, BinanceApiError],
    },
    {
      label: "rate limit",
      make: () =>
        new RateLimitError("Rate limit hit", { code: -1003, status: 429, retryAfter: 30_000, cause }),
      name: "RateLimitError",
      classes: [Error, BinanceError, BinanceApiError, RateLimitError],
    },
    {
      label: "ip ban",
      make: () => new IpBannedError("IP banned", { code: -1003, status: 418, until: 1659146400000, cause }),
      name: "IpBannedError",
      classes: [Error, BinanceError, BinanceApiError, IpBannedError],
    },
  ];
  for (const c of cases) {
    it(`${c.label}: name, instanceof chain, cause kept`, () => {
      const e = c.make();
      assertEquals(e.name, c.name);
      for (const cls of c.classes) assertInstanceOf(e, cls as unknown as new () => Error);
      assertStrictEquals(e.cause, cause);
      assert(isBinanceError(e));
      assertEquals(String(e).startsWith(`${c.name}: `), true);
    });
  }

  it("guards discriminate", () => {
    const api = new BinanceApiError("x", { code: -2010, status: 400 });
    const rl = new RateLimitError("x", { status: 429, retryAfter: 1000 });
    const ban = new IpBannedError("x", { status: 418, until: 1 });
    const table: [unknown, boolean, boolean, boolean, boolean][] = [
      // value, isBinanceError, isBinanceApiError, isRateLimitError, isIpBannedError
      [new BinanceError("x"), true, false, false, false],
      [api, true, true, false, false],
      [rl, true, true, true, false],
      [ban, true, true, false, true],
      [new Error("x"), false, false, false, false],
      [new TypeError("x"), false, false, false, false],
      [null, false, false, false, false],
      ["BinanceError", false, false, false, false],
      [{ name: "BinanceError" }, false, false, false, false], // no message: not an error object
    ];
    for (const [v, a, b, c, d] of table) {
      assertEquals(
        [isBinanceError(v), isBinanceApiError(v), isRateLimitError(v), isIpBannedError(v)],
        [a, b, c, d],
        String(v),
      );
    }
  });

  it("guards accept errors from another realm by name", () => {
    // A copy of the class hierarchy (as a second bundle of the package would have) is not instanceof-related.
    class ForeignApiError extends Error {
      code = -1121;
      status = 400;
      constructor(m: string) {
        super(m);
        this.name = "BinanceApiError";
      }
    }
    const foreign = new ForeignApiError("Invalid symbol");
    assertEquals(foreign instanceof BinanceError, false);
    assert(isBinanceError(foreign));
    assert(isBinanceApiError(foreign));
    assertEquals(isRateLimitError(foreign), false);
    const plain = { name: "RateLimitError", message: "Too many requests", retryAfter: 5 };
    assert(isRateLimitError(plain));
    assert(isBinanceError(plain));
  });
});

describe("errors: fields", () => {
  it("defaults code and status to 0 and leaves endpoint and cause unset", () => {
    const e = new BinanceApiError("Binance answered 500 without a body");
    assertEquals([e.code, e.status, e.endpoint], [0, 0, undefined]);
    assertEquals("cause" in e, false);
    assertEquals("endpoint" in e, false);
  });

  it("cuts query strings and fragments off the endpoint (signatures never leak)", () => {
    const table: [string, string][] = [
      ["GET /api/v3/order", "GET /api/v3/order"],
      ["GET /api/v3/order?symbol=BTCUSDT&orderId=1&timestamp=1&signature=deadbeef", "GET /api/v3/order"],
      ["PUT /fapi/v1/listenKey#listenKey=abc", "PUT /fapi/v1/listenKey"],
      ["DELETE /api/v3/openOrders?", "DELETE /api/v3/openOrders"],
    ];
    for (const [given, kept] of table) {
      const e = new BinanceApiError("failed", { endpoint: given });
      assertEquals(e.endpoint, kept);
      assertEquals(JSON.stringify(e).includes("signature"), false);
    }
  });

  it("keeps an undefined cause when explicitly given", () => {
    const e = new BinanceApiError("x", { cause: undefined });
    assertEquals("cause" in e, true);
  });

  it("rejects non-integer code/status and negative or non-finite retryAfter/until", () => {
    assertThrows(() => new BinanceApiError("x", { code: 1.5 }), TypeError, "code");
    assertThrows(() => new BinanceApiError("x", { status: Number.NaN }), TypeError, "status");
    assertThrows(() => new RateLimitError("x", { retryAfter: -1 }), RangeError, "retryAfter");
    assertThrows(() => new RateLimitError("x", { retryAfter: Infinity }), RangeError, "retryAfter");
    assertThrows(() => new IpBannedError("x", { until: Number.NaN }), RangeError, "until");
  });

  it("carries retryAfter (ms) and until (epoch ms)", () => {
    const rl = new RateLimitError("Too many requests", { code: -1003, status: 429, retryAfter: 120_000 });
    assertEquals([rl.code, rl.status, rl.retryAfter], [-1003, 429, 120_000]);
    const ban = new IpBannedError("Banned", {
      status: 418,
      until: 1659146400000,
      endpoint: "GET /api/v3/depth",
    });
    assertEquals([ban.status, ban.until, ban.endpoint], [418, 1659146400000, "GET /api/v3/depth"]);
  });
});

describe("errors: parseBannedUntil", () => {
  const table: [string, number | undefined][] = [
    // the -1003 message documented in binance-api.md §3.3
    [
      "Way too much request weight used; IP banned until 1659146400000. Please use WebSocket Streams for live updates to avoid bans.",
      1659146400000,
    ],
    ["IP banned until 1659146400000", 1659146400000],
    ["Too much request weight used; current limit is 6000 request weight per 1 MINUTE.", undefined],
    ["banned until soon", undefined],
    ["", undefined],
  ];
  for (const [msg, until] of table) {
    it(JSON.stringify(msg.slice(0, 40)), () => assertEquals(parseBannedUntil(msg), until));
  }
});
