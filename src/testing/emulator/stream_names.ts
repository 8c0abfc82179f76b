/**
 * Market-stream names: parsing, validation and USDⓈ-M category routing.
 *
 * @module
 */
import { INTERVALS } from "./candles.ts";

/** A parsed stream name. */
export interface StreamName {
  /** The name exactly as the client wrote it (Binance echoes it back). */
  readonly name: string;
  /** Uppercase symbol, or null for all-market streams (`!miniTicker@arr`). */
  readonly symbol: string | null;
  /** Channel kind. */
  readonly kind:
    | "trade"
    | "aggTrade"
    | "kline"
    | "miniTicker"
    | "ticker"
    | "bookTicker"
    | "depth"
    | "partialDepth"
    | "allMiniTicker"
    | "allTicker"
    | "allBookTicker";
  /** Kline interval (`kline`), partial-depth levels (`partialDepth`). */
  readonly interval?: string;
  readonly levels?: number;
  /** Update period in ms for depth streams. */
  readonly periodMs?: number;
}

/** Venue of a stream connection: spot, USDⓈ-M (`fstream`) or COIN-M (`dstream`). */
export type StreamVenue = "spot" | "usdm" | "coinm";

/** Depth speeds per venue (ms); the first entry is the bare-name default. */
export const DEPTH_SPEEDS: Readonly<Record<StreamVenue, readonly number[]>> = {
  spot: [1000, 100],
  usdm: [250, 500, 100],
  coinm: [250, 500, 100],
};

/**
 * Parses a stream name for a venue.
 *
 * @returns the parsed name, or null when the name is not a stream this venue serves
 */
export function parseStreamName(name: string, venue: StreamVenue): StreamName | null {
  const speeds = DEPTH_SPEEDS[venue];
  if (name === "!miniTicker@arr") return { name, symbol: null, kind: "allMiniTicker" };
  if (name === "!ticker@arr") return { name, symbol: null, kind: "allTicker" };
  if (name === "!bookTicker" && venue !== "spot") return { name, symbol: null, kind: "allBookTicker" };
  const m = /^([\p{Ll}\p{Lo}\p{N}_]{2,30})@(.+)$/u.exec(name); // COIN-M: btcusd_perp
  if (!m) return null;
  const symbol = m[1].toUpperCase();
  const ch = m[2];
  switch (ch) {
    case "trade":
    case "aggTrade":
    case "miniTicker":
    case "ticker":
    case "bookTicker":
      return { name, symbol, kind: ch };
  }
  if (ch.startsWith("kline_")) {
    const iv = ch.slice(6);
    if (!INTERVALS.includes(iv) || (venue !== "spot" && iv === "1s")) return null;
    return { name, symbol, kind: "kline", interval: iv };
  }
  const d = /^depth(5|10|20)?(?:@(\d+)ms)?$/.exec(ch);
  if (d) {
    const periodMs = d[2] === undefined ? speeds[0] : Number(d[2]);
    if (!speeds.includes(periodMs)) return null;
    if (d[1] !== undefined) return { name, symbol, kind: "partialDepth", levels: Number(d[1]), periodMs };
    return { name, symbol, kind: "depth", periodMs };
  }
  return null;
}

/**
 * USD-M routing category of a stream (since 2026-04-23): book data is `/public`, the rest
 * `/market`.
 */
export function streamCategory(s: StreamName): "public" | "market" {
  return s.kind === "depth" || s.kind === "partialDepth" || s.kind === "bookTicker" ||
      s.kind === "allBookTicker"
    ? "public"
    : "market";
}
