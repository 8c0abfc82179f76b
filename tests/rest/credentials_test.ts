// Keys are checked where they enter (REST client, WebSocket manager, API and user-data streams):
// a table of bad inputs, each refused by a TypeError naming the field, none quoting key material.
import { before, describe, it } from "node:test";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { readSharedJson } from "../_data.ts";
import { BinanceRestClient } from "../../src/rest/mod.ts";
import { BinanceWebSocketManager } from "../../src/ws/mod.ts";
import { BinanceLocalDepthCacheManager } from "../../src/depthcache/mod.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
const V: Any = readSharedJson("signing/vectors.json");
const HMAC: string = V.hmac_rest.secretKey;
const ED25519: string = V.ed25519_fix_logon.private_key_pem;
const PUBLIC: string = V.api_key_types_samples.ed25519_public_key_pem;
const API_KEY: string = V.hmac_rest.apiKey;

const b64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const pem = (label: string, body: string): string =>
  `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;

// generated once before the tests (no top-level await: the suite is also bundled as CommonJS)
let EC_PKCS8 = "";
let EC_KEY: CryptoKey;
let RSA_PKCS8 = "";
let RSA_KEY: CryptoKey;
before(async () => {
  const ec = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
  ]) as CryptoKeyPair;
  EC_KEY = ec.privateKey;
  EC_PKCS8 = pem("PRIVATE KEY", b64(new Uint8Array(await crypto.subtle.exportKey("pkcs8", ec.privateKey))));
  const rsa = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  ) as CryptoKeyPair;
  RSA_KEY = rsa.privateKey;
  RSA_PKCS8 = pem("PRIVATE KEY", b64(new Uint8Array(await crypto.subtle.exportKey("pkcs8", rsa.privateKey))));
});
const EC_MSG = "EC keys are not supported by Binance: use an Ed25519 or RSA key";

/** [case, credentials, expected message part (after "<where>.")] */
const BAD: [string, () => Record<string, unknown>, string][] = [
  [
    "secret is a number",
    () => ({ apiKey: API_KEY, apiSecret: 12345 }),
    "apiSecret: expected a string (an HMAC secret or a PEM private key), got number",
  ],
  [
    "secret is null",
    () => ({ apiKey: API_KEY, apiSecret: null }),
    "apiSecret: expected a string (an HMAC secret or a PEM private key), got null",
  ],
  ["secret is empty", () => ({ apiKey: API_KEY, apiSecret: "" }), "apiSecret: it is empty or blank"],
  ["secret is blank", () => ({ apiKey: API_KEY, apiSecret: "   \n" }), "apiSecret: it is empty or blank"],
  [
    "secret has a trailing newline",
    () => ({ apiKey: API_KEY, apiSecret: `${HMAC}\n` }),
    "apiSecret: it starts or ends with whitespace",
  ],
  [
    "secret has a space inside",
    () => ({ apiKey: API_KEY, apiSecret: "abc def" }),
    "apiSecret: it contains whitespace",
  ],
  ["key is a number", () => ({ apiKey: 12345, apiSecret: HMAC }), "apiKey: expected a string, got number"],
  ["key is empty", () => ({ apiKey: "", apiSecret: HMAC }), "apiKey: it is empty or blank"],
  [
    "key has a leading space",
    () => ({ apiKey: ` ${API_KEY}`, apiSecret: HMAC }),
    "apiKey: it starts or ends with whitespace",
  ],
  ["secret without key", () => ({ apiSecret: HMAC }), "apiKey: a secret or private key is given"],
  [
    "junk inside RSA PRIVATE KEY",
    () => ({ apiKey: API_KEY, apiSecret: pem("RSA PRIVATE KEY", "junkjunkjunkjunk") }),
    "apiSecret: PKCS#1 RSA key data is not one DER sequence",
  ],
  [
    "non-base64 PEM body",
    () => ({ apiKey: API_KEY, apiSecret: pem("PRIVATE KEY", "!!!!%%%%!!!!") }),
    "apiSecret: PEM body is not base64",
  ],
  [
    "empty PEM body",
    () => ({ apiKey: API_KEY, apiSecret: pem("PRIVATE KEY", "") }),
    "apiSecret: PEM body is empty",
  ],
  ["truncated Ed25519 PKCS#8", () => ({
    apiKey: API_KEY,
    apiSecret: pem("PRIVATE KEY", "MC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9"),
  }), "apiSecret: truncated DER data"],
  ["RSA PKCS#8 cut short", () => ({
    apiKey: API_KEY,
    apiSecret: RSA_PKCS8.replace(/\n[^\n]*\n-----END/, "\n-----END"),
  }), "apiSecret: "],
  [
    "PEM without END",
    () => ({ apiKey: API_KEY, apiSecret: "-----BEGIN PRIVATE KEY-----\nMC4CAQAw" }),
    "apiSecret: malformed PEM block",
  ],
  [
    "a public key",
    () => ({ apiKey: API_KEY, privateKey: PUBLIC }),
    "privateKey: a PUBLIC KEY is not a private key",
  ],
  [
    "an HMAC secret as privateKey",
    () => ({ apiKey: API_KEY, privateKey: HMAC }),
    "privateKey: expected a PEM private key (-----BEGIN PRIVATE KEY-----); an HMAC secret goes in apiSecret",
  ],
  [
    "privateKey is an object",
    () => ({ apiKey: API_KEY, privateKey: {} }),
    "privateKey: expected a PEM private key or a CryptoKey, got object",
  ],
  [
    "both secret and private key",
    () => ({ apiKey: API_KEY, apiSecret: HMAC, privateKey: ED25519 }),
    "pass either apiSecret or privateKey, not both",
  ],
];
/** Cases whose message is the same everywhere (no field prefix). */
const BAD_ANYWHERE: [string, () => Record<string, unknown>, string][] = [
  ["EC PRIVATE KEY", () => ({ apiKey: API_KEY, apiSecret: pem("EC PRIVATE KEY", "MHcCAQEEIBc=") }), EC_MSG],
  ["EC key in PKCS#8", () => ({ apiKey: API_KEY, apiSecret: EC_PKCS8 }), EC_MSG],
  ["EC CryptoKey", () => ({ apiKey: API_KEY, privateKey: EC_KEY }), EC_MSG],
  [
    "encrypted PKCS#8",
    () => ({ apiKey: API_KEY, apiSecret: pem("ENCRYPTED PRIVATE KEY", "MAA=") }),
    "decrypt the PKCS#8 key",
  ],
  [
    "OpenSSH key",
    () => ({ apiKey: API_KEY, apiSecret: pem("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXk=") }),
    "an OpenSSH key",
  ],
];

/** Where keys enter, and how each names its options. */
const ENTRIES: [string, (c: Record<string, unknown>) => unknown][] = [
  ["BinanceRestClient options", (c) => new BinanceRestClient(c as Any)],
  [
    "BinanceLocalDepthCacheManager options.restOptions",
    (c) => new BinanceLocalDepthCacheManager({ restOptions: c } as Any),
  ],
  ["BinanceWebSocketManager options", (c) => new BinanceWebSocketManager(c as Any)],
];

/** No 6-character run of a secret (or of a PEM body) may appear in a message. */
function leaks(message: string, c: Record<string, unknown>): string | undefined {
  for (const v of [c.apiSecret, c.privateKey]) {
    if (typeof v !== "string") continue;
    const body = v.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
    for (let i = 0; i + 6 <= body.length; i++) {
      const run = body.slice(i, i + 6);
      if (/^[A-Za-z0-9+/]{6}$/.test(run) && !/^(PKCS|DER|Binan)/.test(run) && message.includes(run)) {
        return run;
      }
    }
  }
  return undefined;
}

describe("credentials: bad inputs are refused where they enter", () => {
  for (const [where, make] of ENTRIES) {
    for (const [name, make_creds, want] of [...BAD, ...BAD_ANYWHERE]) {
      it(`${where}: ${name}`, () => {
        const creds = make_creds();
        if (where.startsWith("BinanceWebSocketManager") && "privateKey" in creds) return; // takes apiSecret only
        const e = assertThrows(() => make(creds), TypeError);
        const expected = BAD_ANYWHERE.some((b) => b[0] === name) || want.startsWith("pass either")
          ? want
          : `${where}.${want}`;
        assert(e.message.includes(expected), `${e.message}\n  expected: ${expected}`);
        assertEquals(leaks(e.message, creds), undefined, e.message);
      });
    }
  }

  it("stream keys of createApiStream / createUserDataStream are checked at once", () => {
    const ws = new BinanceWebSocketManager({});
    assertThrows(
      () => ws.createApiStream({ apiKey: API_KEY, apiSecret: 12345 } as Any),
      TypeError,
      "Invalid createApiStream options.apiSecret: expected a string",
    );
    assertThrows(
      () =>
        ws.createUserDataStream({ apiKey: API_KEY, apiSecret: pem("RSA PRIVATE KEY", "junkjunkjunkjunk") }),
      TypeError,
      "Invalid createUserDataStream options.apiSecret: PKCS#1 RSA key data is not one DER sequence",
    );
    assertThrows(
      () => ws.createApiStream({ apiSecret: HMAC }),
      TypeError,
      "Missing createApiStream options.apiKey",
    );
    // spot user data is subscribed with a signed request: a key alone cannot do it
    assertThrows(() => ws.createUserDataStream({ apiKey: API_KEY }), TypeError, "Missing apiSecret");
    assertEquals(ws.getStreamList(), []);
  });

  it("good keys of every type pass, and the key type is detected", () => {
    const table: [Record<string, unknown>, string | undefined][] = [
      [{}, undefined],
      [{ apiKey: API_KEY }, undefined], // listenKey and market-data endpoints take the key alone
      [{ apiKey: API_KEY, apiSecret: HMAC }, "hmac"],
      [{ apiKey: API_KEY, apiSecret: ED25519 }, "ed25519"],
      [{ apiKey: API_KEY, privateKey: ED25519 }, "ed25519"],
      [{ apiKey: API_KEY, apiSecret: RSA_PKCS8 }, "rsa"],
      [{ apiKey: API_KEY, privateKey: RSA_KEY }, "rsa"],
    ];
    for (const [creds, keyType] of table) {
      assertEquals(new BinanceRestClient(creds as Any).keyType, keyType);
      if (!("privateKey" in creds)) new BinanceWebSocketManager(creds as Any);
    }
  });
});
