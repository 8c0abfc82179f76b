/**
 * Test helper for the depth-cache manager against the emulator: a manager wired to an emulator,
 * waiting helpers, and the comparison of a cache read with the emulator's true book.
 *
 * @module
 */
import { assert, assertEquals } from "@std/assert";
import {
  BinanceLocalDepthCacheManager,
  type DepthCacheManagerOptions,
} from "../../src/depthcache/manager.ts";
import { DepthCacheOutOfSyncError } from "../../src/depthcache/errors.ts";
import type { StringLevel } from "../../src/depthcache/cache_types.ts";
import type { Emulator } from "../../src/testing/mod.ts";

/** Emulator venue. */
export type Venue = "spot" | "usdm" | "coinm" | "options";

/** Fault target of a venue (COIN-M and options share the futures target). */
export function faultTarget(venue: Venue): "spot" | "usdm" {
  return venue === "spot" ? "spot" : "usdm";
}

/** Simulator steps per book change: the emulator moves option books every tenth step. */
export function stepsPerChange(venue: Venue): number {
  return venue === "options" ? 10 : 1;
}

/** The suite exchange of an emulator venue. */
export function exchangeOf(venue: Venue): DepthCacheManagerOptions["exchange"] {
  return venue === "spot"
    ? "binance.com"
    : venue === "usdm"
    ? "binance.com-futures"
    : venue === "coinm"
    ? "binance.com-coin_futures"
    : "binance.com-vanilla-options";
}

/** The stream base of a venue: options streams live on the USD-M host, as on Binance. */
export function streamBaseOf(emu: Emulator, venue: Venue): string {
  return venue === "spot" ? emu.wsUrl : venue === "coinm" ? emu.coinmWsUrl : emu.futuresWsUrl;
}

/** The option symbols the emulator lists (from `/eapi/v1/exchangeInfo`), in its order. */
export async function optionSymbols(emu: Emulator): Promise<string[]> {
  const info = await (await fetch(`${emu.restUrl}/eapi/v1/exchangeInfo`)).json() as {
    optionSymbols: { symbol: string }[];
  };
  return info.optionSymbols.map((o) => o.symbol);
}

/** Waits until `cond` holds, polling every 5 ms. */
export async function until(cond: () => boolean, timeoutMs = 3000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A manager for one venue of the emulator (fast reconnects, 1.5 s stall detection). */
export function managerFor(
  emu: Emulator,
  venue: Venue,
  extra: Partial<DepthCacheManagerOptions> = {},
): BinanceLocalDepthCacheManager {
  // spot and options REST (`/eapi`) are served on restUrl, the futures families on futuresRestUrl
  const rest = venue === "spot" || venue === "options" ? emu.restUrl : emu.futuresRestUrl;
  return new BinanceLocalDepthCacheManager({
    exchange: exchangeOf(venue),
    restOptions: { baseUrl: rest, maxRetries: 0 },
    wsOptions: {
      streamBase: streamBaseOf(emu, venue),
      backoffBaseMs: 10,
      backoffMaxMs: 50,
      stallTimeoutMs: 1500, // the stall test sets its own; a loaded CI machine must not trip it
      heartbeatIntervalMs: 0,
    },
    reconnectGraceMs: 1000,
    ...extra,
  });
}

/** The emulator's true top `n` levels, as normalised numbers-as-strings pairs. */
export function truth(emu: Emulator, symbol: string, venue: Venue, n: number): {
  lastUpdateId: number;
  bids: StringLevel[];
  asks: StringLevel[];
} {
  const b = emu.book(symbol, { market: venue, limit: n });
  const norm = (side: ReadonlyArray<readonly [string, string]>): StringLevel[] =>
    side.map(([p, q]) => [String(Number(p)), String(Number(q))]);
  return { lastUpdateId: b.lastUpdateId, bids: norm(b.bids), asks: norm(b.asks) };
}

/**
 * Reads the cache's top `n` and compares it with the true book when both are at the same update
 * id. Returns "match", "behind" (the cache is at another update id) or "out-of-sync" (the read
 * raised `DepthCacheOutOfSyncError`); a different book at the same update id fails the test.
 */
export function compare(
  dcm: BinanceLocalDepthCacheManager,
  emu: Emulator,
  symbol: string,
  venue: Venue,
  n = 50,
): "match" | "behind" | "out-of-sync" {
  let book;
  try {
    book = dcm.getBook(symbol, { limitCount: n, format: "string" });
  } catch (e) {
    if (e instanceof DepthCacheOutOfSyncError) return "out-of-sync";
    throw e;
  }
  const t = truth(emu, symbol, venue, n);
  if (book.lastUpdateId !== t.lastUpdateId) return "behind";
  const norm = (side: StringLevel[]): StringLevel[] =>
    side.map(([p, q]) => [String(Number(p)), String(Number(q))]);
  assertEquals(norm(book.bids), t.bids, `${venue} ${symbol} bids at ${t.lastUpdateId}`);
  assertEquals(norm(book.asks), t.asks, `${venue} ${symbol} asks at ${t.lastUpdateId}`);
  return "match";
}

/** Steps a paused emulator until every market is LIVE (`steps` simulator steps at a time). */
export async function stepUntilLive(
  emu: Emulator,
  dcm: BinanceLocalDepthCacheManager,
  markets: readonly string[],
  maxSteps = 200,
  steps = 1,
): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    if (markets.every((m) => dcm.isSynchronized(m))) return;
    emu.step(steps);
    await sleep(15);
  }
  throw new Error(
    `Not live after ${maxSteps} steps: ${markets.map((m) => `${m}=${dcm.getState(m)}`).join(", ")}`,
  );
}

/** Steps once and waits until the cache is at the emulator's update id (or not LIVE). */
export async function stepAndSettle(
  emu: Emulator,
  dcm: BinanceLocalDepthCacheManager,
  symbol: string,
  venue: Venue,
  timeoutMs = 1000,
): Promise<void> {
  emu.step(stepsPerChange(venue));
  const target = emu.book(symbol, { market: venue, limit: 1 }).lastUpdateId;
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (!dcm.isSynchronized(symbol)) return;
    if (dcm.getBook(symbol, { limitCount: 0 }).lastUpdateId >= target) return;
    await sleep(3);
  }
}

/** Steps until the cache is live again and equals the truth at the same update id (8 of 10 reads). */
export async function recovers(
  e: Emulator,
  m: BinanceLocalDepthCacheManager,
  symbol: string,
  venue: Venue,
): Promise<void> {
  await stepUntilLive(e, m, [symbol], 300, stepsPerChange(venue));
  let matched = 0;
  for (let i = 0; i < 10; i++) {
    await stepAndSettle(e, m, symbol, venue);
    if (compare(m, e, symbol, venue, 100) === "match") matched++;
  }
  assert(matched >= 8, `only ${matched} of 10 reads matched after recovery`);
}
