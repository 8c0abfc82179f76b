/**
 * Reproduces the URL / parameter-order vectors of ccxt's and binance-api-node's static request
 * tests (`../shared/data/peers/`) that apply to Binance's API: for each vector the client is
 * called with the same Binance parameters in the same order, and the test checks method, host,
 * path, where the parameters went, their order and their encoding.
 *
 * Parameter order is the caller's (the client never reorders), so a vector pins that the client
 * keeps it and adds nothing but `recvWindow`, `timestamp` and `signature` (which the upstream
 * harnesses skip too).
 */
import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { readSharedJson } from "../_data.ts";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { FakeFetch, json, ManualClock, type Sent } from "./_fake.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const CCXT: Json = readSharedJson("peers/ccxt_binance_static_request_vectors.json");
const BAN: Json = readSharedJson("peers/binance_api_node_static_url_vectors.json");
const SKIP = new Set(["signature", "timestamp", "recvWindow"]);

type Call = (c: BinanceRestClient, p: Json) => Promise<unknown>;

/** "METHOD /path" → how the client makes the same Binance request. */
const byPath: Record<string, Call> = {
  "POST /api/v3/order": (c, p) => c.createOrder(p),
  "POST /api/v3/order/test": (c, p) => c.createTestOrder(p),
  "POST /fapi/v1/order": (c, p) => c.futuresCreateOrder(p),
  "POST /sapi/v1/margin/order": (c, p) => c.createMarginOrder(p),
  "POST /fapi/v1/algoOrder": (c, p) => c.futuresCreateAlgoOrder(p),
  "POST /fapi/v1/batchOrders": (c, p) => c.futuresPlaceBatchOrder({ batchOrders: JSON.parse(p.batchOrders) }),
  "POST /api/v3/order/cancelReplace": (c, p) => c.cancelReplaceOrder(p),
  "PUT /fapi/v1/order": (c, p) => c.futuresModifyOrder(p),
  "DELETE /api/v3/order": (c, p) => c.cancelOrder(p),
  "DELETE /fapi/v1/order": (c, p) => c.futuresCancelOrder(p),
  "DELETE /fapi/v1/batchOrders": (c, p) => c.futuresCancelOrders(p),
  "DELETE /api/v3/openOrders": (c, p) => c.cancelAllOpenOrders(p),
  "DELETE /fapi/v1/allOpenOrders": (c, p) => c.futuresCancelAllOpenOrders(p),
  "GET /api/v3/account": (c, p) => c.getAccount(p),
  "GET /api/v3/myTrades": (c, p) => c.getMyTrades(p),
  "GET /fapi/v1/userTrades": (c, p) => c.futuresAccountTrades(p),
  "GET /api/v3/allOrders": (c, p) => c.getAllOrders(p),
  "GET /api/v3/order": (c, p) => c.getOrder(p),
  "GET /fapi/v1/order": (c, p) => c.futuresGetOrder(p),
  "GET /api/v3/openOrders": (c, p) => c.getOpenOrders(p),
  "GET /fapi/v1/openOrders": (c, p) => c.futuresGetOpenOrders(p),
  "GET /api/v3/ticker/24hr": (c, p) => c.getTicker(p),
  "GET /api/v3/ticker": (c, p) => c.getRollingWindowTicker(p),
  "GET /fapi/v1/ticker/24hr": (c, p) => c.futuresTicker(p),
  "GET /api/v3/ticker/bookTicker": (c, p) => c.getOrderbookTicker(p),
  "GET /fapi/v1/ticker/bookTicker": (c, p) => c.futuresOrderbookTicker(p),
  "GET /api/v3/ticker/price": (c) => c.getAllTickers(),
  "GET /api/v3/klines": (c, p) => c.getKlines(p),
  "GET /fapi/v1/klines": (c, p) => c.futuresKlines(p),
  "GET /fapi/v1/markPriceKlines": (c, p) => c.futuresMarkPriceKlines(p),
  "GET /api/v3/aggTrades": (c, p) => c.getAggregateTrades(p),
  "GET /fapi/v1/aggTrades": (c, p) => c.futuresAggregateTrades(p),
  "GET /api/v3/depth": (c, p) => c.getOrderBook(p),
  "GET /fapi/v1/depth": (c, p) => c.futuresOrderBook(p),
  "GET /dapi/v1/depth": (c, p) => c.futuresCoinOrderBook(p),
  "GET /fapi/v1/rpiDepth": (c, p) => c.futuresRpiDepth(p),
  "GET /api/v3/time": (c) => c.getServerTime(),
  "POST /fapi/v1/leverage": (c, p) => c.futuresChangeLeverage(p),
  "POST /fapi/v1/marginType": (c, p) => c.futuresChangeMarginType(p),
  "POST /fapi/v1/positionSide/dual": (c, p) => c.futuresChangePositionMode(p),
  "POST /sapi/v1/asset/transfer": (c, p) => c.universalTransfer(p),
  "POST /sapi/v1/capital/withdraw/apply": (c, p) => c.withdraw(p),
};
// Same Binance endpoint family, another version chosen by ccxt: the client uses the Python
// suite's (and binance-api-node's) version, so these two do not apply.
const NOT_APPLICABLE: Record<string, string> = {
  "ccxt-binance-req-038":
    "ccxt reads /fapi/v3/account; the client's futuresAccount is /fapi/v2/account (as UBRA)",
  "ccxt-binance-req-056":
    "ccxt reads /fapi/v2/ticker/price; the client uses /fapi/v1/ticker/price (binance-api-node vector)",
};

function sentParams(req: Sent): { where: "query" | "body"; raw: [string, string][] } {
  const text = req.body !== "" ? req.body : req.url.search.slice(1);
  const raw = text === "" ? [] : text.split("&").map((kv) => kv.split("=") as [string, string]);
  return { where: req.body !== "" ? "body" : "query", raw };
}

function setup(host: string) {
  const clock = new ManualClock();
  const fake = new FakeFetch(clock);
  const origin = `https://${host}`;
  const client = new BinanceRestClient({
    apiKey: "key",
    apiSecret: "secret",
    fetch: fake.fetch,
    clock,
    // demo hosts are not venues of the catalog; per-family origins cover them
    baseUrls: { api: origin, sapi: origin, fapi: origin, dapi: origin },
  });
  return { fake, client };
}

describe("ccxt static request vectors", () => {
  let reproduced = 0;
  for (const v of CCXT.vectors) {
    const e = v.expected;
    const key = `${e.http_method_inferred} ${e.path}`;
    if (NOT_APPLICABLE[v.id]) {
      it(`${v.id} not applicable: ${NOT_APPLICABLE[v.id]}`, () => assert(!(key in byPath), key));
      continue;
    }
    it(`${v.id} ${v.description}`, async () => {
      const call = byPath[key];
      assert(call, `no mapping for ${key}`);
      const where = e.body_raw !== null ? "body" : "query";
      const decoded: [string, string][] = (where === "body" ? e.body_params_decoded : e.query_params_decoded)
        .filter(([k]: [string, string]) => !SKIP.has(k));
      const rawExpected: [string, string][] =
        (where === "body" ? e.body_params_raw_ordered : e.query_params_raw_ordered)
          .filter(([k]: [string, string]) => !SKIP.has(k));
      const params = Object.fromEntries(decoded);
      if (key === "DELETE /fapi/v1/batchOrders") {
        for (const k of ["orderidlist", "origclientorderidlist"]) {
          if (params[k]) params[k] = JSON.parse(params[k]);
        }
      }
      const { fake, client } = setup(e.host);
      fake.queue.push(json({}));
      await call(client, params);
      const req = fake.sent[fake.sent.length - 1];
      assertEquals(
        `${req.method} ${req.url.host}${req.url.pathname}`,
        `${e.http_method_inferred} ${e.host}${e.path}`,
      );
      const got = sentParams(req);
      if (decoded.length > 0) assertEquals(got.where, where);
      // algo orders: the client adds Binance's clientAlgoId (ccxt sends newClientOrderId, which the
      // algo endpoint does not document) so the order can be reconciled
      const extra = key === "POST /fapi/v1/algoOrder" ? "clientAlgoId" : "";
      const gotDecoded = got.raw.filter(([k]) => !SKIP.has(k) && k !== extra).map((
        [k, val],
      ) => [k, decodeURIComponent(val)]);
      assertEquals(gotDecoded, decoded);
      if (where === "query") {
        // ccxt's query strings are fully percent-encoded: byte-identical to ours
        assertEquals(got.raw.filter(([k]) => !SKIP.has(k)), rawExpected);
      }
      const signed = `${e.body_raw ?? ""}&${e.query_raw ?? ""}`.includes("signature=");
      assertEquals(got.raw.some(([k]) => k === "signature"), signed, "signed");
      reproduced++;
    });
  }
  it("reproduces all applicable vectors", () => {
    assertEquals(reproduced, CCXT.vectors.length - Object.keys(NOT_APPLICABLE).length);
  });
});

/** binance-api-node library method → our call. */
const BAN_CALLS: Record<string, Call> = {
  time: (c) => c.getServerTime(),
  futuresTime: (c) => c.futuresTime(),
  prices: (c) => c.getAllTickers(),
  futuresPrices: (c) => c.futuresSymbolTicker(),
  book: (c, p) => c.getOrderBook(p),
  futuresBook: (c, p) => c.futuresOrderBook(p),
  candles: (c, p) => c.getKlines({ interval: "5m", ...p }),
  futuresCandles: (c, p) => c.futuresKlines({ interval: p.interval, symbol: p.symbol }),
  trades: (c, p) => c.getRecentTrades(p),
  aggTrades: (c, p) => c.getAggregateTrades(p),
  futuresTrades: (c, p) => c.futuresRecentTrades(p),
  futuresAggTrades: (c, p) => c.futuresAggregateTrades(p),
  futuresPositionRisk: (c) => c.futuresPositionInformation(),
  cancelOrder: (c, p) => c.cancelOrder(p),
  futuresCancelOrder: (c, p) => c.futuresCancelOrder(p),
  order: (c, p) => c.createOrder(p),
  futuresOrder: (c, p) => c.futuresCreateOrder(p),
  futuresUpdateOrder: (c, p) => c.futuresModifyOrder(p),
  orderTest: (c, p) => c.createTestOrder(p),
  // binance-api-node defaults cancelReplaceMode to STOP_ON_FAILURE; the client wants it explicit
  updateOrder: (c, p) => c.cancelReplaceOrder({ ...p, cancelReplaceMode: "STOP_ON_FAILURE" }),
  openOrders: (c, p) => c.getOpenOrders(p),
  marginOpenOrders: (c, p) => c.getOpenMarginOrders(p),
  marginOrder: (c, p) => c.createMarginOrder(p),
  deliveryBook: (c, p) => c.futuresCoinOrderBook(p),
  futuresLeverage: (c, p) => c.futuresChangeLeverage(p),
  deliveryOrder: (c, p) => c.futuresCoinCreateOrder(p),
  futuresCreateAlgoOrder: (c, p) => c.futuresCreateAlgoOrder(p),
  futuresGetAlgoOrder: (c, p) => c.futuresGetAlgoOrder(p),
  futuresGetOpenAlgoOrders: (c, p) => c.futuresGetOpenAlgoOrders(p),
  futuresGetAllAlgoOrders: (c, p) => c.futuresGetAllAlgoOrders(p),
  // `conditional: true` is a binance-api-node switch to the algo endpoints; here they are methods
  futuresGetOrder: (c, p) => c.futuresGetAlgoOrder({ symbol: p.symbol, algoId: p.algoId }),
  futuresOpenOrders: (c, p) => c.futuresGetOpenAlgoOrders({ symbol: p.symbol }),
  futuresAllOrders: (c, p) => c.futuresGetAllAlgoOrders({ symbol: p.symbol }),
  futuresRpiDepth: (c, p) => c.futuresRpiDepth(p),
  futuresSymbolAdlRisk: (c, p) => c.futuresSymbolAdlRisk(p ?? undefined),
  futuresCommissionRate: (c, p) => c.futuresCommissionRate(p),
};

describe("binance-api-node static URL vectors", () => {
  for (const v of BAN.vectors) {
    it(v.test, async () => {
      const demo = v.client.includes("demo");
      const clock = new ManualClock();
      const fake = new FakeFetch(clock);
      const client = new BinanceRestClient({
        apiKey: "key",
        apiSecret: "secret",
        fetch: fake.fetch,
        clock,
        ...(demo
          ? { baseUrls: { api: "https://demo-api.binance.com", fapi: "https://demo-fapi.binance.com" } }
          : {}),
      });
      fake.queue.push(json({}));
      const call = BAN_CALLS[v.library_method];
      assert(call, v.library_method);
      await call(client, v.params ? { ...v.params } : undefined);
      const req = demo || !v.test.includes("Time") ? fake.sent[fake.sent.length - 1] : fake.sent[0];
      const url = req.url.href;
      const all = new URLSearchParams(req.body !== "" ? req.body : req.url.search.slice(1));
      if (v.expected_url_exact) assertEquals(url, v.expected_url_exact);
      if (v.expected_url_prefix) {
        const [path, query] = v.expected_url_prefix.split("?");
        assert(url.startsWith(path), `${url} does not start with ${path}`);
        if (query) {
          // binance-api-node sends POST parameters in the query; this client sends them as the form
          // body (Binance accepts both) — same parameters, same order
          const want = [...new URLSearchParams(query)];
          assertEquals([...all].filter(([k]) => want.some(([w]) => w === k)), want);
        }
      }
      for (const [k, val] of Object.entries(v.expected_params_subset ?? {})) {
        assertEquals(all.get(k), String(val), k);
      }
    });
  }
});
