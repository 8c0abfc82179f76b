/**
 * Checks run inside workerd by tests/edge/worker.ts. Each is an async function that throws on
 * failure; assertions are plain (no node: modules exist in a worker).
 *
 * @module
 */

import { getExchange, parseJson, roundToStep } from "../../mod.ts";
import { unicornfy } from "../../src/unicornfy/mod.ts";
import { createOrderBook, init, ReferenceBook, WasmBook } from "../../src/depthcache/book.ts";
import { restEdgeChecks, type RestEdgeEnv } from "../rest/edge_checks.ts";
// The precompiled module: the bundler leaves this import to workerd (a CompiledWasm module).
import coreWasm from "./core.wasm";

/** Bindings handed to the worker by scripts/test_workerd.mjs. */
export interface WorkerEnv extends RestEdgeEnv {}

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

function eq(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual, (_k, v) => typeof v === "bigint" ? `${v}n` : v);
  const e = JSON.stringify(expected, (_k, v) => typeof v === "bigint" ? `${v}n` : v);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

/** The checks, by name. */
export const checks: Record<string, (env: WorkerEnv) => void | Promise<void>> = {
  "runtime is workerd": async () => {
    check(
      typeof navigator !== "undefined" && navigator.userAgent === "Cloudflare-Workers",
      "not running in workerd",
    );
    // The restriction the WASM loader must respect: no compiling from bytes.
    const emptyModule = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    let refused = false;
    try {
      await WebAssembly.compile(emptyModule);
    } catch {
      refused = true;
    }
    check(
      refused,
      "workerd compiled WebAssembly from bytes; the smoke test would not prove the precompiled path",
    );
  },
  "crypto.subtle HMAC-SHA256 matches the Binance doc vector": async () => {
    const secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    const payload =
      "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
    const enc = new TextEncoder();
    const key = await crypto.subtle.importKey(
      "raw",
      enc.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      [
        "sign",
      ],
    );
    const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(payload)));
    const hex = Array.from(sig, (b) => b.toString(16).padStart(2, "0")).join("");
    check(
      hex === "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71",
      `unexpected HMAC ${hex}`,
    );
  },
  "core: venue catalog, 64-bit JSON, decimal rounding": () => {
    eq(getExchange("binance.com-futures").rest.fapi, "https://fapi.binance.com", "fapi origin");
    const parsed = parseJson<{ orderId: bigint; price: string }>(
      '{"orderId":18446744073709551615,"price":"0.1"}',
    );
    eq(parsed.orderId === 18446744073709551615n, true, "64-bit id kept exact");
    eq(roundToStep("0.00012345", "0.00001000", "floor"), "0.00012", "floor to step");
    eq(roundToStep("1e-7", "0.00000001", "nearest"), "0.00000010", "no exponent notation");
  },
  "unicornfy: a spot kline frame (interpreted tables: no new Function in workerd)": () => {
    const frame =
      '{"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1601630228469,"s":"BTCUSDT","k":{"t":1601630220000,"T":1601630279999,"s":"BTCUSDT","i":"1m","f":427033476,"L":427033658,"o":"10437.32000000","c":"10441.80000000","h":"10441.80000000","l":"10437.32000000","v":"20.63957400","n":183,"x":false,"q":"215452.69236872","V":"19.31210700","Q":"201593.99488069","B":"0"}}}';
    const msg = unicornfy(frame, { exchange: "binance.com" });
    check(msg.eventType === "kline", `eventType ${String(msg.eventType)}`);
    eq(msg.kline.firstTradeId, 427033476, "kline first trade id");
    eq(msg.kline.closePrice, "10441.80000000", "close price stays a decimal string");
  },
  "depthcache: WASM core from a precompiled module equals the reference book": async () => {
    await init(coreWasm);
    const book = createOrderBook({ family: "spot", priceScale: 2, depth: 3 });
    check(book instanceof WasmBook, "createOrderBook did not pick the WASM book after init(module)");
    const ref = new ReferenceBook({ family: "spot", priceScale: 2, depth: 3 });
    const snapshot = {
      lastUpdateId: 100,
      bids: [["99999.99", "1"], ["99999.98", "2"], ["99999.90", "3"], ["99999.00", "4"]] as [
        string,
        string,
      ][],
      asks: [["100000.00", "1.5"], ["100000.01", "2"], ["100000.10", "0.5"]] as [string, string][],
    };
    const diff = {
      U: 101,
      u: 103,
      b: [["99999.98", "0"]] as [string, string][],
      a: [["100000.00", "0.25"]] as [string, string][],
    };
    for (const b of [book, ref]) {
      b.loadSnapshot(snapshot);
      eq(b.applyDiff(diff), "applied", "first diff");
      eq(b.applyDiff({ U: 105, u: 106, b: [], a: [] }), "gap", "gap verdict");
    }
    eq(book.read("bids"), ref.read("bids"), "bids");
    eq(book.read("asks"), ref.read("asks"), "asks");
    eq(book.read("bids")[0], [99999.99, 1], "pruning kept the best bid across the power of ten");
    eq(book.read("asks", { thresholdVolume: 30000 }), [[100000, 0.25]], "threshold read");
  },
  ...restEdgeChecks,
};
