import { describe, it } from "node:test";
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import { BinanceApiError, BinanceError, IpBannedError, RateLimitError } from "../../src/core/errors.ts";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { OrderStatusUnknownError } from "../../src/rest/errors.ts";
import { createSigner } from "../../src/rest/sign.ts";
import { FakeFetch, json, ManualClock } from "./_fake.ts";

const API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
const SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

function setup(extra: Record<string, unknown> = {}) {
  const clock = new ManualClock();
  const fake = new FakeFetch(clock);
  const client = new BinanceRestClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: fake.fetch,
    clock,
    random: () => 0.5,
    ...extra,
  });
  return { clock, fake, client };
}

/** Splits the signed text into payload and signature. */
function splitSigned(text: string): { payload: string; signature: string } {
  const i = text.lastIndexOf("&signature=");
  return { payload: text.slice(0, i), signature: decodeURIComponent(text.slice(i + 11)) };
}

describe("request shape", () => {
  it("public GET: exact URL, no API key header, usage read from headers", async () => {
    const { fake, client } = setup();
    fake.queue.push(
      json({ symbol: "BTCUSDT", price: "1.5" }, 200, {
        "X-MBX-USED-WEIGHT-1M": "7",
        "X-MBX-USED-WEIGHT": "7",
      }),
    );
    const t = await client.getSymbolTicker({ symbol: "BTCUSDT" });
    assertEquals(t, { symbol: "BTCUSDT", price: "1.5" });
    assertEquals(fake.sent.length, 1);
    assertEquals(fake.sent[0].url.href, "https://api.binance.com/api/v3/ticker/price?symbol=BTCUSDT");
    assertStrictEquals(fake.sent[0].headers.get("X-MBX-APIKEY"), null);
    assertEquals(client.usage.api?.weight, { "1M": 7 });
  });

  it("signed GET: syncs time first, sends timestamp + offset, recvWindow and a valid HMAC", async () => {
    const { fake, client, clock } = setup({ recvWindow: 5000 });
    fake.serverSkew = 2500;
    fake.queue.push(json({ balances: [] }));
    await client.getAccount();
    assertEquals(fake.sent.map((s) => s.url.pathname), ["/api/v3/time", "/api/v3/account"]);
    assertEquals(client.timeOffset("api"), 2500);
    const req = fake.sent[1];
    assertEquals(req.headers.get("X-MBX-APIKEY"), API_KEY);
    const { payload, signature } = splitSigned(req.url.search.slice(1));
    assertEquals(payload, `recvWindow=5000&timestamp=${clock.t + 2500}`);
    assertEquals(signature, await createSigner(SECRET).sign(payload));
  });

  it("signed POST: form body in caller order, signature last, generated newClientOrderId", async () => {
    const { fake, client } = setup();
    fake.queue.push(json({ orderId: 1 }));
    await client.createOrder({
      symbol: "１２３４５６",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: 1,
      price: 0.1,
    });
    const req = fake.calls[0];
    assertEquals(req.method, "POST");
    assertEquals(req.url.search, "");
    assertEquals(req.headers.get("Content-Type"), "application/x-www-form-urlencoded");
    const { payload, signature } = splitSigned(req.body);
    assert(
      payload.startsWith(
        "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&newClientOrderId=ub-",
      ),
      payload,
    );
    assertEquals(signature, await createSigner(SECRET).sign(payload));
  });

  it("64-bit ids stay exact", async () => {
    const { fake, client } = setup();
    fake.queue.push(json('{"symbol":"ETHUSDT","orderId":9007199254740993,"clientOrderId":"x"}'));
    const order = await client.getOrder({ symbol: "ETHUSDT", orderId: 9007199254740993n });
    assertStrictEquals(order.orderId, 9007199254740993n);
    assert(fake.calls[0].url.search.includes("orderId=9007199254740993&"));
  });
});

describe("key types", () => {
  it("RSA and Ed25519 signed calls verify with the public key", async () => {
    for (
      const alg of [{
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      }, { name: "Ed25519" }]
    ) {
      const pair = await crypto.subtle.generateKey(alg, true, ["sign", "verify"]) as CryptoKeyPair;
      const der = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
      const pem = `-----BEGIN PRIVATE KEY-----\n${
        btoa(String.fromCharCode(...der))
      }\n-----END PRIVATE KEY-----`;
      const { fake, client } = setup({ apiSecret: undefined, privateKey: pem });
      assertEquals(client.keyType, alg.name === "Ed25519" ? "ed25519" : "rsa");
      fake.queue.push(json({ balances: [] }));
      await client.getAccount();
      const { payload, signature } = splitSigned(fake.calls[0].url.search.slice(1));
      const sig = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0));
      assert(
        await crypto.subtle.verify(alg.name, pair.publicKey, sig, new TextEncoder().encode(payload)),
        alg.name,
      );
    }
  });
});

describe("errors", () => {
  it("maps a Binance error body to BinanceApiError without query, key or signature", async () => {
    const { fake, client } = setup();
    fake.queue.push(json({ code: -1121, msg: "Invalid symbol." }, 400));
    const err = await assertRejects(() => client.getOrder({ symbol: "NOPE", orderId: 1 }), BinanceApiError);
    assertEquals([err.code, err.status, err.endpoint], [-1121, 400, "GET /api/v3/order"]);
    assert(err.message.includes("Invalid symbol."));
    for (const secret of [API_KEY, SECRET, "signature", "timestamp"]) {
      assert(!err.message.includes(secret), secret);
    }
  });

  it("a non-JSON (HTML) error body is reported as such", async () => {
    const { fake, client } = setup();
    fake.queue.push(new Response("<html><body>403 Forbidden</body></html>", { status: 403 }));
    const err = await assertRejects(() => client.ping(), BinanceApiError, "non-JSON body");
    assertEquals(err.status, 403);
  });

  it("missing credentials are a TypeError before anything is sent", async () => {
    const clock = new ManualClock();
    const fake = new FakeFetch(clock);
    const client = new BinanceRestClient({ fetch: fake.fetch, clock });
    await assertRejects(() => client.getAccount(), TypeError, "apiKey");
    const keyOnly = new BinanceRestClient({
      fetch: fake.fetch,
      clock,
      apiKey: "k",
      exchange: "binance.com-futures",
    });
    await assertRejects(() => keyOnly.futuresAccount(), TypeError, "signed endpoint");
    assertEquals(fake.sent.length, 0);
    assertThrows(() => new BinanceRestClient({ apiSecret: "a", privateKey: "b" }), TypeError, "either");
    assertThrows(() => new BinanceRestClient({ recvWindow: 70_000 }), RangeError, "recvWindow");
    assertThrows(() => new BinanceRestClient({ exchange: "binance.xyz" }), RangeError, "Unknown exchange");
  });
});

describe("venues", () => {
  it("an endpoint the venue does not serve fails before sending", async () => {
    const cases: [string, (c: BinanceRestClient) => Promise<unknown>, string][] = [
      ["binance.us", (c) => c.futuresTime(), "/fapi/v1/time"],
      ["binance.com-testnet", (c) => c.getSystemStatus(), "/sapi/v1/system/status"],
      ["binance.com-futures-testnet", (c) => c.getServerTime(), "/api/v3/time"],
      ["binance.com", (c) => c.streamGetListenKey(), "/api/v3/userDataStream"],
      ["trbinance.com", (c) => c.getMarginAccount(), "/sapi/v1/margin/account"],
    ];
    for (const [exchange, call, path] of cases) {
      const clock = new ManualClock();
      const fake = new FakeFetch(clock);
      const client = new BinanceRestClient({
        exchange,
        fetch: fake.fetch,
        clock,
        apiKey: "k",
        apiSecret: "s",
      });
      await assertRejects(() => call(client), RangeError, path);
      assertEquals(fake.sent.length, 0, exchange);
    }
  });

  it("COIN-M goes to dapi, testnets to their hosts", async () => {
    const cases: [string, (c: BinanceRestClient) => Promise<unknown>, string][] = [
      [
        "binance.com-coin_futures",
        (c) => c.futuresCoinOrderBook({ symbol: "BTCUSD_PERP", limit: 5 }),
        "https://dapi.binance.com/dapi/v1/depth?symbol=BTCUSD_PERP&limit=5",
      ],
      [
        "binance.com-futures-testnet",
        (c) => c.futuresKlines({ symbol: "BTCUSDT", interval: "1m" }),
        "https://testnet.binancefuture.com/fapi/v1/klines?symbol=BTCUSDT&interval=1m",
      ],
      [
        "binance.com-testnet",
        (c) => c.getAvgPrice({ symbol: "BTCUSDT" }),
        "https://testnet.binance.vision/api/v3/avgPrice?symbol=BTCUSDT",
      ],
      ["binance.us", (c) => c.streamGetListenKey(), "https://api.binance.us/api/v3/userDataStream"],
      [
        "binance.com-vanilla-options",
        (c) => c.optionsIndexPrice({ underlying: "BTCUSDT" }),
        "https://eapi.binance.com/eapi/v1/index?underlying=BTCUSDT",
      ],
      [
        "binance.com-portfolio_margin",
        (c) => c.portfolioMarginStreamGetListenKey(),
        "https://papi.binance.com/papi/v1/listenKey",
      ],
    ];
    for (const [exchange, call, url] of cases) {
      const clock = new ManualClock();
      const fake = new FakeFetch(clock);
      fake.queue.push(json({ listenKey: "LK" }));
      const client = new BinanceRestClient({ exchange, fetch: fake.fetch, clock, apiKey: "k" });
      await call(client);
      assertEquals(fake.sent[0].url.href, url);
    }
  });
});

describe("rate limits", () => {
  it("429 waits Retry-After and retries, bounded", async () => {
    const { fake, client, clock } = setup({ maxRateLimitRetries: 2 });
    fake.queue.push(json({ code: -1003, msg: "Too many requests" }, 429, { "Retry-After": "3" }));
    fake.queue.push(json({ mins: 5, price: "1" }));
    assertEquals(await client.getAvgPrice({ symbol: "BTCUSDT" }), { mins: 5, price: "1" });
    assertEquals(clock.sleeps, [3000]);

    for (let i = 0; i < 3; i++) {
      fake.queue.push(json({ code: -1003, msg: "Too many requests" }, 429, { "Retry-After": "1" }));
    }
    const err = await assertRejects(() => client.getAvgPrice({ symbol: "BTCUSDT" }), RateLimitError);
    assertEquals([err.status, err.code, err.retryAfter], [429, -1003, 1000]);
    assertEquals(fake.calls.length, 2 + 3);
  });

  it("a Retry-After beyond maxRetryAfterMs is not waited for", async () => {
    const { fake, client, clock } = setup({ maxRetryAfterMs: 10_000 });
    fake.queue.push(json({ code: -1003, msg: "Too many requests" }, 429, { "Retry-After": "120" }));
    const err = await assertRejects(() => client.ping(), RateLimitError);
    assertEquals(err.retryAfter, 120_000);
    assertEquals(clock.sleeps, []);
  });

  it("418 raises IpBannedError with until, and later calls fail without sending", async () => {
    const { fake, client, clock } = setup();
    const until = clock.t + 120_000;
    fake.queue.push(
      json({ code: -1003, msg: `Way too much request weight used; IP banned until ${until}.` }, 418, {
        "Retry-After": "120",
      }),
    );
    const err = await assertRejects(() => client.ping(), IpBannedError);
    assertEquals([err.until, err.status], [until, 418]);
    const again = await assertRejects(() => client.ping(), IpBannedError, "not sent");
    assertEquals(again.until, until);
    assertEquals(fake.sent.length, 1);
    clock.t = until + 1;
    fake.queue.push(json({}));
    await client.ping();
  });

  it("the weight budget delays a request until the interval resets", async () => {
    const { fake, client, clock } = setup({ weightBudget: { limit: 10 } });
    clock.t = 1_700_000_020_000; // 40 s into a minute
    for (let i = 0; i < 3; i++) fake.queue.push(json({ mins: 5, price: "1" }));
    await client.getKlines({ symbol: "A", interval: "1m" }); // weight 2
    await client.getOrderBook({ symbol: "A" }); // weight 5
    assertEquals(clock.sleeps, []);
    await client.getOrderBook({ symbol: "A" }); // 12 > 10 → wait 20 s
    assertEquals(clock.sleeps, [20_000]);
  });

  it("Binance's reported weight feeds the budget", async () => {
    const { fake, client, clock } = setup({ weightBudget: { limit: 100 } });
    clock.t = 1_700_000_020_000;
    fake.queue.push(json({}, 200, { "X-MBX-USED-WEIGHT-1M": "100" }), json({}));
    await client.ping();
    await client.ping();
    assertEquals(clock.sleeps, [20_000]);
  });
});

describe("time", () => {
  it("-1021 resyncs the offset and retries once", async () => {
    const { fake, client, clock } = setup();
    fake.queue.push(json({ balances: [] }));
    await client.getAccount();
    fake.serverSkew = -4000;
    fake.queue.push(
      json({ code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." }, 400),
    );
    fake.queue.push((req) => {
      assert(req.url.search.includes(`timestamp=${clock.t - 4000}&`));
      return json({ balances: [1] });
    });
    assertEquals((await client.getAccount()).balances as unknown, [1]);
    assertEquals(client.timeOffset(), -4000);
    assertEquals(fake.sent.filter((s) => s.url.pathname === "/api/v3/time").length, 2);

    fake.queue.push(json({ code: -1021, msg: "x" }, 400), json({ code: -1021, msg: "x" }, 400));
    const err = await assertRejects(() => client.getAccount(), BinanceApiError);
    assertEquals(err.code, -1021);
  });
});

describe("periodic time sync", () => {
  it("re-measures the offset once the last measurement is older than timeSyncIntervalMs", async () => {
    const { fake, client, clock } = setup({ timeSyncIntervalMs: 60_000 });
    for (let i = 0; i < 3; i++) fake.queue.push(json({ balances: [] }));
    await client.getAccount();
    clock.t += 30_000;
    await client.getAccount();
    assertEquals(fake.sent.filter((s) => s.url.pathname === "/api/v3/time").length, 1);
    clock.t += 31_000;
    fake.serverSkew = 1234;
    await client.getAccount();
    assertEquals(fake.sent.filter((s) => s.url.pathname === "/api/v3/time").length, 2);
    assertEquals(client.timeOffset(), 1234);
  });
});

describe("retries", () => {
  it("GET retries network errors and 5xx with jittered backoff", async () => {
    const { fake, client, clock } = setup({ backoff: { baseMs: 100, maxMs: 1000 } });
    fake.queue.push(
      "network",
      json({ code: -1001, msg: "Internal error" }, 503),
      json({ mins: 5, price: "3" }),
    );
    assertEquals((await client.getAvgPrice({ symbol: "X" })).price, "3");
    assertEquals(fake.calls.length, 3);
    assertEquals(clock.sleeps.length, 2);
    // full jitter: random 0.5 → half of min(maxMs, baseMs · 2^attempt)
    assert(clock.sleeps[0] <= 100 && clock.sleeps[1] <= 200, String(clock.sleeps));
  });

  it("GET exhausts its retries and reports the network failure", async () => {
    const { fake, client, clock } = setup({ maxRetries: 2, backoff: { baseMs: 100, maxMs: 1000 } });
    fake.queue.push("network", "network", "network");
    const err = await assertRejects(
      () => client.getAvgPrice({ symbol: "X" }),
      BinanceError,
      "Cannot reach https://api.binance.com: connection refused (GET /api/v3/avgPrice)",
    );
    assertInstanceOf(err.cause, TypeError);
    assertEquals(fake.calls.length, 3);
    assertEquals(clock.sleeps.length, 2);
    assert(clock.sleeps.every((ms) => ms > 0 && ms <= 1000), String(clock.sleeps));
  });

  it("GET 5xx is retried, then succeeds", async () => {
    const { fake, client } = setup();
    fake.queue.push(json({ code: -1001, msg: "Internal error" }, 502), json({ mins: 5, price: "2" }));
    assertEquals((await client.getAvgPrice({ symbol: "X" })).price, "2");
    assertEquals(fake.calls.length, 2);
  });

  it("order placement 5xx is not retried: OrderStatusUnknownError carries the client order id", async () => {
    const { fake, client } = setup();
    fake.queue.push(
      json({
        code: -1007,
        msg:
          "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
      }, 500),
    );
    const err = await assertRejects(
      () =>
        client.createOrder({
          symbol: "BTCUSDT",
          side: "BUY",
          type: "MARKET",
          quantity: "0.01",
          newClientOrderId: "my-1",
        }),
      OrderStatusUnknownError,
    );
    assertEquals([err.newClientOrderId, err.symbol, err.endpoint, err.status, err.code], [
      "my-1",
      "BTCUSDT",
      "POST /api/v3/order",
      500,
      -1007,
    ]);
    assertEquals(fake.calls.length, 1);
  });

  it("order placement timeout raises OrderStatusUnknownError; reconcileOrder finds the order", async () => {
    const { fake, client } = setup({ timeoutMs: 30 });
    fake.queue.push("hang");
    const err = await assertRejects(
      () =>
        client.createOrder({
          symbol: "BTCUSDT",
          side: "SELL",
          type: "LIMIT",
          timeInForce: "GTC",
          quantity: "1",
          price: "2",
        }),
      OrderStatusUnknownError,
      "timed out",
    );
    assert(err.newClientOrderId.startsWith("ub-"));
    assertEquals(fake.calls[0].body.match(/newClientOrderId=([^&]+)/)?.[1], err.newClientOrderId);
    fake.queue.push((req) => {
      assertEquals(req.url.pathname, "/api/v3/order");
      assertEquals(req.url.searchParams.get("origClientOrderId"), err.newClientOrderId);
      assertEquals(req.url.searchParams.get("symbol"), "BTCUSDT");
      return json({ symbol: "BTCUSDT", orderId: 7, clientOrderId: err.newClientOrderId, status: "NEW" });
    });
    assertEquals((await client.reconcileOrder(err) as Record<string, unknown>).orderId, 7);
    fake.queue.push(json({ code: -2013, msg: "Order does not exist." }, 400));
    assertStrictEquals(await client.reconcileOrder(err), null);
  });

  it("network errors keep their cause without the signed query string", async () => {
    const { fake, client } = setup({ maxRetries: 0 });
    fake.queue.push((req) => {
      // what Deno's fetch reports: the full URL, signature included
      const inner = new Error(`error sending request for url (${req.url.href}): dns error`);
      throw new TypeError("fetch failed", { cause: inner });
    });
    const err = await assertRejects(
      () => client.getAccount(),
      BinanceError,
      "Cannot reach https://api.binance.com: host not found (DNS) (GET /api/v3/account)",
    );
    const chain: string[] = [];
    for (let e: unknown = err; e instanceof Error; e = e.cause) chain.push(`${e.name}: ${e.message}`);
    assertEquals(chain.length, 3);
    assert(
      chain[2].includes("error sending request for url (https://api.binance.com/api/v3/account?…)"),
      chain[2],
    );
    assert(!chain.join("|").includes("signature"), chain.join("|"));
  });

  it("a failed non-GET that is not an order placement is reported, not retried", async () => {
    const { fake, client } = setup();
    fake.queue.push("network");
    await assertRejects(
      () => client.cancelOrder({ symbol: "X", orderId: 1 }),
      BinanceError,
      "DELETE /api/v3/order",
    );
    assertEquals(fake.calls.length, 1);
  });

  it("an abort signal cancels the call with its reason", async () => {
    const { fake, client } = setup();
    fake.queue.push("hang");
    const ac = new AbortController();
    const p = client.ping({ signal: ac.signal });
    ac.abort(new Error("stop"));
    await assertRejects(() => p, Error, "stop");
  });
});

describe("default fetch", () => {
  it("calls the global fetch bound to globalThis (workerd and browsers require it)", async () => {
    const original = globalThis.fetch;
    let self: unknown;
    globalThis.fetch = function (this: unknown) {
      self = this;
      return Promise.resolve(json({}));
    } as typeof fetch;
    try {
      await new BinanceRestClient().ping();
    } finally {
      globalThis.fetch = original;
    }
    assertStrictEquals(self, globalThis);
  });
});
