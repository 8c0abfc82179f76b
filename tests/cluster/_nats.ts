/**
 * Test helper: real `nats-server` processes on loopback (one, or a JetStream cluster), started with
 * node:child_process so it works on Deno, Bun and Node. Every server listens on 127.0.0.1 on free
 * ports, keeps its store in a temp dir, and is killed at the end (`stopAllNatsServers()` in an
 * `after()` hook, and a process-exit handler as the last resort).
 *
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import process from "node:process";

/** The nats-server binary on PATH, in /usr/sbin or /usr/bin, or `null` when absent. */
export function natsServerPath(): string | null {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), "/usr/sbin", "/usr/bin"];
  for (const d of dirs) {
    const p = join(d, "nats-server");
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return null;
}

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
let exitHook = false;

function killAllNow(): void {
  for (const c of live) {
    try {
      c.kill("SIGKILL");
    } catch {
      // gone
    }
  }
  live.clear();
}

/** Free loopback ports (all held open at once so they differ, then released). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () =>
      new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        const s = createServer();
        s.once("error", reject);
        s.listen(0, "127.0.0.1", () => resolve(s));
      })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

/** One nats-server process (restartable on the same ports and store dir). */
export class NatsServer {
  readonly name: string;
  readonly port: number;
  readonly monitorPort: number;
  readonly storeDir: string;
  readonly #conf: string;
  #child: ChildProcess | null = null;
  #exited: Promise<void> = Promise.resolve();
  log = "";

  constructor(name: string, port: number, monitorPort: number, storeDir: string, conf: string) {
    this.name = name;
    this.port = port;
    this.monitorPort = monitorPort;
    this.storeDir = storeDir;
    this.#conf = conf;
  }

  /** `nats://127.0.0.1:<port>`. */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.#child !== null;
  }

  /** Starts the process and waits until its monitoring endpoint answers. */
  async start(): Promise<void> {
    if (this.#child) return;
    const bin = natsServerPath();
    if (!bin) throw new Error("nats-server not found");
    if (!exitHook) {
      exitHook = true;
      process.once("exit", killAllNow);
    }
    const child = spawn(bin, ["-c", this.#conf], { stdio: ["ignore", "ignore", "pipe"] });
    live.add(child);
    this.#child = child;
    child.stderr!.on("data", (d) => {
      this.log = (this.log + String(d)).slice(-16_000);
    });
    this.#exited = new Promise<void>((r) =>
      child.once("exit", () => {
        live.delete(child);
        if (this.#child === child) this.#child = null;
        r();
      })
    );
    await waitFor(
      async () => {
        if (!this.#child) throw new Error(`nats-server ${this.name} exited:\n${this.log}`);
        return (await this.jsz()) !== null;
      },
      20_000,
      `nats-server ${this.name} did not start`,
    );
  }

  /** `/jsz` of the monitoring endpoint, or `null` when it does not answer. */
  async jsz(): Promise<{ meta_cluster?: { leader?: string; cluster_size?: number } } | null> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.monitorPort}/jsz`, {
        signal: AbortSignal.timeout(2000),
      });
      return res.ok ? await res.json() : null;
    } catch {
      return null;
    }
  }

  /** Kills the process with `signal` (SIGKILL: a crash) and waits until it is gone. */
  async kill(signal: "SIGKILL" | "SIGTERM" = "SIGKILL"): Promise<void> {
    const c = this.#child;
    if (!c) return;
    c.kill(signal);
    await this.#exited;
  }
}

/** Options of {@link startNats}. */
export interface StartNatsOptions {
  /** Number of servers: 1 (standalone) or 3 (a JetStream cluster). */
  readonly servers?: 1 | 3;
  /** Require this auth token from clients. */
  readonly token?: string;
  /** Require TLS from clients with this certificate and key (PEM file paths). */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
}

/** A running set of servers. */
export interface NatsSet {
  readonly servers: NatsServer[];
  /** Client URLs of all servers. */
  readonly urls: string[];
  /** Waits until every running server reports the same JetStream meta leader. */
  waitForLeader(timeoutMs?: number): Promise<void>;
}

/** Starts one nats-server, or a 3-server JetStream cluster, and waits for its meta leader. */
export async function startNats(options: StartNatsOptions = {}): Promise<NatsSet> {
  const n = options.servers ?? 1;
  const root = mkdtempSync(join(tmpdir(), "ub-nats-"));
  dirs.add(root);
  const ports = await freePorts(n * 3);
  const servers: NatsServer[] = [];
  for (let i = 0; i < n; i++) {
    const [port, monitor, route] = [ports[i * 3], ports[i * 3 + 1], ports[i * 3 + 2]];
    const name = `s${i + 1}`;
    const store = join(root, name);
    mkdirSync(store, { recursive: true });
    const routes = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i)
      .map((j) => `"nats-route://127.0.0.1:${ports[j * 3 + 2]}"`);
    const conf = [
      `server_name: "${name}"`,
      `listen: "127.0.0.1:${port}"`,
      `http: "127.0.0.1:${monitor}"`,
      `jetstream { store_dir: "${store}", max_memory_store: 64MB, max_file_store: 256MB }`,
      n > 1 ? `cluster { name: "ubc", listen: "127.0.0.1:${route}", routes: [${routes.join(", ")}] }` : "",
      options.token ? `authorization { token: "${options.token}" }` : "",
      options.tls ? `tls { cert_file: "${options.tls.certFile}", key_file: "${options.tls.keyFile}" }` : "",
    ].join("\n");
    const confPath = join(root, `${name}.conf`);
    writeFileSync(confPath, conf);
    servers.push(new NatsServer(name, port, monitor, store, confPath));
  }
  const set: NatsSet = {
    servers,
    urls: servers.map((s) => s.url),
    waitForLeader: (timeoutMs = 30_000) =>
      waitFor(
        async () => {
          const up = servers.filter((s) => s.running);
          const views = await Promise.all(up.map((s) => s.jsz()));
          const leaders = new Set(views.map((v) => (n === 1 ? "standalone" : v?.meta_cluster?.leader ?? "")));
          return up.length > 0 && leaders.size === 1 && !leaders.has("");
        },
        timeoutMs,
        "no JetStream meta leader",
      ),
  };
  await Promise.all(servers.map((s) => s.start()));
  await set.waitForLeader();
  return set;
}

/**
 * A self-signed certificate for 127.0.0.1 made with the openssl CLI, or `null` when openssl is
 * missing. The certificate is its own CA.
 */
export function selfSignedCert(): { certFile: string; keyFile: string } | null {
  const dir = mkdtempSync(join(tmpdir(), "ub-tls-"));
  dirs.add(dir);
  const certFile = join(dir, "cert.pem"), keyFile = join(dir, "key.pem");
  const r = spawnSync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    keyFile,
    "-out",
    certFile,
    "-days",
    "1",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1,DNS:localhost",
  ], { stdio: "ignore" });
  return r.status === 0 ? { certFile, keyFile } : null;
}

/** Kills every server this module started and removes their temp dirs. */
export async function stopAllNatsServers(): Promise<void> {
  const waits = [...live].map((c) =>
    new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r())))
  );
  killAllNow();
  await Promise.all(waits);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

/** Polls `check` until it returns true (bounded; short steps, not a fixed sleep). */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
      if (e instanceof Error && e.message.includes("exited")) throw e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ""}`);
}

/** The server leading `stream` (from `/jsz?accounts=true&streams=true`), or `undefined`. */
export async function streamLeader(set: NatsSet, stream: string): Promise<NatsServer | undefined> {
  for (const s of set.servers.filter((x) => x.running)) {
    try {
      const res = await fetch(`http://127.0.0.1:${s.monitorPort}/jsz?accounts=true&streams=true`, {
        signal: AbortSignal.timeout(2000),
      });
      const j = await res.json() as {
        account_details?: { stream_detail?: { name: string; cluster?: { leader?: string } }[] }[];
      };
      for (const a of j.account_details ?? []) {
        for (const d of a.stream_detail ?? []) {
          const leader = set.servers.find((x) => x.name === d.cluster?.leader);
          if (d.name === stream && leader) return leader;
        }
      }
    } catch {
      // ask the next one
    }
  }
  return undefined;
}
