/**
 * Frames per second through `BinanceWebSocketManager` into an async iterator, as a ratio to a
 * bare `WebSocket` `onmessage` counter on the same emulator firehose, in the same run. Run on each
 * runtime:
 *
 *   deno run -A bench/ws_throughput.ts
 *   bun bench/ws_throughput.ts
 *   node bench/ws_throughput.ts          (Node >= 23.6 strips the types)
 *
 * Workload: the emulator in firehose mode (it steps as fast as the readers drain their sockets)
 * serving a combined stream of `depth@100ms` + `bookTicker` + `trade` for its three spot symbols.
 * Each round starts an emulator and measures the bare counter, the manager with output "raw" and
 * the manager with output "unicornfy" for DURATION_MS each, one after the other on it; the ratios
 * of each round are computed against that round's bare figure and the median over ROUNDS is
 * printed (the order rotates per round; one uncounted warm-up run comes first).
 * Targets: raw ≥ 0.8, unicornfy ≥ 0.5.
 *
 * @module
 */
import { type Emulator, startEmulator } from "../src/testing/mod.ts";
import { BinanceWebSocketManager, type OutputMode } from "../src/ws/mod.ts";

const DURATION_MS = 1500;
const WARMUP_MS = 300;
const ROUNDS = 5;
const CHANNELS = ["depth@100ms", "bookTicker", "trade"];
const MARKETS = ["BTCUSDT", "ETHUSDT", "BNBBTC"];

let emu: Emulator;
const names = MARKETS.flatMap((m) => CHANNELS.map((c) => `${m.toLowerCase()}@${c}`));

function bare(): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = new WebSocket(`${emu.wsUrl}/stream?streams=${names.join("/")}`);
    let n = 0;
    let counting = false;
    sock.onmessage = () => {
      if (counting) n++;
    };
    sock.onerror = (e) => reject(e);
    sock.onopen = () => {
      setTimeout(() => {
        counting = true;
        const t0 = performance.now();
        setTimeout(() => {
          counting = false;
          const fps = n / ((performance.now() - t0) / 1000);
          sock.onclose = () => resolve(fps);
          sock.close();
        }, DURATION_MS);
      }, WARMUP_MS);
    };
  });
}

async function managed(output: OutputMode): Promise<number> {
  await using ws = new BinanceWebSocketManager({
    streamBase: emu.wsUrl,
    stallTimeoutMs: 0,
    heartbeatIntervalMs: 0,
  });
  const id = ws.createStream(CHANNELS, MARKETS, { output });
  let n = 0;
  let t0 = 0;
  let end = Infinity;
  const start = performance.now() + WARMUP_MS;
  for await (const _msg of ws.stream(id, { capacity: 100_000 })) {
    const now = performance.now();
    if (now < start) continue;
    if (t0 === 0) {
      t0 = now;
      end = t0 + DURATION_MS;
    }
    if (now >= end) break;
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";
const rows: { bare: number; raw: number; unicornfy: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  // a fresh emulator per round: the three contenders of a round share it (and its firehose);
  // long runs with many reconnects to one firehose emulator stalled it (reported to its owner)
  emu = await startEmulator({ seed: 1 + r, firehose: true });
  try {
    if (r === 0) await bare(); // warm-up of the runtime, not counted
    // rotate the order so no contender always runs first in a round
    const runs: [keyof (typeof rows)[number], () => Promise<number>][] = [
      ["bare", bare],
      ["raw", () => managed("raw")],
      ["unicornfy", () => managed("unicornfy")],
    ];
    const row = { bare: 0, raw: 0, unicornfy: 0 };
    for (let i = 0; i < runs.length; i++) {
      const [key, run] = runs[(i + r) % runs.length];
      row[key] = await run();
    }
    rows.push(row);
  } finally {
    await emu.close();
  }
}
const f = (x: number): string => Math.round(x).toLocaleString("en-US");
console.log(`ws_throughput on ${runtime} (${ROUNDS} rounds × ${DURATION_MS} ms, median)`);
console.log(`  bare WebSocket onmessage : ${f(median(rows.map((x) => x.bare)))} frames/s`);
console.log(
  `  manager → iterator (raw) : ${f(median(rows.map((x) => x.raw)))} frames/s, ratio ${
    median(rows.map((x) => x.raw / x.bare)).toFixed(2)
  } (target ≥ 0.8)`,
);
console.log(
  `  manager → iterator (unicornfy): ${f(median(rows.map((x) => x.unicornfy)))} frames/s, ratio ${
    median(rows.map((x) => x.unicornfy / x.bare)).toFixed(2)
  } (target ≥ 0.5)`,
);
