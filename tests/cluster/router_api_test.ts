/**
 * The router's APIs on an embedded cluster: bearer token and cluster secret, the typed client
 * (the Python method names in camelCase), bad requests (4xx naming field and rule on /v1, HTTP 200
 * with the right #id on the UBDCC paths; nothing stored changes), /metrics, and a scan of every
 * endpoint's answers, the logs and the coordination buckets for planted secrets.
 */
import { after, before, describe, it } from "node:test";
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertMatch,
  assertRejects,
  assertThrows,
} from "@std/assert";
import { BinanceDepthCacheClusterClient, ClusterApiError } from "../../src/cluster/client.ts";
import { type EmbeddedCluster, startEmbeddedCluster } from "../../src/cluster/embedded.ts";
import { memoryLog } from "../../src/cluster/log.ts";
import { FAST_CONFIG, until } from "./_cluster.ts";

const TOKEN = "planted-api-token-0123456789abcdef";
const CLUSTER_SECRET = "planted-cluster-secret-0123456789abcdef";
const API_KEY = "PlantedApiKeyAAAA0123456789abcdefXYZ";
const API_SECRET = "PlantedApiSecretBBBB0123456789abcdefXYZ";
const API_KEY2 = "PlantedApiKeyCCCC0123456789abcdefXYZ";
const API_SECRET2 = "PlantedApiSecretDDDD0123456789abcdefXYZ";
const PLANTED = [TOKEN, CLUSTER_SECRET, API_KEY, API_SECRET, API_KEY2, API_SECRET2];

let cluster: EmbeddedCluster;
let client: BinanceDepthCacheClusterClient;
const logs = memoryLog();
const auth = { authorization: `Bearer ${TOKEN}` };

// deno-lint-ignore no-explicit-any
type Json = any; // answers are read field by field and asserted

async function call(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; text: string; json: Json }> {
  const res = await fetch(`${cluster.url}${path}`, { ...init, headers: { ...auth, ...init.headers } });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // metrics are text
  }
  return { status: res.status, text, json };
}

async function stored(): Promise<string> {
  const out: string[] = [];
  for (const name of ["ubc_desired", "ubc_credentials"]) {
    const b = await cluster.coordination.bucket(name);
    for (const e of await b.list()) out.push(`${name} ${e.key} ${e.revision} ${e.value}`);
  }
  return out.join("\n");
}

describe("router APIs", () => {
  before(async () => {
    cluster = await startEmbeddedCluster({
      nodes: 2,
      emulator: { seed: 9 },
      apiToken: TOKEN,
      clusterSecret: CLUSTER_SECRET,
      config: FAST_CONFIG,
      log: logs.log,
    });
    client = new BinanceDepthCacheClusterClient({ baseUrl: cluster.url, apiToken: TOKEN });
  });
  after(async () => {
    await cluster?.close();
  });

  it("needs the bearer token (except /healthz, /readyz); nodes need the cluster secret (except theirs)", async () => {
    for (const path of ["/test", "/get_asks?exchange=binance.com&market=BTCUSDT", "/v1/test", "/metrics"]) {
      const res = await fetch(`${cluster.url}${path}`);
      assertEquals(res.status, 401, path);
      await res.body?.cancel();
      const wrong = await fetch(`${cluster.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}x` } });
      assertEquals(wrong.status, 401, path);
      await wrong.body?.cancel();
    }
    assertEquals((await (await fetch(`${cluster.url}/healthz`)).json()).status, "ok");
    assertEquals(await (await fetch(`${cluster.url}/readyz`)).json(), { ready: true, liveNodes: 2 });
    const node = cluster.nodes[0];
    const q = "/internal/v1/read?exchange=binance.com&market=BTCUSDT&side=asks";
    assertEquals((await fetch(`${node.url}${q}`)).status, 401);
    assertEquals((await fetch(`${node.url}${q}`, { headers: auth })).status, 401); // the client token is not the cluster secret
    const ok = await fetch(`${node.url}/internal/v1/health`, {
      headers: { authorization: `Bearer ${CLUSTER_SECRET}` },
    });
    assertEquals(await ok.json(), { id: node.id });
    // the node's probes answer without the secret, and with nothing but the verdict
    assertEquals(await (await fetch(`${node.url}/healthz`)).json(), { status: "ok" });
    const ready = await fetch(`${node.url}/readyz`);
    assertEquals([ready.status, await ready.json()], [200, { ready: true }]);
    // the WebSocket read channel: the first frame must carry the cluster secret
    const wsUrl = `${node.url.replace("http", "ws")}/internal/v1/ws`;
    const refused = new WebSocket(wsUrl);
    refused.onopen = () => refused.send(JSON.stringify({ auth: TOKEN }));
    const code = await new Promise<number>((r) => (refused.onclose = (e) => r(e.code)));
    assertEquals(code, 4001);
    const channel = new WebSocket(wsUrl);
    const frames: string[] = [];
    channel.onmessage = (e) => frames.push(String(e.data));
    channel.onopen = () => channel.send(JSON.stringify({ auth: CLUSTER_SECRET }));
    await until(() => frames.length === 1, 5000, "the channel's ready frame");
    assertEquals(frames[0], '{"ready":true}');
    channel.send(JSON.stringify({ i: 7, e: "binance.com", m: "NOPEUSDT", s: "asks" }));
    await until(() => frames.length === 2, 5000, "the channel's answer");
    assertEquals(JSON.parse(frames[1]), { i: 7, ok: false, reason: "not_found", state: "NONE" });
    // several reads in one frame (one per line) are answered in one frame, one answer per line
    channel.send(
      [8, 9].map((i) => JSON.stringify({ i, e: "binance.com", m: "NOPEUSDT", s: "bids" })).join("\n"),
    );
    await until(() => frames.length === 3, 5000, "the channel's batch answer");
    assertEquals(frames[2].split("\n").map((l) => JSON.parse(l)), [
      { i: 8, ok: false, reason: "not_found", state: "NONE" },
      { i: 9, ok: false, reason: "not_found", state: "NONE" },
    ]);
    const closed = new Promise<void>((r) => (channel.onclose = () => r()));
    channel.close();
    await closed;
  });

  it("the typed client: create, read, list, info, cluster, credentials, stop, test", async () => {
    assertEquals((await client.test()).message, "Hello World!");
    await client.createDepthCache("binance.com", "btcusdt", { desiredQuantity: 2 });
    const again = await assertRejects(
      () => client.createDepthCache("binance.com", "BTCUSDT"),
      ClusterApiError,
    );
    assertEquals([again.errorId, again.status], ["#1024", 409]);
    assertEquals(await client.createDepthCaches("binance.com", ["ETHUSDT", "BTCUSDT"]), {
      created: ["ETHUSDT"],
      existing: ["BTCUSDT"],
    });
    await cluster.waitLive("binance.com", "BTCUSDT", 2);
    await cluster.waitLive("binance.com", "ETHUSDT", 1);
    const asks = await client.getAsks("binance.com", "BTCUSDT", { limitCount: 5 });
    assertEquals([asks.side, asks.levels.length, asks.failover], ["asks", 5, null]);
    assert(cluster.nodes.some((n) => n.id === asks.servedBy));
    assert(asks.levels[0][0] < asks.levels[1][0]);
    const bids = await client.getBids("binance.com", "ETHUSDT", { thresholdVolume: 0 });
    assertEquals(bids.levels.length, 1); // the best level is always included
    const list = await client.getDepthCacheList();
    assertEquals(list.map((d) => d.market), ["BTCUSDT", "ETHUSDT"]);
    const info = await client.getDepthCacheInfo("binance.com", "BTCUSDT");
    assertEquals(info.replicas.map((r) => r.state), ["LIVE", "LIVE"]);
    assert(info.replicas.every((r) => r.lastUpdateId > 0 && r.resyncs === 0));
    const ci = await client.getClusterInfo();
    assertEquals([ci.coordination, ci.nodes.length, ci.nodes.every((n) => n.alive)], ["memory", 2, true]);
    const id = await client.addCredentials({
      accountGroup: "binance.com",
      apiKey: API_KEY2,
      apiSecret: API_SECRET2,
    });
    const creds = await client.getCredentialsList();
    assertEquals(creds.map((c) => [c.id, c.api_key_preview]), [[id, "Plan*YZ"]]);
    await client.removeCredentials(id);
    assertEquals(await client.getCredentialsList(), []);
    const gone = await assertRejects(() => client.removeCredentials(id), ClusterApiError);
    assertEquals(gone.errorId, "#1034");
    await client.stopDepthCache("binance.com", "ETHUSDT");
    const nf = await assertRejects(() => client.getAsks("binance.com", "ETHUSDT"), ClusterApiError);
    assertEquals([nf.errorId, nf.status], ["#7000", 404]);
    const bad = await assertRejects(
      () => client.getAsks("binance.com", "BTCUSDT", { limitCount: -1 }),
      ClusterApiError,
    );
    assertEquals([bad.status, bad.field, bad.errorId], [400, "limitCount", "#1025"]);
    assertThrows(() => client.getAsks("binance.com", "BTCUSDT", { limit: 1 } as never), TypeError, "limit");
    assertThrows(() => new BinanceDepthCacheClusterClient({ baseUrl: "ftp://x" }), TypeError, "baseUrl");
    assertInstanceOf(bad, Error);
  });

  it("a plain read (hot path) and the same read through hono answer in the same shape", async () => {
    const q = "/get_asks?exchange=binance.com&market=btcusdt&limit_count=3";
    // an extra parameter (debug=false), an encoded value and a token-less client take hono's route
    const variants = [q, `${q}&debug=false`, q.replace("btcusdt", "BTC%55SDT"), `${q}&debug=true`];
    const answers = await Promise.all(variants.map((v) => call(v)));
    for (const [k, a] of answers.entries()) {
      assertEquals(a.json.result, "OK", variants[k]);
      assertEquals(a.json.asks.length, 3, variants[k]);
      assert(typeof a.json.last_update_id === "number" && typeof a.json.event_time === "number");
      const keys = Object.keys(a.json);
      assertEquals(keys, [...keys].sort(), variants[k]);
      assertEquals(keys.filter((x) => x !== "debug"), [
        "asks",
        "event",
        "event_time",
        "last_update_id",
        "result",
        "served_by",
      ]);
    }
    assertEquals(typeof answers[3].json.debug.cluster_execution_time, "number");
    // refused and unknown reads answer the same on both routes
    for (
      const path of [
        "/get_bids?exchange=binance.com&market=NOPEUSDT",
        "/get_bids?exchange=binance.com&market=NOPEUSDT&debug=false",
      ]
    ) {
      const r = await call(path);
      assertEquals([r.json.error_id, r.json.event, r.json.result], ["#7000", "GET_BIDS", "ERROR"], path);
    }
    const unauthorized = await fetch(`${cluster.url}${q}`);
    assertEquals(unauthorized.status, 401);
    await unauthorized.body?.cancel();
  });

  it("bad /v1 requests: 4xx naming the field and the rule; nothing stored changes", async () => {
    const before = await stored();
    const post = (path: string, body: unknown) =>
      call(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    const cases: [Promise<{ status: number; json: Json }>, number, string][] = [
      [post("/v1/depthcaches", {}), 400, "exchange"],
      [post("/v1/depthcaches", { exchange: "binance.xyz", markets: ["BTCUSDT"] }), 400, "exchange"],
      [post("/v1/depthcaches", { exchange: "binance.com", markets: [] }), 400, "markets"],
      [post("/v1/depthcaches", { exchange: "binance.com", markets: ["BTC/USDT"] }), 400, "markets.0"],
      [
        post("/v1/depthcaches", { exchange: "binance.com", markets: ["X1USDT"], desiredQuantity: 0 }),
        400,
        "desiredQuantity",
      ],
      [
        post("/v1/depthcaches", { exchange: "binance.com", markets: ["X1USDT"], desiredQuantity: 1.5 }),
        400,
        "desiredQuantity",
      ],
      [
        post("/v1/depthcaches", { exchange: "binance.com", markets: ["X1USDT"], updateInterval: -1 }),
        400,
        "updateInterval",
      ],
      [post("/v1/depthcaches", { exchange: "binance.com", markets: ["X1USDT"], foo: 1 }), 400, "foo"],
      [
        post("/v1/depthcaches", { exchange: "binance.com", market: "X1USDT", markets: ["X2USDT"] }),
        400,
        "market",
      ],
      [post("/v1/depthcaches", "{"), 400, "body"],
      [post("/v1/depthcaches", "[1]"), 400, "body"],
      [call("/v1/depthcaches/binance.com/BTCUSDT/asks?limitCount=-1"), 400, "limitCount"],
      [call("/v1/depthcaches/binance.com/BTCUSDT/asks?limitCount=abc"), 400, "limitCount"],
      [call("/v1/depthcaches/binance.com/BTCUSDT/bids?thresholdVolume=-5"), 400, "thresholdVolume"],
      [call("/v1/depthcaches/binance.com/BTCUSDT/bids?foo=1"), 400, "foo"],
      [call("/v1/depthcaches/binance.xyz/BTCUSDT/asks"), 400, "exchange"],
      [
        post("/v1/credentials", { accountGroup: "x", apiKey: "k".repeat(20), apiSecret: "s".repeat(20) }),
        400,
        "accountGroup",
      ],
      [
        post("/v1/credentials", { accountGroup: "binance.com", apiKey: "short", apiSecret: "s".repeat(20) }),
        400,
        "apiKey",
      ],
      [post("/v1/credentials", { accountGroup: "binance.com", apiKey: "k".repeat(20) }), 400, "apiSecret"],
      [call("/v1/credentials/not-a-uuid", { method: "DELETE" }), 404, ""],
      [call("/v1/depthcaches/binance.com/NOPEUSDT", { method: "DELETE" }), 404, ""],
      [call("/v1/depthcaches/binance.com/NOPEUSDT"), 404, ""],
      [call("/v1/nothing"), 404, ""],
    ];
    for (const [p, status, field] of cases) {
      const r = await p;
      assertEquals(r.status, status, JSON.stringify(r.json));
      assertEquals(typeof r.json.error.id, "string");
      if (field !== "") {
        assertEquals(r.json.error.field, field, JSON.stringify(r.json));
        assert(r.json.error.rule.length > 0);
        assertMatch(r.json.error.message, new RegExp(`^Invalid ${field.replace(".", "\\.")}`));
      }
    }
    assertEquals(await stored(), before);
  });

  it("bad UBDCC requests: HTTP 200, result ERROR and the right #id; nothing stored changes", async () => {
    const before = await stored();
    const cases: [string, string, RequestInit?][] = [
      ["/create_depthcache", "#1016"],
      ["/create_depthcache?exchange=binance.com", "#1016"],
      ["/create_depthcache?exchange=binance.xyz&market=BTCUSDT", "#1017"],
      ["/create_depthcache?exchange=binance.com&market=X1USDT&desired_quantity=0", "#1017"],
      ["/create_depthcache?exchange=binance.com&market=X1USDT&desired_quantity=abc", "#1017"],
      ["/create_depthcache?exchange=binance.com&market=BTCUSDT", "#1024"],
      ["/create_depthcache", "#1017", {
        method: "POST",
        body: "{",
        headers: { "content-type": "application/json" },
      }],
      ["/create_depthcaches?exchange=binance.com", "#1016"],
      ["/create_depthcaches?exchange=binance.com&markets=", "#1016"],
      ["/create_depthcaches?exchange=binance.com&markets=A/B", "#1017"],
      ["/get_asks", "#1025"],
      ["/get_asks?exchange=binance.com&market=BTCUSDT&limit_count=-1", "#1025"],
      ["/get_bids?exchange=binance.com&market=BTCUSDT&threshold_volume=x", "#1025"],
      ["/get_bids?exchange=binance.com&market=NOPEUSDT", "#7000"],
      ["/get_depthcache_info", "#1006"],
      ["/get_depthcache_info?exchange=binance.com&market=NOPEUSDT", "#7000"],
      ["/stop_depthcache", "#1019"],
      ["/stop_depthcache?exchange=binance.com&market=NOPEUSDT", "#7000"],
      ["/add_credentials", "#1030"],
      [
        `/add_credentials?account_group=binance.xyz&api_key=${"k".repeat(20)}&api_secret=${"s".repeat(20)}`,
        "#1031",
      ],
      [`/add_credentials?account_group=binance.com&api_key=short&api_secret=${"s".repeat(20)}`, "#1032"],
      ["/remove_credentials", "#1033"],
      ["/remove_credentials?id=00000000-0000-0000-0000-000000000000", "#1034"],
    ];
    for (const [path, id, init] of cases) {
      const res = await fetch(`${cluster.url}${path}`, { ...init, headers: { ...auth, ...init?.headers } });
      assertEquals(res.status, 200, path);
      assertEquals(res.headers.get("content-type"), "application/json");
      const text = await res.text();
      const body = JSON.parse(text);
      assertEquals([body.result, body.error_id], ["ERROR", id], `${path}: ${text}`);
      assertEquals(Object.keys(body), Object.keys(body).sort());
      assertEquals(typeof body.message, "string");
    }
    assertEquals(await stored(), before);
  });

  it("/metrics: reads, latency histogram, replicas by state, resyncs, weight used", async () => {
    await call("/get_asks?exchange=binance.com&market=BTCUSDT&limit_count=3");
    const m = await call("/metrics");
    assertEquals(m.status, 200);
    assertMatch(m.text, /ubc_reads_total\{side="asks",outcome="ok"\} \d+/);
    assertMatch(m.text, /ubc_read_duration_seconds_bucket\{le="\+Inf"\} \d+/);
    assertMatch(m.text, /ubc_replicas\{state="LIVE"\} 2/);
    assertMatch(m.text, /ubc_replica_resyncs \d+/);
    assertMatch(m.text, /ubc_node_weight_used\{node="node-1"\} \d+/);
  });

  it("no planted secret in any answer, log line or coordination bucket; keys reach only nodes", async () => {
    const added = await call("/add_credentials?debug=true", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        account_group: "binance.com",
        api_key: API_KEY,
        api_secret: API_SECRET,
        debug: true,
      }),
    });
    assertEquals(added.json.result, "OK");
    const viaGet = await call(
      `/add_credentials?account_group=binance.com&api_key=${API_KEY2}&api_secret=${API_SECRET2}&debug=true`,
    );
    assertEquals(viaGet.json.result, "OK");
    // the nodes that host binance.com depth caches got their own sealed copy and opened it
    const record = cluster.router.state.credentials.get(added.json.id)!.record;
    const holders = Object.keys(record.sealed).sort();
    assert(holders.length >= 1 && holders.every((h) => cluster.nodes.some((n) => n.id === h)));
    await until(
      () => holders.every((h) => logs.lines.some((l) => l.includes("credential received") && l.includes(h))),
      10_000,
      "the nodes opening their sealed copies",
    );
    const paths = [
      "/test",
      "/test?debug=true",
      "/get_cluster_info",
      "/get_cluster_info?debug=true",
      "/get_depthcache_list",
      "/get_depthcache_info?exchange=binance.com&market=BTCUSDT&debug=true",
      "/get_credentials_list",
      "/get_credentials_list?debug=true",
      "/get_asks?exchange=binance.com&market=BTCUSDT&debug=true",
      "/get_bids?exchange=binance.com&market=BTCUSDT",
      "/create_depthcache?exchange=binance.com&market=BTCUSDT",
      "/stop_depthcache?exchange=binance.com&market=NOPEUSDT",
      "/remove_credentials?id=x",
      "/metrics",
      "/healthz",
      "/readyz",
      "/v1/test",
      "/v1/cluster",
      "/v1/depthcaches",
      "/v1/depthcaches/binance.com/BTCUSDT",
      "/v1/depthcaches/binance.com/BTCUSDT/asks",
      "/v1/credentials",
      "/nothing",
      `/add_credentials?account_group=binance.xyz&api_key=${API_KEY}&api_secret=${API_SECRET}&debug=true`,
    ];
    const seen: string[] = [added.text, viaGet.text];
    for (const p of paths) {
      const res = await fetch(`${cluster.url}${p}`, { headers: auth });
      seen.push(`${res.status} ${[...res.headers].join(" ")} ${await res.text()}`);
    }
    const buckets: string[] = [];
    for (const name of ["ubc_desired", "ubc_nodes", "ubc_replicas", "ubc_credentials"]) {
      const b = await cluster.coordination.bucket(name);
      for (const e of await b.list()) buckets.push(e.value);
    }
    for (const secret of PLANTED) {
      for (const s of seen) assert(!s.includes(secret), `planted secret in an answer: ${s.slice(0, 200)}`);
      for (const l of logs.lines) assert(!l.includes(secret), `planted secret in the log: ${l}`);
      for (const v of buckets) assert(!v.includes(secret), "planted secret in a bucket");
    }
    assert(logs.lines.length > 10, "the scan saw the logs");
    assert(buckets.some((v) => v.includes('"sealed"')), "the scan saw the credential records");
  });
});
