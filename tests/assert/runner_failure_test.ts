// Proves that a failing @std/assert assertion fails the run on the runtime executing this file:
// the fixtures are run in a child process of the same runtime (Deno, Bun, or Node on the built
// artifact) and the exit status and report are checked for both a failing and a passing file.
import { describe, it } from "node:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { env, execPath } from "node:process";
import { assert, assertEquals, assertMatch, assertNotEquals, assertStrictEquals } from "@std/assert";
import { projectPath } from "../_data.ts";
import {
  countCases,
  failureLines,
  flavourMismatches,
  readJunit,
  rerunArgs,
  retryFailedFiles,
} from "../../scripts/_junit.mjs";

type Runtime = "deno" | "bun" | "node";

function runtime(): Runtime {
  if ("Deno" in globalThis) return "deno";
  if ("Bun" in globalThis) return "bun";
  return "node";
}

function fixtureCommand(name: string): string[] {
  switch (runtime()) {
    case "deno":
      return [execPath, "test", "-A", `tests/_fixtures/${name}.ts`];
    case "bun":
      return [execPath, "test", `./tests/_fixtures/${name}.ts`];
    case "node": {
      // The Node artifact harness bundles the fixtures beside the tests and says where.
      const dir = env.UB_NODE_FIXTURES;
      assert(dir, "UB_NODE_FIXTURES is not set: run the Node tests through scripts/test_npm.mjs");
      const ext = env.UB_NODE_FLAVOR === "cjs" ? "cjs" : "mjs";
      return [execPath, "--test", "--test-reporter=spec", `${dir}/${name}.${ext}`];
    }
  }
}

/** The fixtures as project-relative paths of the files this runtime's runner takes. */
function fixtureFiles(names: string[]): string[] {
  if (runtime() !== "node") return names.map((n) => `tests/_fixtures/${n}.ts`);
  // The Node artifact harness bundles the fixtures beside the tests and says where.
  const dir = env.UB_NODE_FIXTURES;
  assert(dir, "UB_NODE_FIXTURES is not set: run the Node tests through scripts/test_npm.mjs");
  const ext = env.UB_NODE_FLAVOR === "cjs" ? "cjs" : "mjs";
  return names.map((n) => relative(projectPath("."), `${dir}/${n}.${ext}`));
}

function run(name: string, command = fixtureCommand(name), extraEnv: Record<string, string> = {}) {
  const [cmd, ...args] = command;
  // NODE_TEST_CONTEXT would make a child `node --test` report into this run instead of running.
  const { NODE_TEST_CONTEXT: _, ...childEnv } = env;
  const res = spawnSync(cmd, args, {
    cwd: projectPath("."),
    encoding: "utf8",
    env: { ...childEnv, NO_COLOR: "1", FORCE_COLOR: "0", ...extraEnv },
    timeout: 60_000,
  });
  return { status: res.status, output: `${res.stdout}\n${res.stderr}` };
}

describe(`test runner on ${runtime()}`, () => {
  it("a failing assertion makes the run exit non-zero and is reported", () => {
    const { status, output } = run("must_fail");
    assertNotEquals(status, 0, output);
    assertNotEquals(status, null, "runner timed out");
    assertMatch(output, /a failing assertion fails the run/);
    assertMatch(output, /fail/i);
  });
  it("the same file layout with a passing assertion exits zero", () => {
    const { status, output } = run("must_pass");
    assertStrictEquals(status, 0, output);
    assertMatch(output, /a passing assertion passes the run/);
  });
  it("npm test's summary reads this runner's JUnit report and retries only what failed", () => {
    const dir = mkdtempSync(join(tmpdir(), "ub-junit-"));
    try {
      const root = projectPath(".");
      const fixtureEnv = { UB_FLAKY_MARKER: join(dir, "marker") };
      const first = join(dir, "first.xml");
      // the exact command npm test retries with, here over all three files
      const runFiles = (files: string[], out: string) =>
        run("junit", [execPath, ...rerunArgs(runtime(), files, out, root)], fixtureEnv);
      runFiles(fixtureFiles(["must_fail", "flaky_once", "must_pass"]), first);
      const cases = readJunit(first, { root, nestedNames: runtime() === "deno" });
      assert(cases, "the runner wrote a JUnit report");
      assertEquals(countCases(cases), { passed: 1, failed: 2, skipped: 0 });
      const fileOf = (name: string) => cases.find((c) => c.key.endsWith(name))?.file ?? "";
      assertMatch(fileOf("a failing assertion fails the run"), /tests\/_fixtures\/must_fail\.(ts|mjs|cjs)$/);
      assertMatch(fileOf("fails the first time only"), /tests\/_fixtures\/flaky_once\.(ts|mjs|cjs)$/);
      let rerunFiles: string[] = [];
      const retried = retryFailedFiles(cases, (files: string[]) => {
        rerunFiles = files;
        const second = join(dir, "second.xml");
        runFiles(files, second);
        return readJunit(second, { root, nestedNames: runtime() === "deno" });
      });
      // the passing file is not run again; the flake passes alone and is named; the real failure stays
      assertEquals(rerunFiles.map((f) => f.replace(/^.*\//, "").replace(/\..*$/, "")).sort(), [
        "flaky_once",
        "must_fail",
      ]);
      assertEquals(retried.flaky.length, 1, retried.flaky.join("\n"));
      assertMatch(retried.flaky[0], /flaky_once.*fails the first time only/);
      assertEquals(countCases(retried.cases), { passed: 2, failed: 1, skipped: 0 });
      assertEquals(failureLines(retried.cases).length, 1);
      assertMatch(failureLines(retried.cases)[0], /must_fail.*a failing assertion fails the run/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("a file the ESM and CJS passes report with other test counts is named (lost verdicts)", () => {
    const c = (file: string, key: string) => ({ key, file, failed: false, skipped: false, parent: false });
    const esm = [c(".npm_test/esm/tests/a_test.mjs", "x"), c(".npm_test/esm/tests/a_test.mjs", "y")];
    const cjs = [c(".npm_test/cjs/tests/a_test.cjs", "x")];
    assertEquals(flavourMismatches(esm, cjs), ["tests/a_test: esm 2, cjs 1"]);
    assertEquals(flavourMismatches(esm, [...cjs, c(".npm_test/cjs/tests/a_test.cjs", "y")]), []);
    // a file only one pass runs (ESM-only soak tests) is not a mismatch
    assertEquals(
      flavourMismatches([...esm, c(".npm_test/esm/tests/soak_test.mjs", "z")], [...cjs, cjs[0]]),
      [],
    );
  });
});
