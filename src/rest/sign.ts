/**
 * Request signing for Binance REST and WebSocket-API calls with `crypto.subtle` only:
 * HMAC-SHA256 (hex), RSA PKCS#1 v1.5 with SHA-256 (base64) and Ed25519 (base64).
 *
 * The key type is detected from the key itself: a PEM `PRIVATE KEY` (PKCS#8) is RSA or Ed25519
 * by its algorithm OID, a PEM `RSA PRIVATE KEY` (PKCS#1) is wrapped into PKCS#8, anything else
 * is an HMAC secret.
 *
 * REST payloads are percent-encoded before signing (Binance rule since 2026-01-15); WebSocket-API
 * payloads are the params sorted by name and **not** encoded.
 *
 * @module
 */
import { formatParamValue, type Params, toPairs } from "./_format.ts";

/** The three Binance API key types. */
export type KeyType = "hmac" | "rsa" | "ed25519";

/** Signs payload strings with one key. */
export interface Signer {
  /** The detected key type. */
  readonly keyType: KeyType;
  /**
   * Signs the UTF-8 bytes of `payload`.
   *
   * @param payload The exact text to sign.
   * @returns Lowercase hex (HMAC) or base64 (RSA, Ed25519), not percent-encoded.
   */
  sign(payload: string): Promise<string>;
}

const RSA_OID = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]; // 1.2.840.113549.1.1.1
const ED25519_OID = [0x2b, 0x65, 0x70]; // 1.3.101.112
const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;
const encoder = new TextEncoder();

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replace(/\s+/g, ""));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesToBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function bytesToHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

const EC_OID = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]; // 1.2.840.10045.2.1 id-ecPublicKey
const EC_MESSAGE = "EC keys are not supported by Binance: use an Ed25519 or RSA key";

/** A key error naming the field (`apiSecret`, `privateKey`), never the key material. */
function keyError(field: string, detail: string, cause?: unknown): TypeError {
  return new TypeError(`Invalid ${field}: ${detail}`, cause === undefined ? undefined : { cause });
}

/** Reads one DER TLV header at `pos`: returns [tag, contentStart, contentLength]. */
function derHeader(der: Uint8Array, pos: number, field: string): [number, number, number] {
  if (pos + 2 > der.length) throw keyError(field, "truncated DER data");
  const tag = der[pos];
  let len = der[pos + 1];
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw keyError(field, "unsupported DER length encoding");
    if (start + n > der.length) throw keyError(field, "truncated DER data");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i];
    start += n;
  }
  if (start + len > der.length) throw keyError(field, "truncated DER data");
  return [tag, start, len];
}

function sameBytes(a: Uint8Array, b: readonly number[]): boolean {
  return a.length === b.length && b.every((x, i) => a[i] === x);
}

/** RSAPrivateKey (PKCS#1): SEQUENCE { version, n, e, d, p, q, dp, dq, qi }, every one an INTEGER. */
function checkPkcs1(der: Uint8Array, field: string): void {
  const notOne = (): TypeError => keyError(field, "PKCS#1 RSA key data is not one DER sequence");
  if (der[0] !== 0x30) throw notOne();
  const [, s0, l0] = derHeader(der, 0, field);
  if (s0 + l0 !== der.length) throw notOne();
  let pos = s0;
  for (let i = 0; i < 9; i++) {
    const [t, s, l] = derHeader(der, pos, field);
    if (t !== 0x02) throw keyError(field, "PKCS#1 RSA key data lacks its nine integers");
    if (i === 1) {
      // Binance takes RSA keys of 2048 or 4096 bits; a shorter one would be refused at the first
      // signed call (and some runtimes import degenerate short keys without complaint)
      let first = s;
      while (first < s + l && der[first] === 0) first++;
      const bits = (s + l - first) * 8;
      if (bits < 2048) {
        throw keyError(field, `Binance accepts RSA keys of 2048 or 4096 bits, this modulus has ${bits}`);
      }
    }
    pos = s + l;
  }
}

/**
 * Algorithm of a PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER, SEQUENCE { OID, ... }, OCTET STRING },
 * with the inner key checked too (RSA: an RSAPrivateKey; Ed25519: a 32-byte seed).
 */
function pkcs8Algorithm(der: Uint8Array, field: string): "rsa" | "ed25519" {
  const notOne = (): TypeError => keyError(field, "PKCS#8 data is not one DER sequence");
  if (der[0] !== 0x30) throw notOne();
  const [, s0, l0] = derHeader(der, 0, field);
  if (s0 + l0 !== der.length) throw notOne();
  const [t1, s1, l1] = derHeader(der, s0, field);
  if (t1 !== 0x02) throw keyError(field, "PKCS#8 version is missing");
  const [t2, s2, l2] = derHeader(der, s1 + l1, field);
  if (t2 !== 0x30) throw keyError(field, "PKCS#8 algorithm identifier is missing");
  const [t3, s3, l3] = derHeader(der, s2, field);
  if (t3 !== 0x06) throw keyError(field, "PKCS#8 algorithm OID is missing");
  const oid = der.subarray(s3, s3 + l3);
  if (sameBytes(oid, EC_OID)) throw new TypeError(EC_MESSAGE);
  const rsa = sameBytes(oid, RSA_OID);
  if (!rsa && !sameBytes(oid, ED25519_OID)) {
    throw new TypeError(`Unsupported ${field}: Binance accepts RSA and Ed25519 PKCS#8 keys`);
  }
  const [t4, s4, l4] = derHeader(der, s2 + l2, field);
  if (t4 !== 0x04) throw keyError(field, "PKCS#8 private key octets are missing");
  const inner = der.subarray(s4, s4 + l4);
  if (rsa) checkPkcs1(inner, field);
  else {
    const [t5, s5, l5] = derHeader(inner, 0, field);
    if (t5 !== 0x04 || l5 !== 32 || s5 + l5 !== inner.length) {
      throw keyError(field, "an Ed25519 private key is 32 bytes");
    }
  }
  return rsa ? "rsa" : "ed25519";
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return [0x80 | bytes.length, ...bytes];
}

/** Wraps a PKCS#1 RSAPrivateKey into PKCS#8 (crypto.subtle imports PKCS#8 only). */
function wrapPkcs1(pkcs1: Uint8Array): Uint8Array<ArrayBuffer> {
  const algId = [0x30, 0x0d, 0x06, 0x09, ...RSA_OID, 0x05, 0x00];
  const octet = [0x04, ...derLength(pkcs1.length)];
  const body = [0x02, 0x01, 0x00, ...algId, ...octet];
  const total = body.length + pkcs1.length;
  const out = new Uint8Array(1 + derLength(total).length + total);
  out.set([0x30, ...derLength(total), ...body]);
  out.set(pkcs1, out.length - pkcs1.length);
  return out;
}

interface ParsedKey {
  readonly keyType: KeyType;
  readonly der?: Uint8Array<ArrayBuffer>;
}

function parseKey(key: string, field = "private key"): ParsedKey {
  const pem = PEM_RE.exec(key);
  if (!pem) {
    if (key.includes("-----BEGIN")) throw keyError(field, "malformed PEM block");
    return { keyType: "hmac" };
  }
  const label = pem[1];
  if (label === "EC PRIVATE KEY") throw new TypeError(EC_MESSAGE);
  if (label === "ENCRYPTED PRIVATE KEY") {
    throw new TypeError(`Unsupported ${field}: decrypt the PKCS#8 key before passing it`);
  }
  if (label === "OPENSSH PRIVATE KEY") {
    throw new TypeError(`Unsupported ${field}: an OpenSSH key; export it as PKCS#8 PEM (BEGIN PRIVATE KEY)`);
  }
  if (label === "PUBLIC KEY" || label === "RSA PUBLIC KEY") {
    throw keyError(
      field,
      `a ${label} is not a private key (Binance holds the public key, you sign with the private one)`,
    );
  }
  if (label !== "PRIVATE KEY" && label !== "RSA PRIVATE KEY") {
    throw new TypeError(`Unsupported ${field}: PEM label "${label}" is not a private key`);
  }
  let der: Uint8Array<ArrayBuffer>;
  try {
    der = base64ToBytes(pem[2]);
  } catch (cause) {
    throw keyError(field, "PEM body is not base64", cause);
  }
  if (der.length === 0) throw keyError(field, "PEM body is empty");
  if (label === "PRIVATE KEY") return { keyType: pkcs8Algorithm(der, field), der };
  checkPkcs1(der, field);
  return { keyType: "rsa", der: wrapPkcs1(der) };
}

/**
 * Detects the Binance key type of a secret or PEM private key without importing it.
 *
 * @param key An HMAC secret or a PEM private key.
 * @returns `"rsa"` or `"ed25519"` for a PEM private key (by its algorithm OID), else `"hmac"`.
 * @throws {TypeError} When a PEM block is malformed, encrypted or of another algorithm.
 *
 * @example Detect key types
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { detectKeyType } from "./sign.ts";
 *
 * assertEquals(detectKeyType("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"), "hmac");
 * const pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n-----END PRIVATE KEY-----";
 * assertEquals(detectKeyType(pem), "ed25519");
 * ```
 */
export function detectKeyType(key: string): KeyType {
  return parseKey(key).keyType;
}

class SubtleSigner implements Signer {
  readonly keyType: KeyType;
  #key: Promise<CryptoKey> | undefined;
  #source: string | CryptoKey;
  #der: Uint8Array<ArrayBuffer> | undefined;
  #field: string;

  constructor(
    keyType: KeyType,
    source: string | CryptoKey,
    der: Uint8Array<ArrayBuffer> | undefined,
    field: string,
  ) {
    this.keyType = keyType;
    this.#field = field;
    this.#source = source;
    this.#der = der;
  }

  #import(): Promise<CryptoKey> {
    const source = this.#source;
    if (typeof source !== "string") return Promise.resolve(source);
    if (this.keyType === "hmac") {
      return crypto.subtle.importKey(
        "raw",
        encoder.encode(source),
        { name: "HMAC", hash: "SHA-256" },
        false,
        [
          "sign",
        ],
      );
    }
    const algorithm = this.keyType === "rsa"
      ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
      : { name: "Ed25519" };
    return crypto.subtle.importKey("pkcs8", this.#der!, algorithm, false, ["sign"]).catch((cause) => {
      throw new TypeError(`Invalid ${this.#field}: the ${this.keyType} key does not import`, { cause });
    });
  }

  async sign(payload: string): Promise<string> {
    this.#key ??= this.#import();
    const key = await this.#key;
    const algorithm = this.keyType === "hmac"
      ? "HMAC"
      : this.keyType === "rsa"
      ? "RSASSA-PKCS1-v1_5"
      : "Ed25519";
    const sig = new Uint8Array(await crypto.subtle.sign(algorithm, key, encoder.encode(payload)));
    return this.keyType === "hmac" ? bytesToHex(sig) : bytesToBase64(sig);
  }
}

function cryptoKeyType(key: CryptoKey, field: string): KeyType {
  if (key.type === "public") throw keyError(field, "a public CryptoKey cannot sign");
  if (Array.isArray(key.usages) && !key.usages.includes("sign")) {
    throw keyError(field, 'the CryptoKey lacks the "sign" usage');
  }
  const name = String(key.algorithm?.name).toUpperCase();
  if (name === "HMAC") return "hmac";
  if (name === "RSASSA-PKCS1-V1_5") return "rsa";
  if (name === "ED25519") return "ed25519";
  if (name === "ECDSA") throw new TypeError(EC_MESSAGE);
  throw new TypeError(
    `Unsupported ${field}: CryptoKey algorithm ${key.algorithm?.name} is not HMAC, RSA or Ed25519`,
  );
}

/**
 * Creates a signer for an HMAC secret, a PEM private key (RSA or Ed25519) or a `CryptoKey`
 * with the `sign` usage. The key's structure is checked now (PEM, base64, DER, algorithm OID, RSA
 * integers, Ed25519 length); the key is imported into `crypto.subtle` lazily on the first
 * signature, so creating a signer does no asynchronous work. Messages name `field` and never
 * contain key material.
 *
 * @param key The secret, PEM text or CryptoKey.
 * @param field How messages name the key (`"apiSecret"`, `"privateKey"`; default `"key"`).
 * @returns A signer whose `keyType` tells which algorithm it uses.
 * @throws {TypeError} When the key is empty, a malformed PEM block, an EC key or another
 *   unsupported algorithm.
 *
 * @example Sign the Binance documentation HMAC example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { createSigner } from "./sign.ts";
 *
 * const signer = createSigner("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j");
 * const sig = await signer.sign(
 *   "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
 * );
 * assertEquals(sig, "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
 * ```
 */
export function createSigner(key: string | typeof CryptoKey.prototype, field = "key"): Signer {
  if (typeof key !== "string") return new SubtleSigner(cryptoKeyType(key, field), key, undefined, field);
  if (key.length === 0) throw keyError(field, "the secret or private key is empty");
  const parsed = parseKey(key, field);
  return new SubtleSigner(parsed.keyType, key, parsed.der, field);
}

/**
 * Percent-encodes one name or value the way REST payloads are signed and sent (UTF-8,
 * `encodeURIComponent`: everything except `A-Z a-z 0-9 - _ . ! ~ * ' ( )`).
 *
 * @param text The raw text.
 * @returns The encoded text.
 */
export function percentEncode(text: string): string {
  return encodeURIComponent(text);
}

/**
 * Builds the percent-encoded `name=value&…` text of REST parameters in send order, dropping
 * `undefined`/`null` values first. This is both what is sent and what is signed.
 *
 * @param params Parameters in send order.
 * @returns The encoded query or form body (empty string when no parameter remains).
 * @throws {RangeError} When a number is not finite.
 *
 * @example Non-ASCII symbol (Binance documentation example)
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { encodeRestParams } from "./sign.ts";
 *
 * assertEquals(encodeRestParams({ symbol: "１２", side: "BUY", quantity: 1, price: 0.1 }),
 *   "symbol=%EF%BC%91%EF%BC%92&side=BUY&quantity=1&price=0.1");
 * ```
 */
export function encodeRestParams(params: Params): string {
  return toPairs(params).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join("&");
}

/**
 * Builds the WebSocket-API signature payload: every param except `signature` (including
 * `apiKey`), sorted by name, joined `name=value&…`, **not** percent-encoded.
 *
 * @param params The request params (apiKey and timestamp included).
 * @returns The text to sign.
 * @throws {RangeError} When a number is not finite.
 */
export function wsApiSignaturePayload(params: Params): string {
  const pairs: [string, string][] = [];
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (name === "signature" || value === undefined || value === null) continue;
    pairs.push([name, formatParamValue(name, value)]);
  }
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/**
 * Signs WebSocket-API params (sorted, unencoded payload). The result goes into the JSON
 * `signature` param as is (hex for HMAC, base64 otherwise).
 *
 * @param signer The signer.
 * @param params The request params (apiKey and timestamp included).
 * @returns The signature.
 * @throws {RangeError} When a number is not finite.
 */
export function signWsApiParams(signer: Signer, params: Params): Promise<string> {
  return signer.sign(wsApiSignaturePayload(params));
}

/**
 * Signs a REST payload (query string + form body, already percent-encoded) and returns the
 * value ready to append as `signature=` (base64 signatures percent-encoded).
 *
 * @param signer The signer.
 * @param payload The encoded query string concatenated with the encoded body.
 * @returns The URL-safe signature text.
 */
export async function signRestPayload(signer: Signer, payload: string): Promise<string> {
  const sig = await signer.sign(payload);
  return signer.keyType === "hmac" ? sig : percentEncode(sig);
}
