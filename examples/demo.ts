/**
 * `npm start`: a local Binance in this process and a live view of trades and the top of the book
 * for a few spot and USDⓈ-M markets, read through the project's own clients — the WebSocket
 * manager (`unicorn-binance/ws`, combined streams with USD-M `/public` + `/market` routing) and
 * the REST client (`unicorn-binance/rest`, 24 h statistics) — next to the emulator's true book.
 * Stop with Ctrl-C (or pass `--seconds <n>`).
 *
 * ```sh
 * deno run -A examples/demo.ts
 * ```
 *
 * @module
 */
import process from "node:process";
import { BinanceRestClient } from "../src/rest/mod.ts";
import { startEmulator } from "../src/testing/mod.ts";
import { BinanceWebSocketManager, type StreamMessage } from "../src/ws/mod.ts";
import { BinanceLocalDepthCacheManager, init as initDepthCache } from "../src/depthcache/mod.ts";

interface Row {
  label: string;
  last?: string;
  qty?: string;
  side?: string;
  bid?: string;
  bidQty?: string;
  ask?: string;
  askQty?: string;
  change?: string;
  trades: number;
  perSecond: number;
}

const seconds = (() => {
  const i = process.argv.indexOf("--seconds");
  return i >= 0 ? Number(process.argv[i + 1]) : Infinity;
})();

const emu = await startEmulator({ seed: 1 });
const rows = new Map<string, Row>();
const SPOT = ["BTCUSDT", "ETHUSDT", "BNBBTC"];
const FUTURES = ["BTCUSDT", "ETHUSDT"];
for (const s of SPOT) rows.set(`spot:${s}`, { label: `spot  ${s}`, trades: 0, perSecond: 0 });
for (const s of FUTURES) rows.set(`usdm:${s}`, { label: `usdm  ${s}`, trades: 0, perSecond: 0 });

function onData(venue: string): (m: StreamMessage) => void {
  return (m) => {
    const frame = JSON.parse(String(m.data));
    const data = frame.data ?? frame;
    const row = rows.get(`${venue}:${String(data.s)}`);
    if (!row) return;
    if (data.e === "aggTrade") {
      row.last = data.p;
      row.qty = data.q;
      row.side = data.m ? "sell" : "buy";
      row.trades++;
    } else if (data.b !== undefined) {
      Object.assign(row, { bid: data.b, bidQty: data.B, ask: data.a, askQty: data.A });
    }
  };
}

const spotWs = new BinanceWebSocketManager({ exchange: "binance.com", streamBase: emu.wsUrl });
const futWs = new BinanceWebSocketManager({ exchange: "binance.com-futures", streamBase: emu.futuresWsUrl });
spotWs.createStream(["aggTrade", "bookTicker"], SPOT, { onData: onData("spot") });
futWs.createStream(["aggTrade", "bookTicker"], FUTURES, { onData: onData("usdm") });
const rest = new BinanceRestClient({ baseUrl: emu.restUrl });
await initDepthCache();
const dcm = new BinanceLocalDepthCacheManager({
  restOptions: { baseUrl: emu.restUrl },
  wsOptions: { streamBase: emu.wsUrl },
});
dcm.createDepthCache(SPOT);

/** `-0.000` (Binance's sign of an unchanged price) reads as `0.000`. */
const percent = (v: string): string => `${/^-0(\.0*)?$/.test(v) ? v.slice(1) : v}%`;

async function refreshStats(): Promise<void> {
  for (const s of SPOT) {
    const t = await rest.getTicker({ symbol: s });
    rows.get(`spot:${s}`)!.change = percent(t.priceChangePercent);
  }
  for (const s of FUTURES) {
    const t = await rest.futuresTicker({ symbol: s }); // one symbol: one ticker
    rows.get(`usdm:${s}`)!.change = percent((Array.isArray(t) ? t[0] : t).priceChangePercent);
  }
}

const num = (v: string | undefined, w: number) => (v === undefined ? "-" : String(Number(v))).padStart(w);
let lastCounts = new Map<string, number>();
function render(): void {
  const head =
    `${"market".padEnd(14)}${"last".padStart(14)}${"qty".padStart(12)}  side${"bid".padStart(14)}` +
    `${"bid qty".padStart(12)}${"ask".padStart(14)}${"ask qty".padStart(12)}${"trades/s".padStart(10)}${
      "24h".padStart(10)
    }`;
  const lines = [
    `unicorn-binance emulator  REST ${emu.restUrl}  streams ${emu.wsUrl}  (Ctrl-C to stop)`,
    "",
    head,
  ];
  for (const [k, r] of rows) {
    r.perSecond = (r.trades - (lastCounts.get(k) ?? 0)) * 2;
    lines.push(
      `${r.label.padEnd(14)}${num(r.last, 14)}${num(r.qty, 12)}  ${(r.side ?? "-").padEnd(4)}${
        num(r.bid, 14)
      }` +
        `${num(r.bidQty, 12)}${num(r.ask, 14)}${num(r.askQty, 12)}${String(r.perSecond).padStart(10)}` +
        `${(r.change ?? "").padStart(10)}`,
    );
  }
  lastCounts = new Map([...rows].map(([k, r]) => [k, r.trades]));
  const book = emu.book("BTCUSDT", { limit: 5 });
  lines.push("", `spot BTCUSDT, the emulator's true book (lastUpdateId ${book.lastUpdateId}):`);
  for (let i = 4; i >= 0; i--) {
    lines.push(`  ask ${book.asks[i][0].padStart(16)} ${book.asks[i][1].padStart(14)}`);
  }
  for (let i = 0; i < 5; i++) {
    lines.push(`  bid ${book.bids[i][0].padStart(16)} ${book.bids[i][1].padStart(14)}`);
  }
  try {
    const dc = dcm.getBook("BTCUSDT", { limitCount: 5, format: "string" });
    lines.push(
      "",
      `spot BTCUSDT, local depth cache (unicorn-binance/depthcache, ${dc.state}, lastUpdateId ${dc.lastUpdateId}):`,
    );
    for (let i = 4; i >= 0; i--) {
      lines.push(`  ask ${dc.asks[i][0].padStart(16)} ${dc.asks[i][1].padStart(14)}`);
    }
    for (const [p, q] of dc.bids) lines.push(`  bid ${p.padStart(16)} ${q.padStart(14)}`);
  } catch (e) {
    lines.push("", `spot BTCUSDT, local depth cache: ${(e as Error).message}`);
  }
  process.stdout.write(`\x1b[H\x1b[2J${lines.join("\n")}\n`);
}

await refreshStats(); // the 24 h column is filled from the first screen on
const timer = setInterval(render, 500);
const statsTimer = setInterval(() => void refreshStats().catch(() => {}), 2000);
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  clearInterval(statsTimer);
  render(); // the last screen
  await dcm.close();
  await spotWs.close();
  await futWs.close();
  await emu.close();
  process.stdout.write("emulator stopped\n");
}
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
if (Number.isFinite(seconds)) setTimeout(() => void stop(), seconds * 1000);
