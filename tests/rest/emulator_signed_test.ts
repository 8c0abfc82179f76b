/**
 * Signed calls against the local emulator, which verifies every signature over the
 * percent-encoded payload: spot account and orders with HMAC, RSA and Ed25519 keys, USDⓈ-M
 * trading and listenKey, the margin listenToken, error mapping, -1021 recovery, an order
 * placement timeout / server error with reconciliation, and exchangeInfo-based rounding.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals, assertRejects } from "@std/assert";
import { BinanceApiError } from "../../src/core/errors.ts";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { OrderStatusUnknownError } from "../../src/rest/errors.ts";
import type { Order } from "../../src/rest/types_account.ts";
import { readSharedJson } from "../_data.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";

// deno-lint-ignore no-explicit-any
const V: any = readSharedJson("signing/vectors.json");
// the Ed25519 key Binance publishes in fix-api.md, and its public key derived from it
const ED_PRIVATE: string = V.ed25519_fix_logon.private_key_pem;
const ED_PUBLIC: string = V.ed25519_fix_logon["derived_public_key_pem_(computed_locally_not_in_docs)"];
const HMAC_SECRET: string = V.hmac_rest.secretKey;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = btoa(String.fromCharCode(...new Uint8Array(der))).replace(/(.{64})/g, "$1\n");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

let emu: Emulator;
let rsaPrivate: string;
const clients: Record<"hmac" | "rsa" | "ed25519", BinanceRestClient> = {} as never;
let futures: BinanceRestClient;

before(async () => {
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
  rsaPrivate = pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", rsa.privateKey));
  emu = await startEmulator({
    seed: 11,
    paused: true,
    accounts: [
      { apiKey: "hmacKey", secretKey: HMAC_SECRET },
      {
        apiKey: "rsaKey",
        publicKey: pem("PUBLIC KEY", await crypto.subtle.exportKey("spki", rsa.publicKey)),
      },
      { apiKey: "edKey", publicKey: ED_PUBLIC },
    ],
  });
  emu.step(20);
  const base = { baseUrl: emu.restUrl, baseUrls: { fapi: emu.futuresRestUrl } };
  clients.hmac = new BinanceRestClient({ ...base, apiKey: "hmacKey", apiSecret: HMAC_SECRET });
  clients.rsa = new BinanceRestClient({ ...base, apiKey: "rsaKey", privateKey: rsaPrivate });
  clients.ed25519 = new BinanceRestClient({ ...base, apiKey: "edKey", privateKey: ED_PRIVATE });
  futures = new BinanceRestClient({
    ...base,
    exchange: "binance.com-futures",
    apiKey: "hmacKey",
    apiSecret: HMAC_SECRET,
  });
});
after(() => emu.close());

async function belowMarket(c: BinanceRestClient, symbol: string): Promise<string> {
  const book = await c.getOrderBook({ symbol, limit: 5 });
  return (Number(book.bids[0][0]) * 0.9).toFixed(2);
}

describe("spot signed calls with each key type (emulator)", () => {
  for (const type of ["hmac", "rsa", "ed25519"] as const) {
    it(`${type}: account, place, query, list, cancel`, async () => {
      const c = clients[type];
      assertEquals(c.keyType, type);
      const account = await c.getAccount();
      assert(account.balances.some((b) => b.asset === "USDT"));
      const price = await belowMarket(c, "BTCUSDT");
      const placed = await c.createOrder({
        symbol: "BTCUSDT",
        side: "BUY",
        type: "LIMIT",
        timeInForce: "GTC",
        quantity: "0.001",
        price,
        newOrderRespType: "RESULT",
      });
      assertEquals(placed.status, "NEW");
      assert(placed.clientOrderId.startsWith("ub-"), "the client generated the id");
      const byId = await c.getOrder({ symbol: "BTCUSDT", origClientOrderId: placed.clientOrderId });
      assertEquals(byId.orderId, placed.orderId);
      const open = await c.getOpenOrders({ symbol: "BTCUSDT" });
      assert(open.some((o) => o.orderId === placed.orderId));
      const cancelled = await c.cancelOrder({ symbol: "BTCUSDT", orderId: placed.orderId });
      assertEquals(cancelled.status, "CANCELED");
      assertEquals(
        await c.createTestOrder({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "0.001" }),
        {},
      );
    });
  }

  it("a wrong secret is -1022 mapped to BinanceApiError without leaking the signature", async () => {
    const c = new BinanceRestClient({ baseUrl: emu.restUrl, apiKey: "hmacKey", apiSecret: "wrong" });
    const err = await assertRejects(() => c.getAccount(), BinanceApiError);
    assertEquals([err.code, err.status, err.endpoint], [-1022, 400, "GET /api/v3/account"]);
    assert(!/signature=|[0-9a-f]{64}/.test(err.message), err.message);
  });

  it("an unknown order is -2013", async () => {
    const err = await assertRejects(
      () => clients.hmac.getOrder({ symbol: "BTCUSDT", orderId: 987654321 }),
      BinanceApiError,
    );
    assertEquals(err.code, -2013);
  });

  it("OCO through orderList/oco and the order-list lookup", async () => {
    const c = clients.hmac;
    const book = await c.getOrderBook({ symbol: "BTCUSDT", limit: 5 });
    const mid = Number(book.asks[0][0]);
    const list = await c.createOcoOrder({
      symbol: "BTCUSDT",
      side: "SELL",
      quantity: "0.001",
      aboveType: "LIMIT_MAKER",
      abovePrice: (mid * 1.1).toFixed(2),
      belowType: "STOP_LOSS_LIMIT",
      belowStopPrice: (mid * 0.9).toFixed(2),
      belowPrice: (mid * 0.89).toFixed(2),
      belowTimeInForce: "GTC",
    });
    assertEquals(list.orders.length, 2);
    assert(list.listClientOrderId.startsWith("ub-"));
  });
});

describe("cancel-replace, order lists, order count (emulator)", () => {
  it("cancelReplaceOrder swaps a resting order; list and count queries answer", async () => {
    const c = clients.hmac;
    const price = await belowMarket(c, "BTCUSDT");
    const first = await c.createOrder({
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.001",
      price,
    });
    const replaced = await c.cancelReplaceOrder({
      symbol: "BTCUSDT",
      cancelReplaceMode: "STOP_ON_FAILURE",
      cancelOrderId: first.orderId,
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.002",
      price,
    });
    assertEquals([replaced.cancelResult, replaced.newOrderResult], ["SUCCESS", "SUCCESS"]);
    assertEquals(replaced.cancelResponse.orderId, first.orderId);
    const fresh = replaced.newOrderResponse!;
    assert(fresh.clientOrderId.startsWith("ub-"), "cancelReplace got a generated client order id");
    await c.cancelOrder({ symbol: "BTCUSDT", orderId: fresh.orderId });
    const limits = await c.getOrderRateLimit();
    assert(limits.some((l) => l.rateLimitType === "ORDERS" && typeof l.count === "number"));
    assert(Array.isArray(await c.getOpenOrderLists()));
    assert(Array.isArray(await c.getAllOrderLists({ limit: 5 })));
  });
});

describe("time (emulator clock skew)", () => {
  it("-1021 after a server clock jump: resync and one retry", async () => {
    const c = new BinanceRestClient({ baseUrl: emu.restUrl, apiKey: "hmacKey", apiSecret: HMAC_SECRET });
    await c.getAccount();
    const before = c.timeOffset()!;
    assert(Math.abs(before) < 1000);
    const h = emu.inject({ name: "clockSkew", target: "spot", ms: 30_000, durationMs: 60_000 });
    try {
      const account = await c.getAccount();
      assert(account.balances.length > 0);
      assert(c.timeOffset()! > 25_000, `offset ${c.timeOffset()}`);
    } finally {
      h.clear();
    }
  });
});

describe("order placement with unknown outcome (emulator faults)", () => {
  it("timeout: OrderStatusUnknownError carries the id; reconcileOrder finds the order", async () => {
    const c = new BinanceRestClient({
      baseUrl: emu.restUrl,
      apiKey: "hmacKey",
      apiSecret: HMAC_SECRET,
      timeoutMs: 200,
    });
    await c.getAccount(); // time sync before the fault
    const price = await belowMarket(c, "ETHUSDT");
    const h = emu.inject({ name: "latency", target: "spot", ms: 600, durationMs: 60_000 });
    let err: OrderStatusUnknownError;
    try {
      err = await assertRejects(
        () =>
          c.createOrder({
            symbol: "ETHUSDT",
            side: "BUY",
            type: "LIMIT",
            timeInForce: "GTC",
            quantity: "0.01",
            price,
          }),
        OrderStatusUnknownError,
        "timed out",
      );
    } finally {
      h.clear();
    }
    assertEquals(err.symbol, "ETHUSDT");
    await new Promise((r) => setTimeout(r, 700)); // the server is done with the delayed request
    // Whether the server went on with the abandoned request depends on the HTTP stack (Deno and
    // Bun finish it, Node's server drops the unread body): reconcileOrder must agree with the
    // emulator's own state either way.
    const found = await c.reconcileOrder(err) as Order | null;
    const open = emu.account("hmacKey").openOrders as { clientOrderId: string }[];
    const placed = open.some((o) => o.clientOrderId === err.newClientOrderId);
    assertEquals(found !== null, placed, "reconcileOrder matches the exchange's state");
    if (found) {
      assertEquals([found.clientOrderId, found.status], [err.newClientOrderId, "NEW"]);
      await c.cancelOrder({ symbol: "ETHUSDT", origClientOrderId: err.newClientOrderId });
    }
  });

  it("5xx: not retried; reconcileOrder answers null for an order Binance never took", async () => {
    const c = clients.hmac;
    const price = await belowMarket(c, "ETHUSDT");
    const openBefore = emu.account("hmacKey").openOrders.length;
    const h = emu.inject({ name: "serverError", target: "spot", count: 1, status: 503 });
    try {
      const err = await assertRejects(
        () =>
          c.createOrder({
            symbol: "ETHUSDT",
            side: "BUY",
            type: "LIMIT",
            timeInForce: "GTC",
            quantity: "0.01",
            price,
          }),
        OrderStatusUnknownError,
      );
      assertEquals(err.status, 503);
      assertEquals(await c.reconcileOrder(err), null);
    } finally {
      h.clear();
    }
    assertEquals(emu.account("hmacKey").openOrders.length, openBefore, "no duplicate order was placed");
  });
});

describe("exchangeInfo-based rounding (emulator)", () => {
  it("orderLimitBuy rounds price and quantity to the filters and places the order", async () => {
    const c = clients.hmac;
    const info = (await c.getSymbolInfo("BTCUSDT"))!;
    const tick = info.filters.find((f) => f.filterType === "PRICE_FILTER")!.tickSize!;
    const step = info.filters.find((f) => f.filterType === "LOT_SIZE")!.stepSize!;
    const raw = Number(await belowMarket(c, "BTCUSDT")) + 0.0049;
    const order = await c.orderLimitBuy({ symbol: "BTCUSDT", quantity: 0.00123456789, price: raw }) as Order;
    assertEquals(order.status, "NEW");
    const q = await c.getOrder({ symbol: "BTCUSDT", orderId: order.orderId });
    assert(Number(q.price) <= raw && raw - Number(q.price) < Number(tick), `${q.price} vs ${raw}`);
    assert(Number(q.origQty) <= 0.00123456789 && 0.00123456789 - Number(q.origQty) < Number(step));
    await c.cancelOrder({ symbol: "BTCUSDT", orderId: order.orderId });
  });

  it("a filter violation is a RangeError naming the filter, and nothing is sent", async () => {
    const c = clients.hmac;
    const openBefore = emu.account("hmacKey").openOrders.length;
    await assertRejects(
      () => c.orderLimitBuy({ symbol: "BTCUSDT", quantity: "0.00001", price: "10" }),
      RangeError,
      "NOTIONAL",
    );
    await assertRejects(
      () => c.orderMarketSell({ symbol: "BTCUSDT", quantity: "1000000" }),
      RangeError,
      "MARKET_LOT_SIZE",
    );
    assertEquals(emu.account("hmacKey").openOrders.length, openBefore);
  });
});

describe("USDⓈ-M signed calls (emulator)", () => {
  it("account, balance, order lifecycle, trades", async () => {
    const account = await futures.futuresAccount();
    assert(Array.isArray(account.assets));
    const balances = await futures.futuresAccountBalance();
    assert(balances.some((b) => b.asset === "USDT"));
    const book = await futures.futuresOrderBook({ symbol: "BTCUSDT", limit: 5 });
    const price = (Number(book.bids[0][0]) * 0.9).toFixed(1);
    const order = await futures.futuresCreateOrder({
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.01",
      price,
    }) as { orderId: number; clientOrderId: string };
    const got = await futures.futuresGetOrder({ symbol: "BTCUSDT", origClientOrderId: order.clientOrderId });
    assertEquals(got.orderId, order.orderId);
    assert(
      (await futures.futuresGetOpenOrders({ symbol: "BTCUSDT" })).some((o) => o.orderId === order.orderId),
    );
    assertEquals(
      (await futures.futuresCancelOrder({ symbol: "BTCUSDT", orderId: order.orderId })).status,
      "CANCELED",
    );
    assert(Array.isArray(await futures.futuresAccountTrades({ symbol: "BTCUSDT" })));
    assert(Array.isArray(await futures.futuresGetAllOrders({ symbol: "BTCUSDT" })));
  });

  it("listenKey create / keep-alive / close with the API key only", async () => {
    const key = await futures.futuresStreamGetListenKey();
    assert(key.length > 10);
    await futures.futuresStreamKeepalive();
    await futures.futuresStreamClose();
  });
});

describe("margin user data (emulator)", () => {
  it("createMarginListenToken", async () => {
    const t = await clients.ed25519.createMarginListenToken();
    assert(typeof t.token === "string" && t.token.length > 0);
    assert(t.expirationTime > Date.now());
  });
});
