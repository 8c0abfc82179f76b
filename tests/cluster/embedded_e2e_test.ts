/**
 * The embedded cluster end to end on the emulator: 20 markets × 2 replicas on 3 nodes; every read
 * through the router equals the emulator's true book at the same update id or is refused as out of
 * sync (never different); a crashed node → reads keep succeeding through the other replica with
 * the failover visible (#5001), the lost replicas are re-created on the remaining nodes and LIVE
 * again; an injected depth gap while snapshots fail → the top-level out-of-sync answer (#6000),
 * then LIVE again.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { dcId } from "../../src/cluster/protocol.ts";
import { getJson, judge, type SteppedCluster, steppedCluster, until, type Verdict } from "./_cluster.ts";

let s: SteppedCluster;
const EX = "binance.com";

function liveCount(market: string): number {
  const state = s.cluster.router.state;
  let n = 0;
  for (const r of state.replicas(dcId(EX, market)).values()) {
    const node = state.nodes.get(r.nodeId);
    if (r.state === "LIVE" && node && state.isAlive(node)) n++;
  }
  return n;
}

async function readAll(times: number): Promise<{ counts: Record<Verdict, number>; failovers: number }> {
  const counts: Record<Verdict, number> = { match: 0, "out-of-sync": 0, "unknown-id": 0 };
  let failovers = 0;
  for (let i = 0; i < times; i++) {
    const market = s.markets[i % s.markets.length];
    const side = i % 2 === 0 ? "asks" : "bids";
    const body = await getJson(`${s.cluster.url}/get_${side}?exchange=${EX}&market=${market}&limit_count=20`);
    if (body.error_id === "#5001") failovers++;
    counts[judge(s, market, side, body)]++;
  }
  return { counts, failovers };
}

for (const transport of ["websocket", "http"] as const) {
  describe(`embedded cluster on the emulator, router → node over ${transport}`, () => {
    before(async () => {
      s = await steppedCluster(20, { nodeTransport: transport });
    });
    after(async () => {
      await s?.close();
    });

    it("creates 20 markets × 2 replicas on 3 nodes (POST JSON with explicit nulls), all LIVE", async () => {
      const res = await fetch(`${s.cluster.url}/create_depthcaches`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          exchange: EX,
          markets: s.markets,
          desired_quantity: 2,
          update_interval: null,
          refresh_interval: null,
          debug: true,
        }),
      });
      const body = await res.json();
      assertEquals([res.status, body.result, body.event], [200, "OK", "CREATE_DEPTHCACHES"]);
      assertEquals(typeof body.debug.cluster_execution_time, "number");
      const t0 = Date.now();
      const state = s.cluster.router.state;
      // placement settles: every market LIVE twice and no third replica still moving away (a
      // node that joined late takes its share; the replica it replaces reports until it stops)
      await until(
        () => s.markets.every((m) => liveCount(m) === 2 && state.replicas(dcId(EX, m)).size === 2),
        30_000,
        "40 LIVE replicas, none moving",
      );
      console.log(`20 markets × 2 replicas LIVE in ${Date.now() - t0} ms`);
      const perNode = new Map<string, number>();
      for (const m of s.markets) {
        const nodes = [...state.replicas(dcId(EX, m)).keys()];
        assertEquals(nodes.length, 2, m);
        assertNotEquals(nodes[0], nodes[1], `${m}: both replicas on one node`);
        for (const n of nodes) perNode.set(n, (perNode.get(n) ?? 0) + 1);
      }
      assertEquals(perNode.size, 3);
      for (const [n, c] of perNode) assert(c >= 8 && c <= 17, `${n} hosts ${c} replicas`);
    });

    it("every read equals the true book at its update id or is refused as out of sync", async () => {
      const { counts } = await readAll(300);
      console.log(`reads: ${JSON.stringify(counts)}`);
      assert(counts.match >= 250, `only ${counts.match} reads matched the truth`);
      assertEquals(counts["unknown-id"], 0);
    });

    it("a crashed node: reads keep succeeding with failover (#5001), replicas re-created and LIVE", async () => {
      const victim = s.cluster.nodes[0];
      const lost = victim.hosted.length;
      assert(lost > 0);
      const t0 = Date.now();
      await s.cluster.killNode(victim.id);
      const { counts, failovers } = await readAll(60);
      console.log(`after the crash: ${JSON.stringify(counts)}, ${failovers} failovers`);
      assert(failovers >= 1, "no read showed the failover");
      assertEquals(counts["unknown-id"], 0);
      assert(counts.match >= 50, `only ${counts.match} reads matched`);
      const state = s.cluster.router.state;
      await until(() => !state.isAlive(state.nodes.get(victim.id)!), 10_000, "the crashed node timed out");
      const t1 = Date.now();
      await until(() => s.markets.every((m) => liveCount(m) === 2), 30_000, "full redundancy on 2 nodes");
      console.log(
        `crashed node dead for everyone after ${t1 - t0} ms; its ${lost} replicas re-created and LIVE ` +
          `${Date.now() - t1} ms later`,
      );
      // the crashed node's reports are removed by the lowest-id live node
      await until(
        () => s.markets.every((m) => !state.replicas(dcId(EX, m)).has(victim.id)),
        10_000,
        "the crashed node's reports removed",
      );
      const survivors = s.cluster.nodes.map((n) => n.id).sort();
      for (const m of s.markets) assertEquals([...state.replicas(dcId(EX, m)).keys()].sort(), survivors, m);
      const again = await readAll(40);
      assertEquals(again.failovers, 0);
      assertEquals(again.counts.match, 40);
    });

    it("a depth gap while snapshots fail: top-level #6000 (UBDCC path) and 503 #6000 (/v1), then LIVE again", async () => {
      const market = s.markets[3];
      const emu = s.cluster.emulator!;
      const broken = emu.inject({ name: "serverError", target: "spot", status: 503, count: 100_000 });
      // count 2: a 1000 ms feed of the market, when one exists, may take the first withheld event
      emu.inject({ name: "depthGap", target: "spot", symbol: market, count: 2 });
      await until(() => liveCount(market) === 0, 10_000, "both replicas out of sync");
      const body = await getJson(`${s.cluster.url}/get_asks?exchange=${EX}&market=${market}`);
      assertEquals([body.result, body.error_id], ["ERROR", "#6000"]);
      const v1 = await fetch(`${s.cluster.url}/v1/depthcaches/${EX}/${market}/asks`);
      assertEquals(v1.status, 503);
      assertEquals((await v1.json()).error.id, "#6000");
      // the other markets keep serving
      const other = await getJson(
        `${s.cluster.url}/get_bids?exchange=${EX}&market=${s.markets[4]}&limit_count=20`,
      );
      assertEquals(judge(s, s.markets[4], "bids", other), "match");
      broken.clear();
      await until(() => liveCount(market) === 2, 30_000, "the gapped market LIVE again");
      const back = await getJson(`${s.cluster.url}/get_asks?exchange=${EX}&market=${market}&limit_count=20`);
      assertEquals(judge(s, market, "asks", back), "match");
    });
  });
}
