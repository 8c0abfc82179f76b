/**
 * Credential hot-swap in a running embedded cluster on the emulator: 2 markets × 2 replicas on 2
 * nodes, LIVE before any key exists. A key added through the router reaches each node's REST
 * client (a signed call through it answers with that key's account, told apart by its balance); a
 * second key waits while the first (older) one is in use and takes over when the first is removed;
 * removing it clears the client (signed calls fail before sending). The depth caches keep running
 * through all of it: the same manager per market, no snapshot beyond those of resyncs. No key or
 * secret appears in any answer of the router or any log line. The rule which held key a client
 * carries is a table; a node whose venue options bring their own key goes back to it, and keeps it
 * when the cluster's key is one the REST client refuses.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals, assertRejects } from "@std/assert";
import { credentialFor } from "../../src/cluster/credentials.ts";
import { memoryLog } from "../../src/cluster/log.ts";
import { dcId } from "../../src/cluster/protocol.ts";
import type { ClusterNode } from "../../src/cluster/node.ts";
import type { BinanceRestClient } from "../../src/rest/mod.ts";
import { type EmbeddedCluster, emulatorVenue, startEmbeddedCluster } from "../../src/cluster/embedded.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { FAST_CONFIG, type SteppedCluster, steppedCluster, symbols, until } from "./_cluster.ts";

const EX = "binance.com";
const KEY_A = "clusterSwapKeyAlpha01234567";
const SECRET_A = "clusterSwapSecretAlpha0123456789";
const KEY_B = "clusterSwapKeyBravo01234567";
const SECRET_B = "clusterSwapSecretBravo0123456789";
const PLANTED = [KEY_A, SECRET_A, KEY_B, SECRET_B];
const MARKETS = symbols(2);

const logs = memoryLog();
const seen: string[] = [];
let s: SteppedCluster;

before(async () => {
  s = await steppedCluster(2, {
    nodes: 2,
    log: logs.log,
    emulator: {
      seed: 7,
      paused: true,
      markets: MARKETS.map((symbol) => ({ symbol, price: "100.00", tickSize: "0.01", levels: 120 })),
      accounts: [
        { apiKey: KEY_A, secretKey: SECRET_A, balances: { USDT: "111" } },
        { apiKey: KEY_B, secretKey: SECRET_B, balances: { USDT: "222" } },
      ],
    },
  });
});
after(async () => {
  await s?.close();
});

/** A router call whose whole answer (status, headers, body) goes into the scan. */
async function call(path: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const res = await fetch(`${s.cluster.url}${path}`, init);
  const text = await res.text();
  seen.push(`${res.status} ${[...res.headers].join(" ")} ${text}`);
  return JSON.parse(text);
}

function nodes(): readonly ClusterNode[] {
  return s.cluster.nodes;
}

function rest(node: ClusterNode): BinanceRestClient {
  const client = node.restClientOf(EX);
  assert(client, `${node.id} has a REST client for ${EX}`);
  return client;
}

async function usdt(client: BinanceRestClient): Promise<number> {
  const account = await client.getAccount();
  return Number(account.balances.find((b) => b.asset === "USDT")?.free);
}

function logged(message: string, node: string, id?: string): boolean {
  return logs.lines.some((l) =>
    l.includes(message) && l.includes(`"node":"${node}"`) && (!id || l.includes(id))
  );
}

function allLive(): boolean {
  const state = s.cluster.router.state;
  return MARKETS.every((m) =>
    [...state.replicas(dcId(EX, m)).values()].filter((r) => r.state === "LIVE").length === 2
  );
}

describe("which held credential a node's REST client carries", () => {
  const c = (id: string, group: string, addedAt: number) => ({ id, group, addedAt });
  /** [case, held, exchange, expected id] */
  const TABLE: [string, ReturnType<typeof c>[], string, string | undefined][] = [
    ["none held", [], "binance.com", undefined],
    ["the only one of the group", [c("a", "binance.com", 5)], "binance.com", "a"],
    ["the oldest of the group", [c("b", "binance.com", 9), c("a", "binance.com", 5)], "binance.com", "a"],
    ["ties by id", [c("y", "binance.com", 5), c("x", "binance.com", 5)], "binance.com", "x"],
    ["futures share the binance.com group", [c("a", "binance.com", 5)], "binance.com-futures", "a"],
    ["another group is not used", [c("u", "binance.us", 1)], "binance.com", undefined],
    ["binance.us", [c("a", "binance.com", 1), c("u", "binance.us", 7)], "binance.us", "u"],
    ["trbinance.com reads binance.tr", [c("t", "binance.tr", 3)], "trbinance.com", "t"],
    ["the testnet is its own group", [c("a", "binance.com", 1)], "binance.com-testnet", undefined],
  ];
  for (const [name, held, exchange, want] of TABLE) {
    it(name, () => assertEquals(credentialFor(held, exchange)?.id, want));
  }
});

describe("credential hot-swap in a running cluster", () => {
  const managers = new Map<string, unknown>();
  const counters = new Map<string, { snapshots: number; resyncs: number }>();

  it("caches run LIVE without a key: the nodes' REST clients carry none", async () => {
    const body = await call(
      `/create_depthcaches?exchange=${EX}&markets=${MARKETS.join(",")}&desired_quantity=2`,
    );
    assertEquals(body.result, "OK");
    await until(allLive, 30_000, "4 LIVE replicas");
    for (const node of nodes()) {
      assertEquals(rest(node).keyType, undefined);
      await assertRejects(() => rest(node).getAccount(), TypeError, "Missing apiKey");
      for (const m of MARKETS) {
        const manager = node.managerOf(EX, m);
        assert(manager, `${node.id} hosts ${m}`);
        managers.set(`${node.id}|${m}`, manager);
        const st = manager.getStats(m);
        counters.set(`${node.id}|${m}`, { snapshots: st.snapshots, resyncs: st.resyncs });
      }
    }
  });

  let idA = "";
  let idB = "";
  it("an added key reaches every node's REST client: signed calls answer with its account", async () => {
    const added = await call("/add_credentials", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ account_group: EX, api_key: KEY_A, api_secret: SECRET_A, debug: true }),
    });
    assertEquals(added.result, "OK");
    idA = added.id as string;
    await until(() => nodes().every((n) => logged("credential applied", n.id, idA)), 15_000, "key A applied");
    for (const node of nodes()) {
      assertEquals(rest(node).keyType, "hmac");
      assertEquals(await usdt(rest(node)), 111, `${node.id} signs with key A`);
    }
  });

  it("a second key waits while the older one is in use, and takes over when that is removed", async () => {
    const added = await call(
      `/add_credentials?account_group=${EX}&api_key=${KEY_B}&api_secret=${SECRET_B}&debug=true`,
    );
    assertEquals(added.result, "OK");
    idB = added.id as string;
    await until(
      () => nodes().every((n) => logged("credential received", n.id, idB)),
      15_000,
      "key B received",
    );
    for (const node of nodes()) assertEquals(await usdt(rest(node)), 111, `${node.id} keeps the older key`);
    const list = await call("/get_credentials_list?debug=true");
    assertEquals(list.result, "OK");
    assertEquals((await call(`/remove_credentials?id=${idA}`)).result, "OK");
    await until(() => nodes().every((n) => logged("credential applied", n.id, idB)), 15_000, "key B applied");
    for (const node of nodes()) assertEquals(await usdt(rest(node)), 222, `${node.id} signs with key B`);
  });

  it("removing the last key clears the clients: signed calls fail before sending", async () => {
    assertEquals((await call(`/remove_credentials?id=${idB}`)).result, "OK");
    await until(() => nodes().every((n) => logged("credential cleared", n.id)), 15_000, "keys cleared");
    for (const node of nodes()) {
      assertEquals(rest(node).keyType, undefined);
      await assertRejects(() => rest(node).getAccount(), TypeError, "Missing apiKey: GET /api/v3/account");
    }
  });

  it("the depth caches kept running: same managers, no snapshot beyond resyncs, still LIVE", async () => {
    await until(allLive, 30_000, "4 LIVE replicas");
    for (const node of nodes()) {
      for (const m of MARKETS) {
        const key = `${node.id}|${m}`;
        const manager = node.managerOf(EX, m);
        assert(manager === managers.get(key), `${key}: the same manager`);
        const st = manager!.getStats(m);
        const before = counters.get(key)!;
        assert(
          st.snapshots - before.snapshots <= st.resyncs - before.resyncs,
          `${key}: ${st.snapshots - before.snapshots} snapshots, ${st.resyncs - before.resyncs} resyncs`,
        );
      }
    }
  });

  it("no key or secret in any answer or log line", async () => {
    for (
      const p of ["/get_cluster_info?debug=true", "/get_credentials_list", "/v1/cluster", "/v1/credentials"]
    ) {
      await call(p);
    }
    assert(seen.length >= 10, "the scan saw the answers");
    assert(logs.lines.some((l) => l.includes("credential applied")), "the scan saw the logs");
    for (const secret of PLANTED) {
      for (const text of seen) {
        assert(!text.includes(secret), `key material in an answer: ${text.slice(0, 200)}`);
      }
      for (const line of logs.lines) assert(!line.includes(secret), `key material in the log: ${line}`);
    }
  });
});

describe("a node whose venue options carry a key goes back to it when the cluster's key is removed", () => {
  let emu: Emulator;
  let cluster: EmbeddedCluster;
  let timer: ReturnType<typeof setInterval>;
  const own = memoryLog();
  before(async () => {
    emu = await startEmulator({
      seed: 3,
      paused: true,
      accounts: [
        { apiKey: KEY_A, secretKey: SECRET_A, balances: { USDT: "111" } },
        { apiKey: KEY_B, secretKey: SECRET_B, balances: { USDT: "222" } },
      ],
    });
    timer = setInterval(() => emu.step(), 30);
    const venue = emulatorVenue(emu);
    cluster = await startEmbeddedCluster({
      nodes: 1,
      emulator: false,
      venue: (exchange) => {
        const v = venue(exchange);
        return { ...v, restOptions: { ...v.restOptions, apiKey: KEY_B, apiSecret: SECRET_B } };
      },
      config: FAST_CONFIG,
      log: own.log,
    });
  });
  after(async () => {
    clearInterval(timer);
    await cluster?.close();
    await emu?.close();
  });

  it("venue key → cluster key → venue key", async () => {
    const node = cluster.nodes[0];
    const created = await fetch(`${cluster.url}/create_depthcache?exchange=${EX}&market=BTCUSDT`);
    assertEquals((await created.json()).result, "OK");
    await until(() => node.restClientOf(EX) !== undefined, 15_000, "the node's REST client");
    const client = node.restClientOf(EX)!;
    assertEquals(await usdt(client), 222, "the venue's key");
    const added = await fetch(
      `${cluster.url}/add_credentials?account_group=${EX}&api_key=${KEY_A}&api_secret=${SECRET_A}`,
    );
    const id = (await added.json()).id as string;
    await until(
      () => own.lines.some((l) => l.includes("credential applied") && l.includes(id)),
      15_000,
      "key A",
    );
    assertEquals(await usdt(client), 111, "the cluster's key");
    await fetch(`${cluster.url}/remove_credentials?id=${id}`);
    await until(() => own.lines.some((l) => l.includes("credential cleared")), 15_000, "key A removed");
    assertEquals(await usdt(client), 222, "the venue's key again");
    // the router stores a secret with whitespace (a PEM may have it); the REST client refuses it as
    // an HMAC secret: logged once by rule, not used, the venue's key stays
    const bad = "clusterSwapBad secret0123456789";
    const refused = await fetch(
      `${cluster.url}/add_credentials?account_group=${EX}&api_key=${KEY_A}&api_secret=${
        encodeURIComponent(bad)
      }`,
    );
    assertEquals((await refused.json()).result, "OK");
    await until(
      () => own.lines.some((l) => l.includes("credential not usable")),
      15_000,
      "the bad key refused",
    );
    const line = own.lines.find((l) => l.includes("credential not usable"))!;
    assert(line.includes("it contains whitespace"), line);
    assertEquals(await usdt(client), 222, "the venue's key stays");
    assert(node.restClientOf(EX) === client, "the same client throughout");
    for (const secret of [...PLANTED, bad]) for (const l of own.lines) assert(!l.includes(secret), l);
  });
});
