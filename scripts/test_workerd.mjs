// workerd smoke test: bundles tests/edge/worker.ts (which imports the library's web-standard entry
// points) for workerd with esbuild, runs it in miniflare with the WASM core as a precompiled
// (CompiledWasm) module, and reports every check as a JUnit test case in .tmp/workerd.xml.
// Bundling with platform "browser" and no node built-ins also proves the entry points pull in no
// node: module.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";

const root = process.cwd();
const tmp = join(root, ".tmp");
mkdirSync(tmp, { recursive: true });

const bundle = await esbuild.build({
  entryPoints: [join(root, "tests", "edge", "worker.ts")],
  bundle: true,
  write: false,
  format: "esm",
  platform: "browser",
  target: "es2022",
  conditions: ["workerd", "worker", "browser"],
  external: ["./core.wasm"],
  logLevel: "error",
});
const workerCode = bundle.outputFiles[0].text;
if (/from\s*["']node:/.test(workerCode)) {
  console.error("test_workerd: the worker bundle imports a node: module");
  process.exit(1);
}

// The worker gets the WASM core as a precompiled module and the emulator's URL and account.
const modules = [
  { type: "ESModule", path: join(tmp, "worker.mjs"), contents: workerCode },
  {
    type: "CompiledWasm",
    path: join(tmp, "core.wasm"),
    contents: readFileSync(join(root, "src", "depthcache", "core.wasm")),
  },
];
const { startForWorkerd } = await import(join(root, "scripts", "_workerd_emulator.mjs"));
const emu = await startForWorkerd();
const bindings = {
  EMULATOR_REST_URL: emu.restUrl,
  EMULATOR_API_KEY: emu.apiKey,
  EMULATOR_API_SECRET: emu.apiSecret,
};

const mf = new Miniflare({
  modules,
  modulesRoot: tmp,
  compatibilityDate: "2026-04-01",
  bindings,
  cf: false,
});
let results;
try {
  const res = await mf.dispatchFetch("http://localhost/");
  const text = await res.text();
  try {
    results = JSON.parse(text);
  } catch {
    console.error(`test_workerd: the worker answered ${res.status}: ${text.slice(0, 500)}`);
    process.exit(1);
  }
} finally {
  await mf.dispose();
  await emu.close();
}

const esc = (s) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
let failed = 0;
const cases = results.map((r) => {
  console.log(`${r.ok ? "✔" : "✖"} workerd: ${r.name} (${r.ms} ms)${r.ok ? "" : `\n    ${r.error}`}`);
  if (!r.ok) failed++;
  return `  <testcase name="${esc(r.name)}" classname="workerd" time="${r.ms / 1000}">${
    r.ok ? "" : `<failure message="${esc(r.error ?? "")}"/>`
  }</testcase>`;
});
writeFileSync(
  join(tmp, "workerd.xml"),
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="workerd">\n<testsuite name="workerd" tests="${results.length}" failures="${failed}">\n${
    cases.join("\n")
  }\n</testsuite>\n</testsuites>\n`,
);
console.log(`workerd: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
