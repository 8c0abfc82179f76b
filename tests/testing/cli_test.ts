import { describe, it } from "node:test";
import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import { spawn } from "node:child_process";
import process from "node:process";
import { parseCliArgs } from "../../src/testing/emulator/cli_args.ts";
import { projectPath } from "../_data.ts";

describe("CLI", () => {
  it("parses options and rejects bad arguments with the flag's name", () => {
    const a = parseCliArgs([
      "--port",
      "0",
      "--seed",
      "7",
      "--account",
      "k1:s1",
      "--replay-spot",
      "x/BINANCE",
      "--speed",
      "max",
    ]);
    assertEquals(a.options.port, 0);
    assertEquals(a.options.seed, 7);
    assertEquals(a.options.accounts, [{ apiKey: "k1", secretKey: "s1" }]);
    assertEquals(a.replay.spot, "x/BINANCE");
    assertEquals(a.options.replay?.speed, Infinity);
    assertThrows(() => parseCliArgs(["--port", "x"]), TypeError, "--port");
    assertThrows(() => parseCliArgs(["--bogus"]), TypeError, "--bogus");
    assertThrows(() => parseCliArgs(["--account", "nocolon"]), TypeError, "--account");
    const m = parseCliArgs(["--market", "C0USDT", "--market", "C1USDT:250.5"]);
    assertEquals(m.options.markets, [{ symbol: "C0USDT" }, { symbol: "C1USDT", price: "250.5" }]);
    assertThrows(() => parseCliArgs(["--market", "btc-usdt"]), TypeError, "--market");
  });

  it("starts standalone, prints the URLs, serves REST and stops on SIGINT", async () => {
    const cli = projectPath("src/testing/cli.ts");
    const g = globalThis as Record<string, unknown>;
    const args = g.Deno !== undefined ? ["run", "-A", cli, "--port", "0"] : [cli, "--port", "0"];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += String(d)));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      const deadline = Date.now() + 15_000;
      while (!out.includes("futuresWsApiUrl") && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assertMatch(out, /restUrl\s+http:\/\/127\.0\.0\.1:\d+/);
      const url = /restUrl\s+(\S+)/.exec(out)![1];
      const res = await fetch(`${url}/api/v3/ping`);
      assertEquals(await res.json(), {});
    } finally {
      child.kill("SIGINT");
    }
    const code = await exited;
    // the CLI closed the emulator cleanly; a Deno child reports the handled SIGINT as its exit
    // signal (code null) while Bun and Node report code 0
    assert(out.includes("emulator stopped"), out);
    assert(code === 0 || code === null, `exit code ${code}`);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`exits promptly on ${signal} with a stream and a keep-alive connection open`, async () => {
      const cli = projectPath("src/testing/cli.ts");
      const g = globalThis as Record<string, unknown>;
      const args = g.Deno !== undefined ? ["run", "-A", cli, "--port", "0"] : [cli, "--port", "0"];
      const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      const started = new Promise<void>((resolve) =>
        child.stdout!.on("data", (d) => {
          out += String(d);
          if (out.includes("coinmWsUrl")) resolve();
        })
      );
      const exited = new Promise<number>((r) => child.on("exit", () => r(performance.now())));
      let ws: WebSocket | undefined;
      try {
        await Promise.race([started, exited]);
        const url = /restUrl\s+(\S+)/.exec(out)![1];
        assertEquals(await (await fetch(`${url}/api/v3/ping`)).json(), {});
        ws = new WebSocket(`${url.replace("http", "ws")}/ws/btcusdt@trade`);
        await new Promise((r) => ws!.addEventListener("message", r, { once: true }));
      } finally {
        const t = performance.now();
        child.kill(signal);
        const ms = (await exited) - t;
        ws?.close();
        // measured 20-350 ms on the loaded 2-core CI machine (Deno, Bun, Node); the issue reported 2 s
        assert(ms < 1500, `exit took ${ms.toFixed(0)} ms`);
      }
      assert(out.includes("emulator stopped"), out);
    });
  }
});
