/**
 * Regenerates the field tables in docs/unicornfy.md from the mapping tables the code uses.
 *
 * Run from the project root: `deno run -A scripts/gen_unicornfy_docs.ts` (or `bun`, or
 * `node scripts/gen_unicornfy_docs.ts` on Node 24). `tests/unicornfy/docs_test.ts` fails when the
 * committed docs differ from what this writes.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { renderFieldTables } from "../src/unicornfy/field_docs.ts";

const BEGIN = "<!-- BEGIN GENERATED FIELD TABLES (scripts/gen_unicornfy_docs.ts) -->";
const END = "<!-- END GENERATED FIELD TABLES -->";
const path = "docs/unicornfy.md";

const before = readFileSync(path, "utf8");
const begin = before.indexOf(BEGIN);
const end = before.indexOf(END);
if (begin < 0 || end < begin) throw new SyntaxError(`Cannot update ${path}: generated-table markers missing`);
const after = before.slice(0, begin + BEGIN.length) + "\n\n" + renderFieldTables() + "\n" + before.slice(end);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? `${path} is up to date` : `${path} updated`);
