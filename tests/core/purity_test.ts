import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { readdirSync, readFileSync } from "node:fs";
import { projectPath } from "../_data.ts";
import * as core from "../../src/core/mod.ts";

// The constraint: src/core is runtime-free (web-standard globals only) and importing a
// module does nothing. Checked on the source text with comments removed.
const dir = projectPath("src/core");
const files = readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();

function code(file: string): string {
  return readFileSync(`${dir}/${file}`, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
}

describe("core purity", () => {
  it("has the expected modules", () => {
    assertEquals(files, [
      "_exchange_catalog.ts",
      "_json_exact.ts",
      "_modules.ts",
      "_network.ts",
      "_options.ts",
      "backoff.ts",
      "clock.ts",
      "decimal.ts",
      "errors.ts",
      "exchanges.ts",
      "json.ts",
      "mod.ts",
    ]);
  });

  const rules: [string, RegExp][] = [
    ["no node: import", /["']node:/],
    ["no require()", /\brequire\s*\(/],
    ["no Buffer", /\bBuffer\b/],
    ["no process", /\bprocess\b/],
    ["no Deno global", /\bDeno\b/],
    ["no Bun global", /\bBun\b/],
    ["no top-level await", /^(?:export\s+)?(?:const|let|var)?[^\n]*?\bawait\b/m],
    ["no top-level timer", /^(?:setTimeout|setInterval|queueMicrotask)\s*\(/m],
  ];
  for (const file of files) {
    it(file, () => {
      const src = code(file);
      for (const [rule, re] of rules) {
        // top-level await: only statements starting at column 0 are top level in these files
        if (rule === "no top-level await") {
          const topLevel = src.split("\n").filter((l) => /^\S/.test(l) && /\bawait\b/.test(l));
          assertEquals(topLevel, [], `${file}: ${rule}`);
          continue;
        }
        const m = re.exec(src);
        assert(m === null, `${file}: ${rule} (found ${JSON.stringify(m?.[0])})`);
      }
      // relative imports end in .ts
      for (const m of src.matchAll(/from\s+"(\.[^"]*)"/g)) assert(m[1].endsWith(".ts"), `${file}: ${m[1]}`);
    });
  }

  it("the only bare import is decimal.js", () => {
    const bare = new Set<string>();
    for (const file of files) {
      for (const m of code(file).matchAll(/from\s+"([^".][^"]*)"/g)) bare.add(m[1]);
    }
    assertEquals([...bare], ["decimal.js"]);
  });

  it("mod.ts re-exports the public API", () => {
    const names = Object.keys(core).sort();
    for (
      const n of [
        "BinanceError",
        "BinanceApiError",
        "RateLimitError",
        "IpBannedError",
        "isBinanceError",
        "getExchange",
        "EXCHANGE_NAMES",
        "parseJson",
        "stringifyJson",
        "roundToStep",
        "decimalsOf",
        "toPlainString",
        "backoffDelay",
        "sleep",
        "ServerClock",
      ]
    ) assert(names.includes(n), n);
  });
});
