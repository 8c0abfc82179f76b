// The test command (`npm test`): every gate of the project, in order, on every runtime.
//
//  1. WASM core rebuilt and compared with the committed bytes (reproducibility)
//  2. deno fmt --check, deno lint, deno check, deno doc --lint (public entry points)
//  3. build_npm.ts: npm/ artifact (ESM + CJS + .d.ts, publint) and the whole suite on Node 24
//     against npm/esm and npm/script
//  4. deno test --doc, bun test
//  5. workerd (miniflare) smoke test of the web-standard entry points
//  6. deno publish --dry-run
//
// It prints per runtime how many tests passed and failed (counted from JUnit reports, leaf tests
// only) and ends with one line `N passed, N failed` over all runtimes. It exits non-zero when any
// step fails, when a runtime ran no test, or when any test failed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, join } from "node:path";
import process from "node:process";
import { chromiumPath } from "./_chromium.mjs";
import { readJsonc } from "./_manifest.mjs";

const root = process.cwd();
const bin = (name) => join(root, "node_modules", ".bin", name);
/** Test files run at once per runtime (Deno workers, Bun workers, Node's test concurrency). */
const TEST_JOBS = 3;
const tmp = join(root, ".tmp");
mkdirSync(tmp, { recursive: true });
const started = performance.now();

/** @type {{ name: string, ok: boolean, seconds: number }[]} */
const steps = [];
/** @type {{ runtime: string, passed: number, failed: number, skipped: number }[]} */
const counts = [];

function step(name, cmd, args, env = {}, { tests = false } = {}) {
  console.log(`\n=== ${name}: ${[cmd.replace(root + "/", ""), ...args].join(" ")}`);
  const t0 = performance.now();
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const ok = res.status === 0;
  const seconds = (performance.now() - t0) / 1000;
  steps.push({ name, ok, seconds, tests });
  console.log(
    `=== ${name}: ${ok ? "ok" : `FAILED (exit ${res.status ?? res.signal})`} in ${seconds.toFixed(1)} s`,
  );
  return ok;
}

function decodeXml(s) {
  return s.replace(/&gt;/g, ">").replace(/&lt;/g, "<").replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(
      /&amp;/g,
      "&",
    );
}

/**
 * Leaf test cases of a JUnit report. Deno reports a describe() both as a test case and as the
 * prefix ("parent > child") of its steps; only leaves are counted, and a failing parent counts as
 * one failure when none of its children failed (a failing hook).
 */
function countJunit(path, { nestedNames = false } = {}) {
  if (!existsSync(path)) return null;
  const xml = readFileSync(path, "utf8");
  const cases = [];
  // Attribute values may hold a raw ">" (Node does not escape it): skip quoted strings whole.
  const re = /<testcase\b((?:[^>"]|"[^"]*")*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (let m; (m = re.exec(xml));) {
    const name = decodeXml((/\bname="([^"]*)"/.exec(m[1]) ?? [])[1] ?? "");
    const cls = decodeXml((/\bclassname="([^"]*)"/.exec(m[1]) ?? [])[1] ?? "");
    const body = m[3] ?? "";
    cases.push({
      key: name,
      id: `${cls}::${name}`,
      failed: /<(failure|error)\b/.test(body),
      skipped: /<skipped\b/.test(body),
    });
  }
  const names = cases.map((c) => c.key);
  let passed = 0, failed = 0, skipped = 0;
  for (const c of cases) {
    const isParent = nestedNames && names.some((n) => n.startsWith(`${c.key} > `));
    if (isParent) {
      const childFailed = cases.some((o) => o.key.startsWith(`${c.key} > `) && o.failed);
      if (c.failed && !childFailed) failed++;
      continue;
    }
    if (c.skipped) skipped++;
    else if (c.failed) failed++;
    else passed++;
  }
  return { passed, failed, skipped };
}

function record(runtime, path, stepOk, counted = countJunit(path, { nestedNames: runtime === "deno" })) {
  // Only Deno reports a describe() as a test case whose steps are named "parent > child".
  const c = counted ?? { passed: 0, failed: 0, skipped: 0 };
  // A runner that failed without a failing test (crash, load error) still counts as a failure.
  if (!stepOk && c.failed === 0) c.failed = 1;
  // A runner that ran no test is a failure too: a green run must have tested something.
  if (c.passed + c.failed === 0) c.failed = 1;
  counts.push({ runtime, ...c });
}

const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
for (const f of ["deno.xml", "bun.xml", "node-esm.xml", "node-cjs.xml", "workerd.xml"]) {
  rmSync(join(tmp, f), { force: true });
}

// Tests that need an optional binary skip without it; say so once, before the runs.
const onPath = (name) =>
  [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), "/usr/sbin", "/usr/bin"].some((d) =>
    existsSync(join(d, name))
  );
if (!onPath("nats-server")) {
  console.log(
    "cluster: NATS tests did not run (nats-server not found); install: apt-get install nats-server",
  );
}
if (chromiumPath() === null) {
  console.log("dashboard: browser test did not run (chromium not found); install: apt-get install chromium");
}

step("wasm reproducible", bin("deno"), ["run", "-A", "wasm/build.ts", "--check"]);
step("deno fmt", bin("deno"), ["fmt", "--check"]);
step("deno lint", bin("deno"), ["lint"]);
step("deno check", bin("deno"), ["check"]);
// Every sub-path entry documented and self-contained (JSR's doc lint: JSDoc on exports, explicit
// types, every referenced type exported). The root mod.ts is left out on purpose: it re-exports the
// everyday API only, and the full type surface lives in the sub-paths.
const entryPoints = Object.entries(readJsonc(join(root, "deno.json")).exports)
  .filter(([key]) => key !== ".")
  .map(([, path]) => path);
step("deno doc --lint", bin("deno"), ["doc", "--lint", ...entryPoints]);

const npmOk = step("npm artifact + Node tests", bin("deno"), ["run", "-A", "build_npm.ts", version], {}, {
  tests: true,
});
// One step runs both flavours: a failing test in one of them is that flavour's, not the other's;
// only a failed step with no failing test anywhere charges both (the build or a runner broke).
{
  const [esm, cjs] = ["node-esm.xml", "node-cjs.xml"].map((f) => [
    join(tmp, f),
    countJunit(join(tmp, f), { nestedNames: false }),
  ]);
  const anyFailed = (esm[1]?.failed ?? 0) + (cjs[1]?.failed ?? 0) > 0;
  record(`node ${"24"} esm`, esm[0], npmOk || anyFailed, esm[1]);
  record(`node ${"24"} cjs`, cjs[0], npmOk || anyFailed, cjs[1]);
}

const denoOk = step(
  "deno test",
  bin("deno"),
  // three test files at a time: most of a test's time is waiting on the emulator, so this
  // keeps 2 cores busy (every test waits on conditions, not fixed sleeps, and tolerates load)
  ["test", "-A", "--doc", "--parallel", `--junit-path=${join(tmp, "deno.xml")}`],
  { DENO_JOBS: String(TEST_JOBS) },
  {
    tests: true,
  },
);
record("deno", join(tmp, "deno.xml"), denoOk);

const bunOk = step(
  "bun test",
  bin("bun"),
  [
    "test",
    `--parallel=${TEST_JOBS}`,
    // a hang guard per test, with room for the soak tests (the chaos run takes ~45 s alone,
    // more beside two other files)
    "--timeout",
    "240000",
    "--reporter=junit",
    `--reporter-outfile=${join(tmp, "bun.xml")}`,
  ],
  {},
  {
    tests: true,
  },
);
record("bun", join(tmp, "bun.xml"), bunOk);

const workerdOk = step("workerd smoke", bin("node"), ["scripts/test_workerd.mjs"], {}, { tests: true });
record("workerd", join(tmp, "workerd.xml"), workerdOk);

step("deno publish --dry-run", bin("deno"), ["publish", "--dry-run", "--allow-dirty"]);

const seconds = (performance.now() - started) / 1000;
console.log("\n=== Summary");
for (const s of steps) console.log(`${s.ok ? "ok    " : "FAILED"} ${s.name} (${s.seconds.toFixed(1)} s)`);
console.log("");
for (const c of counts) {
  console.log(
    `${c.runtime.padEnd(14)} ${c.passed} passed, ${c.failed} failed${
      c.skipped ? `, ${c.skipped} skipped` : ""
    }`,
  );
}
const passed = counts.reduce((a, c) => a + c.passed, 0);
const failed = counts.reduce((a, c) => a + c.failed, 0);
// Test steps are counted through their test cases; a failed gate (fmt, lint, check, wasm, publish)
// counts as one failure of its own.
const gateFailures = steps.filter((s) => !s.ok && !s.tests).length;
console.log(`wall time ${seconds.toFixed(1)} s; failed gates: ${gateFailures}`);
const totalFailed = failed + gateFailures;
console.log(`${passed} passed, ${totalFailed} failed`);
process.exit(totalFailed === 0 ? 0 : 1);
