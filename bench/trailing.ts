/**
 * Cost of the trailing engine (not a test; prints ratios).
 *
 * Run from the project root: `deno run -A bench/trailing.ts`, `bun bench/trailing.ts`.
 *
 * 1. Replaces per 1 000 price ticks: seeded BTCUSDT-like paths (tick 0.01, trades 100 ms apart,
 *    drifting up: the case that moves a SELL stop most), a 1.5 % trail, against the floor of no
 *    throttle (a move on every tick-sized gain: Python's rule, one cancel + create per new high)
 *    with a minimum step, a debounce, and both.
 * 2. ns per `onPrice` decision, next to the Python rule written with JS floats (floor2 of the
 *    running maximum × 0.985) in the same run.
 *
 * @module
 */
import { Rng } from "../src/testing/emulator/rng.ts";
import {
  initialTrail,
  onPrice,
  symbolRules,
  trailConfig,
  type TrailOptions,
} from "../src/trailing/engine.ts";

const rules = symbolRules({
  symbol: "BTCUSDT",
  baseAsset: "BTC",
  quoteAsset: "USDT",
  filters: [
    { filterType: "PRICE_FILTER", minPrice: "0.01", maxPrice: "1000000", tickSize: "0.01" },
    { filterType: "LOT_SIZE", minQty: "0.00001", maxQty: "9000", stepSize: "0.00001" },
    { filterType: "NOTIONAL", minNotional: "5", maxNotional: "9000000" },
  ],
}, "spot");

const TICKS = 1000;
const SEEDS = 20;

/** A path of `n` prices in cents: a random walk of ±0..300 cents per trade with an upward drift. */
function path(seed: number, n: number): number[] {
  const rng = new Rng(seed);
  const out: number[] = [];
  let cents = 6_500_000;
  for (let i = 0; i < n; i++) {
    cents += rng.int(-300, 320);
    out.push(cents);
  }
  return out;
}

const price = (cents: number) => (cents / 100).toFixed(2);

function replaces(options: TrailOptions, prices: number[]): number {
  const config = trailConfig(options);
  let state = initialTrail(config, rules, { price: price(prices[0]), time: 0, quantity: "0.1" }).state;
  let n = 0;
  for (let i = 1; i < prices.length; i++) {
    const d = onPrice(state, { price: price(prices[i]), time: i * 100 }, config, rules);
    if (d.action.kind === "replace") n++;
    state = d.state;
  }
  return n;
}

const base: TrailOptions = { side: "SELL", distance: "1.5%", triggerGap: "0.01" };
const variants: Array<[string, TrailOptions]> = [
  ["no throttle (Python's rule)", base],
  ["minStep 0.05%", { ...base, minStep: "0.05%" }],
  ["debounce 1 s", { ...base, debounceMs: 1000 }],
  ["debounce 5 s", { ...base, debounceMs: 5000 }],
  ["minStep 0.05% + debounce 1 s", { ...base, minStep: "0.05%", debounceMs: 1000 }],
];

const paths = Array.from({ length: SEEDS }, (_, i) => path(1000 + i, TICKS));
const floor = paths.reduce((s, p) => s + replaces(base, p), 0) / SEEDS;
console.log(
  `replaces per ${TICKS} price ticks (mean of ${SEEDS} seeded paths, 1.5 % trail, 100 ms per trade)`,
);
for (const [name, opts] of variants) {
  const mean = paths.reduce((s, p) => s + replaces(opts, p), 0) / SEEDS;
  console.log(
    `  ${name.padEnd(32)} ${mean.toFixed(1).padStart(7)}   ${(mean / floor).toFixed(3)} × the floor`,
  );
}

// decision cost, alternating rounds against the float rule on the same path
function engineRound(prices: number[]): number {
  const config = trailConfig({ ...base, minStep: "0.05%", debounceMs: 1000 });
  let state = initialTrail(config, rules, { price: price(prices[0]), time: 0, quantity: "0.1" }).state;
  const texts = prices.map(price);
  const t0 = performance.now();
  for (let i = 1; i < texts.length; i++) {
    state = onPrice(state, { price: texts[i], time: i * 100 }, config, rules).state;
  }
  return ((performance.now() - t0) * 1e6) / (texts.length - 1);
}
let sink = 0;
function floatRound(prices: number[]): number {
  let best = 0;
  let stop = 0;
  const t0 = performance.now();
  for (const c of prices) {
    const p = c / 100;
    if (p > best) best = p;
    const cand = Math.floor((best / 100) * (100 - 1.5) * 100) / 100;
    if (cand > stop) stop = cand;
  }
  sink += stop;
  return ((performance.now() - t0) * 1e6) / prices.length;
}
const e: number[] = [];
const f: number[] = [];
for (let r = 0; r < 15; r++) {
  const p = paths[r % SEEDS];
  e.push(engineRound(p));
  f.push(floatRound(p));
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `onPrice: ${median(e).toFixed(0)} ns per decision (exact decimals, filters checked), ` +
    `${(median(e) / Math.max(1, median(f))).toFixed(0)} × the float rule (${median(f).toFixed(0)} ns) ${
      sink > 0 ? "" : " "
    }`,
);
