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
//
// A test file with failed tests runs once more, alone (at most 4 files per runtime; see
// scripts/_junit.mjs): a file that then passes counts as passed and its tests are listed as FLAKY in
// the summary, so a flake under load is named, not hidden; a file that fails again fails the run.
// The summary lists every test that failed, by file and name.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, join } from "node:path";
import process from "node:process";
import { chromiumPath } from "./_chromium.mjs";
import {
  BUN_TEST_TIMEOUT_MS,
  countCases,
  failureLines,
  flavourMismatches,
  readJunit,
  rerunArgs,
  retryFailedFiles,
} from "./_junit.mjs";
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

/** @type {string[]} */
const flakyLines = [];
/** @type {string[]} */
const failedLines = [];

/**
 * Counts a runtime's report; when tests failed, runs their files once more alone (see
 * scripts/_junit.mjs) and counts a file that passes then as passed, naming its flaky tests.
 * @param {string} runtime
 * @param {string} path the JUnit report
 * @param {boolean} stepOk whether the runner exited 0
 * @param {((files: string[], out: string) => void) | null} rerun runs the files, report to `out`
 */
function record(runtime, path, stepOk, rerun) {
  // Only Deno reports a describe() as a test case whose steps are named "parent > child".
  const opts = { root, nestedNames: runtime === "deno" };
  let cases = readJunit(path, opts);
  if (cases && rerun && countCases(cases).failed > 0) {
    const out = path.replace(/\.xml$/, "-retry.xml");
    const res = retryFailedFiles(cases, (files) => {
      console.log(
        `\n=== ${runtime}: ${files.length} file(s) with failed tests, once more alone: ${files.join(" ")}`,
      );
      rmSync(out, { force: true });
      rerun(files, out);
      return readJunit(out, opts);
    });
    cases = res.cases;
    for (const line of res.flaky) flakyLines.push(`${runtime}: ${line}`);
    // every failure was a test's, and each of them passed alone: the runner's exit was theirs
    if (res.flaky.length > 0 && countCases(cases).failed === 0) stepOk = true;
  }
  const c = cases ? countCases(cases) : { passed: 0, failed: 0, skipped: 0 };
  if (cases) { for (const line of failureLines(cases)) failedLines.push(`${runtime}: ${line}`); }
  // A runner that failed without a failing test (crash, load error) still counts as a failure.
  if (!stepOk && c.failed === 0) c.failed = 1;
  // A runner that ran no test is a failure too: a green run must have tested something.
  if (c.passed + c.failed === 0) c.failed = 1;
  counts.push({ runtime, ...c });
  return cases ?? [];
}

const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
for (const f of ["deno", "bun", "node-esm", "node-cjs", "workerd"]) {
  rmSync(join(tmp, `${f}.xml`), { force: true });
  rmSync(join(tmp, `${f}-retry.xml`), { force: true });
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
  const reports = ["esm", "cjs"].map((flavour) => ({ flavour, path: join(tmp, `node-${flavour}.xml`) }));
  const anyFailed = reports.some(({ path }) => {
    const cases = readJunit(path, { root });
    return cases !== null && countCases(cases).failed > 0;
  });
  const final = {};
  for (const { flavour, path } of reports) {
    final[flavour] = record(`node 24 ${flavour}`, path, npmOk || anyFailed, (files, out) => {
      spawnSync(bin("node"), rerunArgs("node", files, out, root), {
        cwd: root,
        stdio: "inherit",
        env: {
          ...process.env,
          UB_NODE_FLAVOR: flavour,
          UB_NODE_FIXTURES: join(root, ".npm_test", flavour, "tests", "_fixtures"),
        },
      });
    });
  }
  // the two passes run the same tests: a file with other counts lost verdicts (a failed gate)
  const mismatches = flavourMismatches(final.esm, final.cjs);
  if (mismatches.length > 0) {
    console.log(`\n=== node: test counts differ between the ESM and CJS passes (lost verdicts):`);
    for (const line of mismatches) console.log(`  ${line}`);
  }
  steps.push({
    name: "node: ESM and CJS report the same tests",
    ok: mismatches.length === 0,
    seconds: 0,
    tests: false,
  });
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
record("deno", join(tmp, "deno.xml"), denoOk, (files, out) => {
  spawnSync(bin("deno"), rerunArgs("deno", files, out, root), { cwd: root, stdio: "inherit" });
});

const bunOk = step(
  "bun test",
  bin("bun"),
  [
    "test",
    `--parallel=${TEST_JOBS}`,
    "--timeout",
    String(BUN_TEST_TIMEOUT_MS),
    "--reporter=junit",
    `--reporter-outfile=${join(tmp, "bun.xml")}`,
  ],
  {},
  {
    tests: true,
  },
);
record("bun", join(tmp, "bun.xml"), bunOk, (files, out) => {
  spawnSync(bin("bun"), rerunArgs("bun", files, out, root), { cwd: root, stdio: "inherit" });
});

const workerdOk = step("workerd smoke", bin("node"), ["scripts/test_workerd.mjs"], {}, { tests: true });
record("workerd", join(tmp, "workerd.xml"), workerdOk, null);

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
if (flakyLines.length > 0) {
  console.log(
    `\nFLAKY: ${flakyLines.length} test(s) failed in the full run and passed when their file ran alone:`,
  );
  for (const line of flakyLines) console.log(`  ${line}`);
}
if (failedLines.length > 0) {
  console.log(`\nFAILED tests (${failedLines.length}):`);
  for (const line of failedLines.slice(0, 40)) console.log(`  ${line}`);
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
