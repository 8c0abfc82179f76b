/**
 * Makes `BINANCE_DELIVERY.{0,http.0.0,ws.1.0}` next to this file: a COIN-M recording in
 * cryptofeed's Binance format (binance-api.md §7.5, as the spot and USD-M recordings in
 * `../shared/data/depth/`), taken from the emulator's own COIN-M output — no real COIN-M
 * recording is at hand. Deterministic: a paused emulator (seed 7, a clock that advances 100 ms
 * per step) streams `bchusd_perp@depth@100ms`, `ltcusd_perp@depth@100ms`, `bchusd_perp@aggTrade`
 * and `ltcusd_perp@bookTicker` on one combined `/dstream` connection for 120 steps; the REST
 * snapshots (`/dapi/v1/depth?limit=1000`) are taken after step 40, while the stream is buffered,
 * as cryptofeed does. Receive times are the events' `E` + 4 ms.
 *
 * ```sh
 * deno run -A tests/_fixtures/coinm/make_recording.ts
 * ```
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { startEmulator } from "../../../src/testing/mod.ts";
import { connect } from "../../testing/_ws.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const STREAMS = [
  "bchusd_perp@depth@100ms",
  "ltcusd_perp@depth@100ms",
  "bchusd_perp@aggTrade",
  "ltcusd_perp@bookTicker",
];

/** The three files of the recording, by suffix. */
export async function makeRecording(): Promise<{ ws: string; http: string; exchangeInfo: string }> {
  let step = 0;
  const now = () => T0 + step * 100;
  await using emu = await startEmulator({
    seed: 7,
    paused: true,
    now,
    markets: [
      {
        symbol: "BCHUSD_PERP",
        market: "coinm",
        price: "450.00",
        tickSize: "0.01",
        stepSize: "1",
        levels: 300,
      },
      {
        symbol: "LTCUSD_PERP",
        market: "coinm",
        price: "85.000",
        tickSize: "0.001",
        stepSize: "1",
        levels: 300,
      },
    ],
  });
  const c = await connect(`${emu.coinmWsUrl}/stream?streams=${STREAMS.join("/")}`);
  const sec = (ms: number) => (ms / 1000).toFixed(4);
  const http: string[] = [];
  const info = await (await fetch(`${emu.futuresRestUrl}/dapi/v1/exchangeInfo`)).text();
  for (let i = 0; i < 120; i++) {
    step++;
    emu.step();
    if (i === 39) {
      for (const s of ["BCHUSD_PERP", "LTCUSD_PERP"]) {
        const body = await (await fetch(`${emu.futuresRestUrl}/dapi/v1/depth?symbol=${s}&limit=1000`)).text();
        http.push(
          `https://dapi.binance.com/dapi/v1/depth?symbol=${s}&limit=1000 -> ${sec(now() + 30)}: ${body}`,
        );
      }
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  // the socket delivers in order: wait for the last step's depth event
  const last = now();
  await c.waitFor((f) => f.includes(`"E":${last}`) && f.includes("ltcusd_perp@depth"), 5000);
  await new Promise((r) => setTimeout(r, 200));
  await c.close();
  const lines = c.frames.map((f) => `${sec(JSON.parse(f).data.E + 4)}: ${f}`);
  return {
    ws: [`wss://dstream.binance.com/stream?streams=${STREAMS.join("/")} <-> ${sec(T0)}`, ...lines, ""].join(
      "\n",
    ),
    http: http.join("\n") + "\n",
    exchangeInfo: `https://dapi.binance.com/dapi/v1/exchangeInfo -> ${sec(T0)}: ${info}\n`,
  };
}

// no top-level await: the Node artifact tests bundle every fixture as CommonJS too
// the file's own name too: the Node artifact tests bundle it into a test file that is itself "main"
if (import.meta.main && import.meta.url.endsWith("/make_recording.ts")) {
  void makeRecording().then((rec) => {
    const dir = new URL(".", import.meta.url);
    writeFileSync(new URL("BINANCE_DELIVERY.ws.1.0", dir), rec.ws);
    writeFileSync(new URL("BINANCE_DELIVERY.http.0.0", dir), rec.http);
    writeFileSync(new URL("BINANCE_DELIVERY.0", dir), rec.exchangeInfo);
    console.log(`${rec.ws.split("\n").length - 2} frames, ${rec.http.split("\n").length - 1} snapshots`);
  });
}
