/**
 * The router's Prometheus metrics: reads by side and outcome, a read-latency histogram,
 * failovers, and — from the watched view — replicas by state, resyncs and REST weight per node.
 *
 * @module
 */
import type { ClusterState } from "./state.ts";

const BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Counters of one router. */
export class RouterMetrics {
  readonly #reads = new Map<string, number>();
  readonly #buckets = new Array<number>(BUCKETS.length).fill(0);
  #count = 0;
  #sum = 0;
  #failovers = 0;

  /**
   * Counts one read.
   *
   * @param side `asks` / `bids`.
   * @param outcome `ok`, `failover`, `out_of_sync`, `not_found`, `no_replica`, `failed`, `bad_request`.
   * @param seconds Duration.
   */
  read(side: string, outcome: string, seconds: number): void {
    const key = `side="${side}",outcome="${outcome}"`;
    this.#reads.set(key, (this.#reads.get(key) ?? 0) + 1);
    if (outcome === "failover") this.#failovers++;
    this.#count++;
    this.#sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) this.#buckets[i]++;
  }

  /**
   * The Prometheus text exposition.
   *
   * @param state The cluster view.
   * @returns Metrics text (version 0.0.4).
   */
  render(state: ClusterState): string {
    const out: string[] = [];
    out.push("# HELP ubc_reads_total Reads served by this router, by side and outcome.");
    out.push("# TYPE ubc_reads_total counter");
    for (const [k, v] of this.#reads) out.push(`ubc_reads_total{${k}} ${v}`);
    out.push("# HELP ubc_read_duration_seconds Read latency through this router.");
    out.push("# TYPE ubc_read_duration_seconds histogram");
    BUCKETS.forEach((b, i) => out.push(`ubc_read_duration_seconds_bucket{le="${b}"} ${this.#buckets[i]}`));
    out.push(`ubc_read_duration_seconds_bucket{le="+Inf"} ${this.#count}`);
    out.push(`ubc_read_duration_seconds_sum ${this.#sum}`);
    out.push(`ubc_read_duration_seconds_count ${this.#count}`);
    out.push("# HELP ubc_failovers_total Reads served by another replica after a failure.");
    out.push("# TYPE ubc_failovers_total counter");
    out.push(`ubc_failovers_total ${this.#failovers}`);
    const states: Record<string, number> = { SYNCING: 0, LIVE: 0, OUT_OF_SYNC: 0, STOPPED: 0 };
    let resyncs = 0;
    for (const reports of state.allReplicas.values()) {
      for (const r of reports.values()) {
        const node = state.nodes.get(r.nodeId);
        if (!node || !state.isAlive(node)) continue;
        states[r.state]++;
        resyncs += r.resyncs;
      }
    }
    out.push("# HELP ubc_replicas Replicas on live nodes by reported state.");
    out.push("# TYPE ubc_replicas gauge");
    for (const [s, n] of Object.entries(states)) out.push(`ubc_replicas{state="${s}"} ${n}`);
    out.push("# HELP ubc_replica_resyncs Resyncs reported by the replicas on live nodes.");
    out.push("# TYPE ubc_replica_resyncs gauge");
    out.push(`ubc_replica_resyncs ${resyncs}`);
    out.push("# HELP ubc_node_weight_used REST weight used by a node's snapshots in the current minute.");
    out.push("# TYPE ubc_node_weight_used gauge");
    for (const n of state.liveNodes()) out.push(`ubc_node_weight_used{node="${n.id}"} ${n.load.weightUsed}`);
    out.push("# HELP ubc_nodes_live Live nodes.");
    out.push("# TYPE ubc_nodes_live gauge");
    out.push(`ubc_nodes_live ${state.liveNodes().length}`);
    return out.join("\n") + "\n";
  }
}
