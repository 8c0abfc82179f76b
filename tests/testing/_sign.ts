/**
 * Test helper: HMAC-SHA256 signing of REST query strings (hex), as a client would do.
 *
 * @module
 */

import type { AnyJson } from "./_ws.ts";

/** Hex HMAC-SHA256 of `payload` with `secret`. */
export async function hmacHex(secret: string, payload: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = await crypto.subtle.sign("HMAC", key, enc.encode(payload));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A signed REST caller bound to one emulator origin and key pair. */
export function signedCaller(
  origin: string,
  apiKey: string,
  secret: string,
): (
  method: string,
  path: string,
  params: Record<string, string>,
) => Promise<{ status: number; headers: Headers; body: AnyJson }> {
  return async (method, path, params) => {
    const q = new URLSearchParams({ ...params, timestamp: String(Date.now()) }).toString();
    const sig = await hmacHex(secret, q);
    const res = await fetch(`${origin}${path}?${q}&signature=${sig}`, {
      method,
      headers: { "X-MBX-APIKEY": apiKey },
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  };
}
