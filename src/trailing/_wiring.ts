/**
 * Which exchange/market combinations the manager trails on (derived from the venue catalog, so a
 * venue without user data or without stop orders is refused before any order is sent) and how
 * the REST client, the WebSocket manager and the venue adapter are made.
 *
 * @module
 */
import { type Exchange, getExchange } from "../core/exchanges.ts";
import { BinanceRestClient } from "../rest/client.ts";
import { BinanceWebSocketManager } from "../ws/manager.ts";
import type { VenueAdapter, VenueKind } from "./_venue.ts";
import { SpotVenue } from "./_venue_spot.ts";
import { FuturesVenue } from "./_venue_futures.ts";
import type { TrailingStopLossOptions } from "./manager_options.ts";

/** The venue of an exchange string, or a `RangeError` saying why the manager cannot trail there. */
export function trailingVenue(
  options: Pick<TrailingStopLossOptions, "exchange" | "mode" | "side" | "engine">,
): {
  readonly exchange: Exchange;
  readonly kind: VenueKind;
} {
  const exchange = getExchange(options.exchange ?? "binance.com");
  const m = exchange.market;
  if (m !== "spot" && m !== "margin" && m !== "isolated_margin" && m !== "usdm" && m !== "coinm") {
    throw new RangeError(
      `Unsupported exchange ${exchange.name}: the trailing stop loss runs on spot, margin, isolated margin, USDⓈ-M and COIN-M venues`,
    );
  }
  // the engine is driven by order events: a venue without a user-data stream this library opens
  // would leave fills unseen (Binance.US / TR spot listenKeys, the margin testnets without /sapi)
  const userData = exchange.userData === "ws-api" || exchange.userData === "listen-token" ||
    (exchange.userData === "listen-key" && (m === "usdm" || m === "coinm"));
  if (!userData) {
    throw new RangeError(
      `Unsupported exchange ${exchange.name}: it has no user-data stream the manager can follow (${exchange.userData}), so fills of the stop would go unseen`,
    );
  }
  if (options.side === "short" && m === "spot") {
    throw new RangeError(
      `Unsupported side short on ${exchange.name}: spot holds no short positions (use margin or futures)`,
    );
  }
  if (options.engine === "jump-in-and-trail" && options.side === "short") {
    throw new RangeError(
      "Unsupported engine jump-in-and-trail with side short: jump-in buys, then trails a long",
    );
  }
  return { exchange, kind: m };
}

/** What the manager uses to talk to Binance. */
export interface Wiring {
  readonly rest: BinanceRestClient;
  readonly ws: BinanceWebSocketManager;
  readonly ownsWs: boolean;
  readonly venue: VenueAdapter;
  /** Label of the WebSocket-API stream (spot), if any. */
  readonly apiLabel?: string;
}

/** Makes (or adopts) the clients and the venue adapter. */
export function wire(
  options: TrailingStopLossOptions,
  exchange: Exchange,
  kind: VenueKind,
  tag: string,
): Wiring {
  const creds = {
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.apiSecret ? { apiSecret: options.apiSecret } : {}),
  };
  const rest = options.restClient ??
    new BinanceRestClient({ exchange: exchange.name, ...creds, ...options.restOptions });
  const ownsWs = !options.wsManager;
  const ws = options.wsManager ??
    new BinanceWebSocketManager({ exchange: exchange.name, ...creds, ...options.wsOptions });
  const useApi = options.useWebSocketApi !== false && kind === "spot" && exchange.wsApiBase !== null;
  const apiLabel = useApi ? `ubtsl-api-${tag}` : undefined;
  const venue: VenueAdapter = kind === "usdm" || kind === "coinm"
    ? new FuturesVenue({
      kind,
      symbol: options.market,
      rest,
      closePosition: options.futuresClose === "closePosition",
      workingType: options.workingType,
    })
    : new SpotVenue({ kind, symbol: options.market, rest, ws: useApi ? ws : undefined, apiLabel });
  return { rest, ws, ownsWs, venue, ...(apiLabel ? { apiLabel } : {}) };
}
