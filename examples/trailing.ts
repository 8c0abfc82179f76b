/**
 * Trailing stop loss: protect 1 BTC with a stop 1 % below the best price since the start, moved
 * up with the market (atomically, `order.cancelReplace`) and filled when the market turns.
 *
 * By default it runs against the local emulator with a driven price path (no network, no keys).
 * With `--live` it trails on binance.com with `BINANCE_API_KEY` / `BINANCE_API_SECRET` (HMAC, or
 * a PEM RSA / Ed25519 key) and `--market`; Ctrl-C stops it and says whether the stop is left.
 *
 * ```sh
 * deno run -A examples/trailing.ts            # emulator
 * node examples/trailing.ts                   # Node 24 strips the types
 * bun examples/trailing.ts --live --market BTCUSDC
 * ```
 *
 * @module
 */
import process, { argv, env } from "node:process";
import { startEmulator } from "../src/testing/mod.ts";
import { BinanceTrailingStopLossManager, type TrailingStopLossOptions } from "../src/trailing/mod.ts";

const live = argv.includes("--live");
const market = argv[argv.indexOf("--market") + 1] && argv.includes("--market")
  ? argv[argv.indexOf("--market") + 1]
  : "BTCUSDT";

const emu = live ? undefined : await startEmulator({
  paused: true, // prices move only along the driven path below
  intervalMs: 20,
  accounts: [{ apiKey: "trailingDemo", secretKey: "trailingDemoSecret", balances: { BTC: "1" } }],
});

const connection: Partial<TrailingStopLossOptions> = emu
  ? {
    apiKey: "trailingDemo",
    apiSecret: "trailingDemoSecret",
    restOptions: { baseUrl: emu.restUrl },
    wsOptions: { streamBase: emu.wsUrl, wsApiUrl: emu.wsApiUrl, restUrl: emu.restUrl },
  }
  : { apiKey: env.BINANCE_API_KEY, apiSecret: env.BINANCE_API_SECRET };

try {
  await using tsl = new BinanceTrailingStopLossManager({
    exchange: "binance.com",
    market,
    stopLossLimit: "1%",
    stopLossOrderType: "MARKET",
    debounceMs: emu ? 0 : 1000,
    autoStart: false,
    onStopMoved: (e) => console.log(`stop ${e.via}: ${e.stop.stopPrice} (best price ${e.reference})`),
    onError: (e) => console.log(`error: ${e.message}`),
    ...connection,
  });
  await tsl.start();
  console.log(
    `protecting ${tsl.stopOrder?.quantity} with ${tsl.stopOrder?.type} at ${tsl.stopOrder?.stopPrice}`,
  );
  if (emu) {
    const up = Array.from({ length: 20 }, (_, i) => (65000 + 25 * (i + 1)).toFixed(2));
    const down = Array.from({ length: 40 }, (_, i) => (65500 - 25 * (i + 1)).toFixed(2));
    void emu.drive(market, [...up, ...down]);
  } else {
    process.once("SIGINT", () => {
      void tsl.stop().then((r) =>
        console.log(`stopped; left on the book: ${r.leftOnBook?.clientOrderId ?? "nothing"}`)
      );
    });
  }
  const last = await tsl.done;
  if (last.type === "finished") {
    console.log(
      `finished (${last.reason}): ${last.filledQuantity} sold at an average of ${last.averagePrice}`,
    );
  }
} finally {
  await emu?.close();
}
