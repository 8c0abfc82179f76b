// Runs the test suite against the built npm package (dnt's `test: true`), on the Node that runs
// this script (Node 24 from node_modules/.bin in `npm test`).
//
// Every tests/**/*_test.ts (and the runner fixtures tests/_fixtures/*.ts) is bundled by esbuild twice:
// - ESM (.mjs): imports of project modules (mod.ts, src/**) become imports of npm/esm/**.js;
// - CJS (.cjs): the same imports become require() of npm/script/**.js.
// "@std/assert" is bundled from tests/_assert.ts; npm packages and node: built-ins stay external.
// Then `node --test` runs each flavour; JUnit reports go to .tmp/node-<flavour>.xml for the
// summary of scripts/run_tests.mjs.
//
// `node scripts/test_npm.mjs [part …]` runs only the test files whose path contains one of the
// parts (e.g. `tests/meta/npm_`), for iterating on npm/ after `build_npm.ts <version> --no-test`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import process from "node:process";
import * as esbuild from "esbuild";

const root = process.cwd();
const npmDir = join(root, "npm");
const outRoot = join(root, ".npm_test");
const tmp = join(root, ".tmp");
mkdirSync(tmp, { recursive: true });

if (!existsSync(join(npmDir, "package.json"))) {
  console.error("test_npm: npm/ is not built; run `deno run -A build_npm.ts <version>` first");
  process.exit(1);
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
// tests/deploy/ checks the Helm chart and manifests in deploy/ (no library module; its schema package
// is ESM-only): it runs on Deno and Bun, not against the npm artifact.
const testFiles = walk(join(root, "tests")).filter((f) =>
  f.endsWith("_test.ts") && !relative(root, f).startsWith(join("tests", "deploy")) &&
  (only.length === 0 || only.some((part) => relative(root, f).includes(part)))
);
// The runner fixtures (tests/_fixtures/*.ts, run by tests/assert/runner_failure_test.ts); the
// subfolders hold data and their generator scripts (top-level await: no CommonJS form), not tests.
const fixtureDir = join(root, "tests", "_fixtures");
const fixtureFiles = readdirSync(fixtureDir).filter((f) => f.endsWith(".ts")).map((f) => join(fixtureDir, f));
if (testFiles.length === 0) {
  console.error("test_npm: no test files found");
  process.exit(1);
}

// Soak and multi-process tests (seeded chaos runs, NATS server clusters, cluster members as
// processes, a headless browser, CLIs as subprocesses) prove behaviour, not the module format: they run
// against npm/esm; the CommonJS pass runs every other test file (its subject is that the
// require() form loads and behaves the same). Deno and Bun run them too.
const ESM_ONLY = new Set([
  "tests/trailing/manager_chaos_test.ts",
  "tests/depthcache/manager_chaos_test.ts",
  "tests/cluster/nats_e2e_test.ts",
  "tests/cluster/coordination_contract_test.ts",
  "tests/cluster/nats_watch_test.ts",
  "tests/cluster/embedded_e2e_test.ts",
  "tests/cluster/dashboard_browser_test.ts",
  // import the ubtsl CLI module, which the artifact ships as ESM only (a bin, no require() form)
  "tests/trailing/cli_commands_test.ts",
  "tests/trailing/cli_open_test.ts",
  // run the CLIs and examples as subprocesses (the same processes whichever form loads the test)
  "tests/trailing/cli_run_test.ts",
  "tests/meta/examples_test.ts",
  "tests/cluster/cli_test.ts",
  "tests/deploy/probes_test.ts",
  "tests/testing/cli_test.ts",
]);

/** @param {"esm" | "cjs"} flavour */
function artifactPlugin(flavour) {
  const artifactDir = join(npmDir, flavour === "esm" ? "esm" : "script");
  return {
    name: "artifact",
    setup(build) {
      build.onResolve({ filter: /^@std\/assert$/ }, () => ({ path: join(root, "tests", "_assert.ts") }));
      build.onResolve({ filter: /^\.{1,2}\// }, (args) => {
        const abs = resolve(args.resolveDir, args.path);
        const rel = relative(root, abs);
        const isLibrary = rel === "mod.ts" || (rel.startsWith("src/") && rel.endsWith(".ts"));
        if (!isLibrary) return undefined; // test helpers are bundled
        const built = join(artifactDir, rel.replace(/\.ts$/, ".js"));
        if (!existsSync(built)) {
          return {
            errors: [{
              text: `${rel} is not part of the npm artifact (not reachable from a deno.json export)`,
            }],
          };
        }
        return { path: built, external: true };
      });
    },
  };
}

/** @param {"esm" | "cjs"} flavour */
async function bundle(flavour) {
  const dir = join(outRoot, flavour);
  rmSync(dir, { recursive: true, force: true });
  const ext = flavour === "esm" ? ".mjs" : ".cjs";
  const outputs = [];
  for (const file of [...testFiles, ...fixtureFiles]) {
    const rel = relative(root, file);
    if (flavour === "cjs" && ESM_ONLY.has(rel.split("\\").join("/"))) continue;
    const outfile = join(dir, rel.replace(/\.ts$/, ext));
    await esbuild.build({
      entryPoints: [file],
      outfile,
      bundle: true,
      format: flavour,
      platform: "node",
      target: "node22",
      packages: "external",
      plugins: [artifactPlugin(flavour)],
      // instead of --test-force-exit, which loses verdicts (see the guard's comment)
      inject: [join(root, "scripts", "_node_exit_guard.mjs")],
      logLevel: "error",
    });
    if (!rel.startsWith("tests/_fixtures/")) outputs.push(outfile);
  }
  return outputs;
}

let failed = false;
for (const flavour of ["esm", "cjs"]) {
  const files = await bundle(flavour);
  const junit = join(tmp, `node-${flavour}.xml`);
  rmSync(junit, { force: true });
  console.log(
    `\n== Node ${process.versions.node} against npm/${
      flavour === "esm" ? "esm" : "script"
    } (${flavour.toUpperCase()}, ${files.length} files)`,
  );
  const res = spawnSync(process.execPath, [
    "--test",
    "--test-concurrency=3",
    // no --test-force-exit: it drops a file's last verdicts (nodejs/node#64833); each bundle
    // carries scripts/_node_exit_guard.mjs instead, which ends a file held open by a leaked handle
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=junit",
    `--test-reporter-destination=${junit}`,
    ...files,
  ], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      UB_NODE_FLAVOR: flavour,
      UB_NODE_FIXTURES: join(outRoot, flavour, "tests", "_fixtures"),
    },
  });
  if (res.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
