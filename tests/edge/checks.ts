/**
 * Checks run inside workerd by tests/edge/worker.ts. Each is an async function that throws on
 * failure; assertions are plain (no node: modules exist in a worker).
 *
 * @module
 */

/** Bindings handed to the worker by scripts/test_workerd.mjs. */
export interface WorkerEnv {
  /** Base URL of the Binance emulator started by the harness (REST checks). */
  EMULATOR_REST_URL?: string;
}

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** The checks, by name. */
export const checks: Record<string, (env: WorkerEnv) => Promise<void>> = {
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
};
