/**
 * Market streams with the WebSocket manager: a multiplexed stream read through an async
 * iterator, a second stream handled by a callback, a runtime subscribe, the lifecycle signals,
 * and the statistics at the end.
 *
 * By default it runs against the local emulator (no network). Pass `--live` to use binance.com.
 *
 * ```sh
 * deno run -A examples/streams.ts            # emulator
 * bun examples/streams.ts --live             # binance.com
 * node examples/streams.ts                   # Node 24 strips the types
 * ```
 *
 * @module
 */
import { argv } from "node:process";
import { BinanceWebSocketManager, type StreamSignal } from "../src/ws/mod.ts";
import { startEmulator } from "../src/testing/mod.ts";

const live = argv.includes("--live");
const emulator = live ? undefined : await startEmulator({ intervalMs: 100 });

try {
  // `await using` closes every stream when the block ends (Python: `with`)
  await using ws = new BinanceWebSocketManager({
    exchange: "binance.com",
    streamBase: emulator?.wsUrl,
    outputDefault: "unicornfy",
    onStreamSignal: (s: StreamSignal) =>
      console.log(`signal ${s.type} ${s.label ?? s.streamId}${s.reason ? ` (${s.reason})` : ""}`),
  });
  console.log(`streams from ${live ? "binance.com" : `the emulator at ${emulator!.wsUrl}`}`);

  // 1) trades and 1-minute klines of two markets, read with for await
  const trades = ws.createStream(["trade", "kline_1m"], ["BTCUSDT", "ETHUSDT"], { label: "trades" });

  // 2) best bid/ask through a callback
  let bookTickers = 0;
  ws.createStream(["bookTicker"], ["BTCUSDT"], { label: "book", onData: () => void bookTickers++ });

  // add a market at run time, without reconnecting
  setTimeout(() => ws.subscribe(trades, { markets: ["BNBBTC"] }), 1000);

  const until = Date.now() + 4000;
  let shown = 0;
  // outputDefault "unicornfy": `msg.data` is a UnicornfyMessage; its eventType narrows it, no casts
  for await (const { stream, data: m } of ws.stream(trades)) {
    if (shown < 8 && m.eventType === "trade") {
      console.log(`${stream}: trade ${m.symbol} ${m.price} x ${m.quantity} (id ${m.tradeId})`);
      shown++;
    } else if (shown < 8 && m.eventType === "kline") {
      const k = m.kline;
      console.log(
        `${stream}: kline ${m.symbol} ${k.interval} o ${k.openPrice} c ${k.closePrice} v ${k.baseVolume}`,
      );
      shown++;
    }
    if (Date.now() > until) break;
  }
  console.log(`bookTicker frames via callback: ${bookTickers}`);
  console.log("subscriptions of 'trades':", (await ws.getStreamSubscriptions(trades)).sort().join(", "));
  const total = ws.getStatistics();
  console.log(`total: ${total.messages} frames, ${total.bytes} bytes, ${total.reconnects} reconnects`);
} finally {
  await emulator?.close();
}
