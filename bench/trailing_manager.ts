/**
 * Cost of the trailing manager on the emulator (not a test; prints figures and ratios).
 *
 * Run from the project root: `deno run -A bench/trailing_manager.ts` (also `bun`, `node`).
 *
 * 1. Replaces per 1 000 price ticks through the whole I/O path (price stream → engine →
 *    `order.cancelReplace` on the WebSocket API): the same seeded, upward-drifting path of 1 000
 *    trades, 200 per second, trailed with `debounceMs: 0` (the floor: every tick-sized gain is a
 *    replace, Python's rule) and with `debounceMs: 1000` and a `0.05 %` minimum step.
 * 2. REST weight: every response's `X-MBX-USED-WEIGHT-1M` is followed, so the figure is what the
 *    emulator (Binance's weight table) charged: start-up (exchangeInfo, ticker, account…) once,
 *    then per hour the safety reconciliation (`GET /api/v3/order`, weight 4, every
 *    `reconcileIntervalMs`, default 60 s). Successful order calls cost 0 weight (Binance since
 *    2026-04-02) and replaces go over the WebSocket API.
 *
 * @module
 */
import { Rng } from "../src/testing/emulator/rng.ts";
import { startEmulator } from "../src/testing/mod.ts";
import { BinanceTrailingStopLossManager } from "../src/trailing/manager.ts";

const KEY = "benchKey";
const SECRET = "bench-secret";

function path(n: number): string[] {
  const rng = new Rng(42);
  let p = 6_500_000; // cents
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    p += Math.round((rng.next() - 0.4) * 600);
    out.push((p / 100).toFixed(2));
  }
  return out;
}

interface Result {
  readonly replaces: number;
  readonly ticks: number;
  readonly startupWeight: number;
  readonly trailWeight: number;
  readonly reconciles: number;
  readonly seconds: number;
}

async function run(
  debounceMs: number,
  minStep: string | undefined,
  reconcileIntervalMs: number,
): Promise<Result> {
  await using emu = await startEmulator({
    paused: true,
    intervalMs: 5,
    accounts: [{ apiKey: KEY, secretKey: SECRET, balances: { BTC: "1" } }],
  });
  let weight = 0;
  let last = 0;
  const counting: typeof fetch = async (input, init) => {
    const r = await fetch(input, init);
    const used = Number(r.headers.get("x-mbx-used-weight-1m") ?? "NaN");
    if (Number.isFinite(used)) {
      weight += used >= last ? used - last : used; // a new minute window starts from 0
      last = used;
    }
    return r;
  };
  const tsl = new BinanceTrailingStopLossManager({
    market: "BTCUSDT",
    apiKey: KEY,
    apiSecret: SECRET,
    stopLossLimit: "1%",
    stopLossOrderType: "MARKET",
    debounceMs,
    ...(minStep ? { minStep } : {}),
    reconcileIntervalMs,
    autoStart: false,
    restOptions: { baseUrl: emu.restUrl, fetch: counting },
    wsOptions: { streamBase: emu.wsUrl, wsApiUrl: emu.wsApiUrl, restUrl: emu.restUrl, fetch: counting },
  });
  await tsl.start();
  const startupWeight = weight;
  const t0 = Date.now();
  const ticks = path(1000);
  await emu.drive("BTCUSDT", ticks);
  // let the last debounced move and one reconciliation land
  await new Promise((r) => setTimeout(r, Math.max(debounceMs, reconcileIntervalMs) + 300));
  const seconds = (Date.now() - t0) / 1000;
  const r: Result = {
    replaces: tsl.counts.replaces,
    ticks: tsl.counts.priceTicks,
    startupWeight,
    trailWeight: weight - startupWeight,
    reconciles: tsl.counts.reconciles,
    seconds,
  };
  await tsl.stop({ cancelStop: true });
  return r;
}

const floor = await run(0, undefined, 1000);
const throttled = await run(1000, "0.05%", 1000);
const per1000 = (r: Result) => (r.replaces / r.ticks) * 1000;
console.log(`replaces per 1000 price ticks (1000-trade path at 200/s, 1 % trail):`);
console.log(
  `  no debounce (floor)            ${
    per1000(floor).toFixed(1)
  }   (${floor.replaces} / ${floor.ticks} ticks)`,
);
console.log(
  `  debounce 1000 ms + 0.05 % step ${
    per1000(throttled).toFixed(1)
  }   (${throttled.replaces} / ${throttled.ticks} ticks)`,
);
console.log(`  ratio throttled / floor        ${(per1000(throttled) / per1000(floor)).toFixed(3)}`);
const perReconcile = throttled.reconciles ? throttled.trailWeight / throttled.reconciles : 0;
console.log(`REST weight:`);
console.log(`  start-up (once)                ${throttled.startupWeight}`);
console.log(
  `  while trailing                 ${throttled.trailWeight} in ${
    throttled.seconds.toFixed(1)
  } s (${throttled.reconciles} reconciliations, ${perReconcile.toFixed(1)} each; replaces cost 0)`,
);
console.log(
  `  per hour at the default 60 s reconciliation: ${
    (60 * perReconcile).toFixed(0)
  } (Binance's spot limit: 6000 per minute)`,
);
