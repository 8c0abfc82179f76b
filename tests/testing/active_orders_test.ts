// The emulator engines' set of orders not final yet (src/testing/emulator/active_orders.ts): what
// the per-step scans walk instead of every order ever placed.
import { describe, it } from "node:test";
import { assertEquals } from "@std/assert";
import { ActiveOrders } from "../../src/testing/emulator/active_orders.ts";
import { startEmulator } from "../../src/testing/mod.ts";
import { signedCaller } from "./_sign.ts";

const KEY = "activeKey1";
const SECRET = "activeSecret1";

interface O {
  id: number;
  status: string;
}

describe("emulator: orders not final yet", () => {
  it("lists open orders in placement order and drops final ones for good", () => {
    const set = new ActiveOrders<O>((o) => o.status === "FILLED" || o.status === "CANCELED");
    const orders = [1, 2, 3, 4].map((id) => ({ id, status: "NEW" }));
    for (const o of orders) set.add(o);
    assertEquals(set.list().map((o) => o.id), [1, 2, 3, 4]);
    orders[1].status = "FILLED";
    orders[3].status = "CANCELED";
    orders[2].status = "PARTIALLY_FILLED";
    assertEquals(set.list().map((o) => o.id), [1, 3]);
    // a copy: changing it changes nothing inside
    set.list().length = 0;
    assertEquals(set.list().map((o) => o.id), [1, 3]);
  });

  it("open orders stay right through a long history of placed and cancelled orders", async () => {
    await using emu = await startEmulator({
      paused: true,
      accounts: [{ apiKey: KEY, secretKey: SECRET, balances: { USDT: "100000" } }],
    });
    const call = signedCaller(emu.restUrl, KEY, SECRET);
    const place = async (price: string) => {
      const r = await call("POST", "/api/v3/order", {
        symbol: "BTCUSDT",
        side: "BUY",
        type: "LIMIT",
        timeInForce: "GTC",
        price,
        quantity: "0.001",
      });
      assertEquals(r.status, 200, JSON.stringify(r.body));
      return r.body.orderId as number;
    };
    for (let i = 0; i < 200; i++) {
      const orderId = await place("30000");
      const c = await call("DELETE", "/api/v3/order", { symbol: "BTCUSDT", orderId: String(orderId) });
      assertEquals(c.status, 200, JSON.stringify(c.body));
    }
    const kept = await place("30001");
    const open = await call("GET", "/api/v3/openOrders", { symbol: "BTCUSDT" });
    assertEquals((open.body as { orderId: number }[]).map((o) => o.orderId), [kept]);
  });
});
