/**
 * The cluster CLI: its argument table, then `cluster start` as a subprocess (embedded cluster on
 * the emulator, state and logs under a temporary UNICORN_BINANCE_HOME) driven by the other verbs —
 * status, add-node, remove-node, credentials add/list/remove, logs, stop — with no planted secret
 * in any output or the log file.
 */
import { after, describe, it } from "node:test";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import { parseClusterArgs } from "../../src/cluster/cli_args.ts";
import { until } from "./_cluster.ts";
import { cliCommand } from "./_cli.ts";
import { natsServerPath, startNats, stopAllNatsServers } from "./_nats.ts";

describe("cluster CLI arguments", () => {
  it("parses every verb with its defaults", () => {
    const s = parseClusterArgs(["cluster", "start"]);
    assertEquals([s.command, s.role, s.nodes, s.port, s.host, s.exchange.kind, s.nats], [
      "start",
      "all",
      1,
      42081,
      "127.0.0.1",
      "emulator",
      [],
    ]);
    const n = parseClusterArgs([
      "cluster",
      "start",
      "--role",
      "node",
      "--nats",
      "nats://a:4222,nats://b:4222",
      "--id",
      "n1",
      "--live",
      "--host",
      "0.0.0.0",
      "--advertise-url",
      "http://10.1.2.3:8080",
    ]);
    assertEquals([n.role, n.nats, n.port, n.id, n.exchange.kind, n.host, n.advertiseUrl], [
      "node",
      ["nats://a:4222", "nats://b:4222"],
      0,
      "n1",
      "live",
      "0.0.0.0",
      "http://10.1.2.3:8080",
    ]);
    const u = parseClusterArgs([
      "cluster",
      "start",
      "--exchange-url",
      "http://127.0.0.1:9000",
      "--nodes",
      "0",
    ]);
    assertEquals([u.exchange, u.nodes], [{ kind: "url", url: "http://127.0.0.1:9000" }, 0]);
    assertEquals(parseClusterArgs(["cluster", "add-node", "3"]).nodes, 3);
    assertEquals(parseClusterArgs(["cluster", "remove-node", "node-2"]).id, "node-2");
    assertEquals(parseClusterArgs(["cluster", "credentials", "remove", "abc"]).command, "credentials-remove");
    assertEquals(parseClusterArgs(["cluster", "logs", "--lines", "5"]).lines, 5);
    assertEquals(parseClusterArgs(["cluster"]).command, "help");
    assertEquals(parseClusterArgs(["cluster", "start"]).snapshotLimit, undefined);
    assertEquals(parseClusterArgs(["cluster", "start", "--snapshot-limit", "100"]).snapshotLimit, 100);
  });

  it("refuses bad arguments naming the argument and the rule", () => {
    const bad: [string[], string][] = [
      [["status"], 'expected "cluster"'],
      [["cluster", "launch"], 'Invalid command "launch"'],
      [["cluster", "start", "--nodes", "x"], "--nodes"],
      [["cluster", "start", "--nodes", "65"], "from 0 to 64"],
      [["cluster", "start", "--port", "70000"], "--port"],
      [["cluster", "start", "--snapshot-limit", "0"], "--snapshot-limit"],
      [["cluster", "start", "--role", "mgmt"], "--role"],
      [["cluster", "start", "--role", "node"], "needs --nats"],
      [["cluster", "start", "--nats", "http://x"], "--nats"],
      [["cluster", "start", "--advertise-url", "10.1.2.3:8080"], "Invalid --advertise-url"],
      [["cluster", "start", "--advertise-url", "http://a:1/path"], "no path"],
      [["cluster", "start", "--live", "--exchange-url", "http://a:1"], "exclude each other"],
      [["cluster", "start", "--exchange-url", "ftp://a"], "--exchange-url"],
      [["cluster", "start", "--bogus", "1"], "Unknown option --bogus"],
      [["cluster", "start", "--nodes"], "Missing value of --nodes"],
      [["cluster", "remove-node"], "needs an id"],
      [["cluster", "credentials"], "credentials command"],
      [["cluster", "credentials", "add", "--api-key", "k"], "--account-group"],
      [["cluster", "status", "extra"], 'Unexpected argument "extra"'],
    ];
    for (const [argv, msg] of bad) assertThrows(() => parseClusterArgs(argv), TypeError, msg, argv.join(" "));
  });
});

const command = cliCommand;

describe("cluster CLI end to end", () => {
  it("start, status, add-node, remove-node, credentials, logs, stop", async () => {
    const home = mkdtempSync(join(tmpdir(), "ubc-cli-"));
    const { NODE_TEST_CONTEXT: _, ...base } = process.env;
    const env = { ...base, UNICORN_BINANCE_HOME: home };
    const run = (...args: string[]) => {
      const [cmd, a] = command(["cluster", ...args]);
      const r = spawnSync(cmd, a, { env, encoding: "utf8", timeout: 60_000 });
      return { code: r.status, out: `${r.stdout}${r.stderr}` };
    };
    const [cmd, a] = command(["cluster", "start", "--nodes", "2", "--port", "0"]);
    const child = spawn(cmd, a, { env });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    try {
      await until(() => /READY (http:\/\/\S+)/.test(out), 60_000, `the cluster to start: ${out}`);
      const url = out.match(/READY (http:\/\/\S+)/)![1];
      const st = statSync(join(home, "config", "cluster.state"));
      assertEquals(st.mode & 0o077, 0, "the state file is private to its owner");
      const created =
        await (await fetch(`${url}/create_depthcache?exchange=binance.com&market=BTCUSDT&desired_quantity=2`))
          .json();
      assertEquals(created.result, "OK");
      await until(
        async () => {
          const info = await (await fetch(`${url}/get_depthcache_info?exchange=binance.com&market=BTCUSDT`))
            .json();
          return Object.values(info.depthcache_info.DISTRIBUTION as Record<string, { STATE: string }>).filter(
            (d) => d.STATE === "LIVE",
          ).length === 2;
        },
        30_000,
        "two LIVE replicas",
      );
      const status = run("status");
      assertEquals(status.code, 0, status.out);
      assertMatch(status.out, /2 nodes, 1 depth caches/);
      assertMatch(status.out, /binance\.com BTCUSDT ×2 {2}node-\d:LIVE node-\d:LIVE/);
      assertMatch(run("add-node").out, /added node-3/);
      assertMatch(run("remove-node", "node-1").out, /removed node-1/);
      assertEquals(run("remove-node", "node-9").code, 1);
      const key = "CliPlantedKey0123456789abcdef";
      const secret = "CliPlantedSecret0123456789abcdef";
      const added = run(
        "credentials",
        "add",
        "--account-group",
        "binance.com",
        "--api-key",
        key,
        "--api-secret",
        secret,
      );
      assertEquals(added.code, 0, added.out);
      const id = added.out.match(/added credentials (\S+)/)![1];
      const list = run("credentials", "list");
      assertMatch(list.out, new RegExp(`${id} {2}binance\\.com {2}CliP\\*ef`));
      assertMatch(run("credentials", "remove", id).out, /removed credentials/);
      const logs = run("logs", "--lines", "200");
      assertMatch(logs.out, /node started/);
      assertMatch(logs.out, /credential received/);
      const stop = run("stop");
      assertMatch(stop.out, /cluster stopped/);
      assertEquals(await exited, 0);
      assert(!existsSync(join(home, "config", "cluster.state")), "the state file is removed on stop");
      const logFile = readFileSync(join(home, "logs", "cluster.log"), "utf8");
      for (const text of [logFile, out, status.out, list.out, logs.out]) {
        assert(!text.includes(secret) && !text.includes(key), "a planted secret in an output or the log");
      }
      assertEquals(run("status").code, 1);
    } finally {
      child.kill();
      await exited;
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe("cluster CLI on NATS", () => {
  const hasNats = natsServerPath() !== null;
  if (!hasNats) {
    console.log("cli_test: nats-server not found, the --nats case skipped (apt-get install nats-server)");
  }
  after(() => stopAllNatsServers());
  it(
    "start --nats: the embedded roles coordinate through a real nats-server",
    { skip: !hasNats },
    async () => {
      const token = "cli-nats-token-0123456789";
      const nats = await startNats({ token });
      const home = mkdtempSync(join(tmpdir(), "ubc-cli-nats-"));
      const { NODE_TEST_CONTEXT: _, ...base } = process.env;
      const env = {
        ...base,
        UNICORN_BINANCE_HOME: home,
        UBC_CLUSTER_SECRET: "cli-cluster-secret-0123456789",
        UBC_NATS_TOKEN: token,
      };
      const [cmd, a] = command(["cluster", "start", "--nodes", "2", "--port", "0", "--nats", nats.urls[0]]);
      const child = spawn(cmd, a, { env });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
      try {
        await until(() => /READY (http:\/\/\S+)/.test(out), 60_000, `the cluster to start: ${out}`);
        assertMatch(out, /nats coordination/);
        const url = out.match(/READY (http:\/\/\S+)/)![1];
        const created = await (await fetch(
          `${url}/create_depthcache?exchange=binance.com&market=ETHUSDT&desired_quantity=2`,
        )).json();
        assertEquals(created.result, "OK");
        await until(
          async () => {
            const r = await (await fetch(`${url}/get_asks?exchange=binance.com&market=ETHUSDT&limit_count=3`))
              .json();
            return r.result === "OK" && (r.asks as unknown[]).length === 3;
          },
          30_000,
          "a read served through NATS coordination",
        );
        const [scmd, sa] = command(["cluster", "stop"]);
        const stop = spawnSync(scmd, sa, { env, encoding: "utf8", timeout: 60_000 });
        assertMatch(`${stop.stdout}${stop.stderr}`, /cluster stopped/);
        assertEquals(await exited, 0);
      } finally {
        child.kill();
        await exited;
        rmSync(home, { recursive: true, force: true });
      }
    },
  );
});
