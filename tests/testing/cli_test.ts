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
});
