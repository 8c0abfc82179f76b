/**
 * Renders the Helm chart in `deploy/helm/unicorn-binance-cluster` the way `helm template` would,
 * for the subset of the template language the chart uses (see `_gotemplate.ts`), and writes the
 * plain manifests in `deploy/k8s/` from it, so both stay one source.
 *
 * ```sh
 * deno run -A deploy/render.ts                       # print the rendered chart
 * deno run -A deploy/render.ts --set node.replicas=5 # with overrides (dotted keys, JSON or text values)
 * deno run -A deploy/render.ts --write-k8s           # regenerate deploy/k8s/unicorn-binance-cluster.yaml
 * ```
 *
 * @module
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { parse, parseAllDocuments, stringify as stringifyYaml } from "yaml";
import { addTemplate, newTemplateSet, renderTemplate } from "./_gotemplate.ts";

// Paths from the working directory (the project root), not import.meta.url: the Node artifact
// tests run a bundled copy of the chart test from another directory (see tests/_data.ts).
/** The chart's directory. */
export const CHART_DIR: string = join(process.cwd(), "deploy", "helm", "unicorn-binance-cluster");
/** The generated plain manifests. */
export const K8S_FILE: string = join(process.cwd(), "deploy", "k8s", "unicorn-binance-cluster.yaml");

/** One rendered manifest. */
export interface RenderedManifest {
  /** The template file it came from. */
  readonly source: string;
  /** The parsed object. */
  readonly object: Record<string, unknown>;
}

/** Options of {@link renderChart}. */
export interface RenderOptions {
  /** Values merged over `values.yaml` (deep merge; arrays replace). */
  readonly values?: Record<string, unknown>;
  /** `.Release.Name` (default `ubc`). */
  readonly releaseName?: string;
  /** `.Release.Namespace` (default `unicorn-binance`). */
  readonly namespace?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Deep-merges `over` into a copy of `base` (Helm's values merge: maps merge, everything else
 * replaces).
 *
 * @param base The defaults.
 * @param over The overrides.
 * @returns The merged values.
 */
export function mergeValues(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isObject(v) && isObject(out[k]) ? mergeValues(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

/** The chart's default values (`values.yaml`). */
export function defaultValues(): Record<string, unknown> {
  return parse(readFileSync(join(CHART_DIR, "values.yaml"), "utf8"));
}

/**
 * Renders every template of the chart.
 *
 * @param options Values, release name and namespace.
 * @returns The manifests, in file order, empty documents dropped.
 */
export function renderChart(options: RenderOptions = {}): RenderedManifest[] {
  const { set, files, dot } = prepare(options);
  const out: RenderedManifest[] = [];
  for (const f of files) {
    if (f.startsWith("_") || !f.endsWith(".yaml")) continue;
    const text = renderTemplate(set, f, dot);
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) {
        throw new SyntaxError(`${f}: rendered YAML is invalid: ${doc.errors[0].message}`);
      }
      const object = doc.toJS();
      if (object !== null && object !== undefined) out.push({ source: f, object });
    }
  }
  return out;
}

function prepare(options: RenderOptions): {
  chart: Record<string, unknown> & { dependencies?: { name: string; version: string }[] };
  values: Record<string, unknown>;
  set: ReturnType<typeof newTemplateSet>;
  files: string[];
  dot: { Values: Record<string, unknown>; Release: Record<string, unknown>; Capabilities: unknown };
} {
  const chart = parse(readFileSync(join(CHART_DIR, "Chart.yaml"), "utf8"));
  const values = mergeValues(defaultValues(), options.values ?? {});
  const set = newTemplateSet();
  const dir = join(CHART_DIR, "templates");
  const files = readdirSync(dir).sort();
  for (const f of files) addTemplate(set, f, readFileSync(join(dir, f), "utf8"));
  const dot = {
    Values: values,
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
    Release: {
      Name: options.releaseName ?? "ubc",
      Namespace: options.namespace ?? "unicorn-binance",
      Service: "Helm",
    },
    Capabilities: { KubeVersion: { Version: "v1.30.0" } },
  };
  return { chart, values, set, files, dot };
}

/**
 * The values the NATS chart (this chart's dependency) is rendered with, as Helm hands them over
 * (the parent's `nats:` block, with `global` merged in) and after the NATS chart's own first step:
 * every `{ $tplYaml: text }` map is replaced by `text` rendered as a template in the NATS chart's
 * context (same release, its own `.Values` and `.Chart`; the defines of both charts visible) and
 * read as YAML. That is how values.yaml names this chart's Secret for the NATS servers.
 *
 * @param options Values, release name and namespace (as for {@link renderChart}).
 * @returns The NATS chart's values.
 * @throws {Error} On a `$tplYamlSpread` (not used by the chart, not supported here) or a template error.
 */
export function natsValues(options: RenderOptions = {}): Record<string, unknown> {
  const { chart, values, set, dot } = prepare(options);
  const dep = (chart.dependencies ?? []).find((d) => d.name === "nats");
  if (!dep) throw new Error("Chart.yaml has no nats dependency");
  const own = isObject(values.nats) ? values.nats : {};
  const global = isObject(values.global) ? values.global : {};
  const sub = mergeValues(own, { global: mergeValues(isObject(own.global) ? own.global : {}, global) });
  const ctx = { ...dot, Values: sub, Chart: { Name: dep.name, Version: dep.version } };
  let n = 0;
  const walk = (v: unknown, path: string): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}/${i}`));
    if (!isObject(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === "$tplYamlSpread") {
      throw new Error(`nats${path}: $tplYamlSpread is not supported by deploy/render.ts`);
    }
    if (keys.length === 1 && keys[0] === "$tplYaml") {
      const name = `$tplYaml ${path} #${n++}`;
      addTemplate(set, name, String(v.$tplYaml));
      const text = renderTemplate(set, name, ctx);
      // as the NATS chart does: fromYaml of "tpl:" + the text indented by 2, then its "tpl" key
      return (parse(`tpl:\n${text.split("\n").map((l) => `  ${l}`).join("\n")}`) ?? {}).tpl;
    }
    return Object.fromEntries(keys.map((k) => [k, walk(v[k], `${path}/${k}`)]));
  };
  return walk(sub, "") as Record<string, unknown>;
}

/**
 * The plain manifests (`deploy/k8s/`) as text: the chart rendered with its defaults.
 *
 * @returns YAML documents separated by `---`.
 */
export function plainManifests(): string {
  const header =
    "# Generated by `deno run -A deploy/render.ts --write-k8s` from deploy/helm/unicorn-binance-cluster\n" +
    "# with its default values (release `ubc`, namespace `unicorn-binance`), except: the Secret is not\n" +
    "# included (create `unicorn-binance-cluster-secrets` with the keys api-token, cluster-secret and\n" +
    "# nats-token), and neither is NATS (a 3-server JetStream cluster at nats://nats.unicorn-binance.svc:4222).\n";
  const values = {
    global: { unicornBinanceCluster: { existingSecret: "unicorn-binance-cluster-secrets" } },
    nats: { enabled: false, url: "nats://nats.unicorn-binance.svc:4222" },
  };
  const docs = renderChart({ values }).map((m) => `# Source: ${m.source}\n${stringifyYaml(m.object)}`);
  return header + docs.join("---\n");
}

function parseSet(arg: string): Record<string, unknown> {
  const eq = arg.indexOf("=");
  if (eq < 1) throw new TypeError(`Invalid --set "${arg}": expected key.path=value`);
  const path = arg.slice(0, eq).split(".");
  let value: unknown = arg.slice(eq + 1);
  try {
    value = JSON.parse(value as string);
  } catch {
    // a plain string
  }
  const root: Record<string, unknown> = {};
  let cur = root;
  for (const [i, p] of path.entries()) {
    if (i === path.length - 1) cur[p] = value;
    else cur = (cur[p] = {}) as Record<string, unknown>;
  }
  return root;
}

// the file's own name too: the Node artifact tests bundle it into a test file that is itself "main"
if (import.meta.main && import.meta.url.endsWith("/render.ts")) {
  const args = process.argv.slice(2);
  if (args.includes("--write-k8s")) {
    writeFileSync(K8S_FILE, plainManifests());
    console.log(`wrote ${K8S_FILE}`);
  } else {
    let values: Record<string, unknown> = {};
    for (let i = 0; i < args.length; i++) {
      if (args[i] === "--set") values = mergeValues(values, parseSet(args[++i] ?? ""));
      else throw new TypeError(`Unknown argument ${args[i]}: use --set key=value or --write-k8s`);
    }
    console.log(
      renderChart({ values }).map((m) => `# Source: ${m.source}\n${stringifyYaml(m.object)}`).join("---\n"),
    );
  }
}
