/**
 * `npm start`: a local Binance in this process, and a live view of trades and the top of the
 * book for a few markets, read with plain `WebSocket` from the emulator's streams.
 * Stop with Ctrl-C (or pass `--seconds <n>`).
 *
 * ```sh
 * deno run -A examples/demo.ts
 * ```
 *
 * @module
 */
import process from "node:process";
import { startEmulator } from "../src/testing/mod.ts";

interface Row {
  label: string;
  last?: string;
  qty?: string;
  side?: string;
  bid?: string;
  bidQty?: string;
  ask?: string;
  askQty?: string;
  trades: number;
  perSecond: number;
}

const seconds = (() => {
  const i = process.argv.indexOf("--seconds");
  return i >= 0 ? Number(process.argv[i + 1]) : Infinity;
})();

const emu = await startEmulator({ seed: 1 });
const rows = new Map<string, Row>();
const sockets: WebSocket[] = [];

function watch(base: string, venue: string, symbols: string[]): void {
  const streams = symbols.flatMap((s) => [`${s}@aggTrade`, `${s}@bookTicker`]);
  for (const s of symbols) {
    rows.set(`${venue}:${s}`, { label: `${venue.padEnd(5)} ${s.toUpperCase()}`, trades: 0, perSecond: 0 });
  }
  const ws = new WebSocket(`${base}/stream?streams=${streams.join("/")}`);
  ws.onmessage = (e) => {
    const { stream, data } = JSON.parse(String(e.data));
    const row = rows.get(`${venue}:${stream.split("@")[0]}`);
    if (!row) return;
    if (stream.endsWith("@aggTrade")) {
      row.last = data.p;
      row.qty = data.q;
      row.side = data.m ? "sell" : "buy";
      row.trades++;
    } else {
      Object.assign(row, { bid: data.b, bidQty: data.B, ask: data.a, askQty: data.A });
    }
  };
  sockets.push(ws);
}

// futures book data is routed under /public; trades are /market data, so the demo opens both
watch(emu.wsUrl, "spot", ["btcusdt", "ethusdt", "bnbbtc"]);
watch(`${emu.futuresWsUrl}/public`, "usdm", ["btcusdt", "ethusdt"]);
watch(`${emu.futuresWsUrl}/market`, "usdm", ["btcusdt", "ethusdt"]);

const num = (v: string | undefined, w: number) => (v === undefined ? "-" : String(Number(v))).padStart(w);
let lastCounts = new Map<string, number>();
function render(): void {
  const lines = [
    `unicorn-binance emulator  REST ${emu.restUrl}  streams ${emu.wsUrl}  (Ctrl-C to stop)`,
    "",
    `${"market".padEnd(14)}${"last".padStart(14)}${"qty".padStart(12)}  side${"bid".padStart(14)}${
      "bid qty".padStart(12)
    }${"ask".padStart(14)}${"ask qty".padStart(12)}${"trades/s".padStart(10)}`,
  ];
  for (const [k, r] of rows) {
    r.perSecond = (r.trades - (lastCounts.get(k) ?? 0)) * 2;
    lines.push(
      `${r.label.padEnd(14)}${num(r.last, 14)}${num(r.qty, 12)}  ${(r.side ?? "-").padEnd(4)}${
        num(r.bid, 14)
      }${num(r.bidQty, 12)}${num(r.ask, 14)}${num(r.askQty, 12)}${String(r.perSecond).padStart(10)}`,
    );
  }
  lastCounts = new Map([...rows].map(([k, r]) => [k, r.trades]));
  const book = emu.book("BTCUSDT", { limit: 5 });
  lines.push("", `spot BTCUSDT true book (lastUpdateId ${book.lastUpdateId}):`);
  for (let i = 4; i >= 0; i--) {
    lines.push(`  ask ${book.asks[i][0].padStart(16)} ${book.asks[i][1].padStart(14)}`);
  }
  for (let i = 0; i < 5; i++) {
    lines.push(`  bid ${book.bids[i][0].padStart(16)} ${book.bids[i][1].padStart(14)}`);
  }
  process.stdout.write(`\x1b[H\x1b[2J${lines.join("\n")}\n`);
}

const timer = setInterval(render, 500);
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  for (const ws of sockets) ws.close();
  await emu.close();
  process.stdout.write("emulator stopped\n");
}
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
if (Number.isFinite(seconds)) setTimeout(() => void stop(), seconds * 1000);
