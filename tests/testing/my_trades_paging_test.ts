/**
 * `GET /api/v3/myTrades` pages forward from `fromId` (Binance: trades with id >= fromId, oldest
 * first); without it the most recent `limit` trades come back. A client that pages through a long
 * fill history must see every trade once and reach the end.
 */
import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { startEmulator } from "../../src/testing/mod.ts";
import { signedCaller } from "./_sign.ts";

const KEY = "pageKey";
const SECRET = "pageSecret";

describe("myTrades paging", () => {
  it("fromId pages forward through every trade once; without it the most recent come back", async () => {
    await using emu = await startEmulator({
      seed: 3,
      paused: true,
      accounts: [{ apiKey: KEY, secretKey: SECRET, balances: { USDT: "0", BTC: "5" } }],
    });
    const call = signedCaller(emu.restUrl, KEY, SECRET);
    for (let i = 0; i < 7; i++) {
      const r = await call("POST", "/api/v3/order", {
        symbol: "BTCUSDT",
        side: "SELL",
        type: "MARKET",
        quantity: "0.3",
      });
      assertEquals(r.status, 200, JSON.stringify(r.body));
    }
    const all = (await call("GET", "/api/v3/myTrades", { symbol: "BTCUSDT", limit: "1000" })).body as {
      id: number;
    }[];
    assert(all.length >= 7, `${all.length} trades`);
    const ids = all.map((t) => t.id);
    const seen: number[] = [];
    for (let fromId = 0, pages = 0;; pages++) {
      assert(pages <= all.length, "paging ends");
      const page =
        (await call("GET", "/api/v3/myTrades", { symbol: "BTCUSDT", limit: "3", fromId: String(fromId) }))
          .body as { id: number }[];
      assert(page.every((t) => t.id >= fromId), "ids from fromId on");
      seen.push(...page.map((t) => t.id));
      if (page.length < 3) break;
      fromId = page.at(-1)!.id + 1;
    }
    assertEquals(seen, ids, "every trade once, ascending");
    const recent = (await call("GET", "/api/v3/myTrades", { symbol: "BTCUSDT", limit: "2" })).body as {
      id: number;
    }[];
    assertEquals(recent.map((t) => t.id), ids.slice(-2));
  });
});
