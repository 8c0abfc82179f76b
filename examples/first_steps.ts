/**
 * First steps, as the Python suite's introductions take them: the current price, the 24-hour
 * statistics and the last three hourly candles over REST (UBRA), a trade stream (UBWA with
 * UnicornFy), and a local depth cache with the top of the book (UBLDC).
 *
 * By default everything runs against the embedded Binance emulator (no network, no keys); `--live`
 * reads binance.com itself (public data only, no keys needed). It closes what it opened in
 * `finally` blocks rather than with `await using`, so it also runs on Node 22.
 *
 * ```sh
 * deno run -A examples/first_steps.ts          # embedded emulator
 * deno run -A examples/first_steps.ts --live   # binance.com
 * bun examples/first_steps.ts
 * node examples/first_steps.ts                 # Node 24 strips the types
 * ```
 *
 * @module
 */
import process from "node:process";
import { BinanceRestClient } from "../src/rest/mod.ts";
import { BinanceWebSocketManager } from "../src/ws/mod.ts";
import { BinanceLocalDepthCacheManager, init } from "../src/depthcache/mod.ts";
import { startEmulator } from "../src/testing/mod.ts";

const live = process.argv.includes("--live");
const symbol = "BTCUSDT";
const time = (ms: number): string => new Date(ms).toISOString().replace("T", " ").replace("Z", " UTC");

const emu = live ? undefined : await startEmulator({ seed: 1 });
try {
  console.log(
    `First steps with unicorn-binance on ${emu ? `the embedded emulator at ${emu.restUrl}` : "binance.com"}`,
  );

  // ---- REST: price, 24 h statistics, klines (Python: BinanceRestApiManager)
  const client = new BinanceRestClient(emu ? { baseUrl: emu.restUrl } : { exchange: "binance.com" });
  const { price } = await client.getSymbolTicker({ symbol });
  console.log(`\n${symbol} price: ${price}`);

  const day = await client.getTicker({ symbol });
  console.log(`24h ticker (${time(day.openTime)} .. ${time(day.closeTime)}):`);
  console.log(
    `  priceChange ${day.priceChange} (${day.priceChangePercent}%)  weightedAvgPrice ${day.weightedAvgPrice}`,
  );
  console.log(`  open ${day.openPrice}  high ${day.highPrice}  low ${day.lowPrice}  last ${day.lastPrice}`);
  console.log(`  volume ${day.volume} BTC  quoteVolume ${day.quoteVolume} USDT  trades ${day.count}`);

  // the last candle is the one still open, as on Binance
  const klines = await client.getKlines({ symbol, interval: "1h", limit: 3 });
  console.log(`last ${klines.length} hourly klines (for backtesting or charts):`);
  for (const [openTime, open, high, low, close, volume, , , trades] of klines) {
    console.log(`  ${time(openTime)}  o ${open}  h ${high}  l ${low}  c ${close}  v ${volume}  n ${trades}`);
  }

  // ---- a trade stream, normalised by UnicornFy (Python: BinanceWebSocketApiManager, output="UnicornFy")
  const ws = new BinanceWebSocketManager({ exchange: "binance.com", streamBase: emu?.wsUrl });
  const quiet = new AbortController(); // stops the stream should trades not come within 30 s
  const quietTimer = setTimeout(() => quiet.abort(), 30_000);
  try {
    const trades = ws.createStream(["trade"], [symbol], { output: "unicornfy", signal: quiet.signal });
    console.log(`\ntrade stream ${symbol.toLowerCase()}@trade:`);
    let shown = 0;
    for await (const { data } of ws.stream(trades)) {
      // `data` is a UnicornfyMessage: its eventType narrows it, no casts
      if (data.eventType !== "trade") continue;
      const side = data.isMarketMaker ? "sell" : "buy ";
      console.log(
        `  ${time(data.tradeTime)}  trade ${data.tradeId}  ${side}  ${data.price} x ${data.quantity}`,
      );
      if (++shown === 5) break;
    }
  } finally {
    clearTimeout(quietTimer);
    await ws.close();
  }

  // ---- a local depth cache (Python: BinanceLocalDepthCacheManager)
  await init(); // the WASM order-book core
  let isLive!: () => void;
  const becameLive = new Promise<void>((resolve) => (isLive = resolve));
  const dcm = new BinanceLocalDepthCacheManager({
    exchange: "binance.com",
    ...(emu ? { restOptions: { baseUrl: emu.restUrl }, wsOptions: { streamBase: emu.wsUrl } } : {}),
    onStateChange: (e) => {
      console.log(`  depth cache ${e.market}: ${e.previous} -> ${e.state} (${e.reason})`);
      if (e.state === "LIVE") isLive();
    },
  });
  try {
    console.log(`\nlocal depth cache ${symbol}:`);
    dcm.createDepthCache([symbol]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("The depth cache did not go LIVE within 30 s")), 30_000);
    });
    await Promise.race([becameLive, timeout]).finally(() => clearTimeout(timer));
    const book = dcm.getBook(symbol, { limitCount: 5, format: "string" });
    console.log(`top of book (lastUpdateId ${book.lastUpdateId}):`);
    for (const [p, q] of [...book.asks].reverse()) console.log(`  ask ${p.padStart(16)} ${q.padStart(14)}`);
    for (const [p, q] of book.bids) console.log(`  bid ${p.padStart(16)} ${q.padStart(14)}`);
    const spread = Number(book.asks[0][0]) - Number(book.bids[0][0]);
    console.log(`  best bid ${book.bids[0][0]}  best ask ${book.asks[0][0]}  spread ${spread.toFixed(2)}`);
  } finally {
    await dcm.close();
  }
} finally {
  await emu?.close();
}
