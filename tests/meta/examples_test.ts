// The examples run: each is started with the runtime executing this file (Node: the TypeScript
// sources through Node 24's type stripping) against its embedded emulator, must exit 0 on its own
// and print what it promises.
import { describe, it } from "node:test";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { assertMatch, assertStrictEquals } from "@std/assert";
import { projectPath } from "../_data.ts";

interface Example {
  file: string;
  args: string[];
  expect: RegExp[];
}

const EXAMPLES: Example[] = [
  {
    file: "examples/demo.ts",
    args: ["--seconds", "5"],
    expect: [/true book/, /local depth cache \(unicorn-binance\/depthcache, LIVE/, /emulator stopped/],
  },
  { file: "examples/streams.ts", args: [], expect: [/signal CONNECT/, /signal STOP/] },
  { file: "examples/ws_api_order.ts", args: [], expect: [/CANCELED/, /code -2013/] },
  {
    file: "examples/depthcache.ts",
    args: ["--seconds", "3"],
    expect: [/SYNCING -> LIVE/, /of asks: \d+ levels/],
  },
  {
    file: "examples/rest_quickstart.ts",
    args: [],
    expect: [/last price: \d+\.\d+/, /signed test order accepted/, /used request weight/],
  },
];

function command(file: string, args: string[]): string[] {
  if ("Deno" in globalThis) return [process.execPath, "run", "-A", file, ...args];
  if ("Bun" in globalThis) return [process.execPath, file, ...args];
  return [projectPath("node_modules/.bin/node"), file, ...args];
}

describe("examples", () => {
  for (const ex of EXAMPLES) {
    it(`${ex.file} ${ex.args.join(" ")}`.trim(), () => {
      const [cmd, ...args] = command(ex.file, ex.args);
      const { NODE_TEST_CONTEXT: _, ...env } = process.env;
      const res = spawnSync(cmd, args, { cwd: projectPath("."), encoding: "utf8", env, timeout: 60_000 });
      const output = `${res.stdout}\n${res.stderr}`;
      assertStrictEquals(res.status, 0, output.slice(-2000));
      for (const re of ex.expect) assertMatch(output, re);
    });
  }
});
