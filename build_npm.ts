/**
 * Builds the npm package into `npm/` — the artifact dnt's `build_npm.ts` would produce — and runs the
 * test suite against it on Node.
 *
 * Usage: `deno run -A build_npm.ts <version> [--no-test]` (also runs under `bun` and `node` 24);
 * `--no-test` builds and checks the package (publint, attw, the dependency lists) without the
 * Node test run, for fast iteration.
 *
 * dnt itself (`jsr:@deno/dnt`) lives only on JSR, which the machines building this project cannot
 * reach, so the same result is produced with tsc and esbuild:
 *
 * 1. `tsc -p tsconfig.build.json` (noCheck + isolatedDeclarations: `deno check` is the type gate)
 *    emits `npm/esm/**` (ES modules, `.ts` specifiers rewritten to `.js`) and a `.d.ts` beside each.
 * 2. esbuild transforms every ESM file but the CLI modules to CommonJS in `npm/script/**`
 *    (+ `{"type":"commonjs"}`).
 * 3. The WASM core is copied beside both, with a declaration (`unicorn-binance/core.wasm`).
 * 4. `npm/package.json` is generated from `deno.json` (name, version, one `exports` entry per
 *    deno.json export, import + require conditions with types, node10 `typesVersions`) and the
 *    lists below: REQUIRED_DEPENDENCIES, OPTIONAL_PEERS (versions from package.json) and BINS
 *    (one generated shim per command in `npm/bin/`); every bare import of a shipped module must be
 *    listed, and every listed package imported. `npm/README.md` is docs/npm_readme.md with its
 *    relative links pointed at the repository.
 * 5. publint and attw (`--pack`) must report nothing.
 * 6. Unless `--no-test`: `scripts/test_npm.mjs` runs every test file against `npm/esm` and
 *    `npm/script` under Node.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
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

// ---------------------------------------------------------------- what the package declares
// A part that needs a package or a command adds a line here; the build checks the rest.

/**
 * npm packages every user installs ("dependencies"), with what needs them. Versions come from
 * package.json "dependencies".
 */
const REQUIRED_DEPENDENCIES: Readonly<Record<string, string>> = {
  "decimal.js": "every entry point (src/core/decimal.ts)",
  zod: "./trailing and ./cluster: option, config and protocol schemas",
};

/**
 * Optional peer dependencies ("peerDependencies" + "peerDependenciesMeta.optional"; npm installs
 * none of them on its own): only users of the sub-path that needs one install it, and that
 * sub-path names the `npm install` command in its error when it is missing. Versions: `^` of
 * package.json "dependencies".
 */
const OPTIONAL_PEERS: Readonly<Record<string, string>> = {
  hono: "./testing and ./cluster: the emulator's and the cluster's HTTP servers (every runtime)",
  "@hono/node-server": "./testing and ./cluster on Node: the HTTP servers",
  "@hono/node-ws": "./testing and ./cluster on Node: the emulator's and the cluster's WebSocket servers",
  "@nats-io/transport-node": "./cluster/nats: NATS JetStream coordination (multi-host clusters)",
  "@nats-io/kv": "./cluster/nats: NATS JetStream KV buckets",
  "@nats-io/jetstream": "./cluster/nats: the JetStream consumers of the watches",
  nodemailer: "the ubtsl CLI's e-mail notifications",
};

/**
 * Executables ("bin"): name → the module whose exported `main(argv): Promise<number>` a generated
 * shim in `npm/bin/` runs (it never relies on `import.meta.main`, which Node gained only in
 * 22.18 / 24.2). Run with `npx -p unicorn-binance <name>`. These modules are ESM only.
 */
const BINS: Readonly<Record<string, string>> = {
  "unicorn-binance-emulator": "src/testing/cli.ts",
  "unicorn-binance": "src/cluster/cli.ts",
  "unicorn-binance-ubtsl": "src/trailing/cli.ts",
};

/** The repository: package.json `repository`, `homepage`, `bugs` and the npm README's links. */
const REPOSITORY = "https://github.com/unicorn-binance/unicorn-binance";

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

// 2. CommonJS copies (not of the CLI modules: they run as ESM from their bin shim, and
// `import.meta` has no CommonJS form).
const esmOnly = new Set(Object.values(BINS).map((p) => p.replace(/\.ts$/, "")));
for (const file of walk(esmDir)) {
  const rel = relative(esmDir, file);
  if (esmOnly.has(rel.replace(/(\.d\.ts|\.js)$/, ""))) continue;
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

// 3. Assets: the raw WASM core (for runtimes that must import a precompiled module, e.g. workerd),
// with a declaration beside it: `import wasm from "unicorn-binance/core.wasm"` is a `WasmModule`
// (a `WebAssembly.Module` where those types exist), the type `init()` takes.
const wasmSrc = join(root, "src", "depthcache", "core.wasm");
const wasmDts =
  `/** The WASM order-book core, precompiled by the runtime or bundler (workerd, Vercel Edge). */
import type { WasmModule } from "./wasm.js";
declare const core: WasmModule;
export default core;
`;
for (const dir of [esmDir, scriptDir]) {
  mkdirSync(join(dir, "src", "depthcache"), { recursive: true });
  copyFileSync(wasmSrc, join(dir, "src", "depthcache", "core.wasm"));
}
writeFileSync(join(esmDir, "src", "depthcache", "core.wasm.d.ts"), wasmDts);
// CommonJS: `require("unicorn-binance/core.wasm")` (a bundler's wasm loader) returns the module itself.
writeFileSync(
  join(scriptDir, "src", "depthcache", "core.wasm.d.ts"),
  wasmDts.replace("export default core;", "export = core;"),
);
const assetExports: Record<string, unknown> = {
  "./core.wasm": {
    import: { types: "./esm/src/depthcache/core.wasm.d.ts", default: "./esm/src/depthcache/core.wasm" },
    require: {
      types: "./script/src/depthcache/core.wasm.d.ts",
      default: "./script/src/depthcache/core.wasm",
    },
  },
};

// 4. package.json, README, bin shims.

/** `{ name: prefix + version }` from package.json "dependencies"; every name must be there. */
function pinned(names: readonly string[], prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const v = devManifest.dependencies?.[name];
    if (typeof v !== "string") {
      fail(`${name} is listed in build_npm.ts but not in package.json "dependencies"`);
    }
    out[name] = `${prefix}${v}`;
  }
  return out;
}

/**
 * The npm README from docs/npm_readme.md: relative links (files npm does not ship) become links
 * into the repository; it must not tell users to run the development commands.
 */
function npmReadme(text: string): string {
  const out = text.replace(/\]\((?!https?:|#|mailto:)([^)\s]+)\)/g, (_m, path: string) => {
    const clean = path.replace(/^\.\/?/, "");
    if (clean === "") return `](${REPOSITORY})`;
    return `](${REPOSITORY}/${clean.endsWith("/") ? "tree" : "blob"}/main/${clean})`;
  });
  for (const bad of [/\bnpm ci\b/, /\bnpm test\b/, /\.\.\/shared\//]) {
    if (bad.test(out)) fail(`docs/npm_readme.md mentions ${bad.source}, which npm users do not have`);
  }
  return out;
}

/**
 * Every bare import of a shipped ES module is a listed package, and every listed package is
 * imported: a part that adds an import (or drops the last one) must update the lists above.
 */
function checkImportedPackages(): void {
  const listed = new Set([...Object.keys(REQUIRED_DEPENDENCIES), ...Object.keys(OPTIONAL_PEERS)]);
  const used = new Map<string, string>();
  // static imports / re-exports start a line in tsc's output; dynamic imports are anywhere (doc
  // comments, whose examples import "@std/assert", are dropped first)
  const spec =
    /^(?:(?:import|export)\b[^;"']*?\bfrom\s*|import\s*)["']([^"'.][^"']*)["']|\bimport\(\s*["']([^"'.][^"']*)["']\s*\)/gm;
  for (const file of walk(esmDir).filter((f) => f.endsWith(".js"))) {
    const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    for (const match of code.matchAll(spec)) {
      const m = [match[0], match[1] ?? match[2]];
      if (m[1].startsWith("node:")) continue;
      const parts = m[1].split("/");
      const name = m[1].startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
      if (!used.has(name)) used.set(name, relative(outDir, file));
    }
  }
  for (const [name, file] of used) {
    if (!listed.has(name)) {
      fail(`${file} imports "${name}": add it to REQUIRED_DEPENDENCIES or OPTIONAL_PEERS in build_npm.ts`);
    }
  }
  for (const name of listed) {
    if (!used.has(name)) fail(`"${name}" is listed in build_npm.ts but no shipped module imports it`);
  }
}

/**
 * TypeScript's legacy `moduleResolution: "node"` (node10) ignores "exports": map every sub-path
 * to its declarations so it finds types too (node16 and bundler resolution use "exports").
 */
function node10TypesVersions(denoExports: Record<string, string>): Record<string, Record<string, string[]>> {
  const paths: Record<string, string[]> = {};
  for (const [key, path] of Object.entries(denoExports)) {
    if (key !== ".") paths[key.slice(2)] = [`./script/${path.slice(2, -3)}.d.ts`];
  }
  paths["core.wasm"] = ["./script/src/depthcache/core.wasm.d.ts"];
  return { "*": paths };
}

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
  typesVersions: node10TypesVersions(deno.exports as Record<string, string>),
  bin: Object.fromEntries(Object.keys(BINS).map((name) => [name, `./bin/${name}.js`])),
  files: ["esm", "script", "bin", "README.md", "LICENSE"],
  sideEffects: false,
  engines: { node: ">=22" },
  repository: { type: "git", url: `git+${REPOSITORY}.git` },
  homepage: `${REPOSITORY}#readme`,
  bugs: { url: `${REPOSITORY}/issues` },
  keywords: ["binance", "websocket", "orderbook", "depth-cache", "trading", "deno", "bun", "wasm"],
  dependencies: pinned(Object.keys(REQUIRED_DEPENDENCIES), ""),
  peerDependencies: pinned(Object.keys(OPTIONAL_PEERS), "^"),
  peerDependenciesMeta: Object.fromEntries(Object.keys(OPTIONAL_PEERS).map((n) => [n, { optional: true }])),
  _generatedBy: "unicorn-binance build_npm.ts (dnt-equivalent)",
};
writeFileSync(join(outDir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
copyFileSync(join(root, "LICENSE"), join(outDir, "LICENSE"));
writeFileSync(
  join(outDir, "README.md"),
  npmReadme(readFileSync(join(root, "docs", "npm_readme.md"), "utf8")),
);
checkImportedPackages();

// The bin shims.
mkdirSync(join(outDir, "bin"), { recursive: true });
for (const [name, module] of Object.entries(BINS)) {
  const target = join(outDir, "bin", `${name}.js`);
  writeFileSync(
    target,
    `#!/usr/bin/env node
// ${name} (generated by build_npm.ts): runs main() of ${module}
// on every Node >= 22, with or without import.meta.main.
import process from "node:process";
import { main } from "../esm/${module.replace(/\.ts$/, ".js")}";

process.exitCode = await main(process.argv.slice(2));
`,
  );
  chmodSync(target, 0o755);
}

// 5. publint and attw: report nothing.
const lint = spawnSync(join(root, "node_modules", ".bin", "publint"), ["run", "npm", "--strict"], {
  cwd: root,
  encoding: "utf8",
});
const lintOut = `${lint.stdout}${lint.stderr}`.trim();
console.log(lintOut);
if (lint.status !== 0 || !/All good/i.test(lintOut)) fail("publint reported problems");

// attw (are the types wrong?) on the packed package: every entry, core.wasm included, resolves
// to types under node10, node16 (CJS and ESM) and bundler resolution.
const attw = spawnSync(join(root, "node_modules", ".bin", "attw"), ["--pack", "npm", "--format", "json"], {
  cwd: root,
  encoding: "utf8",
});
let attwReport: { analysis?: { problems?: unknown[]; entrypoints?: Record<string, unknown> } } = {};
try {
  attwReport = JSON.parse(attw.stdout);
} catch {
  fail(`attw printed no report (exit ${attw.status}): ${attw.stderr.slice(0, 500)}`);
}
const attwProblems = attwReport.analysis?.problems ?? [];
const attwEntries = Object.keys(attwReport.analysis?.entrypoints ?? {});
if (attw.status !== 0 || attwProblems.length > 0 || !attwEntries.includes("./core.wasm")) {
  console.log(JSON.stringify(attwProblems, null, 2));
  fail(
    `attw reported ${attwProblems.length} problems (exit ${attw.status}; entry points ${
      attwEntries.join(", ")
    })`,
  );
}
console.log(`attw: no problems in ${attwEntries.length} entry points (${attwEntries.join(", ")})`);

console.log(`build_npm: npm/ written for unicorn-binance@${version} (${walk(outDir).length} files)`);

// 6. Tests against the artifact.
if (!flags.has("--no-test")) {
  run(join(root, "node_modules", ".bin", "node"), [join(root, "scripts", "test_npm.mjs")]);
}
