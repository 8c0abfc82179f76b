/**
 * REST quickstart: latest price, 24-hour statistics, recent klines and a signed test order.
 *
 * By default it runs against the local emulator (no network, no keys needed). Pass `--live` to
 * use binance.com (public calls need nothing; the signed test order needs `BINANCE_API_KEY` and
 * `BINANCE_API_SECRET` — an HMAC secret or a PEM RSA/Ed25519 private key; `POST /api/v3/order/test`
 * validates the order without placing it).
 *
 * ```sh
 * deno run -A examples/rest_quickstart.ts            # emulator
 * bun examples/rest_quickstart.ts --live             # binance.com
 * node examples/rest_quickstart.ts                   # Node 24 strips the types
 * ```
 *
 * @module
 */
import { argv, env } from "node:process";
import { BinanceRestClient } from "../src/rest/mod.ts";
import { startEmulator } from "../src/testing/mod.ts";

const live = argv.includes("--live");
const symbol = "BTCUSDT";

// The emulator verifies signatures like Binance: give it an account with a demo HMAC key.
const emulator = live ? undefined : await startEmulator({
  accounts: [{ apiKey: "quickstartKey", secretKey: "quickstartSecret" }],
});

try {
  // let the emulator's simulated market trade for a moment so the statistics move
  if (emulator) await new Promise((resolve) => setTimeout(resolve, 1500));
  const client = new BinanceRestClient(
    live
      ? { apiKey: env.BINANCE_API_KEY, apiSecret: env.BINANCE_API_SECRET, recvWindow: 5000 }
      : { baseUrl: emulator!.restUrl, apiKey: "quickstartKey", apiSecret: "quickstartSecret" },
  );
  console.log(`REST quickstart against ${live ? "binance.com" : `the emulator at ${emulator!.restUrl}`}`);

  const { price } = await client.getSymbolTicker({ symbol });
  console.log(`${symbol} last price: ${price}`);

  const day = await client.getTicker({ symbol });
  console.log(
    `24h: open ${day.openPrice}  high ${day.highPrice}  low ${day.lowPrice}  change ${day.priceChangePercent}%  volume ${day.volume}`,
  );

  const klines = await client.getKlines({ symbol, interval: "1m", limit: 5 });
  for (const [openTime, open, high, low, close, volume] of klines) {
    console.log(
      `kline ${new Date(openTime).toISOString()}  o ${open}  h ${high}  l ${low}  c ${close}  v ${volume}`,
    );
  }

  if (live && (!env.BINANCE_API_KEY || !env.BINANCE_API_SECRET)) {
    console.log("signed test order skipped: set BINANCE_API_KEY and BINANCE_API_SECRET");
  } else {
    // rounded to the symbol's filters and checked locally; /order/test places nothing
    const limitPrice = (Number(price) * 0.9).toFixed(2);
    await client.orderLimitBuy({ symbol, quantity: 0.001, price: limitPrice, test: true });
    console.log(`signed test order accepted (LIMIT BUY 0.001 @ ${limitPrice}, ${client.keyType} key)`);
    const w = client.usage.api?.weight["1M"];
    console.log(`used request weight this minute: ${w ?? "not reported"}`);
  }
} finally {
  await emulator?.close();
}
