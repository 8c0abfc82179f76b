/**
 * The cluster end to end on loopback, every member in its own process: NATS ×3 (replicas 3),
 * node ×3, router ×2 and the emulator CLI as Binance. 20 markets × 2 replicas; every read equals
 * the emulator's true book at the same update id or is refused as out of sync (never different);
 * kill -9 of a node (failover visible, replicas re-created and LIVE again), kill -9 of a NATS
 * server (no read fails), and a restart of everything (the desired state is back). Prints the
 * figures. Runs when nats-server is installed.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { NatsCoordination } from "../../src/cluster/coordination_nats.ts";
import { dcId } from "../../src/cluster/protocol.ts";
import { ClusterState } from "../../src/cluster/state.ts";
import { projectPath } from "../_data.ts";
import {
  natsServerPath,
  type NatsSet,
  startNats,
  stopAllNatsServers,
  streamLeader,
  waitFor,
} from "./_nats.ts";

const EX = "binance.com";
const MARKETS = Array.from({ length: 20 }, (_, i) => `C${i}USDT`);
const CONFIG = { heartbeatMs: 1000, nodeTimeoutMs: 16_000, reportMs: 1000 };
const SECRET = crypto.randomUUID() + crypto.randomUUID();
const isDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;
const procs = new Set<ChildProcess>();
process.once("exit", () => procs.forEach((p) => p.kill("SIGKILL")));

interface Proc {
  readonly child: ChildProcess;
  url: string;
  out: string;
}

/** Spawns a TypeScript entry point with the running runtime (own UNICORN_BINANCE_HOME) and waits for `pattern`. */
async function run(
  script: string,
  argv: string[],
  pattern: RegExp,
  env: Record<string, string> = {},
): Promise<Proc> {
  const file = projectPath(script);
  const home = mkdtempSync(join(tmpdir(), "ub-e2e-"));
  const [cmd, args] = isDeno
    ? [process.execPath, ["run", "-A", file, ...argv]]
    : "Bun" in globalThis
    ? [process.execPath, [file, ...argv]]
    : [projectPath("node_modules/.bin/node"), [file, ...argv]];
  const child = spawn(cmd, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, UNICORN_BINANCE_HOME: home, ...env },
  });
  procs.add(child);
  child.once("exit", () => procs.delete(child));
  const p: Proc = { child, url: "", out: "" };
  child.stdout!.on("data", (d) => (p.out = (p.out + String(d)).slice(-20_000)));
  child.stderr!.on("data", (d) => (p.out = (p.out + String(d)).slice(-20_000)));
  child.once("exit", () => rmSync(home, { recursive: true, force: true }));
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`${script} exited:\n${p.out} exited`);
      return pattern.test(p.out);
    },
    60_000,
    `${script} ${argv.join(" ")} did not start: ${p.out}`,
  );
  p.url = pattern.exec(p.out)![1] ?? "";
  return p;
}

async function kill9(p: Proc): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const gone = new Promise((r) => p.child.once("exit", r));
  p.child.kill("SIGKILL");
  await gone;
}

let nats: NatsSet;
let emulator: Proc;
let observer: NatsCoordination;
let state: ClusterState;
const nodes = new Map<string, Proc>();
let routers: Proc[] = [];

// the members run the cluster CLI: `unicorn-binance cluster start --role node|router --nats …`
const CLI = "src/cluster/cli.ts";
const startNode = async (id: string) => {
  const argv = [
    "cluster",
    "start",
    "--role",
    "node",
    "--id",
    id,
    "--nats",
    nats.urls.join(","),
    // snapshots of 100 levels cost weight 5, not 50: the books and this test's truth reads stay
    // within the first minute's budget, so redundancy never waits for the next minute
    "--snapshot-limit",
    "100",
    "--exchange-url",
  ];
  nodes.set(id, await run(CLI, [...argv, emulator.url], /READY/, { UBC_CLUSTER_SECRET: SECRET }));
};
const startRouters = async () => {
  const argv = ["cluster", "start", "--role", "router", "--port", "0", "--nats", nats.urls.join(",")];
  routers = await Promise.all(
    [0, 1].map(() => run(CLI, argv, /READY (\S+)/, { UBC_CLUSTER_SECRET: SECRET })),
  );
};

/** Nodes with a LIVE report of `market` (only reports refreshed within 5 report periods when `fresh`). */
function live(market: string, fresh = false): string[] {
  const out: string[] = [];
  for (const r of state.replicas(dcId(EX, market)).values()) {
    const n = state.nodes.get(r.nodeId);
    if (fresh && Date.now() - r.reportedAt > 5 * CONFIG.reportMs) continue;
    if (r.state === "LIVE" && n && state.isAlive(n)) out.push(r.nodeId);
  }
  return out.sort();
}

/** LIVE reports of alive nodes that nobody refreshes any more. */
function staleReports(): string[] {
  const out: string[] = [];
  for (const m of MARKETS) {
    for (const r of state.replicas(dcId(EX, m)).values()) {
      const n = state.nodes.get(r.nodeId);
      const age = Date.now() - r.reportedAt;
      if (n && state.isAlive(n) && age > 5 * CONFIG.reportMs) {
        out.push(`${m}@${r.nodeId} (${r.state}, ${age} ms old)`);
      }
    }
  }
  return out;
}

type Levels = [number, number][];
async function truth(market: string): Promise<{ id: number; asks: Levels; bids: Levels }> {
  const b = await (await fetch(`${emulator.url}/api/v3/depth?symbol=${market}&limit=20`)).json();
  if (!Array.isArray(b.asks)) {
    throw new Error(`The emulator did not answer with a book: ${JSON.stringify(b)}`);
  }
  const num = (s: [string, string][]): Levels => s.map(([p, q]) => [Number(p), Number(q)]);
  return { id: b.lastUpdateId, asks: num(b.asks), bids: num(b.bids) };
}

interface Tally {
  match: number;
  outOfSync: number;
  unjudged: number;
  failed: number;
  failovers: number;
  servedBy: string[];
}

/** One read through a router, judged against the emulator's book before and after it. */
async function read(i: number, t: Tally, markets = MARKETS, both = false): Promise<boolean> {
  const market = markets[i % markets.length];
  const side = i % 2 === 0 ? "asks" : "bids";
  const router = routers[i % routers.length];
  // the truth costs request weight on the IP budget the nodes share: before and after in the
  // correctness test, after only in the others
  const before = both ? await truth(market) : undefined;
  let body: Record<string, unknown>;
  try {
    const res = await fetch(`${router.url}/get_${side}?exchange=${EX}&market=${market}&limit_count=20`);
    body = await res.json();
  } catch {
    t.failed++;
    return false;
  }
  const afterwards = await truth(market);
  if (body.result === "ERROR") {
    if (body.error_id === "#6000") t.outOfSync++;
    else t.failed++;
    return false;
  }
  if (body.error_id === "#5001") t.failovers++;
  t.servedBy.push(String(body.served_by));
  const id = body.last_update_id as number;
  const tr = id === before?.id ? before : id === afterwards.id ? afterwards : undefined;
  if (!tr) t.unjudged++;
  else {
    assertEquals(
      body[side],
      tr[side],
      `${market} ${side} at update id ${id} differs from the emulator's book`,
    );
    t.match++;
  }
  return true;
}

/** The observer's view and the members' last output, for a failure message. */
async function diagnose(): Promise<string> {
  const fresh = (await (await observer.bucket("ubc_replicas")).list("replica.")).map((e) =>
    `${e.key.slice(8)}=${JSON.parse(e.value).state}(${Date.now() - JSON.parse(e.value).reportedAt}ms ago)`
  );
  const alive = [...state.nodes.values()].map((n) => `${n.id}:${state.isAlive(n) ? "alive" : "dead"}`);
  const reps = MARKETS.map((m) => {
    const r = [...state.replicas(dcId(EX, m)).values()].map((x) => `${x.nodeId}=${x.state}`);
    return `${m}[${r.join(",")}]`;
  });
  const outs = [...nodes.entries()].map(([id, p]) => `--- ${id}\n${p.out.slice(-1500)}`);
  return `desired ${state.desired.size}; nodes ${alive.join(" ")}\n${reps.join(" ")}\nstored: ${
    fresh.join(" ")
  }\n${outs.join("\n")}`;
}

const tally = (): Tally => ({ match: 0, outOfSync: 0, unjudged: 0, failed: 0, failovers: 0, servedBy: [] });
const allLive = (want: number) => MARKETS.every((m) => live(m).length === want);

describe(
  "multi-process cluster on NATS",
  { skip: natsServerPath() ? false : "nats-server not found" },
  () => {
    before(async () => {
      nats = await startNats({ servers: 3 });
      const marketArgs = MARKETS.flatMap((m) => ["--market", `${m}:100`]);
      emulator = await run(
        "src/testing/cli.ts",
        ["--port", "0", "--seed", "7", "--interval", "250", ...marketArgs],
        /restUrl\s+(http:\/\/127\.0\.0\.1:\d+)/,
      );
      observer = await NatsCoordination.connect({ servers: nats.urls, replicas: 3 });
      state = await ClusterState.open(observer, { config: CONFIG });
      await Promise.all(["n1", "n2", "n3"].map(startNode));
      await startRouters();
    });
    after(async () => {
      await state?.close();
      await observer?.close();
      await Promise.all([...procs].map((c) => new Promise((r) => (c.once("exit", r), c.kill("SIGKILL")))));
      await stopAllNatsServers();
    });

    it("creates 20 markets × 2 replicas on 3 node processes, all LIVE", async () => {
      const res = await fetch(`${routers[0].url}/create_depthcaches`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ exchange: EX, markets: MARKETS, desired_quantity: 2 }),
      });
      assertEquals((await res.json()).result, "OK");
      const t0 = Date.now();
      await waitFor(() => allLive(2), 60_000, "40 LIVE replicas");
      console.log(`e2e: 20 markets × 2 replicas LIVE in ${Date.now() - t0} ms`);
      for (const m of MARKETS) assertEquals(new Set(live(m)).size, 2, m);
    });

    it("every read equals the emulator's book at its update id or is refused as out of sync", async () => {
      const t = tally();
      for (let i = 0; i < 100; i++) await read(i, t, MARKETS, true);
      console.log(
        `e2e reads: ${t.match} equal the truth, ${t.outOfSync} out of sync, ${t.unjudged} unjudged (id moved)`,
      );
      assertEquals(t.failed, 0);
      assert(t.match >= 60, `only ${t.match} reads could be judged equal`);
    });

    it("kill -9 of a node: reads keep succeeding via the other replica, replicas re-created and LIVE", async () => {
      const victim = "n1";
      const hosted = MARKETS.filter((m) => live(m).includes(victim));
      assert(hosted.length > 0);
      const t0 = performance.now();
      await kill9(nodes.get(victim)!);
      const t = tally();
      let failoverMs = -1;
      for (let i = 0; i < 80; i++) {
        const before = t.servedBy.length;
        await read(i, t, hosted);
        if (failoverMs < 0 && t.servedBy.length > before && t.servedBy.at(-1) !== victim) {
          failoverMs = performance.now() - t0;
        }
      }
      assertEquals(t.failed, 0);
      assert(t.failovers >= 1, "no read showed the failover (#5001)");
      await waitFor(() => !state.isAlive(state.nodes.get(victim)!), 60_000, "the dead node timed out");
      await waitFor(
        () => MARKETS.every((m) => live(m).length === 2 && !live(m).includes(victim)),
        60_000,
        "redundancy",
      );
      const full = performance.now() - t0;
      console.log(
        `e2e node kill -9: failover ${
          failoverMs.toFixed(0)
        } ms to the first read served by another replica; ` +
          `${t.failed} reads failed, ${t.failovers} showed #5001; ${hosted.length} markets back to 2 LIVE replicas ` +
          `${(full / 1000).toFixed(1)} s after the kill (node timeout ${CONFIG.nodeTimeoutMs} ms)`,
      );
    });

    it("kill -9 of a NATS server: no read fails", async () => {
      const victim = (await streamLeader(nats, "KV_ubc_nodes")) ?? nats.servers[0];
      const nodesBucket = await observer.bucket("ubc_nodes");
      const t0 = performance.now();
      await victim.kill("SIGKILL");
      const t = tally();
      let i = 0;
      // Reads until the buckets have leaders again (the observer's write goes through: the
      // election is over) and at least 3 s have passed, at most 30 s. Paced: the truth costs
      // request weight on the emulator's IP budget, which the nodes share.
      let elected = false;
      const probe = nodesBucket.put("e2e.probe", String(Date.now())).then(() => (elected = true));
      while ((!elected || performance.now() - t0 < 3000) && performance.now() - t0 < 30_000) {
        await read(i++, t);
        await new Promise((r) => setTimeout(r, 150));
      }
      await probe;
      const s = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(
        `e2e NATS kill -9 (${victim.name}): ${i} reads in ${s} s (until the buckets had leaders again), ` +
          `${t.failed} failed, ${t.outOfSync} out of sync`,
      );
      assertEquals(t.failed, 0);
      await victim.start();
      await nats.waitForLeader();
    });

    it("restart of everything: the desired state is back and LIVE", async () => {
      await Promise.all([...nodes.values(), ...routers].map(kill9));
      for (const s of nats.servers) await s.kill("SIGKILL");
      const t0 = performance.now();
      await Promise.all(nats.servers.map((s) => s.start()));
      await nats.waitForLeader();
      await Promise.all(["n1", "n2", "n3"].map(startNode));
      await startRouters();
      try {
        await waitFor(
          () => state.desired.size === MARKETS.length && MARKETS.every((m) => live(m, true).length >= 2),
          90_000,
          "the desired state LIVE",
        );
      } catch (e) {
        console.log(await diagnose());
        throw e;
      }
      const list = await (await fetch(`${routers[1].url}/get_depthcache_list`)).json();
      assertEquals(Object.keys(list.depthcache_list[EX]).sort(), [...MARKETS].sort());
      const t = tally();
      for (let i = 0; i < 40; i++) await read(i, t);
      assertEquals(t.failed, 0);
      console.log(
        `e2e restart of everything: 20 × 2 replicas LIVE ${
          ((performance.now() - t0) / 1000).toFixed(1)
        } s after`,
      );
    });

    it("after the restart no node keeps reports of replicas it no longer hosts", async () => {
      // a restarted node (same id) must drop the reports of its previous life: a stale LIVE report
      // of an alive node draws reads to a node that does not host the replica
      try {
        await waitFor(() => staleReports().length === 0, 5 * CONFIG.reportMs + 5000, "no stale reports");
      } catch {
        throw new Error(`Stale LIVE reports of alive nodes: ${staleReports().join(", ")}`);
      }
    });
  },
);
