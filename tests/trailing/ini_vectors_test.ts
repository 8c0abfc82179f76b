// The INI reader against Python's own configparser: tests/trailing/_ini_vectors.json holds what
// `configparser.ConfigParser(interpolation=ExtendedInterpolation())` (CPython 3.11) returned for
// each text — every section's resolved values, or the exception class. Regenerate with
// `python3 tests/trailing/_ini_vectors_gen.py > tests/trailing/_ini_vectors.json` (then deno fmt).
import { describe, it } from "node:test";
import { assertEquals, assertThrows } from "@std/assert";
import { readFileSync } from "node:fs";
import { projectPath } from "../_data.ts";
import { IniSyntaxError, parseIni, resolveSection } from "../../src/trailing/_ini.ts";

interface Vector {
  readonly text: string;
  readonly sections?: Record<string, Record<string, string>>;
  readonly error?: string;
}
const V: { cases: Record<string, Vector> } = JSON.parse(
  readFileSync(projectPath("tests/trailing/_ini_vectors.json"), "utf8"),
);

// Python's exception class → the rule our reader names
const RULE: Record<string, RegExp> = {
  MissingSectionHeaderError: /text before the first \[section\] header/,
  ParsingError: /expected "key = value"|empty key/,
  DuplicateSectionError: /duplicate section/,
  DuplicateOptionError: /duplicate key/,
  InterpolationMissingOptionError: /names a missing (key|section)/,
  InterpolationSyntaxError: /"\$" must be followed|bad reference/,
  InterpolationDepthError: /nested deeper than 10/,
};

function readAll(text: string): Record<string, Record<string, string>> {
  const doc = parseIni(text, "v.ini");
  const out: Record<string, Record<string, string>> = { DEFAULT: resolveSection(doc, "DEFAULT") };
  for (const name of doc.sections.keys()) out[name] = resolveSection(doc, name);
  return out;
}

describe("INI reader = Python configparser (ExtendedInterpolation)", () => {
  for (const [name, v] of Object.entries(V.cases)) {
    it(name, () => {
      if (v.error) {
        const e = assertThrows(() => readAll(v.text), IniSyntaxError);
        const rule = RULE[v.error];
        if (!rule) throw new Error(`no rule for ${v.error}`);
        assertEquals(rule.test((e as Error).message), true, `${v.error}: ${(e as Error).message}`);
      } else {
        assertEquals(readAll(v.text), v.sections);
      }
    });
  }
});
