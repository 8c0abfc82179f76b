import { after, before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { readSharedJson } from "../_data.ts";
import { type AnyJson, getJson } from "./_ws.ts";

interface RestCase {
  name: string;
  signature_payload: string;
  expected_signature_hex: string;
}

// deno-lint-ignore no-explicit-any
const V = readSharedJson<any>("signing/vectors.json");
const HMAC_KEY: string = V.hmac_rest.apiKey;
const ED_KEY: string = V.ed25519_rest.apiKey;
const ED_PEM: string = V.ed25519_fix_logon["derived_public_key_pem_(computed_locally_not_in_docs)"];
const UNICODE = "１２３４５６";

function toPem(der: ArrayBuffer): string {
  const b64 = btoa(String.fromCharCode(...new Uint8Array(der)));
  return `-----BEGIN PUBLIC KEY-----\n${b64.match(/.{1,64}/g)!.join("\n")}\n-----END PUBLIC KEY-----\n`;
}

describe("signed REST: signatures, timing, orders", () => {
  let emu: Emulator;
  let clock = 0;
  let rsa: CryptoKeyPair;
  before(async () => {
    rsa = await crypto.subtle.generateKey(
      {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      },
      true,
      ["sign", "verify"],
    ) as CryptoKeyPair;
    const rsaPem = toPem(await crypto.subtle.exportKey("spki", rsa.publicKey));
    emu = await startEmulator({
      paused: true,
      now: () => clock,
      markets: [
        {
          symbol: "LTCBTC",
          price: "0.10000",
          tickSize: "0.00001",
          stepSize: "0.01",
          minNotional: "0.0001",
          levels: 200,
        },
        {
          symbol: "BTCUSDT",
          price: "0.20000",
          tickSize: "0.00001",
          stepSize: "0.001",
          minNotional: "0.01",
          levels: 200,
        },
        {
          symbol: UNICODE,
          baseAsset: "１２３",
          quoteAsset: "４５６",
          price: "0.10000",
          tickSize: "0.00001",
          stepSize: "1",
          minNotional: "0.01",
          levels: 200,
        },
      ],
      accounts: [
        { apiKey: HMAC_KEY, secretKey: V.hmac_rest.secretKey, balances: { BTC: "1", "４５６": "10" } },
        { apiKey: ED_KEY, publicKey: ED_PEM, balances: { BTC: "2", USDT: "0", "１２３": "5" } },
        { apiKey: "rsaKey1", publicKey: rsaPem, balances: { USDT: "100", BTC: "0" } },
      ],
    });
  });
  after(async () => {
    await emu.close();
  });

  const post = (query: string, apiKey: string) =>
    getJson(`${emu.restUrl}/api/v3/order?${query}`, { method: "POST", headers: { "X-MBX-APIKEY": apiKey } });

  it("accepts the published HMAC vectors (ASCII and percent-encoded Unicode symbol)", async () => {
    clock = 1499827319559 + 200;
    for (const c of V.hmac_rest.cases as RestCase[]) {
      const r = await post(`${c.signature_payload}&signature=${c.expected_signature_hex}`, HMAC_KEY);
      assertEquals(r.status, 200, `${c.name}: ${JSON.stringify(r.body)}`);
      assertEquals(r.body.status, "NEW");
      assertEquals(r.body.origQty, c.name === "ascii_symbol" ? "1.00000000" : "1.00000000");
    }
    const acc = emu.account(HMAC_KEY);
    assertEquals(acc.balances.BTC, { free: "0.90000000", locked: "0.10000000" });
    assertEquals(acc.openOrders.length, 2);
  });

  it("a tampered signature or payload gets -1022; uppercase HMAC hex is accepted", async () => {
    clock = 1499827319559 + 200;
    const c = (V.hmac_rest.cases as RestCase[])[0];
    const bad = c.expected_signature_hex.replace(/.$/, (x) => (x === "0" ? "1" : "0"));
    const r1 = await post(`${c.signature_payload}&signature=${bad}`, HMAC_KEY);
    assertEquals([r1.status, r1.body], [400, {
      code: -1022,
      msg: "Signature for this request is not valid.",
    }]);
    const r2 = await post(
      `${c.signature_payload.replace("quantity=1", "quantity=2")}&signature=${c.expected_signature_hex}`,
      HMAC_KEY,
    );
    assertEquals(r2.body.code, -1022);
    const r3 = await post(
      `${c.signature_payload}&signature=${c.expected_signature_hex.toUpperCase()}`,
      HMAC_KEY,
    );
    assertEquals(r3.status, 200);
  });

  it("timestamp outside recvWindow is -1021, ahead by 1000 ms is -1021, unknown key -2015", async () => {
    const c = (V.hmac_rest.cases as RestCase[])[0];
    clock = 1499827319559 + 5001;
    assertEquals(
      (await post(`${c.signature_payload}&signature=${c.expected_signature_hex}`, HMAC_KEY)).body.code,
      -1021,
    );
    clock = 1499827319559 - 1000;
    assertEquals(
      (await post(`${c.signature_payload}&signature=${c.expected_signature_hex}`, HMAC_KEY)).body.code,
      -1021,
    );
    clock = 1499827319559 + 200;
    const r = await post(`${c.signature_payload}&signature=${c.expected_signature_hex}`, "unknownKey");
    assertEquals([r.status, r.body.code], [401, -2015]);
  });

  it("accepts Ed25519 signatures (derived vectors with the published key), percent-encoded", async () => {
    clock = 1668481559918 + 100;
    for (const d of (V.derived_vectors.ed25519_with_fix_doc_key as AnyJson[]).slice(0, 2)) {
      const r = await post(`${d.payload}&signature=${d.signature_percent_encoded}`, ED_KEY);
      assertEquals(r.status, 200, JSON.stringify(r.body));
      // an unencoded base64 signature ("+" and "/" not escaped) fails like on Binance when it contains "+"
      if (d.signature_base64.includes("+")) {
        assertEquals((await post(`${d.payload}&signature=${d.signature_base64}`, ED_KEY)).body.code, -1022);
      }
    }
    const sold = emu.account(ED_KEY);
    assertEquals(sold.balances.BTC.free, "1.00000000"); // SELL 1 @ 0.2 filled against the bid at 0.2
    assertEquals(sold.balances.USDT.free, "0.20000000");
  });

  it("accepts RSA signatures and checks filters and balances with Binance codes", async () => {
    clock = Date.now();
    const sign = async (q: string) => {
      const sig = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", rsa.privateKey, new TextEncoder().encode(q));
      return `${q}&signature=${encodeURIComponent(btoa(String.fromCharCode(...new Uint8Array(sig))))}`;
    };
    const ts = `timestamp=${clock}`;
    const ok = await post(await sign(`symbol=BTCUSDT&side=BUY&type=MARKET&quantity=10&${ts}`), "rsaKey1");
    assertEquals(ok.status, 200, JSON.stringify(ok.body));
    assertEquals(ok.body.status, "FILLED");
    assert(ok.body.fills.length >= 1);
    const cases: Array<[string, number, string]> = [
      [
        `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.123456789&${ts}`,
        -1111,
        "precision",
      ],
      [
        `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.123456&${ts}`,
        -1013,
        "Filter failure: PRICE_FILTER",
      ],
      [
        `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.05&price=0.1&${ts}`,
        -1013,
        "Filter failure: NOTIONAL",
      ],
      [
        `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1.0001&price=0.19&${ts}`,
        -1013,
        "Filter failure: LOT_SIZE",
      ],
      [
        `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1e2&price=0.19&${ts}`,
        -1100,
        "Illegal characters",
      ],
      [
        `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=900&price=0.19&${ts}`,
        -2010,
        "insufficient balance",
      ],
      [`symbol=NOPEUSDT&side=BUY&type=MARKET&quantity=1&${ts}`, -1121, "Invalid symbol."],
      [`symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=0.19&${ts}`, -1102, "timeInForce"],
      [
        `symbol=BTCUSDT&side=SELL&type=STOP_LOSS_LIMIT&timeInForce=GTC&quantity=1&price=0.25&stopPrice=0.25&${ts}`,
        -2010,
        "trigger immediately",
      ],
    ];
    for (const [q, code, msg] of cases) {
      const r = await post(await sign(q), "rsaKey1");
      assertEquals(r.body.code, code, `${q}: ${JSON.stringify(r.body)}`);
      assert(r.body.msg.includes(msg), r.body.msg);
    }
  });
});
