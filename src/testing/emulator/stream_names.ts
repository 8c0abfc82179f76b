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
    | "allBookTicker"
    | "markPrice"
    | "allMarkPrice"
    | "allIndex";
  /** Kline interval (`kline`), partial-depth levels (`partialDepth`). */
  readonly interval?: string;
  readonly levels?: number;
  /** Update period in ms for depth and mark-price streams. */
  readonly periodMs?: number;
  /**
   * `"options"` for a European-options stream (served on the USDⓈ-M host): `symbol` is then the
   * option (`BTC-260327-70000-C`), or the underlying (`BTCUSDT`) for `optionMarkPrice`.
   */
  readonly venue?: "options";
}

/** Diff-depth speeds of the options streams (ms): `@depth@100ms` and `@depth@500ms`, no bare `@depth`. */
export const OPTIONS_DEPTH_SPEEDS: readonly number[] = [100, 500];

const OPTION_SYMBOL_RE = /^([a-z]{2,10}-\d{6}-\d+(?:\.\d+)?-[cp])@(.+)$/;

/**
 * Parses a European-options stream name (Binance's 2026 options streams on the futures host):
 * `<symbol>@optionTrade`, `<symbol>@optionTicker`, `<symbol>@bookTicker`,
 * `<symbol>@depth@100ms|500ms`, `<symbol>@depth5|10|20@100ms|500ms`, `<symbol>@kline_<interval>`,
 * `<underlying>@optionMarkPrice` and `!index@arr`. Symbols are lowercase.
 *
 * @example
 * ```ts
 * import { parseOptionStreamName } from "./stream_names.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(parseOptionStreamName("btc-260327-70000-c@depth@500ms")?.kind, "depth");
 * assertEquals(parseOptionStreamName("btcusdt@optionMarkPrice")?.symbol, "BTCUSDT");
 * assertEquals(parseOptionStreamName("btc-260327-70000-c@depth"), null); // no bare @depth
 * ```
 *
 * @returns the parsed name, or null when it is not an options stream
 */
export function parseOptionStreamName(name: string): StreamName | null {
  const venue = "options";
  if (name === "!index@arr") return { name, symbol: null, kind: "allIndex", venue, periodMs: 1000 };
  const u = /^([a-z]{2,10}usdt)@optionMarkPrice$/.exec(name);
  if (u) return { name, symbol: u[1].toUpperCase(), kind: "markPrice", venue, periodMs: 1000 };
  const m = OPTION_SYMBOL_RE.exec(name);
  if (!m) return null;
  const symbol = m[1].toUpperCase();
  const ch = m[2];
  if (ch === "optionTrade") return { name, symbol, kind: "trade", venue };
  if (ch === "optionTicker") return { name, symbol, kind: "ticker", venue, periodMs: 1000 };
  if (ch === "bookTicker") return { name, symbol, kind: "bookTicker", venue };
  if (ch.startsWith("kline_")) {
    const iv = ch.slice(6);
    return INTERVALS.includes(iv) && iv !== "1s"
      ? { name, symbol, kind: "kline", interval: iv, venue }
      : null;
  }
  const d = /^depth(5|10|20)?@(\d+)ms$/.exec(ch);
  if (!d || !OPTIONS_DEPTH_SPEEDS.includes(Number(d[2]))) return null;
  const periodMs = Number(d[2]);
  if (d[1] !== undefined) {
    return { name, symbol, kind: "partialDepth", levels: Number(d[1]), periodMs, venue };
  }
  return { name, symbol, kind: "depth", periodMs, venue };
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
  // the options streams share the USD-M host (fstream `/public` and `/market`)
  if (venue === "usdm") {
    const o = parseOptionStreamName(name);
    if (o) return o;
  }
  if (name === "!miniTicker@arr") return { name, symbol: null, kind: "allMiniTicker" };
  if (name === "!ticker@arr") return { name, symbol: null, kind: "allTicker" };
  if (name === "!bookTicker" && venue !== "spot") return { name, symbol: null, kind: "allBookTicker" };
  if ((name === "!markPrice@arr" || name === "!markPrice@arr@1s") && venue === "usdm") {
    return { name, symbol: null, kind: "allMarkPrice", periodMs: name.endsWith("@1s") ? 1000 : 3000 };
  }
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
  if ((ch === "markPrice" || ch === "markPrice@1s") && venue !== "spot") {
    return { name, symbol, kind: "markPrice", periodMs: ch === "markPrice" ? 3000 : 1000 };
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
 * `/market`. Options (Binance's options stream pages): depth, bookTicker, optionTrade and
 * optionTicker are `/public`; kline, optionMarkPrice and index `/market`.
 */
export function streamCategory(s: StreamName): "public" | "market" {
  if (s.venue === "options" && (s.kind === "trade" || s.kind === "ticker")) return "public";
  return s.kind === "depth" || s.kind === "partialDepth" || s.kind === "bookTicker" ||
      s.kind === "allBookTicker"
    ? "public"
    : "market";
}
