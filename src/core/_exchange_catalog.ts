/**
 * The venue records behind `exchanges.ts` (data only; the types, the lookup and the URL helpers
 * live there). One record per suite exchange string; every value is justified in a comment or in
 * `shared/reference/binance-api.md` §1, §6.4, §7, §8.
 *
 * @module
 */

import type { Exchange, ExchangeName, RestOrigins, RestPath } from "./exchanges.ts";

const MAINNET_REST = {
  api: "https://api.binance.com",
  sapi: "https://api.binance.com",
  fapi: "https://fapi.binance.com",
  dapi: "https://dapi.binance.com",
  eapi: "https://eapi.binance.com",
  papi: "https://papi.binance.com",
  futuresData: "https://fapi.binance.com",
} as const;

const FUTURES_TESTNET_ORIGIN = "https://testnet.binancefuture.com";
const FUTURES_TESTNET_REST: RestOrigins = {
  fapi: FUTURES_TESTNET_ORIGIN,
  dapi: FUTURES_TESTNET_ORIGIN,
  eapi: FUTURES_TESTNET_ORIGIN,
  futuresData: FUTURES_TESTNET_ORIGIN,
};

const SPOT_TIME: RestPath = { family: "api", path: "/api/v3/time" };
const SPOT_DEPTH: RestPath = { family: "api", path: "/api/v3/depth" };

type SpotFamily = Pick<
  Exchange,
  | "marketStreams"
  | "maxStreamsPerConnection"
  | "maxIncomingMessagesPerSecond"
  | "futuresRouting"
  | "depthSync"
  | "snapshotLimit"
  | "maxSnapshotLimit"
  | "depthSnapshot"
  | "serverTime"
>;

// Spot streams: 1024 streams and 5 incoming messages/s per connection (§1.2); spot sync rules (§7.1).
const SPOT_LIMITS: SpotFamily = {
  marketStreams: true,
  maxStreamsPerConnection: 1024,
  maxIncomingMessagesPerSecond: 5,
  futuresRouting: false,
  depthSync: "spot",
  snapshotLimit: 1000,
  maxSnapshotLimit: 5000,
  depthSnapshot: SPOT_DEPTH,
  serverTime: SPOT_TIME,
};

// Futures streams: Binance documents 1024, UBWA and ccxt enforce 200 to avoid 1008 closes; 10 msg/s.
const FUTURES_LIMITS = {
  marketStreams: true,
  maxStreamsPerConnection: 200,
  maxIncomingMessagesPerSecond: 10,
  depthSync: "futures",
  snapshotLimit: 1000,
  maxSnapshotLimit: 1000,
} as const;

const SPOT_MAIN = {
  rest: MAINNET_REST,
  testnet: false,
  streamBase: "wss://stream.binance.com:9443",
  wsApiBase: "wss://ws-api.binance.com:443/ws-api/v3",
  ...SPOT_LIMITS,
} as const;

// Spot testnet: no /sapi (so no margin listenToken either); stream host moved to stream.testnet.binance.vision.
const SPOT_TEST = {
  rest: { api: "https://testnet.binance.vision" },
  testnet: true,
  streamBase: "wss://stream.testnet.binance.vision",
  wsApiBase: "wss://ws-api.testnet.binance.vision/ws-api/v3",
  ...SPOT_LIMITS,
} as const;

const NO_LISTEN_KEY = { userDataToken: null, userDataStreamTemplate: null } as const;
const MARGIN_TOKEN: RestPath = { family: "sapi", path: "/sapi/v1/userListenToken" };

export const CATALOG: Readonly<Record<ExchangeName, Exchange>> = deepFreeze({
  "binance.com": {
    name: "binance.com",
    market: "spot",
    ...SPOT_MAIN,
    userData: "ws-api",
    ...NO_LISTEN_KEY,
  },
  "binance.com-testnet": {
    name: "binance.com-testnet",
    market: "spot",
    ...SPOT_TEST,
    userData: "ws-api",
    ...NO_LISTEN_KEY,
  },
  "binance.com-margin": {
    name: "binance.com-margin",
    market: "margin",
    ...SPOT_MAIN,
    // margin listenKey deprecated 2025-10-06; subscribe.signature would deliver the *spot* account (§8.3)
    userData: "listen-token",
    userDataToken: MARGIN_TOKEN,
    userDataStreamTemplate: null,
  },
  "binance.com-margin-testnet": {
    name: "binance.com-margin-testnet",
    market: "margin",
    ...SPOT_TEST,
    userData: "none",
    ...NO_LISTEN_KEY,
  },
  "binance.com-isolated_margin": {
    name: "binance.com-isolated_margin",
    market: "isolated_margin",
    ...SPOT_MAIN,
    userData: "listen-token",
    userDataToken: MARGIN_TOKEN,
    userDataStreamTemplate: null,
  },
  "binance.com-isolated_margin-testnet": {
    name: "binance.com-isolated_margin-testnet",
    market: "isolated_margin",
    ...SPOT_TEST,
    userData: "none",
    ...NO_LISTEN_KEY,
  },
  "binance.com-futures": {
    name: "binance.com-futures",
    market: "usdm",
    testnet: false,
    rest: MAINNET_REST,
    streamBase: "wss://fstream.binance.com",
    wsApiBase: "wss://ws-fapi.binance.com/ws-fapi/v1",
    ...FUTURES_LIMITS,
    futuresRouting: true,
    depthSnapshot: { family: "fapi", path: "/fapi/v1/depth" },
    serverTime: { family: "fapi", path: "/fapi/v1/time" },
    userData: "listen-key",
    userDataToken: { family: "fapi", path: "/fapi/v1/listenKey" },
    // since 2026-04-23 the listenKey is a query parameter and the events filter is required (§8.4)
    userDataStreamTemplate: "wss://fstream.binance.com/private/ws?listenKey={listenKey}&events={events}",
  },
  "binance.com-futures-testnet": {
    name: "binance.com-futures-testnet",
    market: "usdm",
    testnet: true,
    rest: FUTURES_TESTNET_REST,
    streamBase: "wss://stream.binancefuture.com",
    wsApiBase: "wss://testnet.binancefuture.com/ws-fapi/v1",
    ...FUTURES_LIMITS,
    futuresRouting: true,
    depthSnapshot: { family: "fapi", path: "/fapi/v1/depth" },
    serverTime: { family: "fapi", path: "/fapi/v1/time" },
    userData: "listen-key",
    userDataToken: { family: "fapi", path: "/fapi/v1/listenKey" },
    userDataStreamTemplate: "wss://stream.binancefuture.com/private/ws?listenKey={listenKey}&events={events}",
  },
  "binance.com-coin_futures": {
    name: "binance.com-coin_futures",
    market: "coinm",
    testnet: false,
    rest: { ...MAINNET_REST, futuresData: "https://dapi.binance.com" },
    streamBase: "wss://dstream.binance.com",
    wsApiBase: null,
    ...FUTURES_LIMITS,
    futuresRouting: false,
    depthSnapshot: { family: "dapi", path: "/dapi/v1/depth" },
    serverTime: { family: "dapi", path: "/dapi/v1/time" },
    userData: "listen-key",
    userDataToken: { family: "dapi", path: "/dapi/v1/listenKey" },
    userDataStreamTemplate: "wss://dstream.binance.com/ws/{listenKey}",
  },
  "binance.com-vanilla-options": {
    name: "binance.com-vanilla-options",
    market: "options",
    testnet: false,
    rest: MAINNET_REST,
    streamBase: "wss://fstream.binance.com",
    wsApiBase: null,
    ...FUTURES_LIMITS,
    // options streams live under /public and /market of the futures host (§6.5)
    futuresRouting: true,
    depthSnapshot: { family: "eapi", path: "/eapi/v1/depth" },
    serverTime: { family: "eapi", path: "/eapi/v1/time" },
    userData: "listen-key",
    userDataToken: { family: "eapi", path: "/eapi/v1/listenKey" },
    userDataStreamTemplate: "wss://fstream.binance.com/private/ws/{listenKey}",
  },
  "binance.com-vanilla-options-testnet": {
    name: "binance.com-vanilla-options-testnet",
    market: "options",
    testnet: true,
    rest: FUTURES_TESTNET_REST,
    streamBase: "wss://fstream.binancefuture.com",
    wsApiBase: null,
    ...FUTURES_LIMITS,
    futuresRouting: true,
    depthSnapshot: { family: "eapi", path: "/eapi/v1/depth" },
    serverTime: { family: "eapi", path: "/eapi/v1/time" },
    userData: "listen-key",
    userDataToken: { family: "eapi", path: "/eapi/v1/listenKey" },
    userDataStreamTemplate: "wss://fstream.binancefuture.com/private/ws/{listenKey}",
  },
  "binance.com-portfolio_margin": {
    name: "binance.com-portfolio_margin",
    market: "portfolio_margin",
    testnet: false,
    rest: MAINNET_REST,
    // user data only; keeps the path form /pm/ws/<listenKey> (§8.1)
    streamBase: "wss://fstream.binance.com/pm",
    wsApiBase: null,
    ...FUTURES_LIMITS,
    marketStreams: false,
    futuresRouting: false,
    depthSnapshot: null,
    serverTime: SPOT_TIME,
    userData: "listen-key",
    userDataToken: { family: "papi", path: "/papi/v1/listenKey" },
    userDataStreamTemplate: "wss://fstream.binance.com/pm/ws/{listenKey}",
  },
  "binance.us": {
    name: "binance.us",
    market: "spot",
    testnet: false,
    // Binance.US serves /api/v3 and a subset of /sapi; no margin, futures or options
    rest: { api: "https://api.binance.us", sapi: "https://api.binance.us" },
    streamBase: "wss://stream.binance.us:9443",
    wsApiBase: null,
    ...SPOT_LIMITS,
    userData: "listen-key",
    userDataToken: { family: "api", path: "/api/v3/userDataStream" },
    userDataStreamTemplate: "wss://stream.binance.us:9443/ws/{listenKey}",
  },
  "trbinance.com": {
    name: "trbinance.com",
    market: "spot",
    testnet: false,
    // REST origin as used by UBRA (unverified against TR's own docs); an API key is required even for public REST
    rest: { api: "https://www.trbinance.com" },
    streamBase: "wss://stream-cloud.trbinance.com",
    wsApiBase: null,
    ...SPOT_LIMITS,
    maxSnapshotLimit: 1000,
    userData: "listen-key",
    userDataToken: { family: "api", path: "/api/v3/userDataStream" },
    userDataStreamTemplate: "wss://stream-cloud.trbinance.com/ws/{listenKey}",
  },
});

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
