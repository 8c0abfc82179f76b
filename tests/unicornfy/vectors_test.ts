import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { unicornfy } from "../../src/unicornfy/mod.ts";
import {
  applyCorrections,
  CORRECTIONS,
  exchangeOf,
  loadVectors,
  snakeToCamel,
  translateExpected,
} from "./_vectors.ts";

const VECTORS = loadVectors();

describe("unicornfy: Python unicorn-fy vectors (snake_case → camelCase)", () => {
  it("the vector folder is complete", () => {
    assertEquals(VECTORS.length, 35);
    for (const name of Object.keys(CORRECTIONS)) {
      assert(VECTORS.some((v) => v.name === name), `correction for a missing vector ${name}`);
    }
  });

  it("snakeToCamel is the mechanical rule", () => {
    assertEquals(snakeToCamel("event_time"), "eventTime");
    assertEquals(snakeToCamel("trade_before_24h_window"), "tradeBefore24hWindow");
    assertEquals(snakeToCamel("ignore_g"), "ignoreG");
    assertEquals(snakeToCamel("symbol"), "symbol");
    assertEquals(snakeToCamel("unicorn_fied"), "unicornfied");
  });

  for (const v of VECTORS) {
    const corrections = CORRECTIONS[v.name] ?? [];
    const why = corrections.length === 0 ? "" : ` [corrected: ${corrections.map((c) => c.why).join("; ")}]`;
    it(`${v.name}${why}`, () => {
      const exchange = exchangeOf(v.function);
      const pythonExpected = v.expected ?? v.expected_subset;
      const expected = applyCorrections(
        translateExpected(pythonExpected, v.unicornfy_version_in_expected),
        v.input_parsed,
        corrections,
      ) as Record<string, unknown>;
      for (const frame of [v.input, JSON.parse(v.input)]) {
        const actual = unicornfy(frame, { exchange }) as unknown as Record<string, unknown>;
        if (v.comparison.startsWith("exact")) {
          assertEquals(actual, expected);
        } else {
          assert(v.comparison.startsWith("subset"), v.comparison);
          for (const key of Object.keys(expected)) assertEquals(actual[key], expected[key], key);
        }
      }
    });
  }
});
