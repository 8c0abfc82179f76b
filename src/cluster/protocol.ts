/**
 * The records and messages every role of the depth-cache cluster shares, as zod schemas annotated
 * with their interfaces: what lives in the coordination buckets (desired depth caches, node
 * records with heartbeat and load, replica reports, sealed credentials, the cluster config), what a
 * router asks a node for, and the request parameters of the UBDCC-compatible and `/v1` APIs.
 *
 * A record read from a bucket is parsed with its schema; a record that does not parse is ignored
 * by the views (a member of another version cannot corrupt them).
 *
 * @example Parse a desired depth cache
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { DesiredDepthCacheSchema } from "./protocol.ts";
 *
 * const dc = DesiredDepthCacheSchema.parse({
 *   exchange: "binance.com", market: "BTCUSDT", desiredQuantity: 2,
 *   updateInterval: null, refreshInterval: null, createdAt: 1,
 * });
 * assertEquals(dc.desiredQuantity, 2);
 * ```
 *
 * @module
 */
import { z } from "zod";
import { EXCHANGE_NAMES, type ExchangeName, getExchange } from "../core/exchanges.ts";

/** State of one replica as its node reports it. */
export type ReplicaState = "SYNCING" | "LIVE" | "OUT_OF_SYNC" | "STOPPED";

/** The replica states. */
export const REPLICA_STATES: readonly ReplicaState[] = Object.freeze([
  "SYNCING",
  "LIVE",
  "OUT_OF_SYNC",
  "STOPPED",
]);

/** Exchanges a depth cache can run on (those with depth snapshots and market streams). */
export const DEPTH_EXCHANGES: readonly ExchangeName[] = Object.freeze(
  EXCHANGE_NAMES.filter((n) => {
    const ex = getExchange(n);
    return ex.depthSnapshot !== null && ex.marketStreams;
  }),
);

/** UBDCC's account groups: every exchange's API keys belong to one of them. */
export const ACCOUNT_GROUPS: readonly string[] = Object.freeze([
  "binance.com",
  "binance.com-testnet",
  "binance.com-futures-testnet",
  "binance.us",
  "binance.tr",
]);

/**
 * The account group of an exchange (UBDCC `EXCHANGE_TO_ACCOUNT_GROUP`).
 *
 * @param exchange An exchange name.
 * @returns The group whose keys a node uses on that exchange.
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { accountGroupOf } from "./protocol.ts";
 * assertEquals(accountGroupOf("binance.com-futures"), "binance.com");
 * assertEquals(accountGroupOf("trbinance.com"), "binance.tr");
 * ```
 */
export function accountGroupOf(exchange: string): string {
  if (exchange === "binance.us") return "binance.us";
  if (exchange === "trbinance.com") return "binance.tr";
  if (exchange === "binance.com-futures-testnet") return "binance.com-futures-testnet";
  if (exchange.endsWith("-testnet")) return "binance.com-testnet";
  return "binance.com";
}

const SYMBOL = /^[A-Z0-9_-]{1,40}$/;
const exchangeSchema: z.ZodType<ExchangeName> = z.enum(DEPTH_EXCHANGES as [ExchangeName, ...ExchangeName[]]);
const marketSchema: z.ZodType<string> = z.string().regex(
  SYMBOL,
  "expected an uppercase symbol such as BTCUSDT",
);
const nodeIdSchema: z.ZodType<string> = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** A depth cache the cluster should keep, with its replica count (`desiredQuantity`). */
export interface DesiredDepthCache {
  /** Exchange name (`binance.com`, `binance.com-futures`, …). */
  readonly exchange: ExchangeName;
  /** Uppercase symbol. */
  readonly market: string;
  /** Replicas on distinct nodes (UBDCC `desired_quantity`). */
  readonly desiredQuantity: number;
  /** Diff stream period in ms, or null for the venue's default. */
  readonly updateInterval: number | null;
  /** Refresh interval in seconds (UBDCC unit), or null for none. */
  readonly refreshInterval: number | null;
  /** Epoch ms of creation. */
  readonly createdAt: number;
}

/** Schema of {@link DesiredDepthCache}. */
export const DesiredDepthCacheSchema: z.ZodType<DesiredDepthCache> = z.strictObject({
  exchange: exchangeSchema,
  market: marketSchema,
  desiredQuantity: z.number().int().min(1).max(16),
  updateInterval: z.number().int().positive().nullable(),
  refreshInterval: z.number().positive().nullable(),
  createdAt: z.number(),
});

/** Load a node reports with its heartbeat (for placement weights and `/get_cluster_info`). */
export interface NodeLoad {
  /** Replicas the node hosts. */
  readonly replicas: number;
  /** REST weight its snapshot schedulers used in the current minute. */
  readonly weightUsed: number;
  /** The weight budget per minute of its schedulers. */
  readonly weightLimit: number;
}

/** A node's membership record, rewritten on every heartbeat. */
export interface NodeRecord {
  /** Stable id (key token). */
  readonly id: string;
  /** Human name. */
  readonly name: string;
  /** Base URL of its read API (router → node). */
  readonly url: string;
  /** Relative placement weight (e.g. cores); 1 by default. */
  readonly capacity: number;
  /** Epoch ms of the last heartbeat. */
  readonly heartbeatAt: number;
  /** Epoch ms of the start. */
  readonly startedAt: number;
  /** ECDH P-256 public key (JWK) credentials are sealed to. */
  readonly publicKey: JsonWebKey;
  /** Current load. */
  readonly load: NodeLoad;
  /** Library version. */
  readonly version: string;
  /** True while the node leaves: placement skips it, routers still read it until its replicas moved. */
  readonly draining?: boolean;
}

const jwkSchema: z.ZodType<JsonWebKey> = z.object({
  kty: z.string(),
  crv: z.string().optional(),
  x: z.string().optional(),
  y: z.string().optional(),
}).passthrough() as unknown as z.ZodType<JsonWebKey>;

/** Schema of {@link NodeRecord}. */
export const NodeRecordSchema: z.ZodType<NodeRecord> = z.strictObject({
  id: nodeIdSchema,
  name: z.string().min(1).max(128),
  url: z.string().url(),
  capacity: z.number().positive(),
  heartbeatAt: z.number(),
  startedAt: z.number(),
  publicKey: jwkSchema,
  load: z.strictObject({
    replicas: z.number().int().min(0),
    weightUsed: z.number().min(0),
    weightLimit: z.number().min(0),
  }),
  version: z.string(),
  draining: z.boolean().optional(),
});

/** What a node reports per replica (on every state change and every few seconds). */
export interface ReplicaReport {
  /** Exchange name. */
  readonly exchange: ExchangeName;
  /** Symbol. */
  readonly market: string;
  /** The hosting node. */
  readonly nodeId: string;
  /** SYNCING / LIVE / OUT_OF_SYNC / STOPPED. */
  readonly state: ReplicaState;
  /** Update id of the served book (-1 when none). */
  readonly lastUpdateId: number;
  /** Event time of the last applied event (epoch ms, 0 when none). */
  readonly lastEventTime: number;
  /** Receive time minus event time of the last applied event (ms). */
  readonly receiveLagMs: number;
  /** Times the book left LIVE. */
  readonly resyncs: number;
  /** Epoch ms of the report. */
  readonly reportedAt: number;
}

/** Schema of {@link ReplicaReport}. */
export const ReplicaReportSchema: z.ZodType<ReplicaReport> = z.strictObject({
  exchange: exchangeSchema,
  market: marketSchema,
  nodeId: nodeIdSchema,
  state: z.enum(REPLICA_STATES as [ReplicaState, ...ReplicaState[]]),
  lastUpdateId: z.number(),
  lastEventTime: z.number(),
  receiveLagMs: z.number(),
  resyncs: z.number().int().min(0),
  reportedAt: z.number(),
});

/** A credential sealed for one node: ECDH (ephemeral P-256) + HKDF-SHA-256 + AES-256-GCM. */
export interface SealedBox {
  /** The ephemeral public key (JWK). */
  readonly epk: JsonWebKey;
  /** AES-GCM IV, base64. */
  readonly iv: string;
  /** Ciphertext with tag, base64. */
  readonly ct: string;
}

/** A credential record: metadata in clear, the key pair only sealed per node. */
export interface CredentialRecord {
  /** UUID. */
  readonly id: string;
  /** Account group (see {@link ACCOUNT_GROUPS}). */
  readonly accountGroup: string;
  /** Epoch ms when added. */
  readonly addedAt: number;
  /** UBDCC's masked preview: first 4 characters, `*`, last 2. */
  readonly apiKeyPreview: string;
  /** Node id → the API key and secret sealed for that node. */
  readonly sealed: Readonly<Record<string, SealedBox>>;
}

/** Schema of {@link CredentialRecord}. */
export const CredentialRecordSchema: z.ZodType<CredentialRecord> = z.strictObject({
  id: z.string().uuid(),
  accountGroup: z.enum(ACCOUNT_GROUPS as [string, ...string[]]),
  addedAt: z.number(),
  apiKeyPreview: z.string(),
  sealed: z.record(
    z.string(),
    z.strictObject({ epk: jwkSchema, iv: z.string(), ct: z.string() }),
  ),
});

/** Cluster-wide settings, written once by the first member; every member uses the stored ones. */
export interface ClusterConfig {
  /** Node heartbeat period (ms). */
  readonly heartbeatMs: number;
  /** A node whose last heartbeat is older than this is dead for everyone (ms). */
  readonly nodeTimeoutMs: number;
  /** Periodic replica report period (ms); changes are reported at once. */
  readonly reportMs: number;
}

/** Schema of {@link ClusterConfig}. */
export const ClusterConfigSchema: z.ZodType<ClusterConfig> = z.strictObject({
  heartbeatMs: z.number().int().min(10),
  nodeTimeoutMs: z.number().int().min(30),
  reportMs: z.number().int().min(10),
});

/** The defaults of {@link ClusterConfig}: heartbeat 2 s, dead after 6 s, reports every 3 s. */
export const DEFAULT_CLUSTER_CONFIG: ClusterConfig = Object.freeze({
  heartbeatMs: 2000,
  nodeTimeoutMs: 6000,
  reportMs: 3000,
});

/** A router's read request to a node. */
export interface NodeReadRequest {
  /** Exchange name. */
  readonly exchange: ExchangeName;
  /** Symbol. */
  readonly market: string;
  /** Which side. */
  readonly side: "asks" | "bids";
  /** At most this many levels. */
  readonly limitCount?: number;
  /** UBLDC threshold volume (quote notional). */
  readonly thresholdVolume?: number;
}

/** A node's answer to a {@link NodeReadRequest}. */
export type NodeReadResponse =
  | {
    readonly ok: true;
    readonly lastUpdateId: number;
    readonly eventTime: number;
    readonly levels: [number, number][];
  }
  | { readonly ok: false; readonly reason: "out_of_sync" | "not_found" | "stopped"; readonly state: string };

/** Schema of {@link NodeReadResponse}. */
export const NodeReadResponseSchema: z.ZodType<NodeReadResponse> = z.union([
  z.object({
    ok: z.literal(true),
    lastUpdateId: z.number(),
    eventTime: z.number(),
    levels: z.array(z.tuple([z.number(), z.number()])),
  }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(["out_of_sync", "not_found", "stopped"]),
    state: z.string(),
  }),
]);

/** Parameters of a create request (both APIs, after field-name mapping). */
export interface CreateParams {
  /** Exchange name. */
  readonly exchange: ExchangeName;
  /** Symbols (uppercased). */
  readonly markets: readonly string[];
  /** Replicas (default 1). */
  readonly desiredQuantity: number;
  /** Diff stream period in ms or null. */
  readonly updateInterval: number | null;
  /** Refresh interval in seconds or null. */
  readonly refreshInterval: number | null;
}

const upperMarket: z.ZodType<string> = z.string().transform((s) => s.toUpperCase()).pipe(
  z.string().regex(SYMBOL, "expected a symbol such as BTCUSDT"),
);

/** Schema of {@link CreateParams} (markets are uppercased, at least one, at most 5000). */
export const CreateParamsSchema: z.ZodType<CreateParams, unknown> = z.strictObject({
  exchange: exchangeSchema,
  markets: z.array(upperMarket).min(1).max(5000),
  desiredQuantity: z.number().int().min(1).max(16).default(1),
  updateInterval: z.number().int().positive().nullable().default(null),
  refreshInterval: z.number().positive().nullable().default(null),
});

/** Parameters of a read (both APIs, after field-name mapping). */
export interface ReadParams {
  /** Exchange name. */
  readonly exchange: ExchangeName;
  /** Symbol. */
  readonly market: string;
  /** At most this many levels (integer ≥ 0). */
  readonly limitCount?: number;
  /** Quote notional threshold (≥ 0). */
  readonly thresholdVolume?: number;
}

/** Schema of {@link ReadParams}. */
export const ReadParamsSchema: z.ZodType<ReadParams, unknown> = z.strictObject({
  exchange: exchangeSchema,
  market: upperMarket,
  limitCount: z.number().int().min(0).optional(),
  thresholdVolume: z.number().min(0).optional(),
});

/** Parameters of `add_credentials`. */
export interface AddCredentialsParams {
  /** Account group. */
  readonly accountGroup: string;
  /** API key. */
  readonly apiKey: string;
  /** API secret (HMAC) or private key (PEM). */
  readonly apiSecret: string;
}

/** Schema of {@link AddCredentialsParams}. */
export const AddCredentialsParamsSchema: z.ZodType<AddCredentialsParams, unknown> = z.strictObject({
  accountGroup: z.enum(ACCOUNT_GROUPS as [string, ...string[]]),
  apiKey: z.string().min(8).max(512).regex(/^[^\s]+$/, "expected no whitespace"),
  apiSecret: z.string().min(8).max(8192),
});

/**
 * The key token of an exchange name (`binance.com-futures` → `binance=com-futures`): `.` is not
 * allowed inside a key token, `=` never occurs in exchange names, so the mapping is reversible.
 *
 * @param exchange An exchange name.
 * @returns The token.
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { exchangeToken } from "./protocol.ts";
 * assertEquals(exchangeToken("binance.com-coin_futures"), "binance=com-coin_futures");
 * ```
 */
export function exchangeToken(exchange: string): string {
  return exchange.replaceAll(".", "=");
}

/**
 * The identity of a depth cache inside the cluster (`<exchange token>.<MARKET>`).
 *
 * @param exchange Exchange name.
 * @param market Symbol (uppercase).
 * @returns The key suffix used in the buckets and in placement.
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { dcId } from "./protocol.ts";
 * assertEquals(dcId("binance.com", "BTCUSDT"), "binance=com.BTCUSDT");
 * ```
 */
export function dcId(exchange: string, market: string): string {
  return `${exchangeToken(exchange)}.${market}`;
}

/**
 * UBDCC's masked API-key preview (first 4 characters, `*`, last 2).
 *
 * @param apiKey The key.
 * @returns The preview.
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { apiKeyPreview } from "./protocol.ts";
 * assertEquals(apiKeyPreview("abcdefghijkl"), "abcd*kl");
 * ```
 */
export function apiKeyPreview(apiKey: string): string {
  return `${apiKey.slice(0, 4)}*${apiKey.slice(-2)}`;
}
