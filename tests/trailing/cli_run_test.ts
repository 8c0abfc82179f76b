/**
 * `ubtsl` as a subprocess on Deno and Node (the binaries in node_modules/.bin): the `--emulator`
 * demo end to end with `--json`, Ctrl-C (SIGINT) stopping cleanly with exit 130 and saying what
 * is left on the book, the usage errors with exit 1, and the commands (`--checkupdate` against a
 * local fake npm registry, `--test binance-connectivity`, `--listopenorders` against an emulator
 * over `--rest-url`). HOME is a fresh directory: no ubtsl_config.ini of the machine is read.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals, assertMatch } from "@std/assert";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import type { Emulator } from "../../src/testing/mod.ts";
import { UBTSL_VERSION } from "../../src/trailing/cli_args.ts";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { emulator, KEY, SECRET } from "./_emu.ts";

// the project root is the working directory on every runner (the Node artifact tests run a bundled
// copy from another directory, CommonJS included: see tests/_data.ts)
const ROOT = process.cwd();
const CLI = join(ROOT, "src/trailing/cli.ts");

interface Run {
  code: number | null;
  signal: string | null;
  out: string;
  err: string;
}

function run(
  runtime: string,
  args: string[],
  onOut?: (text: string, kill: () => void) => void,
): Promise<Run> {
  const bin = join(ROOT, "node_modules/.bin", runtime);
  const argv = runtime === "deno" ? ["run", "-A", CLI, ...args] : [CLI, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, argv, { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", HOME } });
    let out = "";
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.stdout.on("data", (d) => {
      out += d;
      onOut?.(out, () => child.kill("SIGINT"));
    });
    child.stderr.on("data", (d) => void (err += d));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}

const HOME = mkdtempSync(join(tmpdir(), "ubtsl-home-"));
const NO_KEYS = join(HOME, "ubtsl_config.ini");
writeFileSync(NO_KEYS, "[BINANCE]\napi_key =\napi_secret =\n");

let emu: Emulator;
let registry: http.Server;
let registryUrl = "";
before(async () => {
  emu = await emulator();
  registry = http.createServer((req, res) => {
    res.writeHead(req.url === "/unicorn-binance/latest" ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify({ name: "unicorn-binance", version: "99.1.0" }));
  });
  await new Promise<void>((r) => registry.listen(0, "127.0.0.1", r));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
});
after(async () => {
  await emu.close();
  await new Promise<void>((r) => registry.close(() => r()));
});

const RUNTIMES = ["deno", "node"].filter((r) => existsSync(join(ROOT, "node_modules/.bin", r)));

for (const runtime of RUNTIMES) {
  describe(`ubtsl CLI on ${runtime}`, () => {
    it("--emulator --json: one JSON event per line, the stop ratchets and fills, exit 0", async () => {
      const r = await run(runtime, ["--emulator", "--json", "-m", "BTCUSDT", "-l", "1%", "-ot", "market"]);
      assertEquals(r.code, 0, r.err);
      const events = r.out.trim().split("\n").map((l) => JSON.parse(l));
      const types = events.map((e) => e.type);
      assert(types.includes("started"), types.join());
      assert(types.filter((t) => t === "stopMoved").length >= 3, types.join());
      const fin = events.find((e) => e.type === "finished");
      assertEquals([fin.reason, fin.filledQuantity], ["filled", "1"]);
      assert(Number(fin.averagePrice) > 60_000, fin.averagePrice);
    });

    it("Ctrl-C stops cleanly, says the stop is left on the book, exit 130", async () => {
      let sent = false;
      const r = await run(runtime, ["--emulator", "-m", "BTCUSDT", "-l", "5%"], (out, kill) => {
        if (!sent && out.includes("Started")) {
          sent = true;
          kill();
        }
      });
      // Deno's node:child_process reports an exit status of 130 as the signal SIGINT; Node and
      // Bun report the code. The "Stopped" line below shows the handler ran either way.
      const deno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
      assert(r.code === 130 || (deno && r.code === null && r.signal === "SIGINT"), `${r.code} ${r.signal}`);
      assertMatch(r.out, /Stopped: the stop \S+ \(STOP_LOSS_LIMIT at [\d.]+\) is left on the book/);
    });

    it("usage errors name the flag and exit 1; no arguments prints the help and exits 1", async () => {
      const missing = await run(runtime, ["--emulator", "-m", "BTCUSDT"]);
      assertEquals(missing.code, 1);
      assertMatch(missing.err, /--stoplosslimit/);
      const none = await run(runtime, []);
      assertEquals(none.code, 1);
      assertMatch(none.err, /--stoplosslimit/);
      const bad = await run(runtime, ["--emulator", "-m", "BTCUSDT", "-l", "1%", "--mode", "sometimes"]);
      assertEquals(bad.code, 1);
      assertMatch(bad.err, /--mode/);
    });

    it("--checkupdate asks the --registry; --test binance-connectivity and --listopenorders, exit 0", async () => {
      const u = await run(runtime, ["--checkupdate", "--registry", registryUrl]);
      assertEquals(u.code, 0, u.err);
      assertEquals(
        u.out,
        `unicorn-binance 99.1.0 is available (this is ${UBTSL_VERSION}): npm install unicorn-binance@99.1.0\n`,
      );
      const keys = ["-cf", NO_KEYS, "--rest-url", emu.restUrl, "-ak", KEY, "-as", SECRET];
      const c = await run(runtime, ["--test", "binance-connectivity", "-e", "binance.com-futures", ...keys]);
      assertEquals(c.code, 0, c.err);
      assertMatch(c.out, /Signed call GET \/fapi\/v2\/account: ok/);
      const l = await run(runtime, ["--listopenorders", "-m", "ETHUSDT", "--json", ...keys]);
      assertEquals([l.code, l.out], [0, ""], l.err);
      const noKeys = await run(runtime, ["--listopenorders", "-m", "ETHUSDT", "-cf", NO_KEYS]);
      assertEquals(noKeys.code, 1);
      assertMatch(noKeys.err, /--apikey/);
    });

    it("importing the module (the ./trailing/cli export) runs nothing; running it does", async () => {
      const bin = join(ROOT, "node_modules/.bin", runtime);
      const url = new URL(`file://${CLI}`).href;
      const code = `const m = await import(${JSON.stringify(url)}); console.log(typeof m.main);`;
      const argv = runtime === "deno" ? ["eval", code] : ["--input-type=module", "-e", code];
      const r = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const child = spawn(bin, argv, { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", HOME } });
        let out = "";
        child.stdout.on("data", (d) => void (out += d));
        child.on("error", reject);
        child.on("close", (c) => resolve({ code: c, out }));
      });
      assertEquals([r.code, r.out], [0, "function\n"]);
      const v = await run(runtime, ["--version"]);
      assertEquals([v.code, v.out], [0, `UNICORN Binance Trailing Stop Loss ${UBTSL_VERSION}\n`]);
    });

    it("the run loop against a given exchange (--rest-url, --stream-url, --ws-api-url): ratchets and fills", async () => {
      // one market per runtime: the first run sells its holding
      const symbol = runtime === "deno" ? "BTCUSDT" : "ETHUSDT";
      const rest = new BinanceRestClient({ baseUrl: emu.restUrl, apiKey: KEY, apiSecret: SECRET });
      const t = await rest.getSymbolTicker({ symbol });
      const start = Number((Array.isArray(t) ? t[0] : t).price);
      const path = [
        ...Array.from({ length: 20 }, (_, i) => (start * (1 + 0.001 * (i + 1))).toFixed(2)),
        ...Array.from({ length: 40 }, (_, i) => (start * (1.02 - 0.001 * (i + 1))).toFixed(2)),
      ];
      let driving: Promise<unknown> | undefined;
      const r = await run(runtime, [
        ...["-m", symbol, "-l", "1%", "-ot", "market", "--json", "--debounce-ms", "0", "-cf", NO_KEYS],
        ...["--rest-url", emu.restUrl, "--stream-url", emu.wsUrl, "--ws-api-url", emu.wsApiUrl],
        ...["-ak", KEY, "-as", SECRET],
      ], (out) => {
        if (!driving && out.includes('"type":"started"')) {
          driving = emu.drive(symbol, path, { market: "spot" });
        }
      });
      await driving;
      assertEquals(r.code, 0, r.err);
      const events = r.out.trim().split("\n").map((l) => JSON.parse(l));
      assert(events.filter((e) => e.type === "stopMoved").length >= 3, events.map((e) => e.type).join());
      const fin = events.find((e) => e.type === "finished");
      assertEquals(fin.reason, "filled");
      assert(Number(fin.averagePrice) < start * 1.02 && Number(fin.averagePrice) > start, fin.averagePrice);
    });
  });
}
