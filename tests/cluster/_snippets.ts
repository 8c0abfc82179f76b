/**
 * Runs the dashboard's API-builder snippets the way a user would paste them: the TypeScript one as
 * a program on this runtime (its import specifier pointed at the project's source), the curl lines
 * with `curl` (or, without it, a fetch of the same URL with the same header), and the Python one
 * through `python3`'s parser, checked against the UBDCC client's real names.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import process from "node:process";
import { projectPath } from "../_data.ts";
import { runtimeCommand } from "./_cli.ts";

/** What a subprocess came to. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end (stdin from `input`). */
export function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
  input = "",
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const { NODE_TEST_CONTEXT: _, ...base } = process.env;
    const p = spawn(cmd, args, { env: { ...base, ...env } });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(input);
  });
}

/** Whether `name --version` runs. */
export function has(name: string): boolean {
  return spawnSync(name, ["--version"]).status === 0;
}

/** The package specifier the TypeScript snippet imports (npm `unicorn-binance`'s cluster entry). */
export const SNIPPET_PACKAGE = "unicorn-binance/cluster";

/** Where the TypeScript snippet wants the user's client API token (the page never shows the token). */
export const TOKEN_PLACEHOLDER = "<client API token>";

/**
 * Runs the TypeScript snippet with only its import specifier rewritten to the project's
 * `src/cluster/mod.ts` and the token put where the snippet's placeholder is.
 *
 * @returns The subprocess result.
 */
export async function runTypeScriptSnippet(snippet: string, token: string): Promise<RunResult> {
  const spec = JSON.stringify(SNIPPET_PACKAGE);
  if (!snippet.includes(`from ${spec};`)) throw new Error(`the snippet does not import ${spec}`);
  const dir = projectPath(".tmp");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `dashboard_snippet_${process.pid}_${Date.now()}.ts`);
  if (!snippet.includes(TOKEN_PLACEHOLDER)) throw new Error(`the snippet has no ${TOKEN_PLACEHOLDER}`);
  writeFileSync(
    file,
    snippet.replace(`from ${spec};`, 'from "../src/cluster/mod.ts";').replace(TOKEN_PLACEHOLDER, token),
  );
  try {
    const [cmd, args] = runtimeCommand(file);
    return await run(cmd, args, { TOKEN: token });
  } finally {
    rmSync(file, { force: true });
  }
}

/** Runs each `curl …` line of the curl snippet; the answers' bodies, in order. */
export async function runCurlSnippet(snippet: string, token: string): Promise<string[]> {
  const lines = snippet.split("\n").filter((l) => l.startsWith("curl "));
  const out: string[] = [];
  for (const line of lines) {
    if (has("curl")) {
      const r = await run("sh", ["-c", line], { TOKEN: token });
      if (r.code !== 0) throw new Error(`${line}: exit ${r.code} ${r.stderr}`);
      out.push(r.stdout);
    } else {
      // the same request without curl: the URL and the header as the line writes them
      const m = /^curl -sS -H "([^:]+): ([^"]*)" "([^"]+)"$/.exec(line);
      if (!m) throw new Error(`unexpected curl line ${line}`);
      const res = await fetch(m[3], { headers: { [m[1]]: m[2].replace("$TOKEN", token) } });
      out.push(await res.text());
    }
  }
  return out;
}

/** What python3's parser sees in a snippet. */
export interface PythonShape {
  /** `from module import names` statements. */
  readonly imports: { module: string; names: string[] }[];
  /** `Name(keywords…)` constructor calls of imported names. */
  readonly constructs: { name: string; keywords: string[] }[];
  /** Methods called on any object (`x.method(…)`). */
  readonly methods: string[];
}

const SHAPE = `
import ast, json, sys
tree = ast.parse(sys.stdin.read())
imports, constructs, methods = [], [], []
for n in ast.walk(tree):
    if isinstance(n, ast.ImportFrom):
        imports.append({"module": n.module, "names": [a.name for a in n.names]})
    if isinstance(n, ast.Call):
        if isinstance(n.func, ast.Name):
            constructs.append({"name": n.func.id, "keywords": [k.arg for k in n.keywords]})
        if isinstance(n.func, ast.Attribute):
            methods.append(n.func.attr)
print(json.dumps({"imports": imports, "constructs": constructs, "methods": methods}))
`;

/** Parses Python source with `python3` (`ast.parse`) and returns its imports and calls. */
export async function pythonShape(source: string): Promise<PythonShape> {
  const r = await run("python3", ["-c", SHAPE], {}, source);
  if (r.code !== 0) throw new Error(`python3 could not parse the snippet: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The methods and constructor parameters of the UBDCC `Cluster` client (tests/cluster/ubdcc_client.py). */
export async function ubdccClientApi(): Promise<{ methods: string[]; init: string[] }> {
  const src = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Cluster")
fns = [f for f in cls.body if isinstance(f, ast.FunctionDef)]
init = next(f for f in fns if f.name == "__init__")
print(json.dumps({"methods": [f.name for f in fns], "init": [a.arg for a in init.args.args[1:]]}))
`;
  const r = await run("python3", ["-c", src, projectPath("tests/cluster/ubdcc_client.py")]);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

/**
 * Runs the Python snippet with python3 as the comment in it says to reach a token-protected router:
 * through a proxy (started here on loopback) that adds `Authorization: Bearer <token>`. The snippet's
 * `port=` is pointed at the proxy; `unicorn_binance_local_depth_cache.cluster` is the stdlib
 * re-creation of the UBDCC client (tests/cluster/ubdcc_client.py). Without `viaProxy` the snippet
 * runs unchanged against the router.
 */
export async function runPythonSnippet(
  snippet: string,
  routerUrl: string,
  token: string,
  viaProxy: boolean,
): Promise<RunResult> {
  const proxy = createServer((req, res) => {
    const chunks: Uint8Array[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (req.headers["content-type"]) headers["content-type"] = String(req.headers["content-type"]);
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const up = await fetch(`${routerUrl}${req.url}`, { method: req.method, headers, body });
      res.writeHead(up.status, { "content-type": up.headers.get("content-type") ?? "text/plain" });
      res.end(Buffer.from(await up.arrayBuffer()));
    });
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
  const proxyPort = (proxy.address() as { port: number }).port;
  const dir = projectPath(join(".tmp", `py_${process.pid}_${Date.now()}`));
  try {
    const pkg = join(dir, "unicorn_binance_local_depth_cache");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "__init__.py"), "");
    writeFileSync(join(pkg, "cluster.py"), "from ubdcc_client import Cluster  # noqa: F401\n");
    const routerPort = new URL(routerUrl).port;
    const source = viaProxy ? snippet.replace(`port=${routerPort})`, `port=${proxyPort})`) : snippet;
    if (viaProxy && source === snippet) throw new Error(`the snippet has no port=${routerPort}`);
    const env = { PYTHONPATH: [dir, projectPath("tests/cluster")].join(":") };
    return await run("python3", ["-"], env, source);
  } finally {
    await new Promise((r) => proxy.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
}
