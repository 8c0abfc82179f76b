// The Helm chart and the plain manifests in deploy/, rendered without a helm binary (deploy/render.ts
// and its Go-template subset) and checked: valid against the Kubernetes schemas (kubernetes-models),
// probes, resources, secrets from a Secret, anti-affinity, NATS as a 3-replica dependency, every
// value documented, the plain manifests up to date, and a Dockerfile that fetches nothing at run time.
import { describe, it } from "node:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import { parse } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import {
  CHART_DIR,
  defaultValues,
  K8S_FILE,
  mergeValues,
  natsValues,
  plainManifests,
  renderChart,
  type RenderedManifest,
} from "../../deploy/render.ts";
import { addTemplate, newTemplateSet, renderTemplate } from "../../deploy/_gotemplate.ts";

const SECRETS = { secrets: { apiToken: "tok-123", clusterSecret: "sec-456", natsToken: "nats-789" } };

function render(values: Record<string, unknown> = {}): RenderedManifest[] {
  return renderChart({ values: mergeValues(SECRETS, values) });
}

// deno-lint-ignore no-explicit-any
type Obj = any;

function deployments(ms: RenderedManifest[]): Obj[] {
  return ms.filter((m) => m.object.kind === "Deployment").map((m) => m.object);
}

function byComponent(ms: RenderedManifest[], kind: string, component: string): Obj {
  const found = ms.find((m) =>
    m.object.kind === kind &&
    (m.object as Obj).metadata.labels["app.kubernetes.io/component"] === component
  );
  assert(found, `no ${kind} for ${component}`);
  return found.object;
}

function tpl(src: string, dot: unknown, defs = ""): string {
  const set = newTemplateSet();
  if (defs) addTemplate(set, "_defs.tpl", defs);
  addTemplate(set, "t.yaml", src);
  return renderTemplate(set, "t.yaml", dot);
}

describe("Go-template subset (deploy/_gotemplate.ts)", () => {
  const cases: [string, string, unknown, string][] = [
    ["field chain", "a: {{ .Values.x.y }}", { Values: { x: { y: 3 } } }, "a: 3"],
    ["trim markers", "a\n  {{- if true }}\nb\n{{- end }}", {}, "a\nb"],
    [
      "if / else if / else",
      "{{ if eq .n 1 }}one{{ else if eq .n 2 }}two{{ else }}many{{ end }}",
      { n: 2 },
      "two",
    ],
    ["empty map is false", "{{ if .m }}yes{{ else }}no{{ end }}", { m: {} }, "no"],
    [
      "range over a list with index",
      "{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}",
      { l: ["a", "b"] },
      "0=a;1=b;",
    ],
    ["range over a map, sorted keys", "{{ range $k, $v := .m }}{{ $k }}:{{ $v }} {{ end }}", {
      m: { b: 2, a: 1 },
    }, "a:1 b:2 "],
    ["with rebinds dot", "{{ with .o }}{{ .v }}{{ end }}", { o: { v: "x" } }, "x"],
    ["$ inside range", "{{ range .l }}{{ $.p }}{{ . }}{{ end }}", { l: [1, 2], p: "-" }, "-1-2"],
    ["default and quote", '{{ .t | default "latest" | quote }}', { t: "" }, '"latest"'],
    ["printf, trunc, trimSuffix", '{{ printf "%s-%s" "a" "b" | trunc 3 | trimSuffix "-" }}', {}, "a-b"],
    [
      "toYaml | nindent",
      "x:{{ toYaml .m | nindent 2 }}",
      { m: { a: 1, b: [1] } },
      "x:\n  a: 1\n  b:\n    - 1",
    ],
    ["dict argument", '{{ include "d" (dict "root" .) }}', { v: 7 }, "7"],
    ["comment", "a{{/* note */}}b", {}, "ab"],
    ["dig: present", '{{ dig "a" "b" "none" .m }}', { m: { a: { b: "x" } } }, "x"],
    ["dig: missing on the way", '{{ dig "a" "b" "none" .m }}', { m: { c: 1 } }, "none"],
  ];
  for (const [name, src, dot, want] of cases) {
    it(name, () => assertEquals(tpl(src, dot, '{{- define "d" -}}{{ .root.v }}{{- end -}}'), want));
  }
  it("include of a define", () => {
    assertEquals(tpl('{{ include "n" . }}', { a: "z" }, '{{- define "n" -}}<{{ .a }}>{{- end -}}'), "<z>");
  });
  const errors: [string, string, RegExp][] = [
    ["unknown function", "{{ nope 1 }}", /unknown function nope/],
    [
      "failing required names the message",
      '{{ required "x.y is required" .x }}',
      /t\.yaml:1: x\.y is required/,
    ],
    ["unclosed block", "{{ if true }}a", /missing \{\{ end \}\}/],
    ["unknown template", '{{ include "missing" . }}', /no template named "missing"/],
    ["undefined variable", "{{ $nope }}", /undefined variable \$nope/],
    ["unclosed action", "{{ .a ", /unclosed action/],
    ["fail names the message", '{{ fail "no way" }}', /t\.yaml:1: no way/],
  ];
  for (const [name, src, re] of errors) {
    it(`refuses: ${name}`, () => {
      const err = assertThrows(() => tpl(src, {}));
      assertMatch(String((err as Error).message), re);
    });
  }
});

describe("Helm chart (deploy/helm/unicorn-binance-cluster)", () => {
  it("renders a router Deployment + Service, a node Deployment and the Secret, all valid Kubernetes objects", () => {
    const ms = render();
    const kinds = ms.map((m) => `${m.object.kind}/${(m.object as Obj).metadata.name}`).sort();
    assertEquals(kinds, [
      "Deployment/ubc-unicorn-binance-cluster-node",
      "Deployment/ubc-unicorn-binance-cluster-router",
      "Secret/ubc-unicorn-binance-cluster-secrets",
      "Service/ubc-unicorn-binance-cluster-router",
    ]);
    for (const m of ms) {
      const o = m.object as Obj;
      const model = o.kind === "Deployment"
        ? new Deployment(o)
        : o.kind === "Service"
        ? new Service(o)
        : new Secret(o);
      model.validate(); // throws with the schema path on any invalid field
    }
  });

  it("the schema check is real: an invalid field is refused", () => {
    const d = structuredClone(deployments(render())[0]);
    d.spec.template.spec.containers[0].ports[0].containerPort = "eighty";
    assertThrows(() => new Deployment(d).validate());
  });

  it("every Deployment: probes on /readyz and /healthz at a declared port, resources, secrets from the Secret", () => {
    for (const d of deployments(render())) {
      for (const c of d.spec.template.spec.containers) {
        const ports = new Set(c.ports.map((p: Obj) => p.name));
        assertEquals(c.readinessProbe.httpGet.path, "/readyz");
        assertEquals(c.livenessProbe.httpGet.path, "/healthz");
        assert(ports.has(c.readinessProbe.httpGet.port) && ports.has(c.livenessProbe.httpGet.port));
        for (const k of ["requests", "limits"]) {
          assert(c.resources[k]?.cpu && c.resources[k]?.memory, `${d.metadata.name}: resources.${k}`);
        }
        const secretEnv = c.env.filter((e: Obj) => /TOKEN|SECRET/.test(e.name));
        assertEquals(secretEnv.length, 3);
        for (const e of secretEnv) {
          assertEquals(e.value, undefined, `${e.name} must not be inline`);
          assertEquals(e.valueFrom.secretKeyRef.name, "ubc-unicorn-binance-cluster-secrets");
        }
      }
    }
  });

  it("no secret value appears anywhere but in the Secret", () => {
    for (const m of render()) {
      if (m.object.kind === "Secret") continue;
      const text = JSON.stringify(m.object);
      for (const s of Object.values(SECRETS.secrets)) assert(!text.includes(s), `${m.source} leaks a secret`);
    }
  });

  it("node pods: anti-affinity on the host, required by default, preferred when asked", () => {
    const req = byComponent(render(), "Deployment", "node").spec.template.spec.affinity.podAntiAffinity;
    assertEquals(req.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, "kubernetes.io/hostname");
    assertEquals(req.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels, {
      "app.kubernetes.io/instance": "ubc",
      "app.kubernetes.io/component": "node",
    });
    const pref = byComponent(render({ node: { antiAffinity: "preferred" } }), "Deployment", "node")
      .spec.template.spec.affinity.podAntiAffinity;
    assertEquals(pref.requiredDuringSchedulingIgnoredDuringExecution, undefined);
    assertEquals(
      pref.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey,
      "kubernetes.io/hostname",
    );
  });

  it("values reach the objects (replicas, service type, node selector, exchange URL)", () => {
    const ms = render({
      router: { replicas: 4, service: { type: "LoadBalancer" }, nodeSelector: { pool: "edge" } },
      node: { replicas: 6 },
      exchange: { live: false, url: "http://emulator:9000" },
    });
    const router = byComponent(ms, "Deployment", "router");
    assertEquals(router.spec.replicas, 4);
    assertEquals(router.spec.template.spec.nodeSelector, { pool: "edge" });
    assertEquals(byComponent(ms, "Service", "router").spec.type, "LoadBalancer");
    const node = byComponent(ms, "Deployment", "node");
    assertEquals(node.spec.replicas, 6);
    // routers reach a node at its pod IP (the node listens on every interface)
    const nodeArgs: string[] = node.spec.template.spec.containers[0].args;
    assertEquals(nodeArgs[nodeArgs.indexOf("--advertise-url") + 1], "http://$(UBC_POD_IP):8080");
    assertEquals(nodeArgs[nodeArgs.indexOf("--host") + 1], "0.0.0.0");
    const args: string[] = node.spec.template.spec.containers[0].args;
    assertEquals(args.slice(args.indexOf("--exchange-url"), args.indexOf("--exchange-url") + 2), [
      "--exchange-url",
      "http://emulator:9000",
    ]);
  });

  it("refuses a release without secrets, naming the value; takes an existing Secret instead", () => {
    const err = assertThrows(() => renderChart());
    assertMatch((err as Error).message, /secrets\.apiToken is required/);
    const ms = renderChart({ values: { global: { unicornBinanceCluster: { existingSecret: "mine" } } } });
    assertEquals(ms.filter((m) => m.object.kind === "Secret").length, 0);
    for (const d of deployments(ms)) {
      for (const e of d.spec.template.spec.containers[0].env.filter((x: Obj) => x.valueFrom?.secretKeyRef)) {
        assertEquals(e.valueFrom.secretKeyRef.name, "mine");
      }
    }
    assertMatch(
      (assertThrows(() => render({ exchange: { live: false } })) as Error).message,
      /exchange\.url is required/,
    );
  });

  it("every secretKeyRef (routers, nodes and the NATS servers) names the Secret the release uses", () => {
    // every secretKeyRef anywhere in a value: name and key
    const refs = (v: unknown, out: { name: string; key: string }[] = []) => {
      if (Array.isArray(v)) { for (const x of v) refs(x, out); }
      else if (v !== null && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          if (k === "secretKeyRef") out.push(x as { name: string; key: string });
          else refs(x, out);
        }
      }
      return out;
    };
    const cases: [string, Record<string, unknown>, string | null][] = [
      ["ubc", SECRETS, null],
      ["prod-eu", SECRETS, null],
      ["ubc", { global: { unicornBinanceCluster: { existingSecret: "team-secrets" } } }, "team-secrets"],
      ["other", { global: { unicornBinanceCluster: { existingSecret: "team-secrets" } } }, "team-secrets"],
    ];
    for (const [releaseName, values, existing] of cases) {
      const ms = renderChart({ releaseName, values });
      const secrets = ms.filter((m) => m.object.kind === "Secret").map((m) => m.object as Obj);
      assertEquals(secrets.length, existing ? 0 : 1, `${releaseName}: Secrets rendered`);
      // the Secret a ref may name, with the keys it has
      const keys = new Map<string, string[]>(
        existing
          ? [[existing, ["api-token", "cluster-secret", "nats-token"]]]
          : secrets.map((x) => [x.metadata.name, Object.keys(x.stringData)]),
      );
      if (!existing) assertEquals([...keys.keys()], [`${releaseName}-unicorn-binance-cluster-secrets`]);
      const inPods = refs(ms.filter((m) => m.object.kind !== "Secret").map((m) => m.object));
      const inNats = refs(natsValues({ releaseName, values }));
      assertEquals(inPods.length, 6, "3 per Deployment");
      assertEquals(inNats.map((r) => r.key), ["nats-token"]);
      for (const r of [...inPods, ...inNats]) {
        assert(
          keys.get(r.name)?.includes(r.key),
          `${releaseName}: ${r.name}/${r.key} is not a rendered or existing Secret key`,
        );
      }
    }
    // the old key is refused with a pointer to the new one, never silently ignored
    assertMatch(
      (assertThrows(() => render({ secrets: { existingSecret: "mine" } })) as Error).message,
      /secrets\.existingSecret is now global\.unicornBinanceCluster\.existingSecret/,
    );
  });

  it("NATS is a dependency (official chart) with a 3-server JetStream cluster", () => {
    const chart = parse(readFileSync(join(CHART_DIR, "Chart.yaml"), "utf8"));
    const nats = chart.dependencies.find((d: Obj) => d.name === "nats");
    assertEquals(nats.repository, "https://nats-io.github.io/k8s/helm/charts/");
    assertEquals(nats.condition, "nats.enabled");
    const v = defaultValues() as Obj;
    assertEquals(v.nats.enabled, true);
    assertEquals(v.nats.config.cluster.replicas, 3);
    assertEquals(v.nats.config.jetstream.enabled, true);
    const env = deployments(render())[0].spec.template.spec.containers[0].env;
    assertEquals(env.find((e: Obj) => e.name === "UBC_NATS_URL").value, "nats://ubc-nats:4222");
  });

  it("every value a template reads exists in values.yaml, and every key there is documented", () => {
    const values = defaultValues();
    const dir = join(CHART_DIR, "templates");
    const used = new Set<string>();
    for (const f of readdirSync(dir)) {
      for (const m of readFileSync(join(dir, f), "utf8").matchAll(/\.Values((?:\.[A-Za-z0-9_]+)+)/g)) {
        used.add(m[1].slice(1));
      }
    }
    assert(used.size > 10);
    for (const path of used) {
      let v: Obj = values;
      for (const p of path.split(".")) {
        assert(v !== null && typeof v === "object" && p in v, `values.yaml lacks ${path}`);
        v = v[p];
      }
    }
    // A key line (at any depth) is documented when a comment line stands right above it, or when
    // it sits inside a documented map (resources: requests/limits, nested NATS settings).
    const lines = readFileSync(join(CHART_DIR, "values.yaml"), "utf8").split("\n");
    for (const [i, line] of lines.entries()) {
      const m = /^( *)([A-Za-z][A-Za-z0-9_]*):/.exec(line);
      if (!m || m[1].length > 2) continue;
      assert(/^\s*#/.test(lines[i - 1] ?? ""), `values.yaml:${i + 1}: ${m[2]} has no comment`);
    }
  });
});

describe("plain manifests (deploy/k8s)", () => {
  it("are the chart rendered with its defaults (regenerate: deno run -A deploy/render.ts --write-k8s)", () => {
    assertEquals(readFileSync(K8S_FILE, "utf8"), plainManifests());
  });
});

describe("Dockerfile (deploy/Dockerfile)", () => {
  const text = readFileSync(join(CHART_DIR, "..", "..", "Dockerfile"), "utf8");
  const stages = text.split(/^FROM /m).slice(1);
  it("has a build stage and a runtime stage", () => assertEquals(stages.length, 2));
  it("the runtime stage fetches nothing: no RUN, only files copied from the build stage", () => {
    const runtime = stages[1];
    assertEquals(/^RUN /m.test(runtime), false);
    assertMatch(runtime, /^COPY --from=build /m);
    assertMatch(runtime, /^USER node$/m);
    assertMatch(runtime, /^ENTRYPOINT \["node", "\/app\/bin\/unicorn-binance\.js"\]$/m);
  });
});
