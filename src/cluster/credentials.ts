/**
 * Where a credential is delivered: only the live nodes that host (by placement) a depth cache of
 * an exchange in the credential's account group — or, while no node needs the group yet, every
 * live node, so the key survives until one does. A member that holds the key in clear seals it for
 * the targets that lack a box and drops the boxes of nodes that are no longer targets; the router
 * does so when the key is added, afterwards the lowest-id live holder among the nodes does.
 *
 * @module
 */
import { accountGroupOf, apiKeyPreview, type CredentialRecord, type SealedBox } from "./protocol.ts";
import { type CredentialSecret, seal } from "./sealing.ts";
import type { ClusterState } from "./state.ts";

/**
 * The node ids a credential of `group` should be sealed for (see the module docs).
 *
 * @param state The cluster view.
 * @param group The account group.
 * @param now Epoch ms.
 * @returns Node ids, sorted.
 */
export function sealTargets(state: ClusterState, group: string, now: number = Date.now()): string[] {
  const live = state.liveNodes(now);
  const liveIds = new Set(live.map((n) => n.id));
  const need = new Set<string>();
  const placement = state.placement(now);
  for (const [id, dc] of state.desired) {
    if (accountGroupOf(dc.exchange) !== group) continue;
    for (const n of placement.get(id) ?? []) if (liveIds.has(n)) need.add(n);
  }
  const out = need.size > 0 ? [...need] : [...liveIds];
  return out.sort();
}

/**
 * The boxes a credential should have: existing boxes of targets kept, missing ones sealed.
 *
 * @param state The cluster view (node public keys).
 * @param record The current record (or the metadata of a new one with no boxes).
 * @param secret The clear key and secret.
 * @param now Epoch ms.
 * @returns The new box map, or null when nothing changes.
 */
export async function resealed(
  state: ClusterState,
  record: Pick<CredentialRecord, "accountGroup" | "sealed">,
  secret: CredentialSecret,
  now: number = Date.now(),
): Promise<Record<string, SealedBox> | null> {
  const targets = sealTargets(state, record.accountGroup, now);
  if (targets.length === 0) return null;
  const have = Object.keys(record.sealed).sort();
  if (have.length === targets.length && have.every((id, i) => id === targets[i])) return null;
  const out: Record<string, SealedBox> = {};
  for (const id of targets) {
    const existing = record.sealed[id];
    const node = state.nodes.get(id);
    if (existing) out[id] = existing;
    else if (node) out[id] = await seal(node.publicKey, id, secret);
  }
  return out;
}

/**
 * A new credential record sealed for its targets.
 *
 * @param state The cluster view.
 * @param accountGroup The group.
 * @param secret The key and secret.
 * @returns The record, or null when no node is live to seal it for.
 */
export async function newCredential(
  state: ClusterState,
  accountGroup: string,
  secret: CredentialSecret,
): Promise<CredentialRecord | null> {
  const sealed = await resealed(state, { accountGroup, sealed: {} }, secret);
  if (!sealed || Object.keys(sealed).length === 0) return null;
  return {
    id: crypto.randomUUID(),
    accountGroup,
    addedAt: Date.now(),
    apiKeyPreview: apiKeyPreview(secret.apiKey),
    sealed,
  };
}

/** A credential a node holds in clear: its id, account group and when it was added. */
export interface HeldCredential {
  /** Credential id. */
  readonly id: string;
  /** Account group. */
  readonly group: string;
  /** Epoch ms of the addition. */
  readonly addedAt: number;
}

/**
 * The credential a node's REST client of an exchange carries: the oldest held one of the
 * exchange's account group (ties by id), so every node uses the same key and a newer one waits
 * until the older is removed.
 *
 * @example The oldest binance.com key, whatever the order
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { credentialFor } from "./credentials.ts";
 *
 * const held = [
 *   { id: "b", group: "binance.com", addedAt: 20 },
 *   { id: "a", group: "binance.com", addedAt: 10 },
 *   { id: "u", group: "binance.us", addedAt: 1 },
 * ];
 * assertEquals(credentialFor(held, "binance.com-futures")?.id, "a");
 * assertEquals(credentialFor(held, "binance.com-testnet"), undefined);
 * ```
 *
 * @param held The credentials the node holds.
 * @param exchange The exchange of the REST client.
 * @returns The credential to use, or undefined when the node holds none of the group.
 */
export function credentialFor<T extends HeldCredential>(held: Iterable<T>, exchange: string): T | undefined {
  const group = accountGroupOf(exchange);
  let best: T | undefined;
  for (const c of held) {
    if (c.group !== group) continue;
    if (!best || c.addedAt < best.addedAt || (c.addedAt === best.addedAt && c.id < best.id)) best = c;
  }
  return best;
}
