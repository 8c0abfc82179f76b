/**
 * The router's read routing on a hand-made view (`src/cluster/_router_ops.ts`): reads of nodes in
 * the router's process answer without a promise, failover to the next LIVE replica, `#6000` when
 * every LIVE-claimed replica is out of sync, and a read every replica refused as not hosted (the
 * view lagging a move) is read again on each change of the view until it is served or the wait ends.
 */
import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { MemoryCoordination } from "../../src/cluster/coordination_memory.ts";
import { type LocalNodeReader, RouterOps } from "../../src/cluster/_router_ops.ts";
import type { NodeReadResponse, NodeRecord, ReplicaReport } from "../../src/cluster/protocol.ts";
import { ClusterState } from "../../src/cluster/state.ts";

const EX = "binance.com" as const;
const P = { exchange: EX, market: "BTCUSDT" };

function node(id: string): NodeRecord {
  return {
    id,
    name: `name-${id}`,
    url: `http://127.0.0.1:1/${id}`,
    capacity: 1,
    heartbeatAt: Date.now(),
    startedAt: Date.now(),
    publicKey: { kty: "EC", crv: "P-256", x: "x", y: "y" },
    load: { replicas: 1, weightUsed: 0, weightLimit: 3000 },
    version: "test",
  };
}

function report(nodeId: string, state: ReplicaReport["state"]): ReplicaReport {
  return {
    exchange: EX,
    market: "BTCUSDT",
    nodeId,
    state,
    lastUpdateId: 1,
    lastEventTime: 1,
    receiveLagMs: 0,
    resyncs: 0,
    reportedAt: Date.now(),
  };
}

const OK: NodeReadResponse = { ok: true, lastUpdateId: 7, eventTime: 8, levels: [[1, 2]] };
const answering = (r: NodeReadResponse): LocalNodeReader => ({ read: () => r });

async function view(): Promise<{ state: ClusterState; close(): Promise<void> }> {
  const store = new MemoryCoordination();
  const state = await ClusterState.open(store);
  await state.createDesired({
    exchange: EX,
    market: "BTCUSDT",
    desiredQuantity: 2,
    updateInterval: null,
    refreshInterval: null,
    createdAt: 1,
  });
  for (const id of ["a", "b"]) await state.putNode(node(id));
  const close = async () => {
    await state.close();
    await store.close();
  };
  return { state, close };
}

/** Resolves once `cond` holds after the view's changes. */
function when(state: ClusterState, cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (cond()) return resolve();
    const off = state.onChange(() => cond() && (off(), resolve()));
  });
}

/** The view shows a replica LIVE on a, which has already stopped it; b would answer. */
async function lagging(state: ClusterState) {
  await state.putReplica(report("a", "LIVE"));
  await when(state, () => state.replicas("binance=com.BTCUSDT").size === 1);
  const readers = new Map<string, LocalNodeReader>([
    ["a", answering({ ok: false, reason: "not_found", state: "NONE" })],
    ["b", answering(OK)],
  ]);
  return { readers, ops: new RouterOps(state, "s".repeat(32), 1000, (id) => readers.get(id)) };
}

describe("router read routing", () => {
  it("a node in this process answers without a promise; failover and #6000", async () => {
    const v = await view();
    try {
      await v.state.putReplica(report("a", "LIVE"));
      await v.state.putReplica(report("b", "LIVE"));
      await when(v.state, () => v.state.replicas("binance=com.BTCUSDT").size === 2);
      const readers = new Map<string, LocalNodeReader>([["a", answering(OK)], ["b", answering(OK)]]);
      const ops = new RouterOps(v.state, "s".repeat(32), 1000, (id) => readers.get(id));
      const o = ops.read(P, "asks");
      assert(!(o instanceof Promise), "an in-process read returned a promise");
      assertEquals(o.kind === "ok" && [o.levelsJson, o.lastUpdateId, o.failures.length], ["[[1,2]]", 7, 0]);
      // one replica out of sync: the other serves, the failover named (#5001)
      readers.set("a", answering({ ok: false, reason: "out_of_sync", state: "RESYNCING" }));
      const served = [await ops.read(P, "bids"), await ops.read(P, "bids")];
      assert(served.every((r) => r.kind === "ok" && r.node.id === "b"));
      assertEquals(served.map((r) => r.kind === "ok" && r.failures.length).sort(), [0, 1]);
      // both out of sync: #6000, never a book
      readers.set("b", answering({ ok: false, reason: "out_of_sync", state: "RESYNCING" }));
      assertEquals((await ops.read(P, "asks")).kind, "out_of_sync");
      assertEquals((await ops.read({ ...P, market: "ETHUSDT" }, "asks")).kind, "not_found");
    } finally {
      await v.close();
    }
  });

  it("a read every replica refused as not hosted is read again once the view changes", async () => {
    const v = await view();
    try {
      // the view still shows the old replica on a (which already stopped it)…
      const { readers, ops } = await lagging(v.state);
      const pending = ops.read(P, "asks");
      assert(pending instanceof Promise, "the refused read waits for the view");
      // …and the new LIVE replica on b reaches the view while the read waits
      await v.state.putReplica(report("b", "LIVE"));
      const o = await pending;
      assertEquals(o.kind === "ok" && o.node.id, "b");
      // with nothing changing, the wait is bounded and the refusal stands
      readers.set("b", answering({ ok: false, reason: "stopped", state: "STOPPED" }));
      const t0 = performance.now();
      const refused = await ops.read(P, "asks");
      assertEquals(refused.kind, "failed");
      assert(performance.now() - t0 < 5000);
    } finally {
      await v.close();
    }
  });
  it("a change of the view that does not serve the read is waited past: the next one does", async () => {
    const v = await view();
    try {
      const { ops } = await lagging(v.state);
      const pending = ops.read(P, "asks");
      assert(pending instanceof Promise, "the refused read waits for the view");
      // first something else changes (b's replica still SYNCING), then b goes LIVE
      await v.state.putReplica(report("b", "SYNCING"));
      await when(v.state, () => v.state.replicas("binance=com.BTCUSDT").get("b")?.state === "SYNCING");
      await v.state.putReplica(report("b", "LIVE"));
      const o = await pending;
      assertEquals(o.kind === "ok" && o.node.id, "b");
    } finally {
      await v.close();
    }
  });
});
