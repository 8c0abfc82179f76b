/**
 * Malformed input on the COIN-M, futures-settings, margin, transfer, wallet and options routes:
 * every answer is a Binance-style `{code, msg}` with a 4xx status, never a 500 or a crash.
 * Seeded, so a failure reproduces.
 */
import { after, before, describe, it } from "node:test";
import { assert } from "@std/assert";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";
import { signedCaller } from "./_sign.ts";

const SIGNED: Array<[string, string]> = [
  ["POST", "/dapi/v1/order"],
  ["GET", "/dapi/v1/order"],
  ["DELETE", "/dapi/v1/order"],
  ["GET", "/dapi/v1/allOrders"],
  ["GET", "/dapi/v1/userTrades"],
  ["GET", "/dapi/v1/positionRisk"],
  ["GET", "/dapi/v1/income"],
  ["POST", "/dapi/v1/leverage"],
  ["POST", "/fapi/v1/leverage"],
  ["POST", "/fapi/v1/marginType"],
  ["POST", "/dapi/v1/positionSide/dual"],
  ["GET", "/fapi/v2/positionRisk"],
  ["POST", "/sapi/v1/margin/borrow-repay"],
  ["GET", "/sapi/v1/margin/borrow-repay"],
  ["GET", "/sapi/v1/margin/maxBorrowable"],
  ["POST", "/sapi/v1/margin/order"],
  ["GET", "/sapi/v1/margin/order"],
  ["DELETE", "/sapi/v1/margin/order"],
  ["GET", "/sapi/v1/margin/openOrders"],
  ["DELETE", "/sapi/v1/margin/openOrders"],
  ["GET", "/sapi/v1/margin/allOrders"],
  ["GET", "/sapi/v1/margin/myTrades"],
  ["GET", "/sapi/v1/margin/isolated/account"],
  ["POST", "/sapi/v1/asset/transfer"],
  ["GET", "/sapi/v1/asset/transfer"],
  ["GET", "/sapi/v1/capital/deposit/address"],
  ["GET", "/sapi/v1/capital/deposit/hisrec"],
  ["GET", "/sapi/v1/capital/withdraw/history"],
  ["POST", "/sapi/v1/capital/withdraw/apply"],
  ["GET", "/sapi/v1/asset/assetDetail"],
  ["GET", "/sapi/v1/asset/tradeFee"],
  ["GET", "/sapi/v1/accountSnapshot"],
  ["POST", "/sapi/v1/userListenToken"],
];
const PUBLIC = [
  "/dapi/v1/depth",
  "/dapi/v1/klines",
  "/dapi/v1/ticker/24hr",
  "/dapi/v1/premiumIndex",
  "/dapi/v1/fundingRate",
  "/dapi/v1/openInterest",
  "/fapi/v1/fundingRate",
  "/eapi/v1/depth",
  "/eapi/v1/klines",
  "/eapi/v1/mark",
  "/eapi/v1/ticker",
  "/eapi/v1/index",
  "/eapi/v1/trades",
  "/api/v3/uiKlines",
];
const NAMES = [
  "symbol",
  "pair",
  "side",
  "type",
  "quantity",
  "price",
  "timeInForce",
  "positionSide",
  "reduceOnly",
  "leverage",
  "marginType",
  "dualSidePosition",
  "asset",
  "amount",
  "isIsolated",
  "sideEffectType",
  "orderId",
  "origClientOrderId",
  "fromSymbol",
  "toSymbol",
  "coin",
  "network",
  "address",
  "limit",
  "startTime",
  "endTime",
  "interval",
  "underlying",
  "size",
  "current",
];
const VALUES = [
  "",
  "BTCUSD_PERP",
  "BTCUSDT",
  "ETHUSDT",
  "BUY",
  "SELL",
  "LIMIT",
  "MARKET",
  "GTC",
  "1",
  "0",
  "-1",
  "1e5",
  "0.001",
  "99999999999999999999999",
  "abc",
  "TRUE",
  "true",
  "LONG",
  "MAIN_MARGIN",
  "MARGIN_ISOLATEDMARGIN",
  "ISOLATED",
  "MARGIN_BUY",
  "USDT",
  "BTC",
  "TRX",
  "1m",
  "NaN",
  "[]",
  "BTC-000101-1-C",
];

describe("new routes never crash on malformed input", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      seed: 2,
      paused: true,
      accounts: [{ apiKey: "zk", secretKey: "zs" }],
      limits: {
        requestWeight: 1e9,
        futuresRequestWeight: 1e9,
        sapiRequestWeight: 1e8,
        optionsRequestWeight: 1e9,
      },
    });
    emu.step(5);
  });
  after(() => emu.close());

  it("1000 rounds of random parameters", async () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const call = signedCaller(emu.restUrl, "zk", "zs");
    for (let round = 0; round < 1000; round++) {
      const params: Record<string, string> = {};
      for (let i = rand(6); i >= 0; i--) params[NAMES[rand(NAMES.length)]] = VALUES[rand(VALUES.length)];
      let status: number;
      let body: { code?: number; msg?: string } | unknown[];
      if (rand(3) === 0) {
        const path = PUBLIC[rand(PUBLIC.length)];
        const res = await fetch(`${emu.restUrl}${path}?${new URLSearchParams(params)}`);
        status = res.status;
        body = await res.json();
      } else {
        const [method, path] = SIGNED[rand(SIGNED.length)];
        ({ status, body } = await call(method, path, params));
      }
      const what = `round ${round}: ${JSON.stringify(params)} → ${status} ${
        JSON.stringify(body).slice(0, 200)
      }`;
      assert(status !== 500, what);
      if (status >= 400) {
        const b = body as { code?: number; msg?: string };
        assert(typeof b.code === "number" && b.code < 0 && typeof b.msg === "string", what);
      }
    }
  });
});
