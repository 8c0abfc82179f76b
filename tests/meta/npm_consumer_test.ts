// The built npm package (npm/, made by build_npm.ts before the tests run) is importable by package
// name with both `import` and `require` on Node 24, for every sub-path export, and the two module
// systems see the same export names.
import { describe, it } from "node:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { assert, assertEquals } from "@std/assert";
import { projectPath } from "../_data.ts";

const node = projectPath("node_modules/.bin/node");

function consumerDir(): string {
  const dir = projectPath(".tmp/npm_consumer");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(projectPath("npm"), join(dir, "node_modules", "unicorn-binance"), "dir");
  return dir;
}

function runNode(cwd: string, args: string[]): string {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const res = spawnSync(node, args, { cwd, encoding: "utf8", env, timeout: 60_000 });
  assertEquals(res.status, 0, `node ${args.join(" ")} failed:\n${res.stderr}`);
  return res.stdout.trim();
}

describe("npm package consumers", () => {
  it("every export resolves by name with import and require and exposes the same names", () => {
    const pkgPath = projectPath("npm/package.json");
    assert(
      existsSync(pkgPath),
      "npm/package.json is missing: run `deno run -A build_npm.ts <version>` first",
    );
    const pkg = JSON.parse(readFileSync(pkgPath, "utf8"));
    const dir = consumerDir();
    const subpaths = Object.keys(pkg.exports).filter((k) => !k.endsWith(".wasm"));
    assert(subpaths.includes("."));
    for (const sub of subpaths) {
      const spec = sub === "." ? "unicorn-binance" : `unicorn-binance/${sub.slice(2)}`;
      const esm = runNode(dir, [
        "--input-type=module",
        "-e",
        `const m = await import(${
          JSON.stringify(spec)
        }); console.log(JSON.stringify(Object.keys(m).sort()));`,
      ]);
      const cjs = runNode(dir, [
        "-e",
        `const m = require(${JSON.stringify(spec)}); console.log(JSON.stringify(Object.keys(m).sort()));`,
      ]);
      const esmNames: string[] = JSON.parse(esm);
      const cjsNames: string[] = JSON.parse(cjs).filter((n: string) => n !== "default" && n !== "__esModule");
      assert(esmNames.length > 0, `${spec} exports nothing`);
      assertEquals(cjsNames, esmNames.filter((n) => n !== "default"), `${spec}: require and import differ`);
    }
  });
});
