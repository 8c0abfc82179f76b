/**
 * Local depth caches for a few markets: top of book, and how deep a market order of a given quote
 * notional would walk (a `thresholdVolume` read), refreshed every second. Runs against the
 * embedded emulator by default; `--live` uses Binance itself.
 *
 * ```sh
 * deno run -A examples/depthcache.ts              # emulator, 10 s
 * deno run -A examples/depthcache.ts --seconds 30
 * deno run -A examples/depthcache.ts --live       # binance.com
 * ```
 *
 * @module
 */
import process from "node:process";
import {
  BinanceLocalDepthCacheManager,
  type DepthCacheManagerOptions,
  DepthCacheOutOfSyncError,
  init,
} from "../src/depthcache/mod.ts";
import { startEmulator } from "../src/testing/mod.ts";

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const seconds = Number(arg("--seconds") ?? 10);
const live = process.argv.includes("--live");

/** Markets and the quote notional of the threshold read (e.g. "buy 100 000 USDT of BTC"). */
const MARKETS: Record<string, number> = { BTCUSDT: 100_000, ETHUSDT: 50_000, BNBBTC: 1 };

await init(); // the WASM order-book core (the TypeScript book serves without it)
const emu = live ? undefined : await startEmulator({ seed: 1 });
const options: DepthCacheManagerOptions = emu
  ? { restOptions: { baseUrl: emu.restUrl }, wsOptions: { streamBase: emu.wsUrl } }
  : {};
await using dcm = new BinanceLocalDepthCacheManager({
  exchange: "binance.com",
  ...options,
  onStateChange: (e) => console.log(`${e.market.padEnd(8)} ${e.previous} -> ${e.state} (${e.reason})`),
});
dcm.createDepthCache(Object.keys(MARKETS));

const fmt = (n: number, digits = 8): string => n.toFixed(digits).replace(/\.?0+$/, "");
const deadline = Date.now() + seconds * 1000;
while (Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 1000));
  for (const [market, notional] of Object.entries(MARKETS)) {
    try {
      const book = dcm.getBook(market, { limitCount: 1, format: "string" });
      const asks = dcm.getAsks(market, { thresholdVolume: notional });
      const spent = asks.reduce((s, [p, q]) => s + p * q, 0);
      const qty = asks.reduce((s, [, q]) => s + q, 0);
      console.log(
        `${market.padEnd(8)} #${book.lastUpdateId}  bid ${book.bids[0][0]} x ${book.bids[0][1]}  ` +
          `ask ${book.asks[0][0]} x ${book.asks[0][1]}  |  ${
            fmt(notional)
          } of asks: ${asks.length} levels, ` +
          `${fmt(qty)} @ avg ${fmt(spent / qty)}, worst ${fmt(asks[asks.length - 1][0])}`,
      );
    } catch (e) {
      if (!(e instanceof DepthCacheOutOfSyncError)) throw e;
      console.log(`${market.padEnd(8)} ${e.state}: not served yet`);
    }
  }
}
console.log("snapshot weight used:", dcm.getSchedulerStats().weightSent);
await dcm.close();
await emu?.close();
