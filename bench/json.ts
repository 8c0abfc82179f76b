/**
 * Cost of `parseJson` versus `JSON.parse` on recorded Binance frames (not a test; prints ratios).
 *
 * Run from the project root with any runtime:
 * `deno run -A bench/json.ts`, `bun bench/json.ts`,
 * `node bench/json.ts` (Node 24 strips the types).
 *
 * Cases: the recorded spot and USD-M combined-stream frames as they are (no 16-digit run: the
 * fast path), the same USD-M frames with their update ids made 20 digits long (the exact path),
 * and, for comparison, those frames through `JSON.parse` with a source-text-access reviver (the
 * design not taken). Every case is timed against `JSON.parse` on the same texts in the same run, in
 * alternating rounds, and the medians are compared.
 *
 * @module
 */
import { readSharedText } from "../tests/_data.ts";
import { parseJson } from "../src/core/json.ts";

function frames(file: string): string[] {
  return readSharedText(file).split("\n").slice(1).filter((l) => l.length > 0).map((l) =>
    l.slice(l.indexOf(": ") + 2)
  );
}

let sink = 0;

/** ns per frame of one pass-set lasting about `ms`. */
function round(texts: readonly string[], parse: (t: string) => unknown, ms: number): number {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (const t of texts) sink += parse(t) === null ? 1 : 0;
    n += texts.length;
    elapsed = performance.now() - start;
  }
  return (elapsed * 1e6) / n;
}

/** Median ns per frame of `a` and `b`, measured in alternating rounds (the machine is shared). */
function compare(
  texts: readonly string[],
  a: (t: string) => unknown,
  b: (t: string) => unknown,
): [number, number] {
  round(texts, a, 100);
  round(texts, b, 100);
  const ra: number[] = [];
  const rb: number[] = [];
  for (let r = 0; r < 9; r++) {
    ra.push(round(texts, a, 60));
    rb.push(round(texts, b, 60));
  }
  const med = (x: number[]) => x.sort((p, q) => p - q)[x.length >> 1];
  return [med(ra), med(rb)];
}

function sourceReviver(_k: string, v: unknown, ctx?: { source?: string }): unknown {
  const src = ctx?.source;
  return typeof v === "number" && !Number.isSafeInteger(v) && src !== undefined && /^-?\d+$/.test(src)
    ? BigInt(src)
    : v;
}
function parseWithSourceReviver(text: string): unknown {
  return JSON.parse(text, sourceReviver as (k: string, v: unknown) => unknown);
}

const spot = frames("depth/BINANCE.ws.1.0");
const fut = frames("depth/BINANCE_FUTURES.ws.1.0");
const futBig = fut.map((t) => t.replace(/"(U|u|pu)":(\d+)/g, (_m, k, d) => `"${k}":9000000${d}`));
const runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";

const rows: [string, readonly string[], (t: string) => unknown][] = [
  ["spot frames, fast path", spot, parseJson],
  ["USD-M frames, fast path", fut, parseJson],
  ["USD-M frames with 20-digit ids, exact path", futBig, parseJson],
  // the alternative not taken: JSON.parse with a source-text-access reviver (not on Node 20)
  ["USD-M frames with 20-digit ids, reviver (not used)", futBig, parseWithSourceReviver],
];
console.log(`runtime ${runtime}; ns per frame, ratio = candidate / JSON.parse on the same frames`);
for (const [label, texts, parse] of rows) {
  const [base, ours] = compare(texts, JSON.parse, parse);
  const bytes = texts.reduce((a, t) => a + t.length, 0) / texts.length;
  console.log(
    `${label.padEnd(50)} n=${String(texts.length).padStart(4)} avg ${
      bytes.toFixed(0).padStart(4)
    } B  JSON.parse ${base.toFixed(0).padStart(6)}  candidate ${ours.toFixed(0).padStart(6)}  ratio ${
      (ours / base).toFixed(2)
    }`,
  );
}
