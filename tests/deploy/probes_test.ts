// The chart's probes against the real servers: the rendered chart's node and router containers are
// started as Kubernetes would start them — the container's args with `$(VAR)` expanded from its env
// (secrets from the rendered Secret, the pod name and IP from the downward API) — as `unicorn-binance`
// subprocesses against a real nats-server (the chart's NATS, `nats.enabled=false` + `nats.url`) and
// the emulator (`exchange.url`). Every readiness and liveness probe of every Deployment is then
// called at the path and port the rendered chart names, without any credential, and must answer
// 200 and reveal no secret; everything else on those ports still needs its secret. Skipped, with
// one line, without nats-server.
import { after, describe, it } from "node:test";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { assert, assertEquals } from "@std/assert";
import { mergeValues, renderChart } from "../../deploy/render.ts";
import { startEmulator } from "../../src/testing/mod.ts";
import { until } from "../cluster/_cluster.ts";
import { cliCommand } from "../cluster/_cli.ts";
import { freePorts, natsServerPath, startNats, stopAllNatsServers } from "../cluster/_nats.ts";

const SECRETS = {
  apiToken: "probe-api-token-0123456789",
  clusterSecret: "probe-cluster-secret-0123456789",
  natsToken: "probe-nats-token-0123456789",
};

// deno-lint-ignore no-explicit-any
type Obj = any;

/** Kubernetes' `$(VAR)` expansion in args (`$$` escapes; an unknown variable stays as written). */
function expand(arg: string, env: Record<string, string>): string {
  return arg.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name) => {
    if (m === "$$") return "$";
    return Object.hasOwn(env, name) ? env[name] : m;
  });
}

/** A container's env as Kubernetes resolves it for one pod. */
function containerEnv(c: Obj, secrets: Obj[], pod: { name: string; ip: string }): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = expand(String(e.value), env);
    else if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      const secret = secrets.find((s) => s.metadata.name === ref.name);
      assert(secret, `${e.name}: no Secret ${ref.name} in the rendered chart`);
      assert(ref.key in secret.stringData, `${e.name}: Secret ${ref.name} has no key ${ref.key}`);
      env[e.name] = secret.stringData[ref.key];
    } else if (e.valueFrom?.fieldRef?.fieldPath === "metadata.name") env[e.name] = pod.name;
    else if (e.valueFrom?.fieldRef?.fieldPath === "status.podIP") env[e.name] = pod.ip;
    else throw new Error(`${e.name}: an env source this test does not resolve`);
  }
  return env;
}

/** The port number a probe's `port` (a name or a number) means in its container. */
function probePort(c: Obj, port: string | number): number {
  if (typeof port === "number") return port;
  const p = c.ports.find((x: Obj) => x.name === port);
  assert(p, `probe port ${port} is not declared by the container`);
  return p.containerPort;
}

describe("the chart's probes answer on the servers it runs", () => {
  const hasNats = natsServerPath() !== null;
  if (!hasNats) console.log("probes_test: nats-server not found, skipped (apt-get install nats-server)");
  after(() => stopAllNatsServers());

  it("node and router: every readiness/liveness probe of the rendered chart answers 200 without a secret", {
    skip: !hasNats,
  }, async () => {
    const nats = await startNats({ token: SECRETS.natsToken });
    await using emu = await startEmulator({ seed: 3 });
    const [nodePort, routerPort] = await freePorts(2);
    const ms = renderChart({
      values: mergeValues({ secrets: SECRETS }, {
        node: { port: nodePort },
        router: { port: routerPort },
        exchange: { live: false, url: emu.restUrl },
        nats: { enabled: false, url: nats.urls[0] },
      }),
    });
    const secrets = ms.filter((m) => m.object.kind === "Secret").map((m) => m.object as Obj);
    const byRole = (role: string): Obj => {
      const d = ms.find((m) =>
        m.object.kind === "Deployment" &&
        (m.object as Obj).metadata.labels["app.kubernetes.io/component"] === role
      );
      assert(d, `no ${role} Deployment`);
      return d.object;
    };
    const children: { proc: ChildProcess; exited: Promise<unknown>; out: () => string; home: string }[] = [];
    const { NODE_TEST_CONTEXT: _, ...base } = process.env;
    const startRole = (d: Obj) => {
      const c = d.spec.template.spec.containers[0];
      const env = containerEnv(c, secrets, { name: `${d.metadata.name}-0`, ip: "127.0.0.1" });
      const args: string[] = c.args.map((a: string) => expand(a, env));
      // tests listen on loopback only: the pod's "every interface" becomes 127.0.0.1
      const host = args.indexOf("--host");
      assertEquals(args[host + 1], "0.0.0.0");
      args[host + 1] = "127.0.0.1";
      const home = mkdtempSync(join(tmpdir(), "ubc-probe-"));
      const [cmd, a] = cliCommand(args);
      const proc = spawn(cmd, a, { env: { ...base, ...env, UNICORN_BINANCE_HOME: home } });
      let out = "";
      proc.stdout!.on("data", (x) => (out += x));
      proc.stderr!.on("data", (x) => (out += x));
      const exited = new Promise((r) => proc.on("close", r));
      children.push({ proc, exited, out: () => out, home });
      return c;
    };
    try {
      // nodes first: a router is ready once it sees a live node
      const roles: [string, Obj][] = [["node", byRole("node")], ["router", byRole("router")]];
      const containers = roles.map(([role, d]) => [role, startRole(d)] as const);
      for (const [role, c] of containers) {
        for (const kind of ["livenessProbe", "readinessProbe"]) {
          const probe = c[kind].httpGet;
          const url = `http://127.0.0.1:${probePort(c, probe.port)}${probe.path}`;
          let last = "";
          await until(
            async () => {
              try {
                const res = await fetch(url); // no Authorization header, as the kubelet calls it
                last = `${res.status} ${await res.text()}`;
                return res.status === 200;
              } catch (e) {
                last = String(e);
                return false;
              }
            },
            90_000,
            `${role} ${kind} ${url} to answer 200`,
          ).catch((e) => {
            const output = children.map((x) => x.out()).join("\n");
            throw new Error(`${e.message} (last: ${last}; output: ${output})`);
          });
          for (const s of Object.values(SECRETS)) {
            assert(!last.includes(s), `${role} ${kind} reveals a secret`);
          }
        }
      }
      // everything else on those ports still needs its secret
      assertEquals((await fetch(`http://127.0.0.1:${nodePort}/internal/v1/health`)).status, 401);
      assertEquals((await fetch(`http://127.0.0.1:${routerPort}/get_depthcache_list`)).status, 401);
      const ok = await fetch(`http://127.0.0.1:${nodePort}/internal/v1/health`, {
        headers: { authorization: `Bearer ${SECRETS.clusterSecret}` },
      });
      assertEquals(ok.status, 200);
      assertEquals((await ok.json()).id, `${byRole("node").metadata.name}-0`);
    } finally {
      for (const ch of children) ch.proc.kill("SIGTERM");
      await Promise.all(children.map((ch) => ch.exited));
      for (const ch of children) rmSync(ch.home, { recursive: true, force: true });
    }
  });
});
