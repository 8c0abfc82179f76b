// The built npm package (npm/, made by build_npm.ts before the tests run) as a user installs it:
// - its bin shims run the CLI on a Node without `import.meta.main` (Node 20, early Node 22),
//   simulated on Node 24 by a load hook that removes `import.meta.main` from every module;
// - a REST-only install (no optional peers) imports every entry point, and the emulator names the
//   command that installs its server packages;
// - the manifest says where the sources live and which dependencies are optional.
import { describe, it } from "node:test";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { assert, assertEquals, assertMatch } from "@std/assert";
import { projectPath } from "../_data.ts";

const node = projectPath("node_modules/.bin/node");

interface NpmManifest {
  bin: Record<string, string>;
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  repository: { url: string };
  homepage: string;
  bugs: { url: string };
  files: string[];
}

function manifest(): NpmManifest {
  const path = projectPath("npm/package.json");
  assert(existsSync(path), "npm/package.json is missing: run `deno run -A build_npm.ts <version>` first");
  return JSON.parse(readFileSync(path, "utf8"));
}

function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const { NODE_TEST_CONTEXT: _, NODE_OPTIONS: __, ...env } = process.env as Record<string, string>;
  return { ...env, ...extra };
}

/** A Node preload that removes `import.meta.main` from every module (what Node 20 / 22.17 see). */
function noImportMetaMainHook(dir: string): string {
  const file = join(dir, "no_import_meta_main.mjs");
  writeFileSync(
    file,
    `import { registerHooks } from "node:module";
registerHooks({
  load(url, context, nextLoad) {
    const result = nextLoad(url, context);
    if (result.format !== "module" || result.source === undefined) return result;
    const text = typeof result.source === "string" ? result.source : new TextDecoder().decode(result.source);
    return { ...result, source: text.replaceAll("import.meta.main", "undefined") };
  },
});
`,
  );
  return pathToFileURL(file).href;
}

/** Resolves with the child's stdout once `pattern` appears (or rejects when it exits first). */
function waitFor(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${out}${err}`)),
      timeoutMs,
    );
    child.stdout!.on("data", (d) => {
      out += String(d);
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.stderr!.on("data", (d) => (err += String(d)));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}:\n${out}${err}`));
    });
  });
}

/** The exit code (once stdout ended), or the signal's name when a signal ended the process. */
function exitOf(child: ChildProcess): Promise<number | string | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on("close", (code, signal) => resolve(code ?? signal)); // after stdout ended
  });
}

describe("npm package as installed", () => {
  it("declares repository, homepage, bugs and ships its bin shims", () => {
    const pkg = manifest();
    assertMatch(pkg.repository.url, /^git\+https:\/\/github\.com\/.+\.git$/);
    assertMatch(pkg.homepage, /^https:\/\/github\.com\//);
    assertMatch(pkg.bugs.url, /^https:\/\/github\.com\/.+\/issues$/);
    assert(pkg.files.includes("bin"));
    assert("unicorn-binance-emulator" in pkg.bin);
    for (const [name, path] of Object.entries(pkg.bin)) {
      const text = readFileSync(projectPath(join("npm", path)), "utf8");
      assert(text.startsWith("#!/usr/bin/env node\n"), `${name}: no shebang`);
      const target = /from "(\.\.\/esm\/[^"]+)"/.exec(text)?.[1];
      assert(target !== undefined && existsSync(join(projectPath(join("npm", dirname(path))), target)), name);
      assert(/\bmain\(process\.argv\.slice\(2\)\)/.test(text), `${name} does not call main()`);
    }
    // the CLI has no CommonJS copy (import.meta cannot be expressed there)
    assert(!existsSync(projectPath("npm/script/src/testing/cli.js")));
    const readme = readFileSync(projectPath("npm/README.md"), "utf8");
    assert(!/npm ci|npm test/.test(readme), "the npm README tells users to run development commands");
    assert(readme.includes("npx -p unicorn-binance unicorn-binance-emulator"));
    for (const [, target] of readme.matchAll(/\]\(([^)]+)\)/g)) {
      assertMatch(target, /^(https:\/\/|#)/, `the npm README links ${target}, which npm does not ship`);
    }
  });

  it("the emulator bin runs where import.meta.main is missing (npx path, Node 24 without it)", async () => {
    manifest();
    const dir = mkdtempSync(join(projectPath(".tmp"), "npm_bin_"));
    try {
      const hook = noImportMetaMainHook(dir);
      // what `npx -p unicorn-binance unicorn-binance-emulator` runs: node_modules/.bin/<name>
      const binDir = join(dir, "node_modules", ".bin");
      mkdirSync(binDir, { recursive: true });
      symlinkSync(projectPath("npm"), join(dir, "node_modules", "unicorn-binance"), "dir");
      symlinkSync(
        "../unicorn-binance/bin/unicorn-binance-emulator.js",
        join(binDir, "unicorn-binance-emulator"),
      );
      const env = cleanEnv({
        NODE_OPTIONS: `--import=${hook}`,
        PATH: `${projectPath("node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`,
      });
      // without the shim the CLI module does nothing there: the simulation is faithful
      const direct = spawnSync(node, [projectPath("npm/esm/src/testing/cli.js"), "--port", "0"], {
        env,
        encoding: "utf8",
        timeout: 60_000,
      });
      assertEquals([direct.status, direct.stdout], [0, ""], direct.stderr);

      const child = spawn(join(binDir, "unicorn-binance-emulator"), ["--port", "0"], {
        cwd: dir,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = exitOf(child);
      let all = "";
      child.stdout!.on("data", (d) => (all += String(d)));
      try {
        // the last URL line: the SIGINT handler is installed right after it
        const out = await waitFor(child, /coinmWsUrl[^\n]*\n/, 60_000);
        assertMatch(out, /unicorn-binance emulator listening on port \d+/);
        const url = /restUrl\s+(\S+)/.exec(out)![1];
        assertMatch(url, /^http:\/\/127\.0\.0\.1:\d+$/);
        const res = await fetch(`${url}/api/v3/ping`);
        assertEquals(await res.json(), {});
      } finally {
        child.kill("SIGINT");
      }
      const code = await exited;
      assert(all.includes("emulator stopped"), all);
      // Deno's child_process reports a child it sent SIGINT to as ended by SIGINT, even when the
      // child handled it and exited 0 (Bun and Node report 0)
      assert(code === 0 || ("Deno" in globalThis && code === "SIGINT"), `exit ${code}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a REST-only install (no optional peers) imports every entry; the emulator names what to install", () => {
    const pkg = manifest();
    for (const peer of Object.keys(pkg.peerDependencies)) {
      assertEquals(pkg.peerDependenciesMeta[peer]?.optional, true, `${peer} is a required peer`);
      assert(!(peer in pkg.dependencies), `${peer} is both a dependency and a peer`);
    }
    assert("hono" in pkg.peerDependencies);
    // outside the project: node_modules holds the package and its dependencies only
    const dir = mkdtempSync(join(tmpdir(), "ub_rest_only_"));
    try {
      const target = join(dir, "node_modules", "unicorn-binance");
      cpSync(projectPath("npm"), target, { recursive: true });
      for (const dep of Object.keys(pkg.dependencies)) {
        mkdirSync(dirname(join(dir, "node_modules", dep)), { recursive: true });
        symlinkSync(projectPath(join("node_modules", dep)), join(dir, "node_modules", dep), "dir");
      }
      // ./cluster/nats is the NATS adapter itself: it is the one entry that needs its (optional)
      // peers to load, and without them it fails naming the package
      const PEER_ENTRIES = ["./cluster/nats"];
      const subpaths = Object.keys(pkg.exports).filter((k) =>
        !k.endsWith(".wasm") && !PEER_ENTRIES.includes(k)
      );
      const specs = subpaths.map((s) => (s === "." ? "unicorn-binance" : `unicorn-binance/${s.slice(2)}`));
      const script = `
const specs = ${JSON.stringify(specs)};
for (const s of specs) await import(s);
for (const s of specs) (await import("node:module")).createRequire(import.meta.url)(s);
const { BinanceRestClient } = await import("unicorn-binance/rest");
new BinanceRestClient({ exchange: "binance.com" });
const { startEmulator } = await import("unicorn-binance/testing");
try {
  await startEmulator();
  console.log("started");
} catch (e) {
  console.log(e.message);
}
const { ClusterRouter, MemoryCoordination } = await import("unicorn-binance/cluster");
try {
  await ClusterRouter.start({ coordination: new MemoryCoordination(), clusterSecret: "s".repeat(32) });
  console.log("router started");
} catch (e) {
  console.log(e.message);
}
try {
  await import("unicorn-binance/cluster/nats");
  console.log("nats loaded");
} catch (e) {
  console.log(e.message);
}
`;
      const res = spawnSync(node, ["--input-type=module", "-e", script], {
        cwd: dir,
        env: cleanEnv(),
        encoding: "utf8",
        timeout: 60_000,
      });
      assertEquals(res.status, 0, res.stderr);
      assertMatch(res.stdout, /Cannot start the emulator: its server packages are not installed/);
      assertMatch(res.stdout, /npm install hono @hono\/node-server @hono\/node-ws/);
      assertMatch(res.stdout, /Cannot start a cluster router: hono is not installed; run `npm install hono`/);
      assertMatch(res.stdout, /Cannot find package '@nats-io\/[a-z-]+'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
