import { describe, it } from "node:test";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { readSharedJson } from "../_data.ts";
import {
  createSigner,
  detectKeyType,
  encodeRestParams,
  percentEncode,
  signRestPayload,
  signWsApiParams,
  wsApiSignaturePayload,
} from "../../src/rest/sign.ts";
import { formatNumber } from "../../src/rest/_format.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const V: Json = readSharedJson("signing/vectors.json");
const UBWA: Json = readSharedJson("ubwa/signature_vectors.json");
const FIX_PEM: string = V.ed25519_fix_logon.private_key_pem;

function pem(label: string, der: Uint8Array): string {
  const b64 = btoa(String.fromCharCode(...der)).replace(/(.{64})/g, "$1\n");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function b64bytes(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function rsaPair(): Promise<{ pem: string; der: Uint8Array; publicKey: CryptoKey }> {
  const pair = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  ) as CryptoKeyPair;
  const der = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  return { pem: pem("PRIVATE KEY", der), der, publicKey: pair.publicKey };
}

describe("REST HMAC vectors (rest-api.md)", () => {
  for (const c of V.hmac_rest.cases) {
    it(`${c.name}: percent-encoded payload, signature and final URL`, async () => {
      const params = Object.fromEntries(c.params_in_order);
      const payload = encodeRestParams(params);
      assertEquals(payload, c.signature_payload);
      const sig = await signRestPayload(createSigner(V.hmac_rest.secretKey), payload);
      assertEquals(sig, c.expected_signature_hex);
      assertEquals(
        `https://api.binance.com${V.hmac_rest.http.path}?${payload}&signature=${sig}`,
        c.final_url,
      );
    });
  }
  it("UBRA-style sorted HMAC (derived vector)", async () => {
    const u = V.derived_vectors.ubra_style_hmac;
    const sorted = Object.fromEntries(Object.entries(u.params).sort(([a], [b]) => a < b ? -1 : 1)) as Json;
    assertEquals(encodeRestParams(sorted), u.sorted_query);
    assertEquals(await createSigner(u.secretKey).sign(u.sorted_query), u.signature_hex);
  });
});

describe("WebSocket-API HMAC vectors (web-socket-api.md, sorted and unencoded)", () => {
  const all = [...V.hmac_ws.cases, ...V.hmac_ws.additional_examples_reproduced];
  it("has the 2 signed examples and the per-method examples", () => {
    assert(all.length >= 17, `only ${all.length} WS vectors`);
  });
  for (const [i, c] of all.entries()) {
    it(`#${i} ${c.method}`, async () => {
      assertEquals(wsApiSignaturePayload(c.params_without_signature), c.signature_payload_sorted);
      const sig = await signWsApiParams(createSigner(V.hmac_ws.secretKey), c.params_without_signature);
      assertEquals(sig, c.expected_signature_hex);
    });
  }
  it("userDataStream.subscribe.signature derived vector", async () => {
    const d = V.derived_vectors.ws_userDataStream_subscribe_signature_hmac;
    assertEquals(await createSigner(V.hmac_ws.secretKey).sign(d.signature_payload), d.signature_hex);
  });
  it("ignores an existing signature param and null values", () => {
    assertEquals(wsApiSignaturePayload({ b: "2", signature: "x", a: 1, c: null, d: undefined }), "a=1&b=2");
  });
});

describe("UBWA wire vectors (ubwa/signature_vectors.json)", () => {
  for (const v of UBWA.vectors) {
    it(v.method, async () => {
      assertEquals(wsApiSignaturePayload(v.params_sent), v.signature_payload);
      assertEquals(await signWsApiParams(createSigner(v.api_secret), v.params_sent), v.signature);
    });
  }
  it("formats floats without exponent notation", () => {
    for (const [value, text] of UBWA.decimal_formatting_from_unittest.cases) {
      // Python keeps a trailing ".0" on integral floats; JavaScript numbers have no such marker
      assertEquals(formatNumber(value), String(text).replace(/\.0$/, ""));
    }
    assertEquals(formatNumber(-1.5e-10), "-0.00000000015");
    assertEquals(formatNumber(1e21), "1000000000000000000000");
    assertEquals(formatNumber(1.2345e22), "12345000000000000000000");
    assertThrows(() => formatNumber(NaN), RangeError, "not finite");
  });
});

describe("Ed25519 (published FIX key)", () => {
  it("detects Ed25519 from the PKCS#8 OID", () => {
    assertEquals(detectKeyType(FIX_PEM), "ed25519");
    assertEquals(createSigner(FIX_PEM).keyType, "ed25519");
  });
  it("reproduces the FIX logon signature", async () => {
    const f = V.ed25519_fix_logon;
    assertEquals(await createSigner(FIX_PEM).sign(f.signature_payload), f.expected_signature_base64);
  });
  it("reproduces the derived REST and WS vectors", async () => {
    const signer = createSigner(FIX_PEM);
    const [rest, restUtf8, ws] = V.derived_vectors.ed25519_with_fix_doc_key;
    for (const v of [rest, restUtf8]) {
      assertEquals(await signer.sign(v.payload), v.signature_base64);
      assertEquals(await signRestPayload(signer, v.payload), v.signature_percent_encoded);
    }
    const wsParams = Object.fromEntries(ws.payload.split("&").map((kv: string) => kv.split("=")));
    assertEquals(wsApiSignaturePayload(wsParams), ws.payload);
    assertEquals(await signWsApiParams(signer, wsParams), ws.signature_base64);
  });
  it("the ed25519_ws payloads are the sorted forms of their params", () => {
    for (const c of V.ed25519_ws.cases) {
      const params = Object.fromEntries(
        c.signature_payload_sorted.split("&").map((kv: string) => kv.split("=")),
      );
      assertEquals(wsApiSignaturePayload(params), c.signature_payload_sorted);
      assertEquals(b64bytes(c.expected_signature_base64).length, 64);
    }
  });
});

describe("RSA (PKCS#1 v1.5, SHA-256)", () => {
  it("percent-encodes the published RSA signatures as the docs show", () => {
    for (const c of V.rsa_rest.cases.filter((c: Json) => c.expected_signature_percent_encoded)) {
      assertEquals(percentEncode(c.expected_signature_base64), c.expected_signature_percent_encoded);
    }
  });
  it("signs with a PKCS#8 key (verified with its public key) and the same key as PKCS#1", async () => {
    const { pem: pk8, der, publicKey } = await rsaPair();
    assertEquals(detectKeyType(pk8), "rsa");
    const payload = V.rsa_rest.cases[0].signature_payload;
    const sig = await createSigner(pk8).sign(payload);
    const ok = await crypto.subtle.verify(
      "RSASSA-PKCS1-v1_5",
      publicKey,
      b64bytes(sig),
      new TextEncoder().encode(payload),
    );
    assert(ok, "signature does not verify");
    // PKCS#8 → PKCS#1: a 2048-bit key's RSAPrivateKey starts after 26 header bytes
    // (SEQUENCE hdr 4, version 3, AlgorithmIdentifier 15, OCTET STRING hdr 4)
    const pkcs1 = der.subarray(26);
    assertEquals(pkcs1[0], 0x30);
    const sig1 = await createSigner(pem("RSA PRIVATE KEY", pkcs1)).sign(payload);
    assertEquals(sig1, sig, "PKCS#1 v1.5 is deterministic: same key, same signature");
    const enc = await signRestPayload(createSigner(pk8), payload);
    assertEquals(decodeURIComponent(enc), sig);
    assert(!/[+/=]/.test(enc));
  });
});

describe("key detection errors", () => {
  it("rejects malformed, encrypted and foreign keys with a TypeError", async () => {
    assertThrows(() => createSigner(""), TypeError, "empty");
    assertThrows(() => detectKeyType("-----BEGIN PRIVATE KEY-----\nabc"), TypeError, "malformed PEM");
    assertThrows(
      () => detectKeyType(pem("ENCRYPTED PRIVATE KEY", new Uint8Array([0x30, 0]))),
      TypeError,
      "decrypt",
    );
    assertThrows(
      () => detectKeyType(pem("PUBLIC KEY", new Uint8Array([0x30, 0]))),
      TypeError,
      "not a private key",
    );
    // an EC P-256 PKCS#8 key: valid DER, algorithm id-ecPublicKey
    const ec = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
    ]) as CryptoKeyPair;
    const ecDer = new Uint8Array(await crypto.subtle.exportKey("pkcs8", ec.privateKey));
    assertThrows(
      () => detectKeyType(pem("PRIVATE KEY", ecDer)),
      TypeError,
      "EC keys are not supported by Binance: use an Ed25519 or RSA key",
    );
    assertThrows(
      () => createSigner(pem("PRIVATE KEY", b64bytes("MC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9"))),
      TypeError,
      "truncated",
    );
    // PKCS#8 with the Ed25519 OID but a 0-byte key: refused when the signer is made
    assertThrows(
      () =>
        createSigner(
          pem(
            "PRIVATE KEY",
            new Uint8Array([0x30, 14, 2, 1, 0, 0x30, 5, 6, 3, 0x2b, 0x65, 0x70, 4, 2, 4, 0]),
          ),
        ),
      TypeError,
      "an Ed25519 private key is 32 bytes",
    );
    // structurally valid RSA integers with a 512-bit modulus: Binance takes 2048 or 4096 bits (some
    // runtimes would even import this degenerate key), so the signer is refused at once
    const ints = [0x02, 0x01, 0x00, 0x02, 0x41, 0x00, ...new Array(64).fill(1)];
    for (let i = 0; i < 7; i++) ints.push(0x02, 0x01, 0x01);
    assertThrows(
      () => createSigner(pem("RSA PRIVATE KEY", new Uint8Array([0x30, ints.length, ...ints])), "apiSecret"),
      TypeError,
      "Invalid apiSecret: Binance accepts RSA keys of 2048 or 4096 bits, this modulus has 512",
    );
  });
  it("accepts a CryptoKey and names its type", async () => {
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(V.hmac_rest.secretKey),
      {
        name: "HMAC",
        hash: "SHA-256",
      },
      false,
      ["sign"],
    );
    const signer = createSigner(key);
    assertEquals(signer.keyType, "hmac");
    assertEquals(
      await signer.sign(V.hmac_rest.cases[0].signature_payload),
      V.hmac_rest.cases[0].expected_signature_hex,
    );
  });
  it("never puts key material in error messages", () => {
    const secretish = "-----BEGIN PRIVATE KEY-----\nSECRETSECRET!!\n-----END PRIVATE KEY-----";
    const err = assertThrows(() => detectKeyType(secretish), TypeError);
    assert(!err.message.includes("SECRET"));
  });
});

describe("REST parameter encoding", () => {
  it("keeps caller order, drops undefined/null, formats arrays as JSON", () => {
    assertEquals(
      encodeRestParams({ symbols: ["BTCUSDT", "ETHUSDT"], limit: 5, x: undefined, y: null, flag: true }),
      "symbols=%5B%22BTCUSDT%22%2C%22ETHUSDT%22%5D&limit=5&flag=true",
    );
    assertEquals(
      encodeRestParams({ orderIdList: [652511506, 9007199254740993n] }),
      "orderIdList=%5B652511506%2C9007199254740993%5D",
    );
    assertEquals(
      encodeRestParams({ quantity: 1e-7, orderId: 12345678901234567890n }),
      "quantity=0.0000001&orderId=12345678901234567890",
    );
    assertThrows(() => encodeRestParams({ price: Infinity }), RangeError, "price");
  });
});
