/**
 * `reconcileOrder` of a margin order whose answer was lost: Binance (the emulator) executed the
 * placement, the connection dropped before the answer arrived. The `OrderStatusUnknownError`
 * carries the `isIsolated` the order was sent with, so the lookup asks the isolated account and
 * finds it (before the fix it asked the cross account and answered `null`).
 */
import { after, before, describe, it } from "node:test";
import { assertEquals, assertRejects } from "@std/assert";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { OrderStatusUnknownError } from "../../src/rest/errors.ts";
import type { Order } from "../../src/rest/mod.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";

const KEY = "isoKey";
const SECRET = "iso-secret";

let emu: Emulator;
let lossy = false;

// the real emulator behind a connection that drops the answer of a margin placement
const dropAnswer: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (lossy && (init?.method ?? "GET") === "POST" && url.pathname === "/sapi/v1/margin/order") {
    const res = await fetch(input, init);
    await res.text(); // the exchange has answered: the order exists
    throw new TypeError("fetch failed: connection reset by peer");
  }
  return fetch(input, init);
};

function client(exchange: string): BinanceRestClient {
  return new BinanceRestClient({
    exchange,
    baseUrl: emu.restUrl,
    apiKey: KEY,
    apiSecret: SECRET,
    fetch: dropAnswer,
  });
}

before(async () => {
  emu = await startEmulator({
    paused: true,
    accounts: [{ apiKey: KEY, secretKey: SECRET, marginBalances: { USDT: "1000" } }],
  });
  await client("binance.com-isolated_margin").universalTransfer({
    type: "MARGIN_ISOLATEDMARGIN",
    asset: "USDT",
    amount: "500",
    toSymbol: "BTCUSDT",
  });
});
after(async () => {
  await emu.close();
});

describe("reconcileOrder after a lost answer (margin)", () => {
  for (const isolated of [true, false]) {
    it(`${isolated ? "isolated" : "cross"}: the error keeps isIsolated and the order is found`, async () => {
      const c = client(isolated ? "binance.com-isolated_margin" : "binance.com-margin");
      const bid = Number(emu.book("BTCUSDT", { limit: 1 }).bids[0][0]);
      lossy = true;
      let err: OrderStatusUnknownError;
      try {
        err = await assertRejects(
          () =>
            c.createMarginOrder({
              symbol: "BTCUSDT",
              ...(isolated ? { isIsolated: "TRUE" as const } : {}),
              side: "BUY",
              type: "LIMIT",
              timeInForce: "GTC",
              quantity: "0.002",
              price: (bid * 0.9).toFixed(2),
            }),
          OrderStatusUnknownError,
          "connection reset",
        );
      } finally {
        lossy = false;
      }
      assertEquals(err.isIsolated, isolated ? "TRUE" : undefined);
      const found = await c.reconcileOrder(err) as Order | null;
      assertEquals([found?.clientOrderId, found?.status], [err.newClientOrderId, "NEW"]);
      await c.cancelMarginOrder({
        symbol: "BTCUSDT",
        origClientOrderId: err.newClientOrderId,
        ...(isolated ? { isIsolated: "TRUE" as const } : {}),
      });
    });
  }
});
