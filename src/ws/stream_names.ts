/**
 * Binance stream names: channels × markets → stream names, channel builders for klines and
 * depth, and the USDⓈ-M `/public` `/market` `/private` category of a name.
 *
 * Pure functions, no I/O. The rules follow the Python suite (UBWA 2.15) where Binance leaves
 * room, and Binance's stream catalogue (binance-api.md §6) where it does not.
 *
 * @module
 */
import { showValue } from "../core/_options.ts";

/** Kline intervals Binance serves on spot and futures streams (binance-api.md §6.2). */
export const KLINE_INTERVALS: readonly string[] = [
  "1s",
  "1m",
  "3m",
  "5m",
  "15m",
  "30m",
  "1h",
  "2h",
  "4h",
  "6h",
  "8h",
  "12h",
  "1d",
  "3d",
  "1w",
  "1M",
];

/** Partial book depths Binance serves (`<s>@depth<N>`). */
export const DEPTH_LEVELS: readonly number[] = [5, 10, 20];

/** Update speeds a depth channel may carry, in milliseconds (spot 100/1000, futures 100/250/500). */
export const DEPTH_SPEEDS_MS: readonly number[] = [100, 250, 500, 1000];

/**
 * Builds a kline channel name.
 *
 * @param interval One of {@link KLINE_INTERVALS}, e.g. `"1m"`.
 * @param options `timeZone: "+08:00"` selects the UTC+8 interval boundaries (spot only).
 * @returns The channel, e.g. `"kline_1m"` or `"kline_1d@+08:00"`.
 * @throws {RangeError} When the interval or time zone is not one Binance serves.
 */
export function klineChannel(interval: string, options: { timeZone?: "+08:00" } = {}): string {
  if (!KLINE_INTERVALS.includes(interval)) {
    throw new RangeError(
      `Invalid kline interval "${interval}": expected one of ${KLINE_INTERVALS.join(", ")}`,
    );
  }
  if (options.timeZone !== undefined && options.timeZone !== "+08:00") {
    throw new RangeError(`Invalid kline timeZone "${options.timeZone}": only "+08:00" is served`);
  }
  return options.timeZone ? `kline_${interval}@${options.timeZone}` : `kline_${interval}`;
}

/**
 * Builds a depth channel name: the diff stream (`depth`) or a partial book (`depth5` …), with an
 * optional update speed.
 *
 * @param options `levels` 5, 10 or 20 for a partial book (omit for the diff stream);
 *   `speedMs` one of {@link DEPTH_SPEEDS_MS} (omit for the venue default).
 * @returns The channel, e.g. `"depth"`, `"depth@100ms"`, `"depth20@100ms"`.
 * @throws {RangeError} When `levels` or `speedMs` is not served.
 */
export function depthChannel(options: { levels?: number; speedMs?: number } = {}): string {
  const { levels, speedMs } = options;
  if (levels !== undefined && !DEPTH_LEVELS.includes(levels)) {
    throw new RangeError(
      `Invalid depth levels ${showValue(levels)}: expected one of ${DEPTH_LEVELS.join(", ")}`,
    );
  }
  if (speedMs !== undefined && !DEPTH_SPEEDS_MS.includes(speedMs)) {
    throw new RangeError(
      `Invalid depth speedMs ${showValue(speedMs)}: expected one of ${DEPTH_SPEEDS_MS.join(", ")}`,
    );
  }
  return `depth${levels ?? ""}${speedMs !== undefined ? `@${speedMs}ms` : ""}`;
}

function isArrToken(s: string): boolean {
  return s === "arr" || s.startsWith("arr@");
}

/**
 * Normalises a market as Binance stream names want it: symbols lowercase; tokens that contain
 * `!` (`!miniTicker`) and `arr` tokens are kept as given.
 *
 * @param market A symbol (`"BTCUSDT"`) or token (`"!miniTicker"`, `"arr"`).
 * @returns The normalised market.
 */
export function normalizeMarket(market: string): string {
  return market.includes("!") || isArrToken(market) ? market : market.toLowerCase();
}

function checkList(name: string, list: readonly string[]): void {
  if (!Array.isArray(list)) throw new TypeError(`Invalid ${name}: expected an array of strings`);
  for (const item of list) {
    if (typeof item !== "string" || item.trim() === "" || /\s|\//.test(item)) {
      throw new TypeError(
        `Invalid ${name} entry ${JSON.stringify(item)}: expected a non-empty name without spaces or "/"`,
      );
    }
  }
}

/**
 * Turns channels × markets into Binance stream names, de-duplicated, in first-seen order.
 *
 * Rules (UBWA-compatible):
 * - a channel containing `!` is an all-market stream: one name `channel@arr` (or `channel@<x>`
 *   when a market is `arr@<x>`, e.g. `!markPrice` × `arr@1s` → `!markPrice@arr@1s`);
 * - a market containing `!` combines with the channel as `market@channel`
 *   (`arr` × `!miniTicker` → `!miniTicker@arr`);
 * - otherwise `lowercase(market)@channel` (`BTCUSDT` × `kline_1m` → `btcusdt@kline_1m`);
 * - `arr` channels pair only with `!` markets and `arr` markets only with `!` channels.
 *
 * @param channels Channels such as `trade`, `kline_1m`, `depth20@100ms`, `!miniTicker`, `arr`.
 * @param markets Symbols such as `BTCUSDT`, or tokens such as `!miniTicker`, `arr`.
 * @returns The stream names.
 * @throws {TypeError} When an entry is empty, not a string or contains spaces or `/`.
 */
export function buildStreamNames(channels: readonly string[], markets: readonly string[]): string[] {
  checkList("channels", channels);
  checkList("markets", markets);
  const out = new Set<string>();
  const arrMarket = markets.find((m) => m.startsWith("arr@"));
  for (const channel of channels) {
    if (channel.includes("!")) {
      out.add(`${channel}@${arrMarket ?? "arr"}`);
      continue;
    }
    for (const raw of markets) {
      const market = normalizeMarket(raw);
      if (market.includes("!")) out.add(`${market}@${channel}`);
      else if (!isArrToken(market) && !isArrToken(channel)) out.add(`${market}@${channel}`);
    }
  }
  return [...out];
}
