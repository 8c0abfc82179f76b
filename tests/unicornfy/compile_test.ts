import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { mapperOf, type Raw } from "../../src/unicornfy/_compile.ts";
import { familyTables, type UnicornfyFamily } from "../../src/unicornfy/exchanges.ts";
import { f, flat, list, obj } from "../../src/unicornfy/field_table.ts";
import { readSharedText } from "../_data.ts";
import { loadVectors } from "./_vectors.ts";
import * as S from "./_samples.ts";

/** Every raw event payload we have: vectors, recordings, docs samples (array items flattened). */
function payloads(): Raw[] {
  const out: Raw[] = [];
  const add = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(add);
    else if (value !== null && typeof value === "object") {
      const o = value as Raw;
      if (typeof o.stream === "string" && o.data !== undefined) add(o.data);
      else if (o.event !== undefined) add(o.event);
      else out.push(o);
    }
  };
  for (const v of loadVectors()) add(v.input_parsed);
  for (const file of ["depth/BINANCE.ws.1.0", "depth/BINANCE_FUTURES.ws.1.0"]) {
    for (const line of readSharedText(file).split("\n").slice(1)) {
      if (line) add(JSON.parse(line.slice(line.indexOf(": ") + 2)));
    }
  }
  for (const text of Object.values(S)) add(JSON.parse(text));
  return out;
}

const ordered = (o: unknown): string => JSON.stringify(o, (_k, v) => typeof v === "bigint" ? `${v}n` : v);

describe("unicornfy: compiled mappers equal the table interpreter", () => {
  const raws = payloads();
  for (const family of ["spot", "futures", "portfolio_margin"] as UnicornfyFamily[]) {
    it(`${family}: same keys, same order, same values on every payload`, () => {
      const compiled = familyTables(family).events;
      const interpreted = familyTables(family, true).events;
      let compared = 0;
      for (const raw of raws) {
        const name = typeof raw.e === "string"
          ? raw.e
          : raw.lastUpdateId !== undefined
          ? "depth"
          : raw.u !== undefined && raw.b !== undefined
          ? "bookTicker"
          : "";
        const a = compiled.get(name);
        const b = interpreted.get(name);
        if (a === undefined || b === undefined) continue;
        const outA: Raw = {}, outB: Raw = {};
        a.map(raw, outA);
        b.map(raw, outB);
        assertEquals(ordered(outA), ordered(outB), name);
        assert(Object.keys(outA).length > 0, name);
        compared++;
      }
      assert(compared > (family === "portfolio_margin" ? 5 : 100), `only ${compared} payloads compared`);
    });
  }

  it("odd keys are quoted, nested/list/flatten shapes and non-object values are handled alike", () => {
    const fields = [
      f('we"ird', "x\ny"),
      obj("nested", "n", [f("a", "a")]),
      list("items", "l", [f("b", "b")]),
      flat("h", [f("hoisted", "c")]),
    ];
    const raw: Raw = { "x\ny": 1, n: { a: 2 }, l: [{ b: 3 }, null, 7], h: { c: 4 } };
    const bad: Raw = { n: null, l: "nope", h: 5 };
    for (const input of [raw, bad, {}]) {
      const a: Raw = {}, b: Raw = {};
      mapperOf(fields)(input, a);
      mapperOf(fields, true)(input, b);
      assertEquals(ordered(a), ordered(b));
    }
    const out: Raw = {};
    mapperOf(fields)(raw, out);
    assertEquals(out, { 'we"ird': 1, nested: { a: 2 }, items: [{ b: 3 }, {}, {}], hoisted: 4 });
  });
});
