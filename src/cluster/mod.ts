/**
 * `unicorn-binance/cluster`: the depth-cache cluster — shared, redundant order books that many
 * bots, dashboards and services read over HTTP, surviving the loss of a machine. Roles `node`
 * (hosts replicas with `BinanceLocalDepthCacheManager`) and `router` (the UBDCC-compatible HTTP API
 * and `/v1`), coordinated through a small KV interface (in-process for one machine, NATS JetStream
 * KV for many), leaderless placement, and a typed client.
 *
 * ```ts
 * import { BinanceDepthCacheClusterClient, startEmbeddedCluster } from "./mod.ts";
 * import { assertEquals } from "@std/assert";
 *
 * await using cluster = await startEmbeddedCluster({ nodes: 2, emulator: { seed: 3 } });
 * const client = new BinanceDepthCacheClusterClient({ baseUrl: cluster.url });
 * assertEquals((await client.test()).message, "Hello World!");
 * ```
 *
 * @module
 */
export {
  BinanceDepthCacheClusterClient,
  ClusterApiError,
  type ClusterClientOptions,
  type ClusterCreateOptions,
  type ClusterCredential,
  type ClusterDepthCache,
  type ClusterInfo,
  type ClusterLevels,
  type ClusterReadOptions,
} from "./client.ts";
export {
  checkKey,
  type Coordination,
  CoordinationConflictError,
  type KvBucket,
  type KvEntry,
  type KvWatch,
  type KvWatchEvent,
  type KvWatchOptions,
} from "./coordination.ts";
export { MemoryCoordination } from "./coordination_memory.ts";
export {
  type EmbeddedCluster,
  type EmbeddedClusterOptions,
  type EmulatorUrls,
  emulatorUrls,
  emulatorVenue,
  startEmbeddedCluster,
} from "./embedded.ts";
export { type ClusterLog, formatLogLine, type LogLevel, memoryLog, silentLog } from "./log.ts";
export { ClusterNode, type ClusterNodeOptions, type NodeManagerOptions, type VenueOptions } from "./node.ts";
export {
  assignedTo,
  hash53,
  LOAD_BOUND,
  place,
  type PlacementDc,
  type PlacementNode,
  score,
} from "./placement.ts";
export {
  ACCOUNT_GROUPS,
  accountGroupOf,
  type AddCredentialsParams,
  apiKeyPreview,
  type ClusterConfig,
  type CreateParams,
  type CredentialRecord,
  dcId,
  DEFAULT_CLUSTER_CONFIG,
  DEPTH_EXCHANGES,
  type DesiredDepthCache,
  exchangeToken,
  type NodeLoad,
  type NodeReadRequest,
  type NodeReadResponse,
  type NodeRecord,
  type ReadParams,
  REPLICA_STATES,
  type ReplicaReport,
  type ReplicaState,
  type SealedBox,
} from "./protocol.ts";
export { ClusterRouter, type ClusterRouterOptions } from "./router.ts";
export { type CredentialSecret, NodeKeys, seal } from "./sealing.ts";
export {
  ClusterState,
  type ClusterStateOptions,
  type StateChangeKind,
  type StoredCredential,
} from "./state.ts";
export type { LocalNodeReader } from "./_router_ops.ts";
// types and errors of other modules that this entry's API uses
export { BinanceError } from "../core/errors.ts";
export type { ExchangeName } from "../core/exchanges.ts";
export type { BinanceLocalDepthCacheManager, DepthCacheManagerOptions } from "../depthcache/mod.ts";
export type { RestClientOptions } from "../rest/mod.ts";
export type { Emulator, EmulatorOptions } from "../testing/mod.ts";
export type { BinanceWebSocketManagerOptions } from "../ws/mod.ts";
