// A user's own code type-checks against the library without the `dom` lib:
// - the JSR layout (the TypeScript sources) under `deno check` with a deno.json that sets no `lib`
//   (Deno's defaults);
// - the built npm package (npm/, made by build_npm.ts before the tests run) under tsc with
//   `lib: ["es2023"]`, `types: ["node"]`, no `skipLibCheck`, as ESM (.mts) and CommonJS (.cts).
// Both check the same user script (tsc also the npm README's snippets), which also pins the typed stream data: `output: "unicornfy"`
// (or `outputDefault`) yields `UnicornfyMessage`, narrowed by `eventType` without casts, and the
// `@ts-expect-error` lines fail the check when a type becomes too loose (an unused one is an error).
import { describe, it } from "node:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { assert, assertEquals } from "@std/assert";
import { readJsonc } from "../../scripts/_manifest.mjs";
import { projectPath } from "../_data.ts";

type Spec = (subpath: string) => string;

/** The user script: every entry point, typed streams, WASM and Web Crypto types. */
function userScript(spec: Spec, wasmImport: string): string {
  return `import * as root from "${spec(".")}";
import { BinanceRestClient } from "${spec("./rest")}";
import { BinanceWebSocketManager, type StreamId, type UnicornfyMessage } from "${spec("./ws")}";
import { BinanceLocalDepthCacheManager, init } from "${spec("./depthcache")}";
import { unicornfy } from "${spec("./unicornfy")}";
import { startEmulator } from "${spec("./testing")}";
${wasmImport}

export async function firstSteps(): Promise<void> {
  await using emu = await startEmulator({ seed: 1 });
  const rest = new BinanceRestClient({ baseUrl: emu.restUrl });
  const price: string = (await rest.getSymbolTicker({ symbol: "BTCUSDT" })).price;
  const der = new Uint8Array(48); // a PKCS#8 Ed25519 key
  const key = await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, false, ["sign"]);
  console.log(new BinanceRestClient({ apiKey: "k", privateKey: key }).keyType);
  await init();
  await using dcm = new BinanceLocalDepthCacheManager({ restOptions: { baseUrl: emu.restUrl } });
  dcm.createDepthCache(["BTCUSDT"]);
  console.log(root.getExchange("binance.com").name, price, dcm.getAsks("BTCUSDT", { limitCount: 1 }));

  // outputDefault "unicornfy": streams that choose no output yield UnicornfyMessage
  await using ws = new BinanceWebSocketManager({ streamBase: emu.wsUrl, outputDefault: "unicornfy" });
  const trades = ws.createStream(["trade"], ["BTCUSDT"]);
  for await (const { data } of ws.stream(trades)) {
    if (data.eventType === "trade") {
      const p: string = data.price;
      console.log(p, data.quantity, data.tradeId);
      // @ts-expect-error a trade has no kline
      console.log(data.kline);
    }
  }
  // output "unicornfy" on one stream of a raw manager; the callback's data is typed too
  await using rawWs = new BinanceWebSocketManager({ streamBase: emu.wsUrl });
  const klines: StreamId<"unicornfy"> = rawWs.createStream(["kline_1h"], ["BTCUSDT"], {
    output: "unicornfy",
    onData: ({ data }) => {
      if (data.eventType === "kline") console.log(data.kline.closePrice);
    },
  });
  for await (const msg of rawWs.stream(klines)) {
    const m: UnicornfyMessage = msg.data;
    switch (m.eventType) {
      case "kline":
        console.log(m.kline.interval, m.kline.openPrice);
        break;
      case "trade":
        console.log(m.price);
    }
  }
  const raw = rawWs.createStream(["trade"], ["BTCUSDT"], { output: "raw" });
  for await (const { data } of rawWs.stream(raw)) {
    const text: string = data;
    // @ts-expect-error raw data is the frame text
    console.log(text, data.eventType);
  }
  const plain: string = trades;
  for await (const { data } of ws.stream(plain)) {
    // @ts-expect-error a plain string id gives unknown data
    console.log(data.eventType);
  }
  console.log(unicornfy('{"e":"trade"}', { exchange: "binance.com" }).eventType);
  // @ts-expect-error the WASM core takes a module or bytes, not a string
  await init("core.wasm");
}
`;
}

function run(cmd: string, args: string[], cwd: string): { status: number | null; output: string } {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const res = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    env: { ...env, NO_COLOR: "1" },
    timeout: 180_000,
  });
  return { status: res.status, output: `${res.stdout}\n${res.stderr}` };
}

function freshDir(rel: string): string {
  const dir = projectPath(rel);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe("types of users' own code (no dom lib)", () => {
  it("deno check of a user script with Deno's default libs against the sources (JSR layout)", () => {
    const dir = freshDir(".tmp/types_consumer_deno");
    const manifest = readJsonc(projectPath("deno.json"));
    // JSR resolves the package's own import map; the user's config sets no lib and no types.
    const imports = Object.fromEntries(
      Object.entries(manifest.imports as Record<string, string>).filter(([k]) => k !== "@std/assert"),
    );
    const config = { imports, nodeModulesDir: "manual", compilerOptions: { strict: true } };
    writeFileSync(join(dir, "deno.json"), JSON.stringify(config, null, 2));
    // Deno resolves npm: packages (and @types/node for them) from node_modules in manual mode.
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ private: true, type: "module", devDependencies: { "@types/node": "*" } }),
    );
    symlinkSync(projectPath("node_modules"), join(dir, "node_modules"), "dir");
    const exports = manifest.exports as Record<string, string>;
    const spec: Spec = (sub) => `../../${exports[sub].slice(2)}`;
    writeFileSync(join(dir, "user.ts"), userScript(spec, ""));
    const res = run(
      projectPath("node_modules/.bin/deno"),
      ["check", "--config", "deno.json", "user.ts"],
      dir,
    );
    assertEquals(res.status, 0, res.output.slice(-4000));
  });

  it("tsc on the built npm package with lib es2023 + types node, no skipLibCheck (ESM and CJS)", () => {
    assert(
      existsSync(projectPath("npm/package.json")),
      "npm/package.json is missing: run `deno run -A build_npm.ts <version>` first",
    );
    const dir = freshDir(".tmp/types_consumer_tsc");
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(projectPath("npm"), join(dir, "node_modules", "unicorn-binance"), "dir");
    const tsconfig = {
      compilerOptions: {
        target: "es2023",
        module: "nodenext",
        moduleResolution: "nodenext",
        lib: ["es2023"],
        types: ["node"],
        strict: true,
        noEmit: true,
      },
      files: ["user.mts", "user.cts"],
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    const spec: Spec = (sub) => sub === "." ? "unicorn-binance" : `unicorn-binance/${sub.slice(2)}`;
    writeFileSync(
      join(dir, "user.mts"),
      userScript(spec, 'import core from "unicorn-binance/core.wasm";\nexport const loaded = init(core);'),
    );
    writeFileSync(
      join(dir, "user.cts"),
      `import rest = require("unicorn-binance/rest");
import depthcache = require("unicorn-binance/depthcache");
import ws = require("unicorn-binance/ws");
import core = require("unicorn-binance/core.wasm");
export const loaded: Promise<void> = depthcache.init(core);
export const client = new rest.BinanceRestClient({ exchange: "binance.com" });
const manager = new ws.BinanceWebSocketManager({ outputDefault: "unicornfy" });
manager.createStream(["trade"], ["BTCUSDT"], {
  onData: ({ data }) => {
    if (data.eventType === "trade") console.log(data.price);
  },
});
`,
    );
    // the npm README's complete snippets (those that import the package) check the same way
    const readme = readFileSync(projectPath("npm/README.md"), "utf8");
    const snippets = [...readme.matchAll(/```ts\n([^]*?)```/g)].map((m) => m[1])
      .filter((code) => code.includes('from "unicorn-binance'));
    assert(snippets.length >= 2, "the npm README has no complete snippet");
    snippets.forEach((code, i) => writeFileSync(join(dir, `readme_${i}.mts`), code));
    tsconfig.files.push(...snippets.map((_, i) => `readme_${i}.mts`));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    const res = run(projectPath("node_modules/.bin/tsc"), ["-p", "."], dir);
    assertEquals(res.status, 0, res.output.slice(-4000));
  });
});
