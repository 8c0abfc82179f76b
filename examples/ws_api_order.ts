/**
 * Orders over the WebSocket API: place a limit order, query it, watch its `executionReport` on
 * the user-data stream, and cancel it — with an HMAC secret or an Ed25519 key (`session.logon`).
 *
 * By default it runs against the local emulator (no network, demo keys). Pass `--live` to use
 * the binance.com spot testnet with `BINANCE_API_KEY` and `BINANCE_API_SECRET` (an HMAC secret or
 * a PEM RSA/Ed25519 private key).
 *
 * ```sh
 * deno run -A examples/ws_api_order.ts            # emulator
 * bun examples/ws_api_order.ts --live             # spot testnet
 * node examples/ws_api_order.ts                   # Node 24 strips the types
 * ```
 *
 * @module
 */
import { argv, env } from "node:process";
import { BinanceApiError, BinanceWebSocketManager } from "../src/ws/mod.ts";
import { startEmulator } from "../src/testing/mod.ts";

const live = argv.includes("--live");
const apiKey = live ? env.BINANCE_API_KEY : "demoKey";
const apiSecret = live ? env.BINANCE_API_SECRET : "demoSecret";
// the emulator verifies signatures like Binance: give it an account with the demo HMAC key
const emulator = live
  ? undefined
  : await startEmulator({ accounts: [{ apiKey: "demoKey", secretKey: "demoSecret" }] });

try {
  await using ws = new BinanceWebSocketManager({
    exchange: live ? "binance.com-testnet" : "binance.com",
    apiKey,
    apiSecret,
    wsApiUrl: emulator?.wsApiUrl,
    outputDefault: "unicornfy",
  });
  console.log(`WebSocket API on ${live ? "the spot testnet" : `the emulator at ${emulator!.wsApiUrl}`}`);

  // user data of the same account: executionReport, outboundAccountPosition, …
  ws.createUserDataStream({
    label: "account",
    // outputDefault "unicornfy": `m.data` is a UnicornfyMessage, narrowed by its eventType
    onData: ({ data: e }) => {
      if (e.eventType === "executionReport") {
        console.log(
          `user data: executionReport ${e.symbol} ${e.side} ${e.orderType} ${e.currentOrderStatus} ` +
            `${e.orderQuantity} @ ${e.orderPrice} (order ${e.orderId}, ${e.clientOrderId})`,
        );
      } else if (e.eventType === "outboundAccountPosition") {
        const balances = e.balances.map((b) => `${b.asset} free ${b.free} locked ${b.locked}`);
        console.log(`user data: outboundAccountPosition ${balances.join(", ")}`);
      } else {
        console.log(`user data: ${e.eventType}`);
      }
    },
  });
  // requests without streamId/label go to the only spot API stream (opened here with the manager's keys)
  ws.createApiStream({ label: "trading" });
  await new Promise((r) => setTimeout(r, 300)); // let the user-data subscription settle

  const book = await ws.api.spot.getOrderBook({ symbol: "BTCUSDT", limit: 5 });
  const bestBid = Number((book.result as { bids: [string, string][] }).bids[0][0]);
  const price = Math.floor(bestBid * 0.9 * 100) / 100; // 10 % below the best bid: it rests on the book

  const placed = await ws.api.spot.createOrder({
    symbol: "BTCUSDT",
    side: "BUY",
    type: "LIMIT",
    timeInForce: "GTC",
    price,
    quantity: 0.001,
  }, { timeoutMs: 5000 });
  const order = placed.result as { orderId: number; clientOrderId: string; status: string };
  console.log(`placed order ${order.orderId} (${order.clientOrderId}) at ${price}: ${order.status}`);

  const status = await ws.api.spot.getOrder({ symbol: "BTCUSDT", orderId: order.orderId });
  console.log(`status: ${(status.result as { status: string }).status}`);

  // every response can also go to a callback of its own
  await ws.api.spot.cancelOrder({ symbol: "BTCUSDT", orderId: order.orderId }, {
    onResponse: (r) =>
      console.log(`cancel response ${r.status}: ${(r.result as { status?: string })?.status}`),
  });

  try {
    await ws.api.spot.getOrder({ symbol: "BTCUSDT", orderId: 1 });
  } catch (e) {
    if (e instanceof BinanceApiError) console.log(`unknown order rejected: code ${e.code}, ${e.message}`);
    else throw e;
  }
  await new Promise((r) => setTimeout(r, 300)); // the last user-data events
} finally {
  await emulator?.close();
}
