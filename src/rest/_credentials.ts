/**
 * The check every place that takes Binance credentials runs at once (REST client, WebSocket
 * manager, API and user-data streams): types, blanks, stray whitespace, the PEM structure of a
 * private key, EC keys, a secret without its API key. Synchronous, so constructors can run it; the
 * key itself is imported into `crypto.subtle` on the first signature. No message contains key
 * material. Internal.
 *
 * @module
 */
import { createSigner, type Signer } from "./sign.ts";

/** Credentials as a caller passed them (anything: they come from config files and env vars). */
export interface CredentialInput {
  readonly apiKey?: unknown;
  readonly apiSecret?: unknown;
  readonly privateKey?: unknown;
}

function kind(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
}

/** Refuses a non-string, blank or whitespace-padded value (never quoting it). */
function text(value: unknown, field: string, expected: string): string {
  if (typeof value !== "string") {
    throw new TypeError(`Invalid ${field}: expected ${expected}, got ${kind(value)}`);
  }
  if (value.trim() === "") throw new TypeError(`Invalid ${field}: it is empty or blank`);
  return value;
}

function noStrayWhitespace(value: string, field: string): void {
  if (value.trim() !== value) {
    throw new TypeError(`Invalid ${field}: it starts or ends with whitespace (a copy-paste remnant?)`);
  }
  if (/\s/.test(value)) throw new TypeError(`Invalid ${field}: it contains whitespace`);
}

function isCryptoKey(v: unknown): v is CryptoKey {
  if (typeof CryptoKey === "function" && v instanceof CryptoKey) return true;
  const k = v as { algorithm?: { name?: unknown }; type?: unknown; usages?: unknown };
  return typeof v === "object" && v !== null && typeof k.algorithm?.name === "string" &&
    typeof k.type === "string" && Array.isArray(k.usages);
}

/**
 * Checks credentials and makes the signer.
 *
 * @param input `apiKey`, `apiSecret` (HMAC secret or PEM private key), `privateKey` (PEM or CryptoKey).
 * @param where The options object as messages name it (`"BinanceRestClient options"`).
 * @returns The API key and the signer (each undefined when not given).
 * @throws {TypeError} Naming the field and the rule, never the value.
 */
export function checkCredentials(
  input: CredentialInput,
  where: string,
): { apiKey: string | undefined; signer: Signer | undefined } {
  const field = (name: string): string => `${where}.${name}`;
  let apiKey: string | undefined;
  if (input.apiKey !== undefined) {
    apiKey = text(input.apiKey, field("apiKey"), "a string");
    noStrayWhitespace(apiKey, field("apiKey"));
  }
  if (input.apiSecret !== undefined && input.privateKey !== undefined) {
    throw new TypeError(`Invalid credentials in ${where}: pass either apiSecret or privateKey, not both`);
  }
  let signer: Signer | undefined;
  if (input.apiSecret !== undefined) {
    const name = field("apiSecret");
    const secret = text(input.apiSecret, name, "a string (an HMAC secret or a PEM private key)");
    if (!secret.includes("-----BEGIN")) noStrayWhitespace(secret, name);
    signer = createSigner(secret, name);
  } else if (input.privateKey !== undefined) {
    const name = field("privateKey");
    const key = input.privateKey;
    if (isCryptoKey(key)) signer = createSigner(key, name);
    else {
      const pem = text(key, name, "a PEM private key or a CryptoKey");
      if (!pem.includes("-----BEGIN")) {
        throw new TypeError(
          `Invalid ${name}: expected a PEM private key (-----BEGIN PRIVATE KEY-----); an HMAC secret goes in apiSecret`,
        );
      }
      signer = createSigner(pem, name);
    }
  }
  if (signer !== undefined && apiKey === undefined) {
    throw new TypeError(
      `Missing ${
        field("apiKey")
      }: a secret or private key is given, but Binance identifies the account by its API key`,
    );
  }
  return { apiKey, signer };
}
