/**
 * Membership changes under continuous reads, with ONE replica per market (so any gap in serving
 * would refuse reads): a node joins (it takes about its share; the old holder keeps serving until
 * the new replica is LIVE — make-before-break) and a node leaves gracefully (it drains: its
 * replicas are re-created elsewhere and LIVE before it stops); through both, every read through
 * the router succeeds and equals the true book at its update id.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { memoryLog } from "../../src/cluster/log.ts";
import { dcId } from "../../src/cluster/protocol.ts";
import { getJson, judge, type SteppedCluster, steppedCluster, until } from "./_cluster.ts";

let s: SteppedCluster;
const EX = "binance.com";
const logs = memoryLog();

function replicaNodes(market: string): string[] {
  return [...s.cluster.router.state.replicas(dcId(EX, market)).entries()]
    .filter(([, r]) => r.state === "LIVE").map(([n]) => n).sort();
}

/** Reads every market in a loop until stopped; returns what it saw. */
function reader(): { count(): number; stop(): Promise<{ ok: number; bad: string[] }> } {
  let running = true;
  let ok = 0;
  const bad: string[] = [];
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const market = s.markets[i % s.markets.length];
      try {
        const body = await getJson(
          `${s.cluster.url}/get_bids?exchange=${EX}&market=${market}&limit_count=20`,
        );
        if (body.result !== "OK") bad.push(`${market}: ${body.error_id}`);
        else {
          judge(s, market, "bids", body);
          ok++;
        }
      } catch (e) {
        bad.push(`${market}: ${(e as Error).message}`);
        running = false;
      }
    }
  })();
  return {
    count: () => ok + bad.length,
    stop: async () => {
      running = false;
      await loop;
      return { ok, bad };
    },
  };
}

describe("membership changes under reads", () => {
  before(async () => {
    s = await steppedCluster(12, { nodes: 2, log: logs.log });
    const res = await fetch(
      `${s.cluster.url}/create_depthcaches?exchange=${EX}&markets=${s.markets.join(",")}&desired_quantity=1`,
    );
    assertEquals((await res.json()).result, "OK");
    await until(() => s.markets.every((m) => replicaNodes(m).length === 1), 30_000, "12 LIVE replicas");
  });
  after(async () => {
    await s?.close();
  });

  it("a joining node takes its share; no read fails while single replicas move; it gets the key sealed", async () => {
    const added0 = await fetch(`${s.cluster.url}/add_credentials`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        account_group: "binance.com",
        api_key: "JoinKey0123456789",
        api_secret: "JoinSecret0123456789",
      }),
    });
    const credId = (await added0.json()).id as string;
    const r = reader();
    const added = await s.cluster.addNode("node-9");
    const state = s.cluster.router.state;
    await until(
      () =>
        added.hosted.length > 0 &&
        added.hosted.every((id) => state.replicas(id).get("node-9")?.state === "LIVE") &&
        s.markets.every((m) =>
          replicaNodes(m).length === 1 && s.cluster.router.state.replicas(dcId(EX, m)).size === 1
        ),
      30_000,
      "every market on exactly 1 LIVE replica again",
    );
    await until(() => r.count() >= 50, 30_000, "50 reads");
    const { ok, bad } = await r.stop();
    assertEquals(bad, []);
    assert(ok >= 50, `only ${ok} reads`);
    // a holder re-sealed the key for the new node, which opened it; the bucket never saw it in clear
    await until(
      () => logs.lines.some((l) => l.includes("credential received") && l.includes('"node":"node-9"')),
      10_000,
      "the new node receiving the key",
    );
    assert("node-9" in state.credentials.get(credId)!.record.sealed);
    const creds = await s.cluster.coordination.bucket("ubc_credentials");
    for (const e of await creds.list()) {
      assert(!e.value.includes("JoinSecret") && !e.value.includes("JoinKey"));
    }
    const share = added.hosted.length;
    assert(share >= 2 && share <= 6, `the new node hosts ${share} of 12 replicas`);
  });

  it("a node leaving gracefully drains: no read of a single-replica market fails", async () => {
    const r = reader();
    const node = s.cluster.nodes[0];
    const leaving = node.id;
    const probe = await fetch(`${node.url}/readyz`);
    assertEquals([probe.status, await probe.json()], [200, { ready: true }]);
    // drains first: its replicas are re-created elsewhere and LIVE before it stops serving them
    const removed = s.cluster.removeNode(leaving);
    // while it drains it still serves, but is no longer ready (Kubernetes takes it out of a Service)
    const draining = await fetch(`${node.url}/readyz`);
    assertEquals([draining.status, await draining.json()], [503, { ready: false }]);
    await removed;
    assert(!s.cluster.router.state.nodes.has(leaving), "the node record is gone after the drain");
    await until(
      () => s.markets.every((m) => replicaNodes(m).length === 1),
      30_000,
      "1 LIVE replica per market",
    );
    await until(() => r.count() >= 50, 30_000, "50 reads");
    const { ok, bad } = await r.stop();
    assertEquals(bad, []);
    assert(ok >= 50, `only ${ok} reads`);
    for (const m of s.markets) assert(!replicaNodes(m).includes(leaving), m);
  });
});
