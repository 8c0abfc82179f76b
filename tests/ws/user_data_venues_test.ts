/**
 * User data on every venue of the catalog, against the emulator: a walk over all 14 exchange
 * strings (each either delivers its account's events or is one of the venues where Binance
 * offers no user data), and for every listenKey venue — USDⓈ-M (+ testnet), COIN-M, options
 * (+ testnet), portfolio margin, Binance.US, TR — the event flow, keep-alive past the key's
 * validity, a reconnect in the middle and an expiry with a fresh key.
 */
import { describe, it } from "node:test";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { EXCHANGE_NAMES, type ExchangeName, getExchange } from "../../src/core/exchanges.ts";
import { startEmulator } from "../../src/testing/mod.ts";
import { BinanceWebSocketManager } from "../../src/ws/manager.ts";
import type { StreamSignal } from "../../src/ws/signals.ts";
import { until } from "./_stream_server.ts";
import { signedCaller } from "../testing/_sign.ts";
import { ACCOUNTS, eventType, KEY, SECRET, type VenueSetup, venueSetup } from "./_venues.ts";

/** Triggers until an event of the expected type arrives after `from` (subscriptions settle asynchronously). */
async function expectEvent(setup: VenueSetup, frames: string[], from: number, what: string): Promise<void> {
  const end = Date.now() + 15_000;
  while (!frames.slice(from).some((f) => eventType(f) === setup.event)) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${setup.event} (${what})`);
    await setup.trigger();
    const seen = frames.length;
    await until(() => frames.length > seen, 400, "a frame").catch(() => {});
  }
}

describe("user data on every venue of the catalog", () => {
  it("every listed venue delivers its user data from the emulator, or Binance offers none there", async () => {
    await using emu = await startEmulator({ paused: true, intervalMs: 20, accounts: ACCOUNTS });
    const offered: string[] = [];
    const notOffered: string[] = [];
    for (const name of EXCHANGE_NAMES) {
      const setup = venueSetup(name, emu);
      await using ws = new BinanceWebSocketManager({
        ...setup?.options,
        exchange: name,
        backoffBaseMs: 20,
        backoffMaxMs: 100,
      });
      if (setup === undefined) {
        assertEquals(getExchange(name).userData, "none");
        assertThrows(
          () => ws.createUserDataStream({ apiKey: KEY, apiSecret: SECRET }),
          RangeError,
          "Binance does not offer one there",
        );
        notOffered.push(name);
        continue;
      }
      const frames: string[] = [];
      ws.createUserDataStream({
        apiKey: KEY,
        apiSecret: SECRET,
        ...setup.stream,
        output: "raw",
        onData: (m) => void frames.push(m.data),
      });
      await expectEvent(setup, frames, 0, name);
      offered.push(name);
    }
    // the spot testnet has no /sapi, so the margin testnets have no listenToken
    assertEquals(notOffered, ["binance.com-margin-testnet", "binance.com-isolated_margin-testnet"]);
    assertEquals(offered.length, 12);
  });

  it("portfolio margin carries the account's UM, CM and cross-margin events (fs marks the futures ones)", async () => {
    await using emu = await startEmulator({ paused: true, intervalMs: 20, accounts: ACCOUNTS });
    const setup = venueSetup("binance.com-portfolio_margin", emu)!;
    await using ws = new BinanceWebSocketManager({ ...setup.options, backoffBaseMs: 20 });
    const frames: string[] = [];
    ws.createUserDataStream({ apiKey: KEY, output: "raw", onData: (m) => void frames.push(m.data) });
    await expectEvent(setup, frames, 0, "UM order");
    const call = signedCaller(emu.restUrl, KEY, SECRET);
    await call("POST", "/dapi/v1/order", {
      symbol: "BTCUSD_PERP",
      side: "BUY",
      type: "MARKET",
      quantity: "1",
    });
    await call("POST", "/sapi/v1/margin/order", {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      price: "30000",
      quantity: "0.001",
    });
    await until(
      () =>
        frames.some((f) => f.includes('"fs":"CM"')) && frames.some((f) => eventType(f) === "executionReport"),
      10_000,
      "CM and margin events",
    );
    const um = frames.map((f) => JSON.parse(f)).filter((f) => f.e === "ORDER_TRADE_UPDATE" && f.fs === "UM");
    assert(um.length > 0 && um[0].o.s === "BTCUSDT", "UM order update marked fs UM");
  });

  const listenKeyVenues = EXCHANGE_NAMES.filter((n) => getExchange(n).userData === "listen-key");
  for (const name of listenKeyVenues) {
    it(`${name}: events, keep-alive past the key's validity, reconnect, expiry with a new key`, async () => {
      await using emu = await startEmulator({
        paused: true,
        intervalMs: 20,
        accounts: ACCOUNTS,
        limits: { listenKeyValidityMs: 1500 },
      });
      const setup = venueSetup(name as ExchangeName, emu)!;
      let puts = 0;
      const keys = new Set<string>();
      const signals: StreamSignal[] = [];
      await using ws = new BinanceWebSocketManager({
        ...setup.options,
        backoffBaseMs: 20,
        backoffMaxMs: 100,
        listenKeyKeepaliveMs: 150,
        onStreamSignal: (s) => void signals.push(s),
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          const url = String(input instanceof Request ? input.url : input);
          const method = init?.method ?? (input instanceof Request ? input.method : "GET");
          if (/listenKey|userDataStream/.test(url)) {
            if (method === "PUT") puts++;
            if (method === "POST") {
              const body = await res.clone().json().catch(() => ({}));
              if (typeof body.listenKey === "string") keys.add(body.listenKey);
            }
          }
          return res;
        },
      });
      const frames: string[] = [];
      const id = ws.createUserDataStream({
        apiKey: KEY,
        output: "raw",
        onData: (m) => void frames.push(m.data),
      });
      const connects = () => signals.filter((s) => s.streamId === id && s.type === "CONNECT").length;
      await expectEvent(setup, frames, 0, "first");
      // kept alive: past the key's validity the same connection still carries events
      const started = Date.now();
      await until(() => Date.now() - started > 2000 && puts >= 3, 15_000, "keep-alives past the validity");
      let from = frames.length;
      await expectEvent(setup, frames, from, "after the validity");
      assertEquals([connects(), keys.size], [1, 1]);
      // a reconnect in the middle: the same key, a new connection
      emu.inject({ name: "drop" });
      await until(() => connects() === 2, 10_000, "reconnect");
      from = frames.length;
      await expectEvent(setup, frames, from, "after the reconnect");
      // expiry: listenKeyExpired is delivered, then a fresh key
      emu.inject({ name: "listenKeyExpiry", apiKey: KEY });
      await until(() => frames.some((f) => eventType(f) === "listenKeyExpired"), 10_000, "listenKeyExpired");
      await until(() => connects() === 3, 10_000, "connect with a new key");
      from = frames.length;
      await expectEvent(setup, frames, from, "after the expiry");
      assert(keys.size >= 2, "a new listen key after the expiry");
      assertEquals(signals.some((s) => s.type === "STREAM_UNREPAIRABLE"), false);
    });
  }
});
