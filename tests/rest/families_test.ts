/**
 * Request shape of the endpoint families the emulator does not serve (margin, COIN-M, options,
 * wallet, USDⓈ-M statistics) against a scripted fetch, and helpers on the REAL binance.com
 * exchangeInfo recorded by cryptofeed (`../shared/data/depth/BINANCE.0`).
 */
import { describe, it } from "node:test";
import { assert, assertEquals, assertRejects, assertStrictEquals } from "@std/assert";
import { readSharedText } from "../_data.ts";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { FakeFetch, json, ManualClock, type Sent } from "./_fake.ts";

function setup(exchange = "binance.com") {
  const clock = new ManualClock();
  const fake = new FakeFetch(clock);
  const client = new BinanceRestClient({
    exchange,
    apiKey: "key",
    apiSecret: "secret",
    fetch: fake.fetch,
    clock,
  });
  return { fake, client };
}

/** Method, URL without the signed tail, and the caller's parameters. */
function shape(req: Sent): string {
  const text = req.body !== "" ? req.body : req.url.search.slice(1);
  const params = text.split("&").filter((kv) => kv !== "" && !/^(timestamp|signature|recvWindow)=/.test(kv));
  return `${req.method} ${req.url.origin}${req.url.pathname}${params.length ? " " + params.join("&") : ""}`;
}

type Case = [string, (c: BinanceRestClient) => Promise<unknown>, string];

function run(title: string, exchange: string, cases: Case[]): void {
  describe(title, () => {
    for (const [name, call, expected] of cases) {
      it(name, async () => {
        const { fake, client } = setup(exchange);
        fake.queue.push(json({ listenKey: "LK", token: "T", expirationTime: 1, tranId: 1 }));
        await call(client);
        const req = fake.sent[fake.sent.length - 1];
        assertEquals(shape(req), expected);
        const signed = (req.body + req.url.search).includes("signature=");
        assertEquals(fake.sent.length, signed ? 2 : 1, "a signed call syncs the time first");
      });
    }
  });
}

run("margin (sapi)", "binance.com-margin", [
  ["getMarginAccount", (c) => c.getMarginAccount(), "GET https://api.binance.com/sapi/v1/margin/account"],
  [
    "getIsolatedMarginAccount",
    (c) => c.getIsolatedMarginAccount({ symbols: "BTCUSDT,ETHUSDT" }),
    "GET https://api.binance.com/sapi/v1/margin/isolated/account symbols=BTCUSDT%2CETHUSDT",
  ],
  [
    "createMarginLoan → borrow-repay BORROW",
    (c) => c.createMarginLoan({ asset: "USDT", amount: "10.5" }),
    "POST https://api.binance.com/sapi/v1/margin/borrow-repay asset=USDT&isIsolated=FALSE&amount=10.5&type=BORROW",
  ],
  [
    "repayMarginLoan isolated",
    (c) => c.repayMarginLoan({ asset: "BTC", isIsolated: "TRUE", symbol: "BTCUSDT", amount: 0.001 }),
    "POST https://api.binance.com/sapi/v1/margin/borrow-repay asset=BTC&isIsolated=TRUE&symbol=BTCUSDT&amount=0.001&type=REPAY",
  ],
  [
    "transferSpotToMargin → asset/transfer MAIN_MARGIN",
    (c) => c.transferSpotToMargin({ asset: "USDT", amount: 5 }),
    "POST https://api.binance.com/sapi/v1/asset/transfer type=MAIN_MARGIN&asset=USDT&amount=5",
  ],
  [
    "createMarginOrder (client order id generated)",
    (c) =>
      c.createMarginOrder({
        symbol: "BTCUSDT",
        isIsolated: "TRUE",
        side: "BUY",
        type: "LIMIT",
        quantity: "0.01",
        price: "100",
        timeInForce: "GTC",
        newClientOrderId: "m1",
      }),
    "POST https://api.binance.com/sapi/v1/margin/order symbol=BTCUSDT&isIsolated=TRUE&side=BUY&type=LIMIT&quantity=0.01&price=100&timeInForce=GTC&newClientOrderId=m1",
  ],
  [
    "getOpenMarginOrders",
    (c) => c.getOpenMarginOrders({ symbol: "BTCUSDT" }),
    "GET https://api.binance.com/sapi/v1/margin/openOrders symbol=BTCUSDT",
  ],
  [
    "getMarginTrades",
    (c) => c.getMarginTrades({ symbol: "BTCUSDT", limit: 5 }),
    "GET https://api.binance.com/sapi/v1/margin/myTrades symbol=BTCUSDT&limit=5",
  ],
  [
    "cancelMarginOrder",
    (c) => c.cancelMarginOrder({ symbol: "BTCUSDT", orderId: 1 }),
    "DELETE https://api.binance.com/sapi/v1/margin/order symbol=BTCUSDT&orderId=1",
  ],
  [
    "createMarginListenToken isolated",
    (c) => c.createMarginListenToken({ symbol: "BTCUSDT", isIsolated: "TRUE" }),
    "POST https://api.binance.com/sapi/v1/userListenToken symbol=BTCUSDT&isIsolated=TRUE",
  ],
]);

run("COIN-M (dapi host)", "binance.com-coin_futures", [
  ["futuresCoinTime", (c) => c.futuresCoinTime(), "GET https://dapi.binance.com/dapi/v1/time"],
  [
    "futuresCoinMarkPrice",
    (c) => c.futuresCoinMarkPrice({ pair: "BTCUSD" }),
    "GET https://dapi.binance.com/dapi/v1/premiumIndex pair=BTCUSD",
  ],
  [
    "futuresCoinOpenInterestHist (no /v1 in /futures/data)",
    (c) => c.futuresCoinOpenInterestHist({ pair: "BTCUSD", contractType: "PERPETUAL", period: "5m" }),
    "GET https://dapi.binance.com/futures/data/openInterestHist pair=BTCUSD&contractType=PERPETUAL&period=5m",
  ],
  [
    "futuresCoinCreateOrder",
    (c) =>
      c.futuresCoinCreateOrder({
        symbol: "BTCUSD_PERP",
        side: "SELL",
        type: "MARKET",
        quantity: 1,
        newClientOrderId: "c1",
      }),
    "POST https://dapi.binance.com/dapi/v1/order symbol=BTCUSD_PERP&side=SELL&type=MARKET&quantity=1&newClientOrderId=c1",
  ],
  ["futuresCoinAccount", (c) => c.futuresCoinAccount(), "GET https://dapi.binance.com/dapi/v1/account"],
  [
    "futuresCoinPositionInformation",
    (c) => c.futuresCoinPositionInformation({ pair: "BTCUSD" }),
    "GET https://dapi.binance.com/dapi/v1/positionRisk pair=BTCUSD",
  ],
  [
    "futuresCoinChangeLeverage",
    (c) => c.futuresCoinChangeLeverage({ symbol: "BTCUSD_PERP", leverage: 3 }),
    "POST https://dapi.binance.com/dapi/v1/leverage symbol=BTCUSD_PERP&leverage=3",
  ],
  [
    "futuresCoinStreamGetListenKey",
    (c) => c.futuresCoinStreamGetListenKey(),
    "POST https://dapi.binance.com/dapi/v1/listenKey",
  ],
  [
    "futuresCoinHistoricalTrades",
    (c) => c.futuresCoinHistoricalTrades({ symbol: "BTCUSD_PERP", fromId: 5n }),
    "GET https://dapi.binance.com/dapi/v1/historicalTrades symbol=BTCUSD_PERP&fromId=5",
  ],
  [
    "futuresCoinIndexPriceKlines",
    (c) => c.futuresCoinIndexPriceKlines({ pair: "BTCUSD", interval: "1h", limit: 2 }),
    "GET https://dapi.binance.com/dapi/v1/indexPriceKlines pair=BTCUSD&interval=1h&limit=2",
  ],
  [
    "futuresCoinLeverageBracket (v2)",
    (c) => c.futuresCoinLeverageBracket({ symbol: "BTCUSD_PERP" }),
    "GET https://dapi.binance.com/dapi/v2/leverageBracket symbol=BTCUSD_PERP",
  ],
  [
    "futuresCoinCancelOrders",
    (c) => c.futuresCoinCancelOrders({ symbol: "BTCUSD_PERP", orderIdList: [1, 2] }),
    "DELETE https://dapi.binance.com/dapi/v1/batchOrders symbol=BTCUSD_PERP&orderIdList=%5B1%2C2%5D",
  ],
]);

run("USDⓈ-M statistics and settings", "binance.com-futures", [
  [
    "futuresMarkPrice",
    (c) => c.futuresMarkPrice({ symbol: "BTCUSDT" }),
    "GET https://fapi.binance.com/fapi/v1/premiumIndex symbol=BTCUSDT",
  ],
  [
    "futuresFundingRate",
    (c) => c.futuresFundingRate({ symbol: "BTCUSDT", limit: 3 }),
    "GET https://fapi.binance.com/fapi/v1/fundingRate symbol=BTCUSDT&limit=3",
  ],
  [
    "futuresOpenInterest",
    (c) => c.futuresOpenInterest({ symbol: "BTCUSDT" }),
    "GET https://fapi.binance.com/fapi/v1/openInterest symbol=BTCUSDT",
  ],
  [
    "futuresOpenInterestHist",
    (c) => c.futuresOpenInterestHist({ symbol: "BTCUSDT", period: "1h" }),
    "GET https://fapi.binance.com/futures/data/openInterestHist symbol=BTCUSDT&period=1h",
  ],
  [
    "futuresPositionInformation",
    (c) => c.futuresPositionInformation({ symbol: "BTCUSDT" }),
    "GET https://fapi.binance.com/fapi/v2/positionRisk symbol=BTCUSDT",
  ],
  [
    "futuresIncomeHistory",
    (c) => c.futuresIncomeHistory({ incomeType: "FUNDING_FEE" }),
    "GET https://fapi.binance.com/fapi/v1/income incomeType=FUNDING_FEE",
  ],
  [
    "futuresChangePositionMargin",
    (c) => c.futuresChangePositionMargin({ symbol: "BTCUSDT", amount: "10", type: 1 }),
    "POST https://fapi.binance.com/fapi/v1/positionMargin symbol=BTCUSDT&amount=10&type=1",
  ],
  [
    "futuresAutoCancelAllOpenOrders",
    (c) => c.futuresAutoCancelAllOpenOrders({ symbol: "BTCUSDT", countdownTime: 120000 }),
    "POST https://fapi.binance.com/fapi/v1/countdownCancelAll symbol=BTCUSDT&countdownTime=120000",
  ],
  [
    "futuresLeverageBracket",
    (c) => c.futuresLeverageBracket(),
    "GET https://fapi.binance.com/fapi/v1/leverageBracket",
  ],
  [
    "futuresPlaceBatchOrder (JSON, ids filled)",
    (c) =>
      c.futuresPlaceBatchOrder({
        batchOrders: [{
          symbol: "BTCUSDT",
          side: "BUY",
          type: "LIMIT",
          quantity: 0.001,
          price: 50000,
          timeInForce: "GTC",
          newClientOrderId: "b1",
        }],
      }),
    "POST https://fapi.binance.com/fapi/v1/batchOrders batchOrders=" +
    encodeURIComponent(
      '[{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","quantity":"0.001","price":"50000","timeInForce":"GTC","newClientOrderId":"b1"}]',
    ),
  ],
]);

run("options (eapi)", "binance.com-vanilla-options", [
  ["optionsTime", (c) => c.optionsTime(), "GET https://eapi.binance.com/eapi/v1/time"],
  [
    "optionsOrderBook",
    (c) => c.optionsOrderBook({ symbol: "BTC-261225-100000-C", limit: 10 }),
    "GET https://eapi.binance.com/eapi/v1/depth symbol=BTC-261225-100000-C&limit=10",
  ],
  ["optionsMarkPrice", (c) => c.optionsMarkPrice(), "GET https://eapi.binance.com/eapi/v1/mark"],
  [
    "optionsOpenInterest",
    (c) => c.optionsOpenInterest({ underlyingAsset: "BTC", expiration: "261225" }),
    "GET https://eapi.binance.com/eapi/v1/openInterest underlyingAsset=BTC&expiration=261225",
  ],
  [
    "optionsHistoricalTrades",
    (c) => c.optionsHistoricalTrades({ symbol: "BTC-261225-100000-C", limit: 5 }),
    "GET https://eapi.binance.com/eapi/v1/historicalTrades symbol=BTC-261225-100000-C&limit=5",
  ],
  [
    "optionsStreamGetListenKey",
    (c) => c.optionsStreamGetListenKey(),
    "POST https://eapi.binance.com/eapi/v1/listenKey",
  ],
]);

run("wallet (sapi)", "binance.com", [
  [
    "getSystemStatus (public)",
    (c) => c.getSystemStatus(),
    "GET https://api.binance.com/sapi/v1/system/status",
  ],
  [
    "getAllCoinsInfo",
    (c) => c.getAllCoinsInfo(),
    "GET https://api.binance.com/sapi/v1/capital/config/getall",
  ],
  [
    "getDepositAddress",
    (c) => c.getDepositAddress({ coin: "USDT", network: "TRX" }),
    "GET https://api.binance.com/sapi/v1/capital/deposit/address coin=USDT&network=TRX",
  ],
  [
    "getDepositHistory",
    (c) => c.getDepositHistory({ coin: "BTC", limit: 10 }),
    "GET https://api.binance.com/sapi/v1/capital/deposit/hisrec coin=BTC&limit=10",
  ],
  [
    "getWithdrawHistory",
    (c) => c.getWithdrawHistory({ withdrawOrderId: "w 1" }),
    "GET https://api.binance.com/sapi/v1/capital/withdraw/history withdrawOrderId=w%201",
  ],
  [
    "getAssetDetails",
    (c) => c.getAssetDetails({ asset: "BNB" }),
    "GET https://api.binance.com/sapi/v1/asset/assetDetail asset=BNB",
  ],
  [
    "universalTransfer",
    (c) => c.universalTransfer({ type: "MAIN_UMFUTURE", asset: "USDT", amount: "1" }),
    "POST https://api.binance.com/sapi/v1/asset/transfer type=MAIN_UMFUTURE&asset=USDT&amount=1",
  ],
  [
    "getAccountSnapshot",
    (c) => c.getAccountSnapshot({ type: "SPOT", limit: 7 }),
    "GET https://api.binance.com/sapi/v1/accountSnapshot type=SPOT&limit=7",
  ],
]);

run("Binance.US listenKey", "binance.us", [
  [
    "streamKeepalive",
    (c) => c.streamKeepalive({ listenKey: "abc" }),
    "PUT https://api.binance.us/api/v3/userDataStream listenKey=abc",
  ],
]);

describe("API key on public calls", () => {
  it("MARKET_DATA endpoints carry the key when configured; TR gets it on every call", async () => {
    const { fake, client } = setup("binance.com-futures");
    fake.queue.push(json([]), json({}));
    await client.futuresHistoricalTrades({ symbol: "BTCUSDT", limit: 1 });
    await client.futuresPing();
    assertEquals(fake.sent.map((s) => s.headers.get("X-MBX-APIKEY")), ["key", null]);
    const tr = setup("trbinance.com");
    tr.fake.queue.push(json({}));
    await tr.client.ping();
    assertEquals(tr.fake.sent[0].headers.get("X-MBX-APIKEY"), "key");
    assertEquals(tr.fake.sent[0].url.origin, "https://www.trbinance.com");
  });
});

describe("getSymbolInfo per venue", () => {
  it("reads the venue's own exchangeInfo (options: optionSymbols)", async () => {
    const cases: [string, string, Record<string, unknown>][] = [
      ["binance.com-futures", "/fapi/v1/exchangeInfo", { symbols: [{ symbol: "BTCUSDT", filters: [] }] }],
      ["binance.com-coin_futures", "/dapi/v1/exchangeInfo", {
        symbols: [{ symbol: "BTCUSD_PERP", filters: [] }],
      }],
      ["binance.com-vanilla-options", "/eapi/v1/exchangeInfo", {
        optionSymbols: [{ symbol: "BTC-261225-100000-C", filters: [] }],
      }],
    ];
    for (const [exchange, path, body] of cases) {
      const { fake, client } = setup(exchange);
      fake.queue.push(json(body));
      const symbol = ((body.symbols ?? body.optionSymbols) as { symbol: string }[])[0].symbol;
      assertEquals((await client.getSymbolInfo(symbol))?.symbol, symbol);
      assertEquals(fake.calls[0].url.pathname, path);
    }
  });
});

describe("usage headers", () => {
  it("order counts and sapi weights are read per family", async () => {
    const { fake, client } = setup();
    fake.queue.push(
      json({ orderId: 1 }, 200, {
        "X-MBX-USED-WEIGHT-1M": "3",
        "X-MBX-ORDER-COUNT-10S": "2",
        "X-MBX-ORDER-COUNT-1D": "9",
      }),
    );
    fake.queue.push(
      json({ status: 0, msg: "normal" }, 200, {
        "X-SAPI-USED-IP-WEIGHT-1M": "12",
        "X-SAPI-USED-UID-WEIGHT-1M": "40",
      }),
    );
    await client.createOrder({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: "1" });
    await client.getSystemStatus();
    assertEquals(client.usage.api?.orderCount, { "10S": 2, "1D": 9 });
    assertEquals(client.usage.api?.weight, { "1M": 3 });
    assertEquals(client.usage.sapi?.weight, { "IP-1M": 12, "UID-1M": 40 });
  });
});

describe("helpers on the recorded binance.com exchangeInfo (cryptofeed BINANCE.0)", () => {
  // "URL -> epoch: JSON" per line; the first line is GET /api/v3/exchangeInfo of 2021-10-12
  const line = readSharedText("depth/BINANCE.0").split("\n")[0];
  const body = line.slice(line.indexOf(": ") + 2);

  it("getSymbolInfo caches one exchangeInfo download", async () => {
    const { fake, client } = setup();
    fake.queue.push(json(body));
    const nkn = await client.getSymbolInfo("nknusdt");
    assertEquals(nkn?.symbol, "NKNUSDT");
    assertEquals((await client.getSymbolInfo("BLZETH"))?.quoteAsset, "ETH");
    assertStrictEquals(await client.getSymbolInfo("NOPE"), null);
    assertEquals(fake.calls.length, 1);
    assertEquals(fake.calls[0].url.pathname, "/api/v3/exchangeInfo");
  });

  it("orderLimitSell rounds to the recorded LRCBTC filters; a violation names the filter", async () => {
    const { fake, client } = setup();
    fake.queue.push(json(body));
    const lrc = (await client.getSymbolInfo("LRCBTC"))!;
    const tick = lrc.filters.find((f) => f.filterType === "PRICE_FILTER")!.tickSize;
    const step = lrc.filters.find((f) => f.filterType === "LOT_SIZE")!.stepSize;
    assertEquals([tick, step], ["0.00000001", "1.00000000"]);
    fake.queue.push(json({ orderId: 5 }));
    await client.orderLimitSell({ symbol: "LRCBTC", quantity: 250.9, price: 0.000006371 });
    const sent = new URLSearchParams(fake.calls[1].body);
    assertEquals([sent.get("quantity"), sent.get("price"), sent.get("side")], ["250", "0.00000638", "SELL"]);
    await assertRejects(
      () => client.orderLimitBuy({ symbol: "LRCBTC", quantity: 1, price: "0.0000064" }),
      RangeError,
      "MIN_NOTIONAL",
    );
    await assertRejects(
      () => client.orderLimitBuy({ symbol: "XYZ", quantity: 1, price: 1 }),
      RangeError,
      "Unknown symbol",
    );
    assertEquals(fake.calls.length, 2, "no order was sent for the violations");
    assert(fake.queue.length === 0);
  });
});
