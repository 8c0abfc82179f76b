/**
 * Per-node sealing of API credentials with Web Crypto only: each node makes an ECDH P-256 key pair
 * at start (the private key never leaves its memory, non-extractable) and publishes the public
 * key in its node record. A member that holds a credential in clear (the router that received
 * it, or a node that unsealed its own copy) seals it for a node with an ephemeral ECDH key:
 * shared secret → HKDF-SHA-256 → AES-256-GCM. The coordination store only ever holds these boxes,
 * so reading a bucket reveals no key.
 *
 * @example Seal for a node, open on that node only
 * ```ts
 * import { assertEquals, assertRejects } from "@std/assert";
 * import { NodeKeys, seal } from "./sealing.ts";
 *
 * const a = await NodeKeys.generate();
 * const b = await NodeKeys.generate();
 * const box = await seal(a.publicKey, "node-a", { apiKey: "k", apiSecret: "s" });
 * assertEquals(await a.open(box, "node-a"), { apiKey: "k", apiSecret: "s" });
 * await assertRejects(() => b.open(box, "node-a"));
 * ```
 *
 * @module
 */
import type { SealedBox } from "./protocol.ts";

/** The clear-text content of a sealed box. */
export interface CredentialSecret {
  /** API key. */
  readonly apiKey: string;
  /** API secret or private key. */
  readonly apiSecret: string;
}

const ECDH: EcKeyImportParams = { name: "ECDH", namedCurve: "P-256" };
const enc = new TextEncoder();
const dec = new TextDecoder();

function b64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function unb64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function aesKey(privateKey: CryptoKey, publicKey: CryptoKey, nodeId: string): Promise<CryptoKey> {
  const shared = await crypto.subtle.deriveBits({ name: "ECDH", public: publicKey }, privateKey, 256);
  const hkdf = await crypto.subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: enc.encode("unicorn-binance cluster credential v1"),
      info: enc.encode(nodeId), // a box for one node id does not open as another's
    },
    hkdf,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/**
 * Seals a credential for one node.
 *
 * @param publicKey The node's public key (JWK from its node record).
 * @param nodeId The node's id (bound into the key derivation).
 * @param secret The key and secret.
 * @returns The box to store.
 */
export async function seal(
  publicKey: JsonWebKey,
  nodeId: string,
  secret: CredentialSecret,
): Promise<SealedBox> {
  const recipient = await crypto.subtle.importKey("jwk", publicKey, ECDH, false, []);
  const eph = await crypto.subtle.generateKey(ECDH, true, ["deriveBits"]) as CryptoKeyPair;
  const key = await aesKey(eph.privateKey, recipient, nodeId);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = enc.encode(JSON.stringify({ apiKey: secret.apiKey, apiSecret: secret.apiSecret }));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain));
  const epk = await crypto.subtle.exportKey("jwk", eph.publicKey);
  return { epk: { kty: epk.kty, crv: epk.crv, x: epk.x, y: epk.y }, iv: b64(iv), ct: b64(ct) };
}

/** A node's key pair: the public half goes into its record, the private half stays in memory. */
export class NodeKeys {
  /** The public key as JWK. */
  readonly publicKey: JsonWebKey;
  readonly #privateKey: CryptoKey;

  private constructor(publicKey: JsonWebKey, privateKey: CryptoKey) {
    this.publicKey = publicKey;
    this.#privateKey = privateKey;
  }

  /** Makes a fresh key pair (the private key is not extractable). @returns The keys. */
  static async generate(): Promise<NodeKeys> {
    const pair = await crypto.subtle.generateKey(ECDH, false, ["deriveBits"]) as CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
    return new NodeKeys({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, pair.privateKey);
  }

  /**
   * Opens a box sealed for this node.
   *
   * @param box The box.
   * @param nodeId This node's id.
   * @returns The credential.
   * @throws {Error} When the box was not sealed for this key and id (or was altered).
   */
  async open(box: SealedBox, nodeId: string): Promise<CredentialSecret> {
    const epk = await crypto.subtle.importKey("jwk", box.epk, ECDH, false, []);
    const key = await aesKey(this.#privateKey, epk, nodeId);
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(box.iv) }, key, unb64(box.ct));
    const parsed = JSON.parse(dec.decode(plain)) as CredentialSecret;
    return { apiKey: String(parsed.apiKey), apiSecret: String(parsed.apiSecret) };
  }
}
