/**
 * Test helpers for the cluster: an embedded cluster on a paused emulator stepped by a timer that
 * records the true book of every market at every update id, and the comparison of a read served
 * through the router with that truth.
 *
 * @module
 */
import { assertEquals } from "@std/assert";
import {
  type EmbeddedCluster,
  type EmbeddedClusterOptions,
  startEmbeddedCluster,
} from "../../src/cluster/embedded.ts";

/** `count` spot symbols of the emulator. */
export function symbols(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `C${i}USDT`);
}

/** Fast failure detection for tests (every member uses the stored config). */
export const FAST_CONFIG = { heartbeatMs: 150, nodeTimeoutMs: 900, reportMs: 300 } as const;

/** Top levels recorded per read comparison. */
export const TOP = 20;

type Levels = [number, number][];

/** A cluster whose emulator steps on a timer and records the truth after each step. */
export interface SteppedCluster {
  readonly cluster: EmbeddedCluster;
  readonly markets: string[];
  /** Truth by market, then update id. */
  readonly truths: Map<string, Map<number, { asks: Levels; bids: Levels }>>;
  /** Stops / restarts the stepping timer. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

/** Starts a cluster on a paused emulator with `markets` spot markets, stepped every `stepMs`. */
export async function steppedCluster(
  marketCount: number,
  extra: Partial<EmbeddedClusterOptions> = {},
  stepMs = 30,
): Promise<SteppedCluster> {
  const markets = symbols(marketCount);
  const cluster = await startEmbeddedCluster({
    nodes: 3,
    emulator: {
      seed: 7,
      paused: true,
      markets: markets.map((symbol) => ({ symbol, price: "100.00", tickSize: "0.01", levels: 120 })),
    },
    managerOptions: { snapshotLimit: 100, reconnectGraceMs: 1000 },
    config: FAST_CONFIG,
    readTimeoutMs: 1500,
    inProcessReads: false, // router → node over loopback HTTP, as across hosts
    ...extra,
  });
  const emu = cluster.emulator!;
  const truths = new Map<string, Map<number, { asks: Levels; bids: Levels }>>();
  const num = (side: ReadonlyArray<readonly [string, string]>): Levels =>
    side.map(([p, q]) => [Number(p), Number(q)]);
  const record = () => {
    for (const m of markets) {
      const b = emu.book(m, { market: "spot", limit: TOP });
      let map = truths.get(m);
      if (!map) truths.set(m, map = new Map());
      map.set(b.lastUpdateId, { asks: num(b.asks), bids: num(b.bids) });
      if (map.size > 2000) map.delete(map.keys().next().value!);
    }
  };
  record();
  let timer: ReturnType<typeof setInterval> | undefined;
  const resume = () => {
    timer ??= setInterval(() => {
      emu.step();
      record();
    }, stepMs);
  };
  const pause = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  resume();
  return {
    cluster,
    markets,
    truths,
    pause,
    resume,
    close: async () => {
      pause();
      await cluster.close();
    },
  };
}

/** What one read through the router came to. */
export type Verdict = "match" | "out-of-sync" | "unknown-id";

/**
 * Compares a UBDCC read answer with the truth: equal at the same update id ("match"), or refused
 * as out of sync (`#6000`); a different book at a recorded id fails the test.
 */
export function judge(
  s: SteppedCluster,
  market: string,
  side: "asks" | "bids",
  body: Record<string, unknown>,
): Verdict {
  if (body.result === "ERROR") {
    assertEquals(body.error_id, "#6000", `unexpected error for ${market}: ${JSON.stringify(body)}`);
    return "out-of-sync";
  }
  const id = body.last_update_id as number;
  const t = s.truths.get(market)?.get(id);
  if (!t) return "unknown-id";
  assertEquals(body[side], t[side], `${market} ${side} at update id ${id}`);
  return "match";
}

/** GET a router path and return the JSON (asserting HTTP 200 and the JSON content type). */
export async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url);
  assertEquals(res.status, 200, url);
  assertEquals(res.headers.get("content-type")?.startsWith("application/json"), true);
  return await res.json();
}

/** Waits until `cond` holds (polling every 10 ms). */
export async function until(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
