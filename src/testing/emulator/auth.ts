/**
 * Request authentication: API keys of the configured accounts, signature verification with
 * crypto.subtle (HMAC-SHA256, RSASSA-PKCS1-v1_5/SHA-256, Ed25519) and Binance's timing rule.
 * Pure web-standard code.
 *
 * @module
 */
import { ApiError, missingParam } from "./api_error.ts";
import type { AccountOptions } from "./options.ts";

/** Key type of an account. */
export type KeyType = "HMAC" | "RSA" | "Ed25519";

/** An imported verification key. */
export interface KeyEntry {
  readonly apiKey: string;
  readonly type: KeyType;
  readonly key: typeof CryptoKey.prototype; // no global CryptoKey type in @types/node
}

const enc = new TextEncoder();

function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const b64 = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, "").replace(/\s+/g, "");
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function isEd25519Spki(der: Uint8Array<ArrayBuffer>): boolean {
  // SubjectPublicKeyInfo of Ed25519: OID 1.3.101.112 = 06 03 2B 65 70
  for (let i = 0; i + 4 < der.length && i < 16; i++) {
    if (
      der[i] === 0x06 && der[i + 1] === 0x03 && der[i + 2] === 0x2b && der[i + 3] === 0x65 &&
      der[i + 4] === 0x70
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Imports the keys of all accounts.
 *
 * @throws {TypeError} naming the account when a public key cannot be imported
 */
export async function importKeys(accounts: readonly AccountOptions[]): Promise<Map<string, KeyEntry>> {
  const out = new Map<string, KeyEntry>();
  for (const [i, a] of accounts.entries()) {
    if (a.secretKey !== undefined) {
      const key = await crypto.subtle.importKey(
        "raw",
        enc.encode(a.secretKey),
        { name: "HMAC", hash: "SHA-256" },
        false,
        [
          "sign",
        ],
      );
      out.set(a.apiKey, { apiKey: a.apiKey, type: "HMAC", key });
      continue;
    }
    const der = pemToDer(a.publicKey!);
    try {
      if (isEd25519Spki(der)) {
        const key = await crypto.subtle.importKey("spki", der, { name: "Ed25519" }, false, ["verify"]);
        out.set(a.apiKey, { apiKey: a.apiKey, type: "Ed25519", key });
      } else {
        const key = await crypto.subtle.importKey(
          "spki",
          der,
          { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
          false,
          [
            "verify",
          ],
        );
        out.set(a.apiKey, { apiKey: a.apiKey, type: "RSA", key });
      }
    } catch (e) {
      throw new TypeError(`Invalid accounts[${i}].publicKey: not an RSA or Ed25519 SPKI public key`, {
        cause: e,
      });
    }
  }
  return out;
}

function hex(buf: ArrayBuffer): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function b64ToBytes(b64: string): Uint8Array<ArrayBuffer> | null {
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** Verifies `signature` over `payload` (UTF-8 bytes) with the key. */
export async function verifySignature(entry: KeyEntry, payload: string, signature: string): Promise<boolean> {
  const data = enc.encode(payload);
  if (entry.type === "HMAC") {
    const mac = hex(await crypto.subtle.sign("HMAC", entry.key, data));
    return mac === signature.toLowerCase(); // HMAC signatures are case-insensitive hex
  }
  const sig = b64ToBytes(signature);
  if (!sig) return false;
  const alg = entry.type === "Ed25519" ? { name: "Ed25519" } : { name: "RSASSA-PKCS1-v1_5" };
  try {
    return await crypto.subtle.verify(alg, entry.key, sig, data);
  } catch {
    return false;
  }
}

/** -1022 failure. */
export function invalidSignature(): ApiError {
  return new ApiError(-1022, "Signature for this request is not valid.");
}

/** -2015 failure. */
export function rejectedKey(status = 401): ApiError {
  return new ApiError(-2015, "Invalid API-key, IP, or permissions for action.", status);
}

/**
 * Binance's timing rule: accept if `timestamp < serverTime + 1000` and
 * `serverTime - timestamp <= recvWindow` (default 5000, max 60000; µs timestamps accepted).
 *
 * @throws {ApiError} -1102 (missing), -1131 (recvWindow too large), -1021 (outside the window)
 */
export function checkTimestamp(params: { get(name: string): string | null }, serverTime: number): void {
  const ts = params.get("timestamp");
  if (ts === null || ts === "") throw missingParam("timestamp");
  if (!/^\d{1,20}$/.test(ts)) {
    throw new ApiError(
      -1100,
      "Illegal characters found in parameter 'timestamp'; legal range is '^[0-9]{1,20}$'.",
    );
  }
  let t = Number(ts);
  if (t > 1e14) t = t / 1000; // microseconds
  const rwText = params.get("recvWindow");
  let rw = 5000;
  if (rwText !== null) {
    if (!/^\d{1,20}(\.\d{1,3})?$/.test(rwText)) {
      throw new ApiError(
        -1100,
        "Illegal characters found in parameter 'recvWindow'; legal range is '^[0-9]{1,20}(\\.[0-9]{1,3})?$'.",
      );
    }
    rw = Number(rwText);
    if (rw > 60000) throw new ApiError(-1131, "recvWindow must be less than 60000");
  }
  if (t >= serverTime + 1000) {
    throw new ApiError(-1021, "Timestamp for this request was 1000ms ahead of the server's time.");
  }
  if (serverTime - t > rw) {
    throw new ApiError(-1021, "Timestamp for this request is outside of the recvWindow.");
  }
}

/** Removes the `signature` parameter from a raw query/body string, keeping every other byte. */
export function stripSignature(raw: string): { rest: string; signature: string | null } {
  if (raw === "") return { rest: "", signature: null };
  let signature: string | null = null;
  const parts = raw.split("&").filter((p) => {
    if (p.startsWith("signature=")) {
      signature = p.slice(10);
      return false;
    }
    return true;
  });
  return { rest: parts.join("&"), signature };
}

/**
 * Authenticates a signed REST request: API key, timestamp window, then the signature over the
 * query string concatenated with the body, exactly as sent (percent-encoded).
 *
 * @returns the key entry of the account
 * @throws {ApiError} -2014 / -2015 / -1102 / -1021 / -1022
 */
export async function authenticateRest(
  keys: ReadonlyMap<string, KeyEntry>,
  req: {
    readonly apiKey: string | null;
    readonly query: string;
    readonly body: string;
    readonly params: URLSearchParams;
  },
  serverTime: number,
): Promise<KeyEntry> {
  if (req.apiKey === null || req.apiKey === "") throw new ApiError(-2014, "API-key format invalid.", 401);
  const entry = keys.get(req.apiKey);
  if (!entry) throw rejectedKey();
  const q = stripSignature(req.query);
  const b = stripSignature(req.body);
  const sigRaw = q.signature ?? b.signature;
  if (sigRaw === null || sigRaw === "") throw missingParam("signature");
  checkTimestamp(req.params, serverTime);
  let sig: string;
  try {
    // form decoding: an unencoded "+" becomes a space, so an RSA/Ed25519 signature sent without
    // percent-encoding fails as it does on Binance
    sig = decodeURIComponent(sigRaw.replace(/\+/g, " "));
  } catch {
    throw invalidSignature();
  }
  if (!(await verifySignature(entry, q.rest + b.rest, sig))) throw invalidSignature();
  return entry;
}
