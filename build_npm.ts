/**
 * Builds the npm package into `npm/` — the artifact dnt's `build_npm.ts` would produce — and runs the
 * test suite against it on Node.
 *
 * Usage: `deno run -A build_npm.ts <version> [--no-test]` (also runs under `bun` and `node` 24).
 *
 * dnt itself (`jsr:@deno/dnt`) lives only on JSR, which the machines building this project cannot
 * reach, so the same result is produced with tsc and esbuild:
 *
 * 1. `tsc -p tsconfig.build.json` (noCheck + isolatedDeclarations: `deno check` is the type gate)
 *    emits `npm/esm/**` (ES modules, `.ts` specifiers rewritten to `.js`) and a `.d.ts` beside each.
 * 2. esbuild transforms every ESM file to CommonJS in `npm/script/**` (+ `{"type":"commonjs"}`).
 * 3. `npm/package.json` is generated from `deno.json` (name, version, one `exports` entry per
 *    deno.json export, import + require conditions with types) and `package.json` (dependencies).
 * 4. README.md, LICENSE and the WASM core are copied; publint must report nothing.
 * 5. Unless `--no-test`: `scripts/test_npm.mjs` runs every test file against `npm/esm` and
 *    `npm/script` under Node.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import process from "node:process";
import * as esbuild from "esbuild";
import { npmExportsFromDeno, readJsonc } from "./scripts/_manifest.mjs";

const root = process.cwd();
const outDir = join(root, "npm");
const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith("--")));

function fail(message: string): never {
  console.error(`build_npm: ${message}`);
  process.exit(1);
}

function run(cmd: string, cmdArgs: string[]): void {
  const res = spawnSync(cmd, cmdArgs, { stdio: "inherit", cwd: root });
  if (res.status !== 0) fail(`${cmd} ${cmdArgs.join(" ")} exited with ${res.status ?? res.signal}`);
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const deno = readJsonc(join(root, "deno.json"));
const devManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const version = args[0] ?? deno.version;
if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) fail(`Invalid version "${version}": expected semver`);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

// 1. ESM + declarations.
const entryFiles = Object.values(deno.exports as Record<string, string>);
const tsconfig = {
  compilerOptions: {
    target: "ES2022",
    module: "ESNext",
    moduleResolution: "bundler",
    allowImportingTsExtensions: true,
    rewriteRelativeImportExtensions: true,
    declaration: true,
    isolatedDeclarations: true,
    noCheck: true,
    skipLibCheck: true,
    types: [],
    lib: ["ES2022", "DOM"],
    rootDir: ".",
    outDir: "npm/esm",
  },
  // Every library module, not only those reachable from an export: the artifact tests exercise
  // internal modules too, and dnt would have emitted them for its test run as well.
  files: entryFiles,
  include: ["src/**/*.ts"],
};
writeFileSync(join(root, "tsconfig.build.json"), JSON.stringify(tsconfig, null, 2) + "\n");
try {
  run(join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"]);
} finally {
  rmSync(join(root, "tsconfig.build.json"), { force: true });
}

const esmDir = join(outDir, "esm");
const scriptDir = join(outDir, "script");
for (const file of walk(esmDir)) {
  // tsc keeps ".ts" in declaration specifiers (TypeScript issue #61037): rewrite relative ones.
  if (file.endsWith(".d.ts")) {
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace(/(["'])(\.{1,2}\/[^"']+)\.ts\1/g, "$1$2.js$1"));
  }
}

// 2. CommonJS copies.
for (const file of walk(esmDir)) {
  const rel = relative(esmDir, file);
  const target = join(scriptDir, rel);
  mkdirSync(dirname(target), { recursive: true });
  if (file.endsWith(".d.ts")) {
    copyFileSync(file, target);
  } else if (file.endsWith(".js")) {
    const res = await esbuild.transform(readFileSync(file, "utf8"), {
      format: "cjs",
      target: "es2022",
      platform: "neutral",
      // import() of a sibling CJS file would load it through Node's ESM loader, which cannot see
      // esbuild's named exports: turn it into require() like dnt's script output does.
      supported: { "dynamic-import": false },
      sourcefile: rel,
    });
    for (const w of res.warnings) console.warn(`build_npm: esbuild warning in ${rel}: ${w.text}`);
    writeFileSync(target, res.code);
  }
}
writeFileSync(join(scriptDir, "package.json"), JSON.stringify({ type: "commonjs" }, null, 2) + "\n");

// 3. Assets: the raw WASM core (for runtimes that must import a precompiled module, e.g. workerd).
const wasmSrc = join(root, "src", "depthcache", "core.wasm");
for (const dir of [esmDir, scriptDir]) {
  mkdirSync(join(dir, "src", "depthcache"), { recursive: true });
  copyFileSync(wasmSrc, join(dir, "src", "depthcache", "core.wasm"));
}
const assetExports: Record<string, string> = { "./core.wasm": "./esm/src/depthcache/core.wasm" };

// 4. package.json.
const pkg = {
  name: "unicorn-binance",
  version,
  description:
    "Binance toolkit for bots that run as services: REST, WebSocket streams and API, UnicornFy, WASM local depth cache, exchange emulator",
  license: deno.license ?? "MIT",
  type: "module",
  main: "./script/mod.js",
  module: "./esm/mod.js",
  types: "./esm/mod.d.ts",
  exports: { ...npmExportsFromDeno(deno.exports), ...assetExports },
  bin: { "unicorn-binance-emulator": "./esm/src/testing/cli.js" },
  files: ["esm", "script", "README.md", "LICENSE"],
  sideEffects: false,
  engines: { node: ">=22" },
  keywords: ["binance", "websocket", "orderbook", "depth-cache", "trading", "deno", "bun", "wasm"],
  dependencies: devManifest.dependencies,
  _generatedBy: "unicorn-binance build_npm.ts (dnt-equivalent)",
};
writeFileSync(join(outDir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
for (const f of ["README.md", "LICENSE"]) {
  if (!existsSync(join(root, f))) fail(`${f} is missing`);
  copyFileSync(join(root, f), join(outDir, f));
}

// 5. publint: report nothing.
const lint = spawnSync(join(root, "node_modules", ".bin", "publint"), ["run", "npm", "--strict"], {
  cwd: root,
  encoding: "utf8",
});
const lintOut = `${lint.stdout}${lint.stderr}`.trim();
console.log(lintOut);
if (lint.status !== 0 || !/All good/i.test(lintOut)) fail("publint reported problems");

console.log(`build_npm: npm/ written for unicorn-binance@${version} (${walk(outDir).length} files)`);

// 6. Tests against the artifact.
if (!flags.has("--no-test")) {
  run(join(root, "node_modules", ".bin", "node"), [join(root, "scripts", "test_npm.mjs")]);
}
