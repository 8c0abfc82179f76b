// Runs the test suite against the built npm package (dnt's `test: true`), on the Node that runs
// this script (Node 24 from node_modules/.bin in `npm test`).
//
// Every tests/**/*_test.ts (and the fixtures in tests/_fixtures/) is bundled by esbuild twice:
// - ESM (.mjs): imports of project modules (mod.ts, src/**) become imports of npm/esm/**.js;
// - CJS (.cjs): the same imports become require() of npm/script/**.js.
// "@std/assert" is bundled from tests/_assert.ts; npm packages and node: built-ins stay external.
// Then `node --test` runs each flavour; JUnit reports go to .tmp/node-<flavour>.xml for the
// summary of scripts/run_tests.mjs.
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

const testFiles = walk(join(root, "tests")).filter((f) => f.endsWith("_test.ts"));
const fixtureFiles = walk(join(root, "tests", "_fixtures")).filter((f) => f.endsWith(".ts"));
if (testFiles.length === 0) {
  console.error("test_npm: no test files found");
  process.exit(1);
}

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
    "--test-concurrency=2",
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
