/**
 * Leaderless replica placement: every member (router or node) computes the same assignment from
 * the same view — the desired depth caches and the live nodes — so no member has to be elected to
 * decide, and no decision has to be stored. The rule is weighted rendezvous (highest random
 * weight) hashing with bounded loads:
 *
 * - replica `i` of `(exchange, market)` scores every node with `-capacity / ln(h)`, where `h` is a
 *   53-bit hash of `exchange|market|i|node` mapped to (0, 1) — the weighted HRW score, so a
 *   node of capacity 2 wins about twice as often;
 * - the node with the highest score that does not hold another replica of the same market and is
 *   below its load bound takes it (replicas of one market on different nodes);
 * - the bound is `ceil(1.25 × replicas × capacity / Σ capacity)` (consistent hashing with bounded
 *   loads): no node gets more than 25 % over its share, whatever the hash;
 * - depth caches are placed in the order of their hash (not their name), so the bound does not
 *   favour markets early in the alphabet.
 *
 * When a node leaves, only the replicas it held (plus the few the bound pushes on) move; when one
 * joins, it takes about its share, mostly from replicas it now wins outright. Why not a KV lease
 * (one elected placer): see docs/cluster.md.
 *
 * @example Two replicas of one market land on two different nodes, the same for every caller
 * ```ts
 * import { assertEquals, assertNotEquals } from "@std/assert";
 * import { place } from "./placement.ts";
 *
 * const nodes = [{ id: "a", capacity: 1 }, { id: "b", capacity: 1 }, { id: "c", capacity: 1 }];
 * const dcs = [{ exchange: "binance.com", market: "BTCUSDT", desiredQuantity: 2 }];
 * const p = place(dcs, nodes);
 * const [first, second] = p.get("binance=com.BTCUSDT")!;
 * assertNotEquals(first, second);
 * assertEquals(place(dcs, [...nodes].reverse()), p);
 * ```
 *
 * @module
 */
import { dcId } from "./protocol.ts";

/** What placement needs of a desired depth cache. */
export interface PlacementDc {
  /** Exchange name. */
  readonly exchange: string;
  /** Symbol. */
  readonly market: string;
  /** Replicas wanted. */
  readonly desiredQuantity: number;
}

/** What placement needs of a live node. */
export interface PlacementNode {
  /** Node id. */
  readonly id: string;
  /** Relative weight (> 0). */
  readonly capacity: number;
}

/** Load-bound factor: no node gets more than this times its capacity share. */
export const LOAD_BOUND = 1.25;

/**
 * A 53-bit string hash (cyrb53: two 32-bit multiply-xorshift lanes mixed at the end), fast enough
 * to score every node for every replica on each membership change.
 *
 * @param text Input.
 * @returns An integer in [0, 2^53).
 */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The weighted rendezvous score of a node for one replica.
 *
 * @param key The replica's key (`exchange|market|index`).
 * @param node The node.
 * @returns `-capacity / ln(h)` with `h` in (0, 1) from the hash; higher wins.
 */
export function score(key: string, node: PlacementNode): number {
  // 53 bits → a double in (0, 1), never 0 or 1
  const h = (hash53(`${key}|${node.id}`) + 0.5) / 2 ** 53;
  return -node.capacity / Math.log(h);
}

/**
 * Assigns every replica of every depth cache to a node (see the module docs).
 *
 * @param dcs The desired depth caches.
 * @param nodes The live nodes (any order; duplicates by id are ignored).
 * @returns Depth-cache id (`dcId`) → node ids, replica 0 first; a depth cache with more replicas
 *   than nodes gets one per node. Deterministic: the same inputs in any order give the same map.
 * @throws {RangeError} When a node's capacity is not a positive number.
 */
export function place(
  dcs: readonly PlacementDc[],
  nodes: readonly PlacementNode[],
): Map<string, string[]> {
  const byId = new Map<string, PlacementNode>();
  for (const n of nodes) {
    if (!(n.capacity > 0) || !Number.isFinite(n.capacity)) {
      throw new RangeError(`Invalid capacity ${n.capacity} of node ${n.id}: must be a positive number`);
    }
    if (!byId.has(n.id)) byId.set(n.id, n);
  }
  const live = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out = new Map<string, string[]>();
  const ordered = dcs
    .map((dc) => ({ dc, id: dcId(dc.exchange, dc.market), h: hash53(`${dc.exchange}|${dc.market}`) }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (live.length === 0) {
    for (const { id } of ordered) out.set(id, []);
    return out;
  }
  let total = 0;
  for (const { dc } of ordered) total += Math.min(dc.desiredQuantity, live.length);
  const capSum = live.reduce((s, n) => s + n.capacity, 0);
  const bound = new Map(live.map((n) => [n.id, Math.ceil((LOAD_BOUND * total * n.capacity) / capSum)]));
  const load = new Map(live.map((n) => [n.id, 0]));
  for (const { dc, id } of ordered) {
    const chosen: string[] = [];
    const want = Math.min(dc.desiredQuantity, live.length);
    for (let i = 0; i < want; i++) {
      const key = `${dc.exchange}|${dc.market}|${i}`;
      let best: PlacementNode | undefined;
      let bestScore = -Infinity;
      let fallback: PlacementNode | undefined;
      let fallbackScore = -Infinity;
      for (const n of live) {
        if (chosen.includes(n.id)) continue;
        const s = score(key, n);
        if (load.get(n.id)! < bound.get(n.id)!) {
          if (s > bestScore) [best, bestScore] = [n, s];
        } else if (s > fallbackScore) [fallback, fallbackScore] = [n, s];
      }
      // every node at its bound can only happen through rounding; then the hash decides alone
      const pick = best ?? fallback!;
      chosen.push(pick.id);
      load.set(pick.id, load.get(pick.id)! + 1);
    }
    out.set(id, chosen);
  }
  return out;
}

/**
 * The replicas one node should host.
 *
 * @param placement The result of {@link place}.
 * @param nodeId The node.
 * @returns The depth-cache ids assigned to that node.
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { assignedTo } from "./placement.ts";
 * assertEquals(assignedTo(new Map([["x.A", ["n1", "n2"]], ["x.B", ["n2"]]]), "n1"), ["x.A"]);
 * ```
 */
export function assignedTo(placement: ReadonlyMap<string, readonly string[]>, nodeId: string): string[] {
  const out: string[] = [];
  for (const [id, nodes] of placement) if (nodes.includes(nodeId)) out.push(id);
  return out;
}
