/**
 * Argument parsing of `unicorn-binance cluster …` (pure: no I/O), so every verb and every refusal
 * is tested as a table. Bad arguments raise a `TypeError` naming the argument and the rule.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseClusterArgs } from "./cli_args.ts";
 * const a = parseClusterArgs(["cluster", "start", "--nodes", "3"]);
 * assertEquals([a.command, a.nodes, a.port], ["start", 3, 42081]);
 * ```
 *
 * @module
 */

/** A parsed command line. */
export interface ClusterArgs {
  /** The verb. */
  readonly command:
    | "start"
    | "status"
    | "stop"
    | "add-node"
    | "remove-node"
    | "credentials-add"
    | "credentials-list"
    | "credentials-remove"
    | "logs"
    | "help";
  /** `all` (embedded: nodes + router in this process), `node` or `router`. */
  readonly role: "all" | "node" | "router";
  /** Nodes to start (role `all`), or to add (`add-node`). */
  readonly nodes: number;
  /** NATS server URLs (empty: in-process coordination). */
  readonly nats: readonly string[];
  /** Router port (role `all`/`router`) or node port (role `node`). */
  readonly port: number;
  /** Interface to bind. */
  readonly host: string;
  /** Emulator-style exchange origin (`--exchange-url`), `live` for Binance, or `emulator` (start one). */
  readonly exchange: { readonly kind: "emulator" } | { readonly kind: "live" } | {
    readonly kind: "url";
    readonly url: string;
  };
  /** Node id (role `node`, `remove-node`, `credentials remove`). */
  readonly id: string | undefined;
  /** The URL routers reach a node at (role `node`; default its listen address). */
  readonly advertiseUrl: string | undefined;
  /** `credentials add`. */
  readonly accountGroup: string | undefined;
  /** `credentials add`. */
  readonly apiKey: string | undefined;
  /** `credentials add`. */
  readonly apiSecret: string | undefined;
  /** `logs --lines`. */
  readonly lines: number;
  /** Depth of each node's REST snapshots (`--snapshot-limit`; default the venue's, 1 000 on spot). */
  readonly snapshotLimit: number | undefined;
}

/** The usage text. */
export const CLUSTER_USAGE: string = `Usage: unicorn-binance cluster <command> [options]

Commands:
  start                 run a cluster (foreground, until Ctrl-C / SIGTERM / "stop")
    --nodes N           nodes in this process (role all; default 1)
    --role R            all (default: nodes + router, embedded), node or router
    --nats URL[,URL]    coordinate through NATS JetStream (default: in-process; needs UBC_CLUSTER_SECRET)
    --port P            router port (default 42081; role node: its read API, default 0)
    --host H            interface (default 127.0.0.1)
    --exchange-url URL  an emulator-style exchange (default: start the embedded emulator)
    --live              Binance itself
    --id ID             node id (role node)
    --advertise-url URL where routers reach this node (role node; default its listen address,
                        e.g. http://$POD_IP:8080 behind --host 0.0.0.0)
    --snapshot-limit N  levels per REST snapshot of the nodes (default 1000 on spot: weight 50;
                        100 costs 5, so more books start within the same weight budget)
  status                nodes, depth caches and replicas of the running cluster
  stop                  stop the running cluster
  add-node [N]          start N more nodes in the running cluster (default 1)
  remove-node ID        stop one node gracefully (its replicas move at once)
  credentials add --account-group G --api-key K --api-secret S
  credentials list
  credentials remove ID
  logs [--lines N]      the last N lines of the log (default 50)

State and logs: $UNICORN_BINANCE_HOME or ~/.unicorn-binance-suite (config/cluster.state, logs/cluster.log).
Client API token: UBC_API_TOKEN (optional); cluster secret for --nats: UBC_CLUSTER_SECRET.`;

function intArg(name: string, v: string | undefined, min: number, max: number): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < min || n > max) {
    throw new TypeError(
      `Invalid ${name} ${JSON.stringify(v ?? null)}: expected an integer from ${min} to ${max}`,
    );
  }
  return n;
}

/**
 * Parses `cluster <command> …`.
 *
 * @param argv The arguments after the program name (starting with `cluster`).
 * @returns The parsed arguments.
 * @throws {TypeError} On an unknown command or option, a missing value, or a value out of range.
 */
export function parseClusterArgs(argv: readonly string[]): ClusterArgs {
  const a = [...argv];
  if (a[0] !== "cluster") {
    throw new TypeError(`Invalid command ${JSON.stringify(a[0] ?? null)}: expected "cluster"`);
  }
  a.shift();
  let verb = a.shift() ?? "help";
  if (verb === "--help" || verb === "-h") verb = "help";
  if (verb === "credentials") {
    const sub = a.shift();
    if (sub !== "add" && sub !== "list" && sub !== "remove") {
      throw new TypeError(
        `Invalid credentials command ${JSON.stringify(sub ?? null)}: expected add, list or remove`,
      );
    }
    verb = `credentials-${sub}`;
  }
  const verbs = [
    "start",
    "status",
    "stop",
    "add-node",
    "remove-node",
    "credentials-add",
    "credentials-list",
    "credentials-remove",
    "logs",
    "help",
  ];
  if (!verbs.includes(verb)) {
    throw new TypeError(`Invalid command "${verb}": run "unicorn-binance cluster help"`);
  }
  const out = {
    command: verb as ClusterArgs["command"],
    role: "all" as ClusterArgs["role"],
    nodes: verb === "add-node" ? 1 : 1,
    nats: [] as string[],
    port: NaN,
    host: "127.0.0.1",
    exchange: { kind: "emulator" } as ClusterArgs["exchange"],
    id: undefined as string | undefined,
    advertiseUrl: undefined as string | undefined,
    accountGroup: undefined as string | undefined,
    apiKey: undefined as string | undefined,
    apiSecret: undefined as string | undefined,
    lines: 50,
    snapshotLimit: undefined as number | undefined,
  };
  const positional: string[] = [];
  let live = false;
  let url: string | undefined;
  while (a.length > 0) {
    const k = a.shift()!;
    if (!k.startsWith("--")) {
      positional.push(k);
      continue;
    }
    if (k === "--live") {
      live = true;
      continue;
    }
    const v = a.shift();
    if (v === undefined) throw new TypeError(`Missing value of ${k}`);
    switch (k) {
      case "--nodes":
        out.nodes = intArg("--nodes", v, verb === "start" ? 0 : 1, 64);
        break;
      case "--role":
        if (v !== "all" && v !== "node" && v !== "router") {
          throw new TypeError(`Invalid --role "${v}": expected all, node or router`);
        }
        out.role = v;
        break;
      case "--nats":
        out.nats = v.split(",").map((s) => s.trim()).filter((s) => s !== "");
        if (out.nats.length === 0 || !out.nats.every((s) => /^(nats|tls):\/\/[^/\s]+$/.test(s))) {
          throw new TypeError(`Invalid --nats "${v}": expected nats://host:port[,nats://host:port…]`);
        }
        break;
      case "--port":
        out.port = intArg("--port", v, 0, 65535);
        break;
      case "--host":
        out.host = v;
        break;
      case "--exchange-url":
        if (!/^https?:\/\/[^/\s]+\/?$/.test(v)) {
          throw new TypeError(`Invalid --exchange-url "${v}": expected http://host:port`);
        }
        url = v;
        break;
      case "--advertise-url":
        if (!/^https?:\/\/[^/\s]+$/.test(v)) {
          throw new TypeError(`Invalid --advertise-url "${v}": expected http://host:port (no path)`);
        }
        out.advertiseUrl = v;
        break;
      case "--id":
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(v)) {
          throw new TypeError(`Invalid --id "${v}": must match [A-Za-z0-9_-]{1,64}`);
        }
        out.id = v;
        break;
      case "--account-group":
        out.accountGroup = v;
        break;
      case "--api-key":
        out.apiKey = v;
        break;
      case "--api-secret":
        out.apiSecret = v;
        break;
      case "--lines":
        out.lines = intArg("--lines", v, 1, 100_000);
        break;
      case "--snapshot-limit":
        out.snapshotLimit = intArg("--snapshot-limit", v, 1, 5000);
        break;
      default:
        throw new TypeError(`Unknown option ${k}`);
    }
  }
  if (live && url) throw new TypeError("Invalid options: --live and --exchange-url exclude each other");
  out.exchange = live ? { kind: "live" } : url ? { kind: "url", url } : { kind: "emulator" };
  if (verb === "add-node" && positional.length > 0) {
    out.nodes = intArg("add-node count", positional.shift(), 1, 64);
  }
  if (verb === "remove-node" || verb === "credentials-remove") {
    out.id = positional.shift();
    if (out.id === undefined) throw new TypeError(`Missing argument: ${verb.replace("-", " ")} needs an id`);
  }
  if (positional.length > 0) throw new TypeError(`Unexpected argument "${positional[0]}"`);
  if (verb === "credentials-add" && (!out.accountGroup || !out.apiKey || !out.apiSecret)) {
    throw new TypeError("Missing option: credentials add needs --account-group, --api-key and --api-secret");
  }
  if (out.role !== "all" && out.nats.length === 0 && verb === "start") {
    throw new TypeError(`Invalid --role ${out.role}: a separate ${out.role} needs --nats`);
  }
  if (Number.isNaN(out.port)) out.port = out.role === "node" ? 0 : 42081;
  return out;
}
