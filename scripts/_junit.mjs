// JUnit reports of the three test runners, read the same way: leaf test cases with the test file
// each belongs to, so `npm test` (scripts/run_tests.mjs) can count them and retry the files whose
// tests failed.
//
// Where each runner names the file:
// - Node 24: `file="/abs/path"` on every testcase;
// - Bun: `file="tests/…"` on every testcase;
// - Deno: `classname="./tests/…"` on top-level tests; the steps of a describe() carry
//   `classname="ext:deno_node/…"` and the name "parent > child", so they take their parent's file.
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";

function decodeXml(s) {
  return s.replace(/&gt;/g, ">").replace(/&lt;/g, "<").replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/**
 * @typedef {{ key: string, file: string | null, failed: boolean, skipped: boolean, parent: boolean }} Case
 */

/**
 * The test cases of a JUnit report, or null when there is none.
 * @param {string} path
 * @param {{ root: string, nestedNames?: boolean }} opts nestedNames: Deno's "parent > child" steps
 * @returns {Case[] | null}
 */
export function readJunit(path, { root, nestedNames = false }) {
  if (!existsSync(path)) return null;
  const xml = readFileSync(path, "utf8");
  /** @type {Case[]} */
  const cases = [];
  // Attribute values may hold a raw ">" (Node does not escape it): skip quoted strings whole.
  const re = /<testcase\b((?:[^>"]|"[^"]*")*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  const attr = (attrs, name) => {
    const m = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs);
    return m ? decodeXml(m[1]) : null;
  };
  for (let m; (m = re.exec(xml));) {
    const body = m[3] ?? "";
    const file = attr(m[1], "file") ?? attr(m[1], "classname");
    cases.push({
      key: attr(m[1], "name") ?? "",
      file: normaliseFile(file, root),
      failed: /<(failure|error)\b/.test(body),
      skipped: /<skipped\b/.test(body),
      parent: false,
    });
  }
  if (nestedNames) {
    const byName = new Map(cases.filter((c) => c.file !== null).map((c) => [c.key, c.file]));
    for (const c of cases) {
      c.parent = cases.some((o) => o.key.startsWith(`${c.key} > `));
      if (c.file === null) c.file = byName.get(c.key.split(" > ")[0]) ?? null;
    }
  }
  return cases;
}

/** A report's file name as a path relative to the project (null for a runner-internal one). */
function normaliseFile(file, root) {
  if (file === null || file === "" || file.startsWith("ext:") || file.startsWith("node:")) return null;
  let f = file.startsWith("file://") ? decodeURIComponent(new URL(file).pathname) : file;
  if (isAbsolute(f)) f = relative(root, f);
  return f.replace(/^\.\//, "").split("\\").join("/");
}

/**
 * Leaf counts. A parent (a Deno describe()) is not counted, except that a failing parent counts as
 * one failure when none of its children failed (a failing hook).
 * @param {Case[]} cases
 */
export function countCases(cases) {
  let passed = 0, failed = 0, skipped = 0;
  for (const c of cases) {
    if (c.parent) {
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

/** Failing leaf tests as "file: name" lines. */
export function failureLines(cases) {
  return cases.filter((c) =>
    c.failed && !(c.parent && cases.some((o) => o.key.startsWith(`${c.key} > `) && o.failed))
  )
    .map((c) => `${c.file ?? "?"}: ${c.key}`);
}

/**
 * Bun's hang guard per test in `npm test` (the full run and a retry): room for the soak tests (the
 * chaos run takes ~45 s alone, more beside two other files).
 */
export const BUN_TEST_TIMEOUT_MS = 240_000;

/** A run retries at most this many failed files; more than that is a breakage, not a flake. */
export const MAX_RETRY_FILES = 4;

/**
 * Runs the files whose tests failed once more, alone, and takes a file's second result when every
 * test in it passed (a flake under load: reported by name, never hidden). A file that fails again,
 * or a run with more failed files than {@link MAX_RETRY_FILES}, keeps its failures.
 * @param {Case[]} cases the first run's cases
 * @param {(files: string[]) => Case[] | null} rerun runs the files (project-relative) alone and
 *   returns their cases
 * @returns {{ cases: Case[], flaky: string[], retried: string[] }}
 */
export function retryFailedFiles(cases, rerun) {
  const failedFiles = [...new Set(cases.filter((c) => c.failed).map((c) => c.file))];
  if (failedFiles.length === 0 || failedFiles.length > MAX_RETRY_FILES || failedFiles.includes(null)) {
    return { cases, flaky: [], retried: [] };
  }
  const second = rerun(/** @type {string[]} */ (failedFiles)) ?? [];
  const flaky = [];
  let merged = cases;
  for (const file of failedFiles) {
    const again = second.filter((c) => c.file === file);
    if (again.length === 0 || again.some((c) => c.failed)) continue;
    flaky.push(...failureLines(merged.filter((c) => c.file === file)));
    merged = [...merged.filter((c) => c.file !== file), ...again];
  }
  return { cases: merged, flaky, retried: /** @type {string[]} */ (failedFiles) };
}

/**
 * The arguments (after the runtime's executable) that run project-relative test files alone with a
 * JUnit report to `out`: what `npm test` runs for a retry (Node: the bundled artifact tests).
 * @param {"deno" | "bun" | "node"} runtime
 * @param {string[]} files
 * @param {string} out
 * @param {string} root
 */
export function rerunArgs(runtime, files, out, root) {
  switch (runtime) {
    case "deno":
      return ["test", "-A", `--junit-path=${out}`, ...files.map((f) => `./${f}`)];
    case "bun":
      // the same hang guard per test as the full run
      return [
        "test",
        "--timeout",
        String(BUN_TEST_TIMEOUT_MS),
        "--reporter=junit",
        `--reporter-outfile=${out}`,
        ...files.map((f) => `./${f}`),
      ];
    case "node":
      return [
        "--test",
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        "--test-reporter=junit",
        `--test-reporter-destination=${out}`,
        ...files.map((f) => join(root, f)),
      ];
  }
  throw new Error(`rerunArgs: unknown runtime ${runtime}`);
}

/**
 * Test files both Node passes ran (ESM and CJS) whose numbers of test cases differ: a runner that
 * lost verdicts (nodejs/node#64833 dropped a file's last ones), since the two passes run the same
 * tests. Files are matched by their path below `.npm_test/<flavour>/`.
 * @param {Case[]} esm
 * @param {Case[]} cjs
 * @returns {string[]} "file: esm N, cjs M" lines
 */
export function flavourMismatches(esm, cjs) {
  const per = new Map();
  const key = (f) => (f ?? "?").replace(/^\.npm_test\/(esm|cjs)\//, "").replace(/\.(mjs|cjs)$/, "");
  for (const [i, cases] of [esm, cjs].entries()) {
    for (const c of cases) {
      const k = key(c.file);
      const n = per.get(k) ?? [0, 0];
      n[i]++;
      per.set(k, n);
    }
  }
  return [...per].filter(([, [e, c]]) => e > 0 && c > 0 && e !== c).map(([f, [e, c]]) =>
    `${f}: esm ${e}, cjs ${c}`
  );
}
