#!/usr/bin/env node
/**
 * CLI: `unicorn-binance cluster start|status|stop|add-node|remove-node|credentials|logs` (UBDCC's
 * F.7 verbs). `start` runs in the foreground: by default an embedded cluster (in-process
 * coordination, N nodes, a router on 42081, the emulator as Binance); with `--nats` and
 * `--role node|router` one role of a multi-host cluster. It writes its state file (mode 0600) and
 * logs under `$UNICORN_BINANCE_HOME` or `~/.unicorn-binance-suite/`; the other verbs talk to the
 * running process through a loopback admin API whose secret is only in that state file.
 *
 * ```sh
 * deno run -A src/cluster/cli.ts cluster start --nodes 3
 * deno run -A src/cluster/cli.ts cluster status
 * ```
 *
 * @module
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Hono } from "hono";
import { CLUSTER_USAGE, type ClusterArgs, parseClusterArgs } from "./cli_args.ts";
import type { Coordination } from "./coordination.ts";
import { emulatorUrls, emulatorVenue, startEmbeddedCluster } from "./embedded.ts";
import { type ClusterLog, formatLogLine } from "./log.ts";
import { ClusterNode } from "./node.ts";
import { safeEqual } from "./_node_api.ts";
import { ClusterRouter } from "./router.ts";
import { listenHttp } from "./server_http.ts";

interface StateFile {
  readonly pid: number;
  readonly role: string;
  readonly routerUrl: string | null;
  readonly adminUrl: string;
  readonly adminSecret: string;
  readonly coordination: string;
  readonly startedAt: number;
}

/** The suite's home (`$UNICORN_BINANCE_HOME` or `~/.unicorn-binance-suite`). */
export function suiteHome(): string {
  return process.env.UNICORN_BINANCE_HOME ?? join(homedir(), ".unicorn-binance-suite");
}

const statePath = () => join(suiteHome(), "config", "cluster.state");
const logPath = () => join(suiteHome(), "logs", "cluster.log");

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
}

function readState(): StateFile {
  if (!existsSync(statePath())) throw new Error(`No running cluster: ${statePath()} does not exist`);
  return JSON.parse(readFileSync(statePath(), "utf8")) as StateFile;
}

async function admin(path: string, method = "GET", body?: unknown): Promise<Record<string, unknown>> {
  const s = readState();
  let res: Response;
  try {
    res = await fetch(`${s.adminUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${s.adminSecret}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Error(`No running cluster: the process of ${statePath()} (pid ${s.pid}) does not answer`);
  }
  const json = await res.json() as Record<string, unknown>;
  if (!res.ok) throw new Error(String((json.error as { message?: string })?.message ?? `HTTP ${res.status}`));
  return json;
}

/** The node timeout of a NATS-coordinated cluster (ms). */
const NATS_NODE_TIMEOUT_MS = 20_000;

async function connect(args: ClusterArgs): Promise<Coordination | undefined> {
  if (args.nats.length === 0) return undefined;
  let mod: typeof import("./coordination_nats.ts");
  try {
    mod = await import("./coordination_nats.ts");
  } catch (e) {
    throw new Error(`Cannot use --nats: the NATS coordination module did not load (${(e as Error).message})`);
  }
  const token = process.env.UBC_NATS_TOKEN;
  return await mod.NatsCoordination.connect({
    servers: args.nats,
    replicas: args.nats.length >= 3 ? 3 : 1,
    ...(token ? { token } : {}),
  });
}

async function start(args: ClusterArgs): Promise<number> {
  if (existsSync(statePath())) {
    const s = readState();
    let alive = true;
    try {
      process.kill(s.pid, 0);
    } catch {
      alive = false;
    }
    if (alive && s.pid !== process.pid) {
      throw new Error(`A cluster is running already (pid ${s.pid}): run "cluster stop"`);
    }
  }
  mkdirSync(join(suiteHome(), "logs"), { recursive: true });
  mkdirSync(join(suiteHome(), "config"), { recursive: true });
  const log: ClusterLog = (level, message, fields) =>
    appendFileSync(logPath(), `${new Date().toISOString()} ${formatLogLine(level, message, fields)}\n`);
  const apiToken = process.env.UBC_API_TOKEN || undefined;
  const envSecret = process.env.UBC_CLUSTER_SECRET;
  if (args.nats.length > 0 && !envSecret) {
    throw new Error("Missing UBC_CLUSTER_SECRET: every member of a NATS cluster needs it");
  }
  const clusterSecret = envSecret ?? randomHex(24);
  const coordination = await connect(args);
  // On NATS a member's heartbeats stall while a bucket elects a leader (6-12 s on nats-server 2.9):
  // a node must not look dead meanwhile.
  const config = args.nats.length > 0 ? { nodeTimeoutMs: NATS_NODE_TIMEOUT_MS } : undefined;
  const venue = args.exchange.kind === "url" ? emulatorVenue(emulatorUrls(args.exchange.url)) : undefined;
  const managerOptions = args.snapshotLimit === undefined ? undefined : { snapshotLimit: args.snapshotLimit };
  let routerUrl: string | null = null;
  let stop: () => Promise<void>;
  let addNode: ((n: number) => Promise<string[]>) | undefined;
  let removeNode: ((id: string) => Promise<void>) | undefined;
  let status: () => unknown;
  let router: ClusterRouter | undefined;
  if (args.role === "all") {
    const c = await startEmbeddedCluster({
      nodes: args.nodes,
      coordination,
      emulator: args.exchange.kind === "emulator" ? {} : false,
      venue,
      port: args.port,
      hostname: args.host,
      apiToken,
      clusterSecret,
      config,
      managerOptions,
      log,
    });
    router = c.router;
    routerUrl = c.url;
    stop = async () => {
      await c.close();
      await coordination?.close();
    };
    addNode = async (n) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) ids.push((await c.addNode()).id);
      return ids;
    };
    removeNode = (id) => c.removeNode(id);
    status = () => ({ nodes: c.nodes.map((n) => ({ id: n.id, url: n.url, hosted: n.hosted.length })) });
  } else if (args.role === "node") {
    const node = await ClusterNode.start({
      coordination: coordination!,
      clusterSecret,
      id: args.id,
      hostname: args.host,
      port: args.port,
      advertiseUrl: args.advertiseUrl,
      venue,
      config,
      managerOptions,
      log,
    });
    stop = async () => {
      await node.stop();
      await coordination!.close();
    };
    status = () => ({ nodes: [{ id: node.id, url: node.url, hosted: node.hosted.length }] });
  } else {
    router = await ClusterRouter.start({
      coordination: coordination!,
      clusterSecret,
      apiToken,
      hostname: args.host,
      port: args.port,
      config,
      log,
    });
    routerUrl = router.url;
    stop = async () => {
      await router!.close();
      await coordination!.close();
    };
    status = () => ({ nodes: [] });
  }
  const adminSecret = randomHex(24);
  let stopped!: () => void;
  const done = new Promise<void>((r) => (stopped = r));
  const app = new Hono();
  app.use("*", async (c, next) => {
    if (!safeEqual(c.req.header("authorization") ?? "", `Bearer ${adminSecret}`)) {
      return c.json({ error: { message: "Unauthorized" } }, 401);
    }
    await next();
  });
  const v1 = (path: string, init: RequestInit = {}) =>
    router!.fetch(
      new Request(`${router!.url}${path}`, {
        ...init,
        headers: {
          "content-type": "application/json",
          ...(apiToken ? { authorization: `Bearer ${apiToken}` } : {}),
        },
      }),
    );
  app.get("/status", async (c) => {
    const cluster = router ? await (await v1("/v1/cluster")).json() : null;
    return c.json({ role: args.role, routerUrl, ...status() as object, cluster });
  });
  app.post("/stop", (c) => {
    setTimeout(stopped, 10);
    return c.json({ stopping: true });
  });
  app.post("/add-node", async (c) => {
    if (!addNode) {
      return c.json({ error: { message: "This process runs no embedded cluster (--role all)" } }, 400);
    }
    return c.json({ ids: await addNode(Number(c.req.query("count") ?? "1")) });
  });
  app.post("/remove-node/:id", async (c) => {
    if (!removeNode) {
      return c.json({ error: { message: "This process runs no embedded cluster (--role all)" } }, 400);
    }
    try {
      await removeNode(c.req.param("id"));
    } catch (e) {
      return c.json({ error: { message: (e as Error).message } }, 404);
    }
    return c.json({ removed: c.req.param("id") });
  });
  app.all("/credentials/*", async (c) => {
    if (!router) return c.json({ error: { message: "This process runs no router" } }, 400);
    const path = new URL(c.req.url).pathname.slice("/credentials".length).replace(/^\/$/, "");
    const res = await v1(`/v1/credentials${path}`, {
      method: c.req.method,
      body: c.req.method === "POST" ? await c.req.text() : undefined,
    });
    return new Response(res.body, { status: res.status, headers: { "content-type": "application/json" } });
  });
  const adminHttp = await listenHttp(app.fetch, { hostname: "127.0.0.1", port: 0 });
  const state: StateFile = {
    pid: process.pid,
    role: args.role,
    routerUrl,
    adminUrl: adminHttp.url,
    adminSecret,
    coordination: coordination?.kind ?? "memory",
    startedAt: Date.now(),
  };
  writeFileSync(statePath(), JSON.stringify(state, null, 2), { mode: 0o600 });
  log("info", "cluster started", {
    role: args.role,
    routerUrl,
    coordination: state.coordination,
    nodes: args.nodes,
  });
  console.log(
    `unicorn-binance cluster (${args.role}, ${state.coordination} coordination) — logs ${logPath()}`,
  );
  if (routerUrl) console.log(`READY ${routerUrl}`);
  else console.log("READY");
  process.once("SIGINT", () => stopped());
  process.once("SIGTERM", () => stopped());
  await done;
  await stop();
  await adminHttp.close();
  rmSync(statePath(), { force: true });
  log("info", "cluster stopped", { role: args.role });
  console.log("cluster stopped");
  return 0;
}

function printStatus(s: Record<string, unknown>): void {
  const cluster = s.cluster as {
    coordination: string;
    nodes: { id: string; url: string; alive: boolean; load: { replicas: number; weightUsed: number } }[];
    depthCaches: {
      exchange: string;
      market: string;
      desiredQuantity: number;
      replicas: { nodeId: string; state: string }[];
    }[];
  } | null;
  console.log(`role ${s.role}, router ${s.routerUrl ?? "-"}`);
  if (!cluster) return;
  console.log(
    `coordination ${cluster.coordination}; ${cluster.nodes.length} nodes, ${cluster.depthCaches.length} depth caches`,
  );
  for (const n of cluster.nodes) {
    console.log(
      `  node ${n.id.padEnd(16)} ${
        n.alive ? "alive" : "TIMED OUT"
      }  ${n.load.replicas} replicas  weight ${n.load.weightUsed}  ${n.url}`,
    );
  }
  for (const d of cluster.depthCaches) {
    const reps = d.replicas.map((r) => `${r.nodeId}:${r.state}`).join(" ");
    console.log(`  ${d.exchange} ${d.market} ×${d.desiredQuantity}  ${reps}`);
  }
}

/**
 * Runs the CLI.
 *
 * @param argv Arguments after the program name (`cluster …`).
 * @returns The exit code (0 ok, 1 failure, 2 bad arguments).
 */
export async function main(argv: readonly string[]): Promise<number> {
  let args: ClusterArgs;
  try {
    args = parseClusterArgs(argv);
  } catch (e) {
    console.error(`unicorn-binance: ${(e as Error).message}`);
    console.error('Run "unicorn-binance cluster help" for usage.');
    return 2;
  }
  try {
    switch (args.command) {
      case "help":
        console.log(CLUSTER_USAGE);
        return 0;
      case "start":
        return await start(args);
      case "status":
        printStatus(await admin("/status"));
        return 0;
      case "stop": {
        await admin("/stop", "POST");
        const end = Date.now() + 20_000;
        while (existsSync(statePath()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
        console.log(existsSync(statePath()) ? "stop requested" : "cluster stopped");
        return 0;
      }
      case "add-node":
        console.log(
          `added ${((await admin(`/add-node?count=${args.nodes}`, "POST")).ids as string[]).join(", ")}`,
        );
        return 0;
      case "remove-node":
        await admin(`/remove-node/${encodeURIComponent(args.id!)}`, "POST");
        console.log(`removed ${args.id}`);
        return 0;
      case "credentials-add": {
        const r = await admin("/credentials/", "POST", {
          accountGroup: args.accountGroup,
          apiKey: args.apiKey,
          apiSecret: args.apiSecret,
        });
        console.log(`added credentials ${r.id}`);
        return 0;
      }
      case "credentials-list":
        for (const c of (await admin("/credentials/")).credentials as Record<string, unknown>[]) {
          console.log(
            `${c.id}  ${c.account_group}  ${c.api_key_preview}  nodes: ${
              (c.assigned_dcns as string[]).join(",")
            }`,
          );
        }
        return 0;
      case "credentials-remove":
        await admin(`/credentials/${encodeURIComponent(args.id!)}`, "DELETE");
        console.log(`removed credentials ${args.id}`);
        return 0;
      case "logs": {
        const text = existsSync(logPath()) ? readFileSync(logPath(), "utf8") : "";
        console.log(text.trimEnd().split("\n").slice(-args.lines).join("\n"));
        return 0;
      }
    }
  } catch (e) {
    console.error(`unicorn-binance: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.main) {
  // exit explicitly: a stopped cluster may leave idle keep-alive sockets behind
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
