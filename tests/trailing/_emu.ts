/**
 * Helpers of the manager tests: an emulator with one HMAC account, manager options pointing at
 * it, price paths and waiting on conditions (never fixed sleeps).
 */
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import type { TrailingStopLossOptions } from "../../src/trailing/manager_options.ts";
import type { TrailingEvent } from "../../src/trailing/events.ts";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { Decimal } from "decimal.js";

export const KEY = "tslKey";
export const SECRET = "tsl-secret";

/** Starts a paused emulator (prices move only along driven paths) with the test account. */
export function emulator(extra: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  return startEmulator({
    seed: 7,
    paused: true,
    intervalMs: 20,
    accounts: [{ apiKey: KEY, secretKey: SECRET, ...(extra.accounts?.[0] ?? {}) }],
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== "accounts")),
  });
}

/** Manager options for the emulator and an exchange string. */
export function managerOptions(
  emu: Emulator,
  exchange: string,
  extra: Partial<TrailingStopLossOptions> = {},
): TrailingStopLossOptions {
  const futures = exchange.includes("futures");
  const coin = exchange.includes("coin");
  return {
    exchange,
    market: "BTCUSDT",
    apiKey: KEY,
    apiSecret: SECRET,
    stopLossLimit: "1%",
    debounceMs: 0,
    backoff: { baseMs: 20, maxMs: 200 },
    reconcileIntervalMs: 0,
    autoStart: false,
    restOptions: {
      baseUrl: emu.restUrl,
      backoff: { baseMs: 10, maxMs: 50 },
    } as TrailingStopLossOptions["restOptions"],
    wsOptions: {
      streamBase: coin ? emu.coinmWsUrl : futures ? emu.futuresWsUrl : emu.wsUrl,
      wsApiUrl: emu.wsApiUrl,
      futuresWsApiUrl: emu.futuresWsApiUrl,
      restUrl: emu.restUrl,
      backoffBaseMs: 20,
      backoffMaxMs: 200,
    },
    ...extra,
  };
}

/** Prices from `from` to `to` in `step` increments (both ends included), `decimals` places. */
export function ramp(from: number, to: number, step: number, decimals = 2): string[] {
  const out: string[] = [];
  const dir = to >= from ? 1 : -1;
  for (let p = from; dir > 0 ? p <= to + 1e-9 : p >= to - 1e-9; p += dir * step) {
    out.push(p.toFixed(decimals));
  }
  return out;
}

/** Waits until `cond()` holds (polling every 10 ms), or throws after `ms`. */
export async function until(cond: () => boolean, ms = 15_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Collects every event of a manager. */
export function recorder(): {
  events: TrailingEvent[];
  push: (e: TrailingEvent) => void;
  types: () => string[];
} {
  const events: TrailingEvent[] = [];
  return { events, push: (e) => void events.push(e), types: () => events.map((e) => e.type) };
}

/** A REST client of the test account on the emulator. */
export function restClient(emu: Emulator, exchange = "binance.com", secret = SECRET): BinanceRestClient {
  return new BinanceRestClient({ exchange, apiKey: KEY, apiSecret: secret, baseUrl: emu.restUrl });
}

/** Volume-weighted price of the account's SELL trades of `symbol` (spot `myTrades`). */
export async function spotVwap(
  rest: BinanceRestClient,
  symbol: string,
): Promise<{ qty: Decimal; avg: string }> {
  let qty = new Decimal(0);
  let quote = new Decimal(0);
  // a thin book fills a limit stop in hundreds of trades: page through all of them
  for (let fromId = 0;;) {
    const page = await rest.getMyTrades({ symbol, limit: 1000, fromId });
    for (const t of page) {
      if (t.isBuyer) continue;
      qty = qty.plus(t.qty as string);
      quote = quote.plus(t.quoteQty as string);
    }
    if (page.length < 1000) break;
    fromId = Number(page.at(-1)!.id) + 1;
  }
  return { qty, avg: qty.gt(0) ? quote.div(qty).toDecimalPlaces(8).toFixed() : "0" };
}

/** `promise`, or a rejection naming `what` after `ms` (a test never hangs). */
export function within<T>(promise: Promise<T>, ms = 20_000, what = "the engine to finish"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
