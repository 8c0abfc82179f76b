// The manifests agree: runtime dependencies have the same version ranges in deno.json (npm:
// specifiers) and package.json, and the built npm package exports exactly the sub-paths of
// deno.json (plus the WASM asset). Run after build_npm.ts (the test command does).
import { describe, it } from "node:test";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import process from "node:process";
import { assert, assertEquals } from "@std/assert";
import { projectPath } from "../_data.ts";
import { npmExportsFromDeno, readJsonc } from "../../scripts/_manifest.mjs";

const deno = readJsonc(projectPath("deno.json"));
const pkg = JSON.parse(readFileSync(projectPath("package.json"), "utf8"));

/** "npm:zod@4.6.7" -> ["zod", "4.6.7"]; "npm:/hono@4.13.19/" -> ["hono", "4.13.19"]. */
function parseNpmSpecifier(spec: string): [string, string] | null {
  const m = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)@([^/]+)\/?$/.exec(spec);
  return m ? [m[1], m[2]] : null;
}

describe("manifests", () => {
  it("every npm: import of deno.json has the same range in package.json dependencies", () => {
    const fromDeno = new Map<string, string>();
    for (const spec of Object.values(deno.imports as Record<string, string>)) {
      const parsed = parseNpmSpecifier(spec);
      if (parsed) fromDeno.set(parsed[0], parsed[1]);
    }
    assert(fromDeno.size >= 3, "deno.json declares the runtime dependencies");
    for (const [name, range] of fromDeno) {
      assertEquals(
        pkg.dependencies?.[name],
        range,
        `package.json dependencies.${name} must equal deno.json's ${range}`,
      );
    }
    for (const name of Object.keys(pkg.dependencies ?? {})) {
      assert(fromDeno.has(name), `package.json dependency ${name} is missing from deno.json imports`);
    }
  });

  it("the specifier parser reads both import-map forms", () => {
    assertEquals(parseNpmSpecifier("npm:zod@4.6.7"), ["zod", "4.6.7"]);
    assertEquals(parseNpmSpecifier("npm:/hono@4.13.19/"), ["hono", "4.13.19"]);
    assertEquals(parseNpmSpecifier("npm:@scope/pkg@^1.2.0"), ["@scope/pkg", "^1.2.0"]);
    assertEquals(parseNpmSpecifier("./tests/_assert.ts"), null);
  });

  it("the npm package exports every deno.json export and nothing else but assets", () => {
    const built = projectPath("npm/package.json");
    assert(existsSync(built), "npm/package.json is missing: run `deno run -A build_npm.ts <version>` first");
    const npm = JSON.parse(readFileSync(built, "utf8"));
    const expected = npmExportsFromDeno(deno.exports);
    const codeExports = Object.fromEntries(
      Object.entries(npm.exports as Record<string, unknown>).filter(([k]) => !k.endsWith(".wasm")),
    );
    assertEquals(codeExports, expected);
    const leaves = (v: unknown): string[] =>
      typeof v === "string" ? [v] : Object.values(v as Record<string, unknown>).flatMap(leaves);
    for (const [key, target] of Object.entries(npm.exports as Record<string, unknown>)) {
      if (key.endsWith(".wasm")) {
        const files = leaves(target);
        assert(files.some((f) => f.endsWith(".d.ts")), `${key} has no types`);
        for (const f of files) assert(existsSync(projectPath(`npm/${f}`)), `${key} points at a missing ${f}`);
      }
    }
    // dependencies and (optional) peers: the versions of package.json, peers as ^ ranges
    for (const [name, version] of Object.entries(npm.dependencies as Record<string, string>)) {
      assertEquals(version, pkg.dependencies[name], `dependencies.${name}`);
    }
    for (const [name, range] of Object.entries(npm.peerDependencies as Record<string, string>)) {
      assertEquals(range, `^${pkg.dependencies[name]}`, `peerDependencies.${name}`);
      assertEquals(npm.peerDependenciesMeta[name], { optional: true }, `peerDependenciesMeta.${name}`);
    }
  });

  it("the export map generator rejects a non-TypeScript target", () => {
    let threw = false;
    try {
      npmExportsFromDeno({ "./x": "./src/x.js" });
    } catch (e) {
      threw = e instanceof TypeError;
    }
    assert(threw);
  });

  it("build_npm.ts refuses a version that is not semver, before touching npm/", () => {
    const before = statSync(projectPath("npm/package.json")).mtimeMs;
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const res = spawnSync(projectPath("node_modules/.bin/deno"), [
      "run",
      "-A",
      "build_npm.ts",
      "1.2",
      "--no-test",
    ], {
      cwd: projectPath("."),
      encoding: "utf8",
      env,
      timeout: 60_000,
    });
    assertEquals(res.status, 1, res.stderr);
    assert(res.stderr.includes(`Invalid version "1.2": expected semver`), res.stderr);
    assertEquals(statSync(projectPath("npm/package.json")).mtimeMs, before, "npm/ was left alone");
  });
});
