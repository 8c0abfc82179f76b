// The examples run: each is started with the runtime executing this file (Node: the TypeScript
// sources through Node 24's type stripping) against its embedded emulator, must exit 0 on its own
// and print what it promises.
import { describe, it } from "node:test";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { assert, assertMatch, assertStrictEquals } from "@std/assert";
import { projectPath } from "../_data.ts";

interface Example {
  file: string;
  args: string[];
  expect: RegExp[];
  /** Patterns the output must not contain. */
  reject?: RegExp[];
}

const EXAMPLES: Example[] = [
  {
    file: "examples/demo.ts",
    args: ["--seconds", "5"],
    expect: [
      /true book/,
      /local depth cache \(unicorn-binance\/depthcache, LIVE/,
      /emulator stopped/,
      // the 24 h column is filled on the USD-M rows too (it was empty), and never reads -0.000%
      /\nusdm {2}BTCUSDT .* -?\d+\.\d{3}%\n/,
    ],
    reject: [/-0\.0+%/],
  },
  {
    file: "examples/first_steps.ts",
    args: [],
    expect: [
      /BTCUSDT price: \d+\.\d{8}\n/,
      /24h ticker .*\n\s+priceChange -?\d+\.\d+ \(-?\d+\.\d+%\)/,
      // the emulator's seeded past: three hourly candles with volume and trades
      /last 3 hourly klines[^\n]*(\n {2}\d{4}-\d\d-\d\d \d\d:00:00\.000 UTC {2}o \d+\.\d+ {2}h \d+\.\d+ {2}l \d+\.\d+ {2}c \d+\.\d+ {2}v (?!0\.0+ )\d+\.\d+ {2}n [1-9]\d*){3}\n/,
      /(trade \d+ {2}(buy |sell) {2}\d+\.\d{8} x \d+\.\d{8}\n[^]*){5}/,
      /BTCUSDT: SYNCING -> LIVE/,
      /best bid \d+\.\d{8} {2}best ask \d+\.\d{8} {2}spread \d+\.\d\d/,
    ],
  },
  { file: "examples/streams.ts", args: [], expect: [/signal CONNECT/, /signal STOP/] },
  {
    file: "examples/ws_api_order.ts",
    args: [],
    expect: [
      // the user-data lines carry every field (they printed blanks)
      /user data: executionReport BTCUSDT BUY LIMIT NEW \d+\.\d+ @ \d+\.\d+ \(order \d+, \S+\)/,
      /user data: outboundAccountPosition [A-Z]+ free \d+\.\d+ locked \d+\.\d+/,
      /CANCELED/,
      /code -2013/,
    ],
    reject: [/user data:[^\n]*( {2}|undefined| @ \(| \(order ,)/],
  },
  {
    file: "examples/depthcache.ts",
    args: ["--seconds", "3"],
    expect: [/SYNCING -> LIVE/, /of asks: \d+ levels/],
  },
  {
    file: "examples/cluster_client.ts",
    args: [],
    expect: [
      /created BTCUSDT, ETHUSDT, BNBBTC with 2 replicas/,
      /served by node-\d/,
      /replicas again: node-\d LIVE, node-\d LIVE/,
    ],
  },
  {
    file: "examples/rest_quickstart.ts",
    args: [],
    expect: [/last price: \d+\.\d+/, /signed test order accepted/, /used request weight/],
  },
  {
    file: "examples/trailing.ts",
    args: [],
    expect: [
      /protecting 1\.00000 with STOP_LOSS/,
      /stop cancelReplace/,
      /finished \(filled\): 1 sold at an average of \d+/,
    ],
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
      for (const re of ex.reject ?? []) {
        assert(!re.test(output), `${ex.file} printed ${re}: ${output.match(re)?.[0]}`);
      }
    });
  }
});
