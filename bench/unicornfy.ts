/**
 * UnicornFy normalization throughput, as a ratio to `JSON.parse` of the same frames.
 *
 * Frames: the real spot and USD-M recordings in `../shared/data/depth/` (cryptofeed sample data)
 * and the unicorn-fy vectors in `../shared/data/unicornfy/`. Reported per data set, medians of
 * interleaved rounds:
 * - `parse`: `JSON.parse(text)`;
 * - `normalize`: `unicornfy(parsedObject)`: the mapping alone (target: ≤ 0.5 × parse);
 * - `unicornfy(text)`: the whole call (64-bit-safe parse + mapping), as a ratio to `JSON.parse`.
 *
 * Run from the project root: `deno run -A bench/unicornfy.ts`, `bun bench/unicornfy.ts`,
 * `node bench/unicornfy.ts` (Node ≥ 24 strips the types).
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createUnicornfy, type UnicornfyExchange } from "../src/unicornfy/mod.ts";

const SHARED = join("..", "shared", "data");

function recorded(file: string): string[] {
  return readFileSync(join(SHARED, "depth", file), "utf8").split("\n").slice(1).filter((l) => l.length > 0)
    .map((l) => l.slice(l.indexOf(": ") + 2));
}

interface DataSet {
  readonly name: string;
  readonly frames: readonly (readonly [string, UnicornfyExchange])[];
}

function vectors(): DataSet {
  const dir = join(SHARED, "unicornfy");
  const frames = readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => {
    const v = JSON.parse(readFileSync(join(dir, f), "utf8")) as { input: string; function: string };
    const exchange: UnicornfyExchange = v.function.includes("futures")
      ? "binance.com-futures"
      : "binance.com";
    return [v.input, exchange] as const;
  });
  return { name: "unicorn-fy vectors", frames };
}

const SETS: readonly DataSet[] = [
  { name: "spot recording", frames: recorded("BINANCE.ws.1.0").map((t) => [t, "binance.com"] as const) },
  {
    name: "USD-M recording",
    frames: recorded("BINANCE_FUTURES.ws.1.0").map((t) => [t, "binance.com-futures"] as const),
  },
  vectors(),
];

let sink = 0;

/** ns per frame of `fn` over all frames, run for at least `minMs`. */
function measure(count: number, fn: () => void, minMs: number): number {
  let loops = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    loops++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return (elapsed * 1e6) / (loops * count);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const runtime = typeof (globalThis as { Deno?: { version: { deno: string } } }).Deno !== "undefined"
  ? `deno ${(globalThis as unknown as { Deno: { version: { deno: string } } }).Deno.version.deno}`
  : typeof (globalThis as { Bun?: { version: string } }).Bun !== "undefined"
  ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : `node ${(globalThis as unknown as { process: { version: string } }).process.version}`;

console.log(`UnicornFy throughput (${runtime}), ratios to JSON.parse of the same frames`);
console.log(
  "data set            frames  parse ns  normalize ns  normalize/parse  unicornfy(text) ns  /parse",
);
const ROUNDS = 7;
const MIN_MS = 60;
for (const set of SETS) {
  const texts = set.frames.map(([t]) => t);
  const normalizers = set.frames.map(([, ex]) => createUnicornfy({ exchange: ex }));
  const parsed = texts.map((t) => JSON.parse(t) as object);
  const n = texts.length;
  const parse = () => {
    for (let i = 0; i < n; i++) sink += (JSON.parse(texts[i]) as object) === null ? 1 : 0;
  };
  const normalize = () => {
    for (let i = 0; i < n; i++) sink += String(normalizers[i](parsed[i]).eventType).length;
  };
  const full = () => {
    for (let i = 0; i < n; i++) sink += String(normalizers[i](texts[i]).eventType).length;
  };
  for (let i = 0; i < 3; i++) {
    parse();
    normalize();
    full();
  }
  const p: number[] = [], m: number[] = [], f: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    p.push(measure(n, parse, MIN_MS));
    m.push(measure(n, normalize, MIN_MS));
    f.push(measure(n, full, MIN_MS));
  }
  const [pm, mm, fm] = [median(p), median(m), median(f)];
  console.log(
    `${set.name.padEnd(18)} ${String(n).padStart(7)} ${pm.toFixed(0).padStart(9)} ${
      mm.toFixed(0).padStart(13)
    } ${(mm / pm).toFixed(2).padStart(16)} ${fm.toFixed(0).padStart(19)} ${(fm / pm).toFixed(2).padStart(7)}`,
  );
}
if (sink < 0) console.log(sink);
