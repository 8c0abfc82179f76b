/**
 * The one catalog of every Binance venue the Python UNICORN Binance Suite supports: REST origins
 * per API family, stream and WebSocket-API bases, per-connection limits, USDⓈ-M category routing,
 * the local-order-book sync rule family and the user-data mechanism.
 *
 * Keys are the suite's exchange strings (`"binance.com"`, `"binance.com-futures"`, …). Facts come
 * from the Binance docs as of 2026 (see `shared/reference/binance-api.md` §1, §6.4, §7, §8) and
 * the UBWA 2.15.1 URI matrix; the Python suite's URL defects are not copied:
 * COIN-M REST goes to `dapi` (not `fapi`), the testnets have no `/sapi` (Python sent it to
 * production), no URL carries a leading space, and futures testnets do not point at the spot
 * testnet.
 *
 * Mainnet venues share one Binance account, so each of them lists every mainnet API family
 * (a spot client may still call a futures endpoint, as in the Python suite); `market` says which
 * product the venue is about. Testnets are separate systems: the spot testnet
 * (`testnet.binance.vision`) serves only `/api`, the futures testnet (`testnet.binancefuture.com`)
 * serves `/fapi`, `/dapi`, `/eapi` and `/futures/data`.
 *
 * @module
 */

import { CATALOG } from "./_exchange_catalog.ts";
import { checkOptions, type OptionKeys, optionKeys } from "./_options.ts";

/** The 14 exchange strings of the Python suite. */
export type ExchangeName =
  | "binance.com"
  | "binance.com-testnet"
  | "binance.com-margin"
  | "binance.com-margin-testnet"
  | "binance.com-isolated_margin"
  | "binance.com-isolated_margin-testnet"
  | "binance.com-futures"
  | "binance.com-futures-testnet"
  | "binance.com-coin_futures"
  | "binance.com-vanilla-options"
  | "binance.com-vanilla-options-testnet"
  | "binance.com-portfolio_margin"
  | "binance.us"
  | "trbinance.com";

/** Product a venue is about. */
export type Market =
  | "spot"
  | "margin"
  | "isolated_margin"
  | "usdm"
  | "coinm"
  | "options"
  | "portfolio_margin";

/** REST API families; the key of {@link RestOrigins}. */
export type RestFamily = "api" | "sapi" | "fapi" | "dapi" | "eapi" | "papi" | "futuresData";

/**
 * Origins (scheme + host, no path, no trailing slash) per REST API family. The path prefix
 * (`/api/v3`, `/fapi/v1`, `/futures/data`, …) belongs to the endpoint. A family the venue does not
 * serve is `undefined`.
 */
export interface RestOrigins {
  /** Spot `/api/v3/…`. */
  readonly api?: string;
  /** Spot/margin/wallet `/sapi/v1/…` (absent on testnets). */
  readonly sapi?: string;
  /** USDⓈ-M futures `/fapi/v1/…`, `/fapi/v2/…`. */
  readonly fapi?: string;
  /** COIN-M futures `/dapi/v1/…`. */
  readonly dapi?: string;
  /** European options `/eapi/v1/…`. */
  readonly eapi?: string;
  /** Portfolio margin `/papi/v1/…`. */
  readonly papi?: string;
  /** Futures statistics `/futures/data/…` (the USDⓈ-M host, or the COIN-M host on the COIN-M venue). */
  readonly futuresData?: string;
}

/** A REST endpoint located by API family and path (path includes the family prefix). */
export interface RestPath {
  /** Which origin of {@link RestOrigins} serves it. */
  readonly family: RestFamily;
  /** Path incl. version prefix, e.g. `"/api/v3/depth"`. */
  readonly path: string;
}

/** Everything a client needs to know about one venue. */
export interface Exchange {
  /** The suite's exchange string. */
  readonly name: ExchangeName;
  /** Product the venue is about. */
  readonly market: Market;
  /** `true` for the testnets (separate keys, separate balances). */
  readonly testnet: boolean;
  /** REST origins per API family. */
  readonly rest: RestOrigins;
  /**
   * Market-stream base without trailing slash: connect to `${streamBase}/ws/<stream>` or
   * `${streamBase}/stream?streams=…` — with {@link Exchange.futuresRouting} insert the category
   * first (`${streamBase}/market/ws/…`). For portfolio margin it is the user-data base
   * (`…/pm`, see {@link Exchange.marketStreams}). `null` if the venue has no streams.
   */
  readonly streamBase: string | null;
  /** `true` when `streamBase` carries market data (`false` on portfolio margin: user data only). */
  readonly marketStreams: boolean;
  /** Full WebSocket-API URL incl. path, or `null` when the venue has none. */
  readonly wsApiBase: string | null;
  /** Streams one connection may carry (Binance spot 1024; futures/options 200 as enforced by UBWA and ccxt). */
  readonly maxStreamsPerConnection: number;
  /** Messages a client may send per second and connection (pings, pongs and control messages count). */
  readonly maxIncomingMessagesPerSecond: number;
  /**
   * `true` when streams are split by category into `/public` (depth, bookTicker), `/market` (all
   * other market data) and `/private` (user data) paths: USDⓈ-M since 2026-04-23, and the options
   * streams on the same host. See {@link streamCategory}.
   */
  readonly futuresRouting: boolean;
  /**
   * Local order book rule family: `"spot"` drops `u <= L`, needs `U <= L+1 <= u`, then `U == X+1`;
   * `"futures"` drops `u < L`, needs `U <= L <= u`, then `pu == X`.
   */
  readonly depthSync: "spot" | "futures";
  /** Depth-snapshot `limit` the depth cache uses by default (1000: spot weight 50, futures 20). */
  readonly snapshotLimit: number;
  /** Largest accepted depth-snapshot `limit` (spot 5000, futures/options 1000). */
  readonly maxSnapshotLimit: number;
  /** REST endpoint of the depth snapshot, or `null` when the venue has no market data. */
  readonly depthSnapshot: RestPath | null;
  /** REST endpoint answering `{ serverTime }` for clock synchronisation on this venue. */
  readonly serverTime: RestPath;
  /**
   * How user data arrives: `"ws-api"` (`userDataStream.subscribe.signature` on the WS-API),
   * `"listen-token"` (margin: `POST /sapi/v1/userListenToken`, then
   * `userDataStream.subscribe.listenToken` on the spot WS-API), `"listen-key"` (REST listenKey,
   * then a stream URL, see {@link userDataStreamUrl}), or `"none"`.
   */
  readonly userData: "ws-api" | "listen-token" | "listen-key" | "none";
  /** REST endpoint that creates (POST), extends (PUT) and closes (DELETE) the listenKey / listenToken. */
  readonly userDataToken: RestPath | null;
  /**
   * User-data stream URL template for `"listen-key"` venues: `{listenKey}` and (USDⓈ-M) `{events}`
   * are filled by {@link userDataStreamUrl}. `null` for other mechanisms.
   */
  readonly userDataStreamTemplate: string | null;
}

/** The 14 exchange names, in the suite's order. */
export const EXCHANGE_NAMES: readonly ExchangeName[] = Object.freeze(
  [
    "binance.com",
    "binance.com-testnet",
    "binance.com-margin",
    "binance.com-margin-testnet",
    "binance.com-isolated_margin",
    "binance.com-isolated_margin-testnet",
    "binance.com-futures",
    "binance.com-futures-testnet",
    "binance.com-coin_futures",
    "binance.com-vanilla-options",
    "binance.com-vanilla-options-testnet",
    "binance.com-portfolio_margin",
    "binance.us",
    "trbinance.com",
  ] as const,
);

/**
 * Default `events` filter of the USDⓈ-M `/private` user-data stream (without one production
 * delivers nothing); the list UBWA 2.14+ sends.
 */
export const FUTURES_USER_DATA_EVENTS: readonly string[] = Object.freeze([
  "ORDER_TRADE_UPDATE",
  "ACCOUNT_UPDATE",
  "MARGIN_CALL",
  "TRADE_LITE",
  "ACCOUNT_CONFIG_UPDATE",
  "STRATEGY_UPDATE",
  "GRID_UPDATE",
  "CONDITIONAL_ORDER_TRIGGER_REJECT",
  "ALGO_ORDER_UPDATE",
  "listenKeyExpired",
]);

// The Python suite also accepts this spelling (UBRA `binance.com-coin-futures`).
const ALIASES: Readonly<Record<string, ExchangeName>> = Object.freeze({
  "binance.com-coin-futures": "binance.com-coin_futures",
});

/**
 * Tells whether a string is one of the 14 exchange names.
 *
 * @param name Any string.
 * @returns `true` when `name` is an {@link ExchangeName}.
 */
export function isExchangeName(name: string): name is ExchangeName {
  return Object.hasOwn(CATALOG, name);
}

/**
 * Looks up a venue.
 *
 * @param name A suite exchange string (the Python alias `"binance.com-coin-futures"` is accepted too).
 * @returns The frozen catalog entry.
 * @throws {RangeError} If the name is unknown; the message lists the valid names.
 *
 * @example
 * ```ts
 * import { getExchange } from "./exchanges.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const coinm = getExchange("binance.com-coin_futures");
 * assertEquals(coinm.rest.dapi, "https://dapi.binance.com");
 * assertEquals(coinm.depthSync, "futures");
 * ```
 */
export function getExchange(name: string): Exchange {
  if (typeof name === "string") {
    const key = isExchangeName(name) ? name : Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
    if (key !== undefined) return CATALOG[key];
  }
  throw new RangeError(
    `Unknown exchange ${JSON.stringify(name)}: expected one of ${EXCHANGE_NAMES.join(", ")}`,
  );
}

/**
 * Classifies a stream name for USDⓈ-M category routing (the UBWA 2.13+ rule, applied to full
 * stream names): take the channel (the part after `<symbol>@`, or the name itself for `!…`
 * all-market streams), lowercase it; `bookticker` or a channel starting with `depth` is
 * `"public"`, and so is `rpidepth…` (Binance routes `@rpiDepth` to `/public`, UBWA's rule misses
 * it); `userdata` is `"private"`; everything else `"market"`.
 *
 * @param stream A stream name such as `"btcusdt@depth@100ms"`, `"!bookTicker"`, `"btcusdt@aggTrade"`.
 * @returns The routed path segment without slashes.
 *
 * @example
 * ```ts
 * import { streamCategory } from "./exchanges.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(streamCategory("btcusdt@depth@100ms"), "public");
 * assertEquals(streamCategory("!miniTicker@arr"), "market");
 * ```
 */
export function streamCategory(stream: string): "public" | "market" | "private" {
  const allMarket = stream.startsWith("!");
  const parts = (allMarket ? stream.slice(1) : stream).toLowerCase().split("@");
  // "<symbol>@<channel>…", or an all-market name such as "!bookTicker" / "!miniTicker@arr"
  const channel = parts.length > 1 && !allMarket ? parts[1] : parts[0];
  if (channel === "bookticker" || channel.startsWith("depth") || channel.startsWith("rpidepth")) {
    return "public";
  }
  // European options (same host): trades and tickers are book-side data on /public
  if (channel === "optiontrade" || channel === "optionticker") return "public";
  if (channel === "userdata") return "private";
  return "market";
}

/** Options of {@link userDataStreamUrl}. */
export interface UserDataStreamUrlOptions {
  /** The listenKey from the venue's {@link Exchange.userDataToken} endpoint. */
  readonly listenKey: string;
  /** USDⓈ-M event filter; defaults to {@link FUTURES_USER_DATA_EVENTS}. Ignored elsewhere. */
  readonly events?: readonly string[];
}

const USER_DATA_URL_KEYS: OptionKeys = optionKeys<UserDataStreamUrlOptions>({
  listenKey: true,
  events: true,
});

/**
 * Builds the user-data stream URL of a `"listen-key"` venue.
 *
 * @param exchange A catalog entry (from {@link getExchange}).
 * @param options The listenKey and, for USDⓈ-M, the event filter.
 * @returns The WebSocket URL to connect to.
 * @throws {RangeError} If the venue does not use a listenKey stream.
 * @throws {TypeError} If the listenKey or an event name is empty, or `options` has an unknown key.
 *
 * @example
 * ```ts
 * import { getExchange, userDataStreamUrl } from "./exchanges.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const url = userDataStreamUrl(getExchange("binance.com-futures"), {
 *   listenKey: "LISTENKEY",
 *   events: ["ORDER_TRADE_UPDATE", "ACCOUNT_UPDATE"],
 * });
 * assertEquals(url, "wss://fstream.binance.com/private/ws?listenKey=LISTENKEY&events=ORDER_TRADE_UPDATE/ACCOUNT_UPDATE");
 * ```
 */
export function userDataStreamUrl(exchange: Exchange, options: UserDataStreamUrlOptions): string {
  checkOptions(options, "userDataStreamUrl options", USER_DATA_URL_KEYS);
  const template = exchange.userDataStreamTemplate;
  if (template === null) {
    throw new RangeError(
      `Exchange ${exchange.name} has no listenKey user-data stream (userData: ${exchange.userData})`,
    );
  }
  if (typeof options.listenKey !== "string" || options.listenKey === "") {
    throw new TypeError("Invalid listenKey: expected a non-empty string");
  }
  const events = options.events ?? FUTURES_USER_DATA_EVENTS;
  if (events.length === 0 || events.some((e) => typeof e !== "string" || e === "")) {
    throw new TypeError("Invalid events: expected a non-empty list of non-empty event names");
  }
  return template
    .replace("{listenKey}", encodeURIComponent(options.listenKey))
    .replace("{events}", events.map(encodeURIComponent).join("/"));
}
