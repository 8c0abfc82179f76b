/**
 * Test helper: reads cryptofeed's Binance recordings in `../shared/data/depth/` (format in
 * binance-api.md §7.5): `<EX>.0` exchangeInfo, `<EX>.http.0.0` REST snapshots
 * (`"<url> -> <receive ts>: <json>"`), `<EX>.ws.1.0` a connect line then
 * `"<receive ts>: <combined-stream json>"`.
 *
 * @module
 */
import type { DepthDiff, DepthSnapshot } from "../../src/depthcache/book_types.ts";
import { readFileSync } from "node:fs";
import { projectPath, readSharedText } from "../_data.ts";

/**
 * A file of a recording: the shared cryptofeed ones, or `BINANCE_DELIVERY` (COIN-M), made from
 * the emulator's own output by `tests/_fixtures/coinm/make_recording.ts`.
 */
export function recordingText(exchange: string, ext: string): string {
  return exchange === "BINANCE_DELIVERY"
    ? readFileSync(projectPath(`tests/_fixtures/coinm/${exchange}${ext}`), "utf8")
    : readSharedText(`depth/${exchange}${ext}`);
}

/** A REST snapshot with its symbol and receive time. */
export interface RecordedSnapshot {
  readonly symbol: string;
  readonly receivedAt: number;
  readonly snapshot: DepthSnapshot;
}

/** One combined-stream message with its receive time. */
export interface RecordedMessage {
  readonly receivedAt: number;
  readonly stream: string;
  readonly data: Record<string, unknown>;
}

/** Splits `"<prefix>: <json>"` at the first `": {"`. */
function splitLine(line: string): [string, unknown] {
  const i = line.indexOf(": {");
  return [line.slice(0, i), JSON.parse(line.slice(i + 2))];
}

/** The REST snapshots of a recording. */
export function readSnapshots(exchange: string): RecordedSnapshot[] {
  return recordingText(exchange, ".http.0.0").split("\n").filter((l) => l.length > 0).map((line) => {
    const [prefix, json] = splitLine(line);
    const [url, ts] = prefix.split(" -> ");
    const symbol = new URL(url).searchParams.get("symbol")!;
    return { symbol, receivedAt: Number(ts), snapshot: json as DepthSnapshot };
  });
}

/** The stream messages of a recording (all kinds, file order = receive order). */
export function readMessages(exchange: string): RecordedMessage[] {
  const lines = recordingText(exchange, ".ws.1.0").split("\n").filter((l) => l.startsWith("1"));
  return lines.map((line) => {
    const [ts, json] = splitLine(line);
    const { stream, data } = json as { stream: string; data: Record<string, unknown> };
    return { receivedAt: Number(ts), stream, data };
  });
}

/** The `tickSize` of each symbol in the recording's exchangeInfo. */
export function readTickSizes(exchange: string): Map<string, string> {
  const [, info] = splitLine(recordingText(exchange, ".0").split("\n")[0]);
  const out = new Map<string, string>();
  for (
    const s
      of (info as { symbols: { symbol: string; filters: { filterType: string; tickSize?: string }[] }[] })
        .symbols
  ) {
    const f = s.filters.find((x) => x.filterType === "PRICE_FILTER");
    if (f?.tickSize) out.set(s.symbol, f.tickSize);
  }
  return out;
}

/** A diff event of a `depthUpdate` payload. */
export function toDiff(data: Record<string, unknown>): DepthDiff {
  return data as unknown as DepthDiff;
}
