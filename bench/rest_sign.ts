/**
 * Cost of preparing a signed REST request per key type (HMAC-SHA256, RSA-2048 PKCS#1 v1.5,
 * Ed25519) relative to the same request unsigned (not a test; prints ratios).
 *
 * Run from the project root with any runtime:
 * `deno run -A bench/rest_sign.ts`, `bun bench/rest_sign.ts`, `node bench/rest_sign.ts`.
 *
 * Each case goes through the whole client pipeline (parameter formatting, percent-encoding,
 * timestamp, signing, URL/body building, a `fetch` that answers at once with `{}`, JSON parsing),
 * so the ratio is what signing adds to a real call minus the network. The parameters are those of
 * Binance's documented `POST /api/v3/order` example. Cases alternate in rounds on the shared
 * machine and the medians are compared.
 *
 * @module
 */
import { BinanceRestClient } from "../src/rest/mod.ts";
import { readSharedJson } from "../tests/_data.ts";

// deno-lint-ignore no-explicit-any
const V: any = readSharedJson("signing/vectors.json");

function pem(der: ArrayBuffer): string {
  return `-----BEGIN PRIVATE KEY-----\n${
    btoa(String.fromCharCode(...new Uint8Array(der)))
  }\n-----END PRIVATE KEY-----`;
}

const rsa = await crypto.subtle.generateKey(
  {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  },
  true,
  ["sign"],
) as CryptoKeyPair;

const ok = (): Promise<Response> => Promise.resolve(new Response('{"serverTime":1700000000000}'));
const params = {
  symbol: "LTCBTC",
  side: "BUY",
  type: "LIMIT",
  timeInForce: "GTC",
  quantity: "1",
  price: "0.1",
  newClientOrderId: "bench-1",
} as const;

function client(key?: string): BinanceRestClient {
  return new BinanceRestClient({ fetch: ok, apiKey: "key", apiSecret: key, recvWindow: 5000 });
}

const cases: Record<string, () => Promise<unknown>> = {};
const unsigned = client();
// the same endpoint shape without signature: API-key header only, same parameters
cases.unsigned = () =>
  unsigned.request(
    { method: "POST", family: "api", path: "/api/v3/order", security: "API_KEY" },
    params,
  );
for (
  const [name, key] of [
    ["hmac", V.hmac_rest.secretKey as string],
    ["rsa2048", pem(await crypto.subtle.exportKey("pkcs8", rsa.privateKey))],
    ["ed25519", V.ed25519_fix_logon.private_key_pem as string],
  ]
) {
  const c = client(key);
  await c.syncTime();
  cases[name] = () => c.createOrder(params);
}

/** µs per call of one round lasting about `ms`. */
async function round(f: () => Promise<unknown>, ms: number): Promise<number> {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 20; i++) await f();
    n += 20;
    elapsed = performance.now() - start;
  }
  return (elapsed * 1000) / n;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = Object.keys(cases);
for (const n of names) await round(cases[n], 150); // warm-up
const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < 7; r++) for (const n of names) samples[n].push(await round(cases[n], 120));

const base = median(samples.unsigned);
const runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";
console.log(`REST request preparation, ${runtime} (median of 7 alternating rounds)`);
console.log(`unsigned   ${base.toFixed(1).padStart(8)} µs/request   1.00×`);
for (const n of names.filter((n) => n !== "unsigned")) {
  const m = median(samples[n]);
  console.log(`${n.padEnd(10)} ${m.toFixed(1).padStart(8)} µs/request   ${(m / base).toFixed(2)}× unsigned`);
}
