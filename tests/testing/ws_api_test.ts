import { after, before, describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { readSharedJson } from "../_data.ts";
import { hmacHex } from "./_sign.ts";
import { type AnyJson, type Client, connect } from "./_ws.ts";

const V = readSharedJson<AnyJson>("signing/vectors.json");
const HMAC_KEY: string = V.hmac_ws.apiKey;
const HMAC_SECRET: string = V.hmac_ws.secretKey;
const ED_KEY: string = V.ed25519_ws.apiKey;
const ED_PRIV: string = V.ed25519_fix_logon.private_key_pem;
const ED_PUB: string = V.ed25519_fix_logon["derived_public_key_pem_(computed_locally_not_in_docs)"];

function sortedPayload(params: Record<string, unknown>): string {
  return Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join("&");
}

async function edSign(payload: string): Promise<string> {
  const b64 = ED_PRIV.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, "").replace(/\s+/g, "");
  const der = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, false, ["sign"]);
  const sig = await crypto.subtle.sign("Ed25519", key, new TextEncoder().encode(payload));
  return btoa(String.fromCharCode(...new Uint8Array(sig)));
}

describe("WebSocket API", () => {
  let emu: Emulator;
  let clock = 0;
  let c: Client;
  let nextId = 1;
  const request = async (method: string, params?: Record<string, unknown>): Promise<AnyJson> => {
    const id = `r${nextId++}`;
    c.send(params === undefined ? { id, method } : { id, method, params });
    const i = await c.waitFor((f) => f.includes(`"id":"${id}"`));
    return JSON.parse(c.frames[i]);
  };
  before(async () => {
    emu = await startEmulator({
      paused: true,
      now: () => clock,
      markets: [
        { symbol: "BTCUSDT", price: "23416.10", tickSize: "0.01", stepSize: "0.00001" },
        {
          symbol: "１２３４５６",
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
        { apiKey: HMAC_KEY, secretKey: HMAC_SECRET, balances: { BTC: "1", USDT: "1000", "４５６": "10" } },
        { apiKey: ED_KEY, publicKey: ED_PUB, balances: { BTC: "1", USDT: "1000" } },
      ],
    });
    c = await connect(emu.wsApiUrl);
  });
  after(async () => {
    await c.close();
    await emu.close();
  });

  it("every published HMAC request example passes signature and timing checks", async () => {
    const examples = V.hmac_ws.additional_examples_reproduced as AnyJson[];
    assertEquals(examples.length, 17);
    for (const ex of examples) {
      clock = Number(ex.params_without_signature.timestamp) + 50;
      const r = await request(ex.method, {
        ...ex.params_without_signature,
        signature: ex.expected_signature_hex,
      });
      const code = r.error?.code;
      assert(![-1022, -1021, -2014, -2015, -1000].includes(code), `${ex.method}: ${JSON.stringify(r.error)}`);
      if (ex.method === "session.logon") assertEquals(code, -4056); // HMAC keys cannot log on
      if (
        ["order.place", "order.test", "account.status", "openOrders.status", "allOrders", "myTrades"]
          .includes(ex.method)
      ) {
        assertEquals(r.status, 200, `${ex.method}: ${JSON.stringify(r.error)}`);
      }
      assertEquals(r.rateLimits[0].rateLimitType, "REQUEST_WEIGHT");
    }
    const bad = examples[0];
    clock = Number(bad.params_without_signature.timestamp) + 50;
    const r = await request(bad.method, {
      ...bad.params_without_signature,
      quantity: "0.02000000",
      signature: bad.expected_signature_hex,
    });
    assertEquals([r.status, r.error.code], [400, -1022]);
  });

  it("Ed25519: the derived WS vector is accepted; session.logon then subscribe delivers user data", async () => {
    const d = (V.derived_vectors.ed25519_with_fix_doc_key as AnyJson[])[2];
    const params = Object.fromEntries(d.payload.split("&").map((kv: string) => kv.split("=")));
    clock = Number(params.timestamp) + 50;
    const placed = await request("order.place", {
      ...params,
      recvWindow: 100,
      signature: d.signature_base64,
    });
    assertEquals(placed.status, 200, JSON.stringify(placed.error));
    clock = 1700000000000;
    const logonParams = { apiKey: ED_KEY, timestamp: clock };
    const logon = await request("session.logon", {
      ...logonParams,
      signature: await edSign(sortedPayload(logonParams)),
    });
    assertEquals(logon.result.apiKey, ED_KEY);
    const sub = await request("userDataStream.subscribe");
    assertEquals(sub.result, { subscriptionId: 0 });
    const again = await request("userDataStream.subscribe");
    assertEquals(again.error.code, -2035);
    const from = c.frames.length;
    const o = await request("order.place", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "MARKET",
      quantity: "0.001",
      timestamp: clock,
    });
    assertEquals(o.result.status, "FILLED");
    const i = await c.waitFor((f) => f.includes('"e":"outboundAccountPosition"'), 2000, from);
    const events = c.frames.slice(from, i + 1).map((f) => JSON.parse(f)).filter((f) =>
      f.subscriptionId === 0
    );
    const reports = events.filter((e) => e.event.e === "executionReport").map((e) => e.event.X);
    assertEquals(reports[0], "NEW");
    assertEquals(reports[reports.length - 1], "FILLED");
    assertEquals(Object.keys(events[0].event).slice(0, 8), ["e", "E", "s", "c", "S", "o", "f", "q"]);
    const un = await request("userDataStream.unsubscribe", { subscriptionId: 0 });
    assertEquals(un.result, {});
    assertEquals((await request("session.subscriptions")).result, []);
  });

  it("userDataStream.subscribe.signature with the HMAC vector; unsigned methods; errors", async () => {
    const v = V.derived_vectors.ws_userDataStream_subscribe_signature_hmac;
    const p = Object.fromEntries(v.signature_payload.split("&").map((kv: string) => kv.split("=")));
    clock = Number(p.timestamp) + 10;
    const sub = await request("userDataStream.subscribe.signature", {
      ...p,
      timestamp: Number(p.timestamp),
      signature: v.signature_hex,
    });
    assertEquals(sub.status, 200, JSON.stringify(sub.error));
    assert(typeof sub.result.subscriptionId === "number");
    const from = c.frames.length;
    const op = {
      apiKey: HMAC_KEY,
      symbol: "BTCUSDT",
      side: "SELL",
      type: "MARKET",
      quantity: "0.001",
      timestamp: clock,
    };
    const placed = await request("order.place", {
      ...op,
      signature: await hmacHex(HMAC_SECRET, sortedPayload(op)),
    });
    assertEquals(placed.result.status, "FILLED", JSON.stringify(placed.error));
    await c.waitFor(
      (f) => f.includes(`"subscriptionId":${sub.result.subscriptionId}`) && f.includes("executionReport"),
      2000,
      from,
    );
    assertEquals((await request("ping")).result, {});
    assertEquals((await request("time")).result, { serverTime: clock });
    const depth = await request("depth", { symbol: "BTCUSDT", limit: 5 });
    assertEquals(depth.result.bids.length, 5);
    assertEquals((await request("nope.method")).error.code, -1000);
    assertEquals((await request("depth", { symbol: "NOPE" })).error, { code: -1121, msg: "Invalid symbol." });
  });

  it("returnRateLimits=false omits rateLimits; the USD-M WS API answers on its own URL", async () => {
    const quiet = await connect(`${emu.wsApiUrl}?returnRateLimits=false`);
    try {
      quiet.send({ id: 1, method: "ping" });
      const i = await quiet.waitFor((f) => f.includes('"id":1'));
      assertEquals(JSON.parse(quiet.frames[i]), { id: 1, status: 200, result: {} });
    } finally {
      await quiet.close();
    }
    const f = await connect(emu.futuresWsApiUrl);
    try {
      f.send({ id: "t", method: "time" });
      const i = await f.waitFor((x) => x.includes('"id":"t"'));
      assertEquals(JSON.parse(f.frames[i]).result.serverTime, clock);
    } finally {
      await f.close();
    }
  });
});
