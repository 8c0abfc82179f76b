import { describe, it } from "node:test";
import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import fc from "fast-check";
import { readSharedText } from "../_data.ts";
import { hasLongDigitRun, type Int64, parseJson, stringifyJson } from "../../src/core/json.ts";
import { parseJsonExact, stringifyJsonFallback } from "../../src/core/_json_exact.ts";

/** The public parser (fast path or exact path by content) and the exact parser forced on every text. */
const PARSERS: [string, (t: string) => unknown][] = [["parseJson", parseJson], [
  "fallback",
  parseJsonExact,
]];

/** Raw frames of a cryptofeed recording: lines `"<ts>: <json>"` after the connect line. */
function recordedFrames(file: string): string[] {
  return readSharedText(file).split("\n").slice(1).filter((l) => l.length > 0).map((l) =>
    l.slice(l.indexOf(": ") + 2)
  );
}
/** REST snapshot lines `"<url> -> <ts>: <json>"`. */
function recordedSnapshots(file: string): string[] {
  return readSharedText(file).split("\n").filter((l) => l.includes(" -> ")).map((l) =>
    l.slice(l.indexOf(": ") + 2)
  );
}

const SPOT_FRAMES = recordedFrames("depth/BINANCE.ws.1.0");
const FUT_FRAMES = recordedFrames("depth/BINANCE_FUTURES.ws.1.0");

describe("json: recorded Binance data parses exactly like JSON.parse (ids are safe there)", () => {
  const sets: [string, string[]][] = [
    ["spot frames", SPOT_FRAMES],
    ["USD-M frames", FUT_FRAMES],
    ["spot snapshots", recordedSnapshots("depth/BINANCE.http.0.0")],
    ["USD-M snapshots", recordedSnapshots("depth/BINANCE_FUTURES.http.0.0")],
    // long float fractions (16+ digit runs) force the exact path; they must stay numbers
    ["forensics series", [readSharedText("forensics/binance_depthcache_forensics_chart_series.json")]],
  ];
  for (const [label, texts] of sets) {
    for (const [pname, parse] of PARSERS) {
      it(`${label} (${texts.length}) via ${pname}`, () => {
        assert(texts.length > 0);
        for (const t of texts) assertEquals(parse(t), JSON.parse(t));
      });
    }
  }

  it("recorded update ids stay numbers with their exact value", () => {
    let checked = 0;
    for (const t of FUT_FRAMES) {
      const f = parseJson<{ data: { e?: string; U: Int64; u: Int64; pu: Int64 } }>(t);
      if (f.data.e !== "depthUpdate") continue;
      const src = /"U":(\d+),"u":(\d+),"pu":(\d+)/.exec(t);
      assert(src, t.slice(0, 120));
      assertEquals([f.data.U, f.data.u, f.data.pu], [Number(src[1]), Number(src[2]), Number(src[3])]);
      assertEquals(typeof f.data.u, "number");
      checked++;
    }
    assertEquals(checked, 764); // binance-api.md §7.5: 764 USD-M depthUpdate messages
  });
});

describe("json: integers outside ±(2^53-1) become bigint", () => {
  const table: [string, unknown][] = [
    ["9007199254740991", 9007199254740991], // MAX_SAFE_INTEGER stays a number
    ["-9007199254740991", -9007199254740991],
    ["9007199254740992", 9007199254740992n], // 2^53: JSON.parse cannot tell it from 2^53 + 1
    ["9007199254740993", 9007199254740993n],
    ["-9007199254740993", -9007199254740993n],
    ["18446744073709551615", 18446744073709551615n], // u64 max
    ["9223372036854775807", 9223372036854775807n], // i64 max
    ["-9223372036854775808", -9223372036854775808n], // i64 min
    ["123456789012345678901234567890", 123456789012345678901234567890n],
    ["1000000000000000", 1000000000000000], // 16 digits, safe: number
    ["0000", undefined], // invalid (leading zeros): SyntaxError, see below
  ];
  for (const [text, expected] of table.filter((r) => r[1] !== undefined)) {
    for (const [pname, parse] of PARSERS) {
      it(`${text} via ${pname}`, () => {
        const v = parse(text);
        assertStrictEquals(typeof v, typeof expected);
        assertStrictEquals(v, expected);
        assertStrictEquals(parse(`[${text}]`) instanceof Array, true);
        assertEquals(parse(`{"id":${text}}`), { id: expected });
      });
    }
  }

  const nested =
    '{"result":{"orders":[{"orderId":9007199254740993,"clientOrderId":"12345678901234567890","price":"0.00100000","fills":[[18446744073709551615,-9223372036854775808]]}],"count":2,"lastUpdateId":4611686018427387904},"id":9223372036854775807}';
  for (const [pname, parse] of PARSERS) {
    it(`ids inside nested arrays and objects via ${pname}`, () => {
      assertEquals(parse(nested), {
        result: {
          orders: [{
            orderId: 9007199254740993n,
            clientOrderId: "12345678901234567890", // a string stays a string
            price: "0.00100000",
            fills: [[18446744073709551615n, -9223372036854775808n]],
          }],
          count: 2,
          lastUpdateId: 4611686018427387904n,
        },
        id: 9223372036854775807n,
      });
    });
  }

  it("a recorded USD-M frame with ids shifted above 2^53 keeps every digit", () => {
    // real frame, ids made 19-20 digits long by a textual prefix: the kind of value a u64 id takes
    const frame = FUT_FRAMES.find((t) => t.includes('"depthUpdate"'))!;
    const big = frame.replace(/"(U|u|pu)":(\d+)/g, (_m, k, d) => `"${k}":9000000${d}`);
    assert(big !== frame);
    const ids = [...big.matchAll(/"(?:U|u|pu)":(\d+)/g)].map((m) => BigInt(m[1]));
    for (const [, parse] of PARSERS) {
      const d = (parse(big) as { data: { U: Int64; u: Int64; pu: Int64 } }).data;
      assertEquals([d.U, d.u, d.pu], ids);
      assertEquals(stringifyJson(parse(big)), big);
    }
  });
});

describe("json: what stays a number or a string", () => {
  const table: [string, unknown][] = [
    ["12345678901234567.5", 12345678901234567.5], // fraction: number, JSON.parse semantics
    ["1.2345678901234567e+30", 1.2345678901234567e+30],
    ["18446744073709551615e0", 18446744073709551615e0], // exponent: number
    ["1e400", Infinity], // as JSON.parse
    ["-0", -0],
    ["0.1234567890123456789", 0.1234567890123456789],
    ['"9007199254740993"', "9007199254740993"],
    ['"id 18446744073709551615 and 123456789012345678"', "id 18446744073709551615 and 123456789012345678"],
    ['{"12345678901234567890":1}', { "12345678901234567890": 1 }], // keys are strings
    ['"\\u0031234567890123456789"', "1234567890123456789"], // escapes decoded
    ['{"__proto__":12345678901234567890}', JSON.parse('{"__proto__":1}')], // own property, like JSON.parse
  ];
  for (const [text, expected] of table) {
    for (const [pname, parse] of PARSERS) {
      it(`${text} via ${pname}`, () => {
        const v = parse(text);
        if (text.startsWith('{"__proto__"')) {
          assert(Object.hasOwn(v as object, "__proto__"));
          assertEquals(Object.getPrototypeOf(v), Object.prototype);
          assertStrictEquals(Object.getOwnPropertyDescriptor(v, "__proto__")?.value, 12345678901234567890n);
          return;
        }
        assertEquals(v, expected);
        if (typeof expected === "number") assert(Object.is(v, expected), `${String(v)} is ${expected}`);
      });
    }
  }
});

describe("json: invalid input", () => {
  const invalid = [
    "",
    " ",
    "01",
    "012345678901234567",
    "-012345678901234567",
    "1.",
    ".5",
    "-",
    "+1",
    "1e",
    "1e+",
    "[12345678901234567,]",
    "[1 12345678901234567]",
    '{"a":12345678901234567,}',
    '{"a" 12345678901234567}',
    "{a:12345678901234567}",
    "tru",
    "nul",
    "NaN",
    '"\\x12345678901234567"',
    '"12345678901234567',
    '"\t12345678901234567"',
    "[12345678901234567",
    "12345678901234567 1",
    "[.12345678901234567]",
    "[12345678901234567.]",
    "[-12345678901234567-]",
  ];
  for (const text of invalid) {
    for (const [pname, parse] of PARSERS) {
      it(`${JSON.stringify(text)} via ${pname}`, () => {
        assertThrows(() => JSON.parse(text), SyntaxError);
        assertThrows(() => parse(text), SyntaxError);
      });
    }
  }
  it("a non-string argument is a TypeError naming it", () => {
    assertThrows(() => parseJson(undefined as unknown as string), TypeError, "Invalid text");
    assertThrows(() => parseJson(42 as unknown as string), TypeError, "got number");
  });
  it("the exact path caps nesting at 1000 levels with a SyntaxError (never a stack overflow)", () => {
    const nest = (d: number) => "[".repeat(d) + "12345678901234567890" + "]".repeat(d);
    assertEquals(stringifyJson(parseJson(nest(1000))), nest(1000));
    assertThrows(() => parseJson(nest(1001)), SyntaxError, "nesting too deep");
    assertThrows(() => parseJson(nest(100_000)), SyntaxError, "nesting too deep");
  });
  it("the exact parser names the position", () => {
    assertThrows(() => parseJsonExact('[1,"a",x]'), SyntaxError, "position 7");
  });
});

describe("json: hasLongDigitRun (fast-path gate)", () => {
  const table: [string, boolean][] = [
    ["", false],
    ["123456789012345", false], // 15 digits
    ["1234567890123456", true], // 16
    ["x1234567890123456", true],
    ["xxxxxxxxxxxxxxxxx1234567890123456yyy", true],
    ['"p":"0.12345678","q":"123456.12345678"', false], // many short runs, as in price levels
    ["1".repeat(15) + "." + "1".repeat(15), false],
    ["a".repeat(31) + "9".repeat(16), true],
    ["a".repeat(32) + "9".repeat(16), true],
    ["a".repeat(33) + "9".repeat(15) + "a", false],
  ];
  for (const [text, expected] of table) {
    it(`${JSON.stringify(text.slice(0, 40))} -> ${expected}`, () =>
      assertEquals(hasLongDigitRun(text), expected));
  }
  it("agrees with /\\d{16}/ on arbitrary digit-heavy text and on recorded frames", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a".,]{0,80}$/), (t) => hasLongDigitRun(t) === /\d{16}/.test(t)),
      { numRuns: 2000 },
    );
    for (const t of [...SPOT_FRAMES, ...FUT_FRAMES]) assertEquals(hasLongDigitRun(t), /\d{16}/.test(t));
  });
});

describe("json: stringifyJson", () => {
  const STRINGIFIERS: [string, (v: unknown) => string | undefined][] = [
    ["stringifyJson", stringifyJson],
    ["fallback", stringifyJsonFallback],
  ];
  const table: [unknown, string][] = [
    [9007199254740993n, "9007199254740993"],
    [-9223372036854775808n, "-9223372036854775808"],
    [0n, "0"],
    [
      { id: 18446744073709551615n, p: "0.1", n: [1n, 2, "3"] },
      '{"id":18446744073709551615,"p":"0.1","n":[1,2,"3"]}',
    ],
    [{ a: undefined, b: null, d: new Date(0) }, '{"b":null,"d":"1970-01-01T00:00:00.000Z"}'],
    [[undefined, () => 1], "[null,null]"],
    ["\u0001big", '"\\u0001big"'], // looks like the fallback's marker prefix but is data
    [
      { method: "SUBSCRIBE", params: ["btcusdt@depth"], id: 9223372036854775807n },
      '{"method":"SUBSCRIBE","params":["btcusdt@depth"],"id":9223372036854775807}',
    ],
  ];
  for (const [value, text] of table) {
    for (const [sname, stringify] of STRINGIFIERS) {
      it(`${text} via ${sname}`, () => assertEquals(stringify(value), text));
    }
  }
  it("no JSON representation or a cycle is a TypeError", () => {
    assertThrows(() => stringifyJson(undefined), TypeError, "no JSON representation");
    assertThrows(() => stringifyJson(() => 1), TypeError, "function");
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    assertThrows(() => stringifyJson(cyc), TypeError);
  });
});

describe("json: properties (fast-check)", () => {
  const int64 = fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n });
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      int64,
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string(),
      fc.constantFrom(true, false, null),
      fc.array(tie("v"), { maxLength: 4 }),
      fc.dictionary(fc.string(), tie("v"), { maxKeys: 4 }),
    ),
  })).v;

  it("stringifyJson then parseJson round-trips 64-bit integers (both implementations)", () => {
    fc.assert(
      fc.property(value, (v) => {
        const text = stringifyJson(v);
        assertEquals(stringifyJsonFallback(v), text);
        for (const [, parse] of PARSERS) assertEquals(parse(text), expectedAfterText(v));
      }),
      { numRuns: 300 },
    );
  });

  it("any JSON text parses like JSON.parse, except unsafe integer literals", () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const expected = expectedAfterText(JSON.parse(text));
        for (const [, parse] of PARSERS) assertEquals(parse(text), expected);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * What a value becomes after being written as JSON text and read by parseJson, derived without
 * parseJson: -0 is written "0"; a bigint in the safe range reads back as a number; a double that
 * JSON.stringify writes as a plain integer literal beyond 2^53 - 1 (e.g. 1e17) reads back as bigint.
 */
function expectedAfterText(v: unknown): unknown {
  if (typeof v === "bigint") {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  if (typeof v === "number") {
    if (Object.is(v, -0)) return 0;
    const text = JSON.stringify(v);
    return !Number.isSafeInteger(v) && /^-?\d+$/.test(text) ? BigInt(text) : v;
  }
  if (Array.isArray(v)) return v.map(expectedAfterText);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expectedAfterText(x)]));
  }
  return v;
}
