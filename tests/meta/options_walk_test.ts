// Every public options object refuses an unknown key by name. The table below calls each one with
// `{ ...valid, bogusKey: 1 }`; a second test reads the sub-path entry files and fails when an
// exported `*Options` type is neither in the table nor excluded with a reason.
import { describe, it } from "node:test";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { projectPath } from "../_data.ts";
import { Backoff, backoffDelay, getExchange, ServerClock, userDataStreamUrl } from "../../src/core/mod.ts";
import { BinanceRestClient, RestClientCore, WeightBudget } from "../../src/rest/mod.ts";
import {
  BinanceWebSocketManager,
  BoundedQueue,
  ConnectAttemptBudget,
  planConnections,
} from "../../src/ws/mod.ts";
import {
  BinanceLocalDepthCacheManager,
  createOrderBook,
  DepthSync,
  SnapshotScheduler,
} from "../../src/depthcache/mod.ts";
import { createUnicornfy, unicornfy } from "../../src/unicornfy/mod.ts";
import {
  BinanceTrailingStopLossManager,
  telegramSink,
  trailConfig,
  webhookSink,
} from "../../src/trailing/mod.ts";
import {
  BinanceDepthCacheClusterClient,
  ClusterNode,
  ClusterRouter,
  ClusterState,
  MemoryCoordination,
  startEmbeddedCluster,
} from "../../src/cluster/mod.ts";
import { NatsCoordination } from "../../src/cluster/coordination_nats.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { after } from "node:test";

const bogus = { bogusKey: 1 };
// deno-lint-ignore no-explicit-any
type Any = any;

/** Runs `fn` and expects a TypeError naming `bogusKey` (thrown or as a rejection). */
async function refuses(fn: () => unknown): Promise<void> {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    assert(e instanceof TypeError, `expected a TypeError, got ${e}`);
    assert(/\bbogusKey\b/.test(e.message), e.message);
    return;
  }
  const it = result as { next?: () => Promise<unknown>; then?: unknown };
  const promise = typeof it?.then === "function"
    ? result as Promise<unknown>
    : typeof it?.next === "function"
    ? it.next!()
    : undefined;
  assert(promise !== undefined, "neither threw nor returned a promise or an iterator");
  const e = await assertRejects(() => promise, TypeError);
  assert(/\bbogusKey\b/.test(e.message), e.message);
}

const rest = (): BinanceRestClient =>
  new BinanceRestClient({ fetch: () => Promise.reject(new Error("no request may be sent")) });
const ws = (): BinanceWebSocketManager => new BinanceWebSocketManager({});
const dcm = (): BinanceLocalDepthCacheManager => new BinanceLocalDepthCacheManager({});
const book = () => createOrderBook({ family: "spot", priceScale: 2 });
const SECRET = "cluster-secret-0123456789abcdef";
const client = () => new BinanceDepthCacheClusterClient({ baseUrl: "http://127.0.0.1:1" });
let emulator: Emulator | undefined;
const emu = async (): Promise<Emulator> => emulator ??= await startEmulator({ paused: true });
after(() => emulator?.close());

/** Type name → the calls that must refuse `bogusKey`. */
const TABLE: Record<string, (() => unknown)[]> = {
  // src/core
  BackoffOptions: [
    () => backoffDelay(0, { baseMs: 1, maxMs: 2, ...bogus } as Any),
    () => new Backoff({ baseMs: 1, maxMs: 2, ...bogus } as Any),
  ],
  ServerClockOptions: [() => new ServerClock(bogus as Any)],
  UserDataStreamUrlOptions: [
    () => userDataStreamUrl(getExchange("binance.com-futures"), { listenKey: "k", ...bogus } as Any),
  ],
  // src/rest
  RestClientOptions: [
    () => new RestClientCore(bogus as Any),
    () => new BinanceRestClient({ baseUrls: { api: "http://127.0.0.1:1", ...bogus } } as Any),
    () => new BinanceRestClient({ backoff: { baseMs: 1, ...bogus } } as Any),
  ],
  BinanceRestClientOptions: [() => new BinanceRestClient(bogus as Any)],
  WeightBudgetOptions: [
    () => new WeightBudget({ limit: 10, ...bogus } as Any),
    () => new BinanceRestClient({ weightBudget: { limit: 10, ...bogus } } as Any),
  ],
  OrderShortcutOptions: [
    () => rest().orderLimitBuy({ symbol: "BTCUSDT", quantity: 1, price: 1, ...bogus } as Any),
    () => rest().orderLimitSell({ symbol: "BTCUSDT", quantity: 1, price: 1, ...bogus } as Any),
    () => rest().orderLimit({ symbol: "BTCUSDT", side: "BUY", quantity: 1, price: 1, ...bogus } as Any),
    () => rest().orderMarketBuy({ symbol: "BTCUSDT", quantity: 1, ...bogus } as Any),
    () => rest().orderMarketSell({ symbol: "BTCUSDT", quantity: 1, ...bogus } as Any),
    () => rest().orderMarket({ symbol: "BTCUSDT", side: "SELL", quantity: 1, ...bogus } as Any),
  ],
  HistoricalKlinesOptions: [
    () => rest().historicalKlines({ symbol: "BTCUSDT", interval: "1m", start: 0, ...bogus } as Any),
  ],
  CallOptions: [
    () => rest().getSymbolInfo("BTCUSDT", bogus as Any),
    () => rest().reconcileOrder({ endpoint: "POST /api/v3/order", newClientOrderId: "x" }, bogus as Any),
    () => rest().reconcileOrder({ endpoint: "POST /api/v3/order", newClientOrderId: "x", ...bogus } as Any),
  ],
  // src/ws
  BinanceWebSocketManagerOptions: [() => new BinanceWebSocketManager(bogus as Any)],
  CreateStreamOptions: [
    () => ws().createStream(["trade"], ["btcusdt"], bogus as Any),
    () => ws().replaceStream("none", ["trade"], ["btcusdt"], bogus as Any),
    () => ws().subscribe("none", { markets: ["btcusdt"], ...bogus } as Any),
    () => ws().unsubscribe("none", { markets: ["btcusdt"], ...bogus } as Any),
    () => ws().getStreamSubscriptions("none", bogus as Any),
  ],
  ApiStreamOptions: [() => ws().createApiStream(bogus as Any)],
  UserDataStreamOptions: [() => ws().createUserDataStream({ apiKey: "k", ...bogus } as Any)],
  ApiCallOptions: [
    () => ws().api.spot.ping(bogus as Any),
    () => ws().api.futures.ping(bogus as Any),
  ],
  BoundedQueueOptions: [() => new BoundedQueue(bogus as Any), () => ws().stream("none", bogus as Any)],
  ConnectAttemptBudgetOptions: [() => new ConnectAttemptBudget(bogus as Any)],
  PlanOptions: [() => planConnections(["a@trade"], { maxStreamsPerConnection: 1, ...bogus } as Any)],
  // src/depthcache
  DepthCacheManagerOptions: [
    () => new BinanceLocalDepthCacheManager(bogus as Any),
    () => new BinanceLocalDepthCacheManager({ restOptions: bogus } as Any),
    () => new BinanceLocalDepthCacheManager({ wsOptions: bogus } as Any),
  ],
  CreateDepthCacheOptions: [() => dcm().createDepthCache("BTCUSDT", bogus as Any)],
  LevelReadOptions: [
    () => dcm().getAsks("BTCUSDT", bogus as Any),
    () => dcm().getBids("BTCUSDT", bogus as Any),
  ],
  BookReadOptions: [() => dcm().getBook("BTCUSDT", bogus as Any)],
  SnapshotSchedulerOptions: [() => new SnapshotScheduler({ weightLimit: 10, ...bogus } as Any)],
  BookOptions: [() => createOrderBook({ family: "spot", priceScale: 2, ...bogus } as Any)],
  ReadOptions: [() => book().read("bids", bogus as Any), () => book().count("asks", bogus as Any)],
  DepthSyncOptions: [() => new DepthSync(book(), bogus as Any)],
  // src/unicornfy
  UnicornfyOptions: [
    () => unicornfy("{}", { exchange: "binance.com", ...bogus } as Any),
    () => createUnicornfy({ exchange: "binance.com", ...bogus } as Any),
  ],
  // src/trailing
  TrailingStopLossOptions: [
    () =>
      new BinanceTrailingStopLossManager(
        { exchange: "binance.com", market: "BTCUSDT", stopLossLimit: "1%", ...bogus } as Any,
      ),
  ],
  TrailOptions: [() => trailConfig({ side: "SELL", distance: "1%", ...bogus } as Any)],
  TelegramSinkOptions: [() => telegramSink({ botToken: "1:x", chatId: "1", ...bogus } as Any)],
  WebhookSinkOptions: [() => webhookSink({ url: "http://127.0.0.1:1", ...bogus } as Any)],
  // src/cluster
  ClusterClientOptions: [
    () => new BinanceDepthCacheClusterClient({ baseUrl: "http://127.0.0.1:1", ...bogus } as Any),
  ],
  ClusterCreateOptions: [() => client().createDepthCache("binance.com", "BTCUSDT", bogus as Any)],
  ClusterReadOptions: [() => client().getAsks("binance.com", "BTCUSDT", bogus as Any)],
  ClusterRouterOptions: [
    () =>
      ClusterRouter.start({ coordination: new MemoryCoordination(), clusterSecret: SECRET, ...bogus } as Any),
  ],
  ClusterNodeOptions: [
    () =>
      ClusterNode.start({ coordination: new MemoryCoordination(), clusterSecret: SECRET, ...bogus } as Any),
  ],
  NodeManagerOptions: [
    () =>
      ClusterNode.start(
        { coordination: new MemoryCoordination(), clusterSecret: SECRET, managerOptions: bogus } as Any,
      ),
  ],
  ClusterStateOptions: [() => ClusterState.open(new MemoryCoordination(), bogus as Any)],
  EmbeddedClusterOptions: [() => startEmbeddedCluster(bogus as Any)],
  KvWatchOptions: [async () => (await new MemoryCoordination().bucket("walk")).watch(bogus as Any)],
  NatsCoordinationOptions: [
    () => NatsCoordination.connect({ servers: ["nats://127.0.0.1:1"], ...bogus } as Any),
  ],
  NatsTlsOptions: [() => NatsCoordination.connect({ servers: ["nats://127.0.0.1:1"], tls: bogus } as Any)],
  // src/testing
  EmulatorOptions: [() => startEmulator(bogus as Any)],
  AccountOptions: [() => startEmulator({ accounts: [{ apiKey: "k", secretKey: "s", ...bogus }] } as Any)],
  LimitOptions: [() => startEmulator({ limits: bogus } as Any)],
  MarketOptions: [() => startEmulator({ markets: [{ symbol: "XUSDT", ...bogus }] } as Any)],
  ReplayOptions: [() => startEmulator({ replay: bogus } as Any)],
  DriveOptions: [async () => (await emu()).drive("BTCUSDT", ["60000.00", "60001.00"], bogus as Any)],
  CoverageOptions: [async () => (await emu()).recordCoverage("BTCUSDT", { apiKey: "k", ...bogus } as Any)],
};

/** Exported `*Options` types that are not configuration objects of the library, and why. */
const EXCLUDED: Record<string, string> = {
  BinanceApiErrorOptions: "constructor data of an error the library raises, not configuration",
  IpBannedErrorOptions: "constructor data of an error the library raises, not configuration",
  RateLimitErrorOptions: "constructor data of an error the library raises, not configuration",
  OrderStatusUnknownErrorOptions: "constructor data of an error the library raises, not configuration",
  ApiRequestOptions: "the internal session's request options; callers pass ApiCallOptions (checked)",
  WebSocketManagerBaseOptions:
    "the shared base of BinanceWebSocketManagerOptions and a depth-cache manager's " +
    "wsOptions (checked through both)",
  HttpSinkOptions: "the shared base of TelegramSinkOptions and WebhookSinkOptions (checked through both)",
  CliOptions: "what parseArgs returns (flags are parsed, not passed in): an unknown flag is a usage error " +
    "(tests/trailing/cli_args_test.ts)",
  VenueOptions: "what a node's venue function returns: its restOptions / wsOptions go to the depth-cache " +
    "manager, which refuses unknown keys (DepthCacheManagerOptions)",
  ConnectionOptions: "the NATS client's own type, imported by coordination_nats.ts, not exported",
};
/** REST endpoint parameters: sent to Binance as given (docs/rest.md "Validation"). */
const BINANCE_PARAMETERS = [
  "AggTradesOptions",
  "BorrowRepayOptions",
  "CancelOrderOptions",
  "CancelReplaceOptions",
  "ContinuousKlinesOptions",
  "DepthOptions",
  "ExchangeInfoOptions",
  "FundingRateOptions",
  "FuturesHistoryOptions",
  "FuturesOrderOptions",
  "FuturesOrderRefOptions",
  "HistoryOptions",
  "IncomeOptions",
  "KlinesOptions",
  "MarginHistoryOptions",
  "MarginOrderOptions",
  "MarginOrderRefOptions",
  "NewOrderOptions",
  "OpenInterestHistOptions",
  "OptionalSymbolOptions",
  "OrderListOptions",
  "OrderRefOptions",
  "PositionMarginOptions",
  "RollingTickerOptions",
  "SymbolOptions",
  "SymbolsOptions",
  "TradesOptions",
  "UniversalTransferOptions",
  "WalletHistoryOptions",
  "ConvertQuoteOptions",
  "EarnPageOptions",
  "OptionsOrderOptions",
  "OptionsOrderRefOptions",
  "SubAccountTransferOptions",
  "SubKeyOptions",
  "LoanOptions",
];
for (const name of BINANCE_PARAMETERS) {
  EXCLUDED[name] = "Binance request parameters, sent as given: Binance refuses a parameter it does not read";
}

const ENTRIES = [
  "mod.ts",
  "src/core/mod.ts",
  "src/rest/mod.ts",
  "src/ws/mod.ts",
  "src/depthcache/mod.ts",
  "src/unicornfy/mod.ts",
  "src/trailing/mod.ts",
  "src/cluster/mod.ts",
  "src/cluster/coordination_nats.ts",
  "src/testing/mod.ts",
];

/** The `*Options` names an entry file exports (also through `export type * from`). */
function exportedOptionTypes(entry: string): string[] {
  const text = readFileSync(projectPath(entry), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
  const names = new Set(text.match(/\b[A-Z]\w*Options\b/g) ?? []);
  for (const m of text.matchAll(/export type \* from "(\.[^"]+)"/g)) {
    const file = join(dirname(projectPath(entry)), m[1]);
    for (const d of readFileSync(file, "utf8").matchAll(/export (?:interface|type) ([A-Z]\w*Options)\b/g)) {
      names.add(d[1]);
    }
  }
  return [...names].sort();
}

describe("options: every public options object refuses an unknown key", () => {
  for (const [name, calls] of Object.entries(TABLE)) {
    it(`${name} (${calls.length} ${calls.length === 1 ? "call" : "calls"})`, async () => {
      for (const call of calls) await refuses(call);
    });
  }

  it("the table covers every exported *Options type (or excludes it with a reason)", () => {
    const missing: string[] = [];
    let seen = 0;
    for (const entry of ENTRIES) {
      for (const name of exportedOptionTypes(entry)) {
        seen++;
        if (!(name in TABLE) && !(name in EXCLUDED)) missing.push(`${entry}: ${name}`);
      }
    }
    assertEquals(missing, []);
    assert(seen > 50, `only ${seen} names found: the scan is broken`);
    for (const name of Object.keys(TABLE)) assert(!(name in EXCLUDED), `${name} is both tested and excluded`);
  });
});

describe("options: messages a newcomer meets", () => {
  it("BinanceRestClient { baseURL } says baseUrl", () => {
    assertThrows(
      () => new BinanceRestClient({ baseURL: "http://127.0.0.1:1" } as Any),
      TypeError,
      'Invalid BinanceRestClient options: unknown key "baseURL" (did you mean "baseUrl"?)',
    );
  });

  it("depth-cache manager { baseUrl, streamBase } says where they belong", () => {
    assertThrows(
      () => new BinanceLocalDepthCacheManager({ baseUrl: "http://x", streamBase: "ws://x" } as Any),
      TypeError,
      'Invalid BinanceLocalDepthCacheManager options: unknown keys "baseUrl" (did you mean "restOptions.baseUrl"?), "streamBase" (did you mean "wsOptions.streamBase"?)',
    );
  });

  it("a misspelled nested key is named with its path", () => {
    assertThrows(
      () => new BinanceLocalDepthCacheManager({ restOptions: { baseURL: "http://x" } } as Any),
      TypeError,
      'Invalid BinanceLocalDepthCacheManager options.restOptions: unknown key "baseURL" (did you mean "baseUrl"?)',
    );
    assertThrows(
      () => new BinanceRestClient({ baseUrls: { fApi: "http://x" } } as Any),
      TypeError,
      'Invalid BinanceRestClient options.baseUrls: unknown key "fApi" (did you mean "fapi"?)',
    );
  });

  it("Binance request parameters pass through (Binance judges them)", async () => {
    const sent: string[] = [];
    const client = new BinanceRestClient({
      fetch: (input) => {
        sent.push(String(input));
        return Promise.resolve(new Response("[]"));
      },
    });
    await client.getKlines({ symbol: "BTCUSDT", interval: "1m", newParam: "x" } as Any);
    assertEquals(sent, ["https://api.binance.com/api/v3/klines?symbol=BTCUSDT&interval=1m&newParam=x"]);
  });
});
