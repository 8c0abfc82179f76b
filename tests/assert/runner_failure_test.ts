// Proves that a failing @std/assert assertion fails the run on the runtime executing this file:
// the fixtures are run in a child process of the same runtime (Deno, Bun, or Node on the built
// artifact) and the exit status and report are checked for both a failing and a passing file.
import { describe, it } from "node:test";
import { spawnSync } from "node:child_process";
import { env, execPath } from "node:process";
import { assert, assertMatch, assertNotEquals, assertStrictEquals } from "@std/assert";
import { projectPath } from "../_data.ts";

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

function run(name: string): { status: number | null; output: string } {
  const [cmd, ...args] = fixtureCommand(name);
  // NODE_TEST_CONTEXT would make a child `node --test` report into this run instead of running.
  const { NODE_TEST_CONTEXT: _, ...childEnv } = env;
  const res = spawnSync(cmd, args, {
    cwd: projectPath("."),
    encoding: "utf8",
    env: { ...childEnv, NO_COLOR: "1", FORCE_COLOR: "0" },
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
});
