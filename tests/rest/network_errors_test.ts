// A network failure names the origin the client tried (never the path or query string) and keeps
// the runtime's error as `cause`: a real fetch to a closed loopback port.
import { describe, it } from "node:test";
import { assert, assertEquals, assertRejects } from "@std/assert";
import { BinanceError } from "../../src/core/errors.ts";
import { BinanceRestClient, OrderStatusUnknownError } from "../../src/rest/mod.ts";
import { closedPort } from "../_net.ts";

describe("network errors name the origin", () => {
  it("connection refused on a closed port: origin, endpoint and reason; cause kept; no query", async () => {
    const port = await closedPort();
    const client = new BinanceRestClient({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
    const err = await assertRejects(
      () => client.getKlines({ symbol: "BTCUSDT", interval: "1m", limit: 3 }),
      BinanceError,
    );
    assertEquals(
      err.message,
      `Cannot reach http://127.0.0.1:${port}: connection refused (GET /api/v3/klines)`,
    );
    assert(err.cause !== undefined, "cause kept");
    assert(!err.message.includes("symbol="), err.message);
  });

  it("an order to a closed port: status unknown, with the origin, no signature anywhere", async () => {
    const port = await closedPort();
    const client = new BinanceRestClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: "k",
      apiSecret: "s3cr3t-value",
      // the time sync would fail first: answer it, refuse the order
      fetch: (input, init) =>
        String(input).includes("/api/v3/time")
          ? Promise.resolve(new Response(JSON.stringify({ serverTime: Date.now() })))
          : fetch(input, init),
    });
    const err = await assertRejects(
      () => client.createOrder({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 1 }),
      OrderStatusUnknownError,
    );
    assertEquals(
      err.message,
      `Order status unknown after POST /api/v3/order: cannot reach http://127.0.0.1:${port}: connection refused`,
    );
    const chain: string[] = [];
    for (let e: unknown = err; e instanceof Error; e = e.cause) chain.push(e.message);
    assert(!chain.join("|").includes("signature="), chain.join("|"));
    assert(!chain.join("|").includes("s3cr3t"), chain.join("|"));
  });

  it("a timeout names the origin and the time waited", async () => {
    const client = new BinanceRestClient({
      baseUrl: "http://127.0.0.1:1",
      maxRetries: 0,
      timeoutMs: 50,
      fetch: (_input, init) =>
        new Promise((_, reject) =>
          init?.signal?.addEventListener("abort", () => reject(init.signal!.reason))
        ),
    });
    await assertRejects(
      () => client.ping(),
      BinanceError,
      "No answer from http://127.0.0.1:1 within 50 ms: timed out (GET /api/v3/ping)",
    );
  });
});
