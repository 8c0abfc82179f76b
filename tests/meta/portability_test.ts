// The house rule: library code outside CLI/server/adapter files uses web-standard globals only.
import { describe, it } from "node:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { assert, assertEquals } from "@std/assert";
import { projectPath } from "../_data.ts";

const WEB_STANDARD_DIRS = [
  "src/core",
  "src/rest",
  "src/ws",
  "src/unicornfy",
  "src/depthcache",
  "src/cluster",
];
const EXEMPT = /(^|\/)(cli|server|adapter|_node|_deno|_bun)[^/]*\.ts$/;
const FORBIDDEN: [RegExp, string][] = [
  [/from\s+["']node:/, "a node: import"],
  [/\brequire\(/, "require()"],
  [/\bBuffer\./, "Buffer"],
  [/\bprocess\./, "process"],
  [/\bDeno\./, "the Deno namespace"],
  [/\bBun\./, "the Bun namespace"],
];

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** Offending lines of a source text (comments included: a comment naming Buffer is rare enough). */
function offences(text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    for (const [re, what] of FORBIDDEN) if (re.test(line)) found.push(`line ${i + 1}: ${what}`);
  });
  return found;
}

describe("portability", () => {
  it("web-standard library folders use no runtime-specific API", () => {
    const bad: string[] = [];
    let files = 0;
    for (const dir of WEB_STANDARD_DIRS) {
      let list: string[] = [];
      try {
        list = walk(projectPath(dir));
      } catch {
        continue; // the part does not exist yet
      }
      for (const file of list) {
        if (EXEMPT.test(file)) continue;
        files++;
        for (const o of offences(readFileSync(file, "utf8"))) bad.push(`${file}: ${o}`);
      }
    }
    assert(files > 10, "the scan found the library files");
    assertEquals(bad, []);
  });

  it("the scanner catches each forbidden form", () => {
    assertEquals(offences(`import { x } from "node:fs";`).length, 1);
    assertEquals(offences(`const b = Buffer.from("x");`).length, 1);
    assertEquals(offences(`if (process.env.X) {}`).length, 1);
    assertEquals(offences(`Deno.exit(1); Bun.serve({});`).length, 2);
    assertEquals(offences(`const ok = new TextEncoder();`).length, 0);
  });
});
