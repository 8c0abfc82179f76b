/**
 * `ubtsl` commands in-process through `runCli`: `--listopenorders` and `--cancelopenorders` (own
 * orders only unless `--all-orders`) against an emulator reached over `--rest-url` with real
 * keys, `--test binance-connectivity` (good keys, a wrong secret, nothing listening),
 * `--test streams` (the embedded emulator, Ctrl-C) and `--checkupdate` against a local fake npm
 * registry.
 */
import { after, before, describe, it } from "node:test";
import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import type { Emulator } from "../../src/testing/mod.ts";
import { BinanceRestClient } from "../../src/rest/client.ts";
import { runCli } from "../../src/trailing/cli.ts";
import { runCheckUpdate } from "../../src/trailing/cli_commands.ts";
import { UBTSL_VERSION } from "../../src/trailing/cli_args.ts";
import { checkUpdate, compareVersions } from "../../src/trailing/cli_update.ts";
import { cancelOpenOrders } from "../../src/trailing/cli_orders.ts";
import { emulator, KEY, SECRET } from "./_emu.ts";

interface Out {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[], signal?: AbortSignal, onOut?: (out: string) => void): Promise<Out> {
  let out = "";
  let err = "";
  const io = {
    out: (t: string) => {
      out += t;
      onOut?.(out);
    },
    err: (t: string) => void (err += t),
    isTty: false,
  };
  const code = await runCli(args, io, signal);
  return { code, out, err };
}

// a config file without keys, so no ubtsl_config.ini of the machine is read
const DIR = mkdtempSync(join(tmpdir(), "ubtsl-cmd-"));
const NO_KEYS = join(DIR, "ubtsl_config.ini");
writeFileSync(NO_KEYS, "[BINANCE]\napi_key =\napi_secret =\n");

let emu: Emulator;
let rest: BinanceRestClient;
let futures: BinanceRestClient;
const keys = () => ["-cf", NO_KEYS, "--rest-url", emu.restUrl, "-ak", KEY, "-as", SECRET];

before(async () => {
  emu = await emulator({ accounts: [{ apiKey: KEY, marginBalances: { USDT: "1000" } }] });
  rest = new BinanceRestClient({ baseUrl: emu.restUrl, apiKey: KEY, apiSecret: SECRET });
  futures = new BinanceRestClient({
    exchange: "binance.com-futures",
    baseUrl: emu.restUrl,
    apiKey: KEY,
    apiSecret: SECRET,
  });
});
after(async () => {
  await emu.close();
});

async function spotOrders(): Promise<string[]> {
  return (await rest.getOpenOrders({ symbol: "BTCUSDT" })).map((o) => o.clientOrderId).sort();
}

describe("ubtsl --listopenorders / --cancelopenorders (spot)", () => {
  it("lists every open order, marks ubtsl's; cancels only ubtsl's, then all with --all-orders", async () => {
    const price = Number((await rest.getSymbolTicker({ symbol: "BTCUSDT" })).price);
    await rest.createOrder({
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_LOSS_LIMIT",
      timeInForce: "GTC",
      quantity: "0.1",
      price: (price * 0.9).toFixed(2),
      stopPrice: (price * 0.91).toFixed(2),
      newClientOrderId: "tsl0a1b2cx1",
    });
    await rest.createOrder({
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.01",
      price: (price * 0.8).toFixed(2),
      newClientOrderId: "web_manual_1",
    });

    const list = await cli(["--listopenorders", "-m", "BTCUSDT", ...keys()]);
    assertEquals(list.code, 0, list.err);
    assertMatch(list.out, /2 open order\(s\) on BTCUSDT/);
    assertMatch(
      list.out,
      /SELL STOP_LOSS_LIMIT 0\.1\d* at [\d.]+ \(trigger [\d.]+\) id \d+ tsl0a1b2cx1 \[ubtsl\]/,
    );
    assertMatch(list.out, /BUY LIMIT 0\.01\d* at [\d.]+ id \d+ web_manual_1\n/);

    const json = await cli(["--listopenorders", "-m", "BTCUSDT", "--json", ...keys()]);
    assertEquals(json.code, 0, json.err);
    const rows = json.out.trim().split("\n").map((l) => JSON.parse(l));
    assertEquals(rows.map((r) => r.clientOrderId).sort(), ["tsl0a1b2cx1", "web_manual_1"]);

    const own = await cli(["--cancelopenorders", "-m", "BTCUSDT", ...keys()]);
    assertEquals(own.code, 0, own.err);
    assertMatch(own.out, /Cancelled SELL STOP_LOSS_LIMIT .* tsl0a1b2cx1 \[ubtsl\]/);
    assertMatch(own.out, /Left 1 open order\(s\) on BTCUSDT that ubtsl did not place \(--all-orders/);
    assertMatch(own.out, / {2}BUY LIMIT .* web_manual_1/);
    assertEquals(await spotOrders(), ["web_manual_1"], "the user's own order is still on the book");

    const none = await cli(["--cancelopenorders", "-m", "BTCUSDT", "--json", ...keys()]);
    assertEquals(none.code, 0, none.err);
    assertEquals(JSON.parse(none.out.trim()).result, "left");

    const all = await cli(["--cancelopenorders", "--all-orders", "-m", "BTCUSDT", ...keys()]);
    assertEquals(all.code, 0, all.err);
    assertMatch(all.out, /Cancelled BUY LIMIT .* web_manual_1/);
    assertEquals(await spotOrders(), []);

    const empty = await cli(["--cancelopenorders", "-m", "BTCUSDT", ...keys()]);
    assertEquals([empty.code, empty.out], [0, "No open ubtsl orders on BTCUSDT to cancel\n"]);
    const emptyList = await cli(["--listopenorders", "-m", "BTCUSDT", ...keys()]);
    assertEquals([emptyList.code, emptyList.out], [0, "No open orders on BTCUSDT (binance.com)\n"]);
  });

  it("USDⓈ-M: the engine's stop is an algo order; it is listed and cancelled, the rest left", async () => {
    const t = await futures.futuresSymbolTicker({ symbol: "BTCUSDT" });
    const mark = Number((Array.isArray(t) ? t[0] : t).price);
    await futures.futuresCreateAlgoOrder({
      symbol: "BTCUSDT",
      side: "SELL",
      type: "STOP_MARKET",
      quantity: "0.010",
      triggerPrice: (mark * 0.9).toFixed(1),
      clientAlgoId: "tslabcdefx1",
    });
    await futures.futuresCreateOrder({
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.010",
      price: (mark * 0.8).toFixed(1),
      newClientOrderId: "other_bot_7",
    });
    const args = ["-e", "binance.com-futures", "-m", "BTCUSDT", ...keys()];
    const list = await cli(["--listopenorders", ...args]);
    assertEquals(list.code, 0, list.err);
    assertMatch(list.out, /SELL STOP_MARKET 0\.010 \(trigger [\d.]+\) id \d+ \(algo\) tslabcdefx1 \[ubtsl\]/);
    assertMatch(list.out, /BUY LIMIT 0\.010 at [\d.]+ id \d+ other_bot_7/);
    const cancel = await cli(["--cancelopenorders", ...args]);
    assertEquals(cancel.code, 0, cancel.err);
    assertEquals((await futures.futuresGetOpenAlgoOrders({ symbol: "BTCUSDT" })).length, 0);
    const left = await futures.futuresGetOpenOrders({ symbol: "BTCUSDT" });
    assertEquals(left.map((o) => o.clientOrderId), ["other_bot_7"]);
    const all = await cli(["--cancelopenorders", "--all-orders", ...args]);
    assertEquals(all.code, 0, all.err);
    assertMatch(all.out, /Cancelled BUY LIMIT .* other_bot_7/);
    assertEquals((await futures.futuresGetOpenOrders({ symbol: "BTCUSDT" })).length, 0);
  });

  it("isolated margin lists and cancels the isolated account's orders only (isIsolated=TRUE)", async () => {
    const margin = (exchange: string) =>
      new BinanceRestClient({ exchange, baseUrl: emu.restUrl, apiKey: KEY, apiSecret: SECRET });
    const iso = margin("binance.com-isolated_margin");
    const cross = margin("binance.com-margin");
    await iso.universalTransfer({
      type: "MARGIN_ISOLATEDMARGIN",
      asset: "USDT",
      amount: "500",
      toSymbol: "BTCUSDT",
    });
    const bid = Number(emu.book("BTCUSDT", { limit: 1 }).bids[0][0]);
    const order = {
      symbol: "BTCUSDT",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: "0.002",
    } as const;
    await iso.createMarginOrder({
      ...order,
      isIsolated: "TRUE",
      price: (bid * 0.9).toFixed(2),
      newClientOrderId: "tsl123456x1",
    });
    await cross.createMarginOrder({
      ...order,
      price: (bid * 0.8).toFixed(2),
      newClientOrderId: "tsl654321x1",
    });
    const args = ["-e", "binance.com-isolated_margin", "-m", "BTCUSDT", ...keys()];
    const list = await cli(["--listopenorders", "--json", ...args]);
    assertEquals(list.code, 0, list.err);
    assertEquals(list.out.trim().split("\n").map((l) => JSON.parse(l).clientOrderId), ["tsl123456x1"]);
    const cancel = await cli(["--cancelopenorders", ...args]);
    assertEquals(cancel.code, 0, cancel.err);
    assertMatch(cancel.out, /^Cancelled BUY LIMIT .* tsl123456x1 \[ubtsl\]\n$/);
    assertEquals(await iso.getOpenMarginOrders({ symbol: "BTCUSDT", isIsolated: "TRUE" }), []);
    const crossLeft = await cross.getOpenMarginOrders({ symbol: "BTCUSDT" });
    assertEquals(
      crossLeft.map((o) => o.clientOrderId),
      ["tsl654321x1"],
      "the cross account's order is untouched",
    );
    const crossCancel = await cli([
      "--cancelopenorders",
      "-e",
      "binance.com-margin",
      "-m",
      "BTCUSDT",
      ...keys(),
    ]);
    assertEquals(crossCancel.code, 0, crossCancel.err);
    assertEquals(await cross.getOpenMarginOrders({ symbol: "BTCUSDT" }), []);
  });

  it("usage: no market, no keys, a venue without these commands → exit 1 naming the flag", async () => {
    const noMarket = await cli(["--listopenorders", ...keys()]);
    assertEquals(noMarket.code, 1);
    assertMatch(noMarket.err, /--market: required for --listopenorders/);
    const noKeys = await cli([
      "--cancelopenorders",
      "-m",
      "BTCUSDT",
      "-cf",
      NO_KEYS,
      "--rest-url",
      emu.restUrl,
    ]);
    assertEquals(noKeys.code, 1);
    assertMatch(noKeys.err, /--apikey: --cancelopenorders needs a Binance API key and secret/);
    const options = await cli([
      "--listopenorders",
      "-m",
      "BTCUSDT",
      "-e",
      "binance.com-vanilla-options",
      ...keys(),
    ]);
    assertEquals(options.code, 1);
    assertMatch(options.err, /--exchange: binance\.com-vanilla-options is not a spot/);
  });

  it("the emulator demo account: --emulator needs no keys", async () => {
    const r = await cli(["--emulator", "--listopenorders", "-m", "BTCUSDT", "-e", "binance.com-margin"]);
    assertEquals([r.code, r.out], [0, "No open orders on BTCUSDT (binance.com-margin)\n"]);
  });
});

describe("ubtsl --test binance-connectivity", () => {
  it("ping, server time and a signed account call; a wrong secret is exit 2", async () => {
    const ok = await cli(["--test", "binance-connectivity", ...keys()]);
    assertEquals(ok.code, 0, ok.err);
    assertMatch(
      ok.out,
      /^REST ping: ok \(\d+ ms\)\nServer time: ok \(\d{4}-\d\d-\d\dT[\d:.]+Z, clock offset [+-]\d+ ms\)\n/,
    );
    assertMatch(ok.out, /Signed call GET \/api\/v3\/account: ok/);
    assertMatch(ok.out, /Connection to Binance API successfully established!/);

    const coin = await cli([
      "--test",
      "binance-connectivity",
      "-e",
      "binance.com-coin_futures",
      "--json",
      ...keys(),
    ]);
    assertEquals(coin.code, 0, coin.err);
    assertEquals(
      coin.out.trim().split("\n").map((l) => JSON.parse(l)).map((x) => [x.check, x.ok]),
      [["REST ping", true], ["Server time", true], ["Signed call GET /dapi/v1/account", true]],
    );

    const bad = await cli([
      "--test",
      "binance-connectivity",
      "-cf",
      NO_KEYS,
      "--rest-url",
      emu.restUrl,
      "-ak",
      KEY,
      "-as",
      "not-the-secret",
    ]);
    assertEquals(bad.code, 2);
    assertMatch(bad.out, /REST ping: ok/);
    assertMatch(bad.err, /Signed call GET \/api\/v3\/account: failed \(.*signature/i);
    assert(!bad.err.includes("not-the-secret"), "the secret is never printed");

    const noKeys = await cli(["--test", "binance-connectivity", "-cf", NO_KEYS, "--rest-url", emu.restUrl]);
    assertEquals(noKeys.code, 1);
    assertMatch(noKeys.err, /skipped: no API key and secret/);
  });

  it("nothing listening: the ping fails, exit 2", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const r = await cli([
      "--test",
      "binance-connectivity",
      "--rest-url",
      `http://127.0.0.1:${port}`,
      ...keys().slice(4),
    ]);
    assertEquals(r.code, 2);
    assertMatch(r.err, /REST ping: failed \(.*127\.0\.0\.1/);
  });
});

describe("ubtsl --test streams", () => {
  it("--emulator: the first five aggTrade events, then the stream closes, exit 0", async () => {
    const r = await cli(["--emulator", "--test", "streams", "-m", "BTCUSDT", "--json"]);
    assertEquals(r.code, 0, r.err);
    const lines = r.out.trim().split("\n").map((l) => JSON.parse(l));
    const events = lines.filter((l) => l.type === "event");
    assertEquals(events.length, 5);
    for (const e of events) {
      assertEquals([e.stream, e.data.e, e.data.s], ["btcusdt@aggTrade", "aggTrade", "BTCUSDT"]);
    }
    assert(lines.some((l) => l.type === "signal" && l.stream === "price" && l.signal === "CONNECT"));
    // with keys (the demo account) the account's user-data stream is opened too, as the engine would
    assert(lines.some((l) => l.type === "signal" && l.stream === "user" && l.signal === "CONNECT"), r.out);
  });

  for (const exchange of ["binance.com-margin", "binance.com-futures"]) {
    it(`--emulator on ${exchange}: price events and the user-data stream connected`, async () => {
      const r = await cli(["--emulator", "--test", "streams", "-e", exchange, "-m", "BTCUSDT"]);
      assertEquals(r.code, 0, r.err + r.out);
      assertMatch(r.out, /User-data stream connected/);
      assertMatch(r.out, /Received 5 event\(s\), user-data stream connected; streams closed/);
    });
  }

  it("Ctrl-C while waiting for events: exit 130; with only --stream-url no user-data stream", async () => {
    // the test emulator is paused: no trade happens until one is driven
    const ac = new AbortController();
    const r = await cli(
      ["--test", "streams", "-m", "BTCUSDT", "--stream-url", emu.wsUrl, ...keys()],
      ac.signal,
      (out) => {
        if (out.includes("Stream connected")) ac.abort();
      },
    );
    assertEquals(r.code, 130, r.err);
    // keys with only --stream-url: the user-data stream is not guessed at the live exchange
    assertMatch(
      r.out,
      /User-data stream not tested: it needs --rest-url and --ws-api-url next to --stream-url/,
    );
    assert(!r.out.includes("User-data stream connected"), r.out);
  });
});

describe("ubtsl --checkupdate (local fake npm registry)", () => {
  async function registry(
    latest: string | null,
  ): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
    const paths: string[] = [];
    const server = http.createServer((req, res) => {
      paths.push(req.url ?? "");
      if (latest === null || req.url !== "/unicorn-binance/latest") {
        res.writeHead(404, { "content-type": "application/json" });
        res.end('{"error":"Not found"}');
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ name: "unicorn-binance", version: latest }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      paths,
      close: () => new Promise<void>((r) => server.close(() => r())),
    };
  }

  it("newer, same and unknown package; --registry and $npm_config_registry", async () => {
    const newer = await registry("99.0.0");
    const same = await registry(UBTSL_VERSION);
    const missing = await registry(null);
    try {
      const a = await cli(["--checkupdate", "--registry", newer.url]);
      assertEquals(a.code, 0, a.err);
      assertEquals(
        a.out,
        `unicorn-binance 99.0.0 is available (this is ${UBTSL_VERSION}): npm install unicorn-binance@99.0.0\n`,
      );
      assertEquals(newer.paths, ["/unicorn-binance/latest"]);
      const b = await cli(["-cu", "--registry", `${same.url}/`, "--json"]);
      assertEquals(b.code, 0, b.err);
      assertEquals(JSON.parse(b.out), {
        registry: same.url,
        current: UBTSL_VERSION,
        latest: UBTSL_VERSION,
        updateAvailable: false,
      });
      const c = await cli(["--checkupdate", "--registry", missing.url]);
      assertEquals(c.code, 2);
      assertMatch(c.err, /unicorn-binance is not on the npm registry http:\/\/127\.0\.0\.1:\d+ \(HTTP 404\)/);
      let out = "";
      const io = { out: (t: string) => void (out += t), err: () => {}, isTty: false };
      assertEquals(await runCheckUpdate({}, io, { npm_config_registry: newer.url }), 0);
      assertMatch(out, /99\.0\.0 is available/);
    } finally {
      await newer.close();
      await same.close();
      await missing.close();
    }
  });

  it("option objects refuse unknown keys, naming them", async () => {
    await assertRejects(
      () => checkUpdate({ current: "0.1.0", regsitry: "http://127.0.0.1:1" } as never),
      TypeError,
      '"regsitry" (did you mean "registry"?)',
    );
    await assertRejects(() => checkUpdate({ current: "latest" }), TypeError, "Invalid current");
    await assertRejects(
      () => cancelOpenOrders(rest, "spot", "BTCUSDT", { everything: true } as never),
      TypeError,
      '"everything"',
    );
  });

  it("compareVersions: semver order with pre-releases", () => {
    const rows: Array<[string, string, number]> = [
      ["0.1.0", "0.1.0", 0],
      ["0.1.0", "0.1.1", -1],
      ["0.10.0", "0.9.0", 1],
      ["1.0.0-rc.1", "1.0.0", -1],
      ["1.0.0-rc.2", "1.0.0-rc.10", -1],
      ["1.0.0-alpha", "1.0.0-alpha.1", -1],
      ["1.0.0-1", "1.0.0-alpha", -1],
      ["1.0.0+build.5", "1.0.0", 0],
    ];
    for (const [a, b, want] of rows) assertEquals(compareVersions(a, b), want, `${a} vs ${b}`);
  });

  it("UBTSL_VERSION is the package version (deno.json)", () => {
    const deno = readFileSync(join(process.cwd(), "deno.json"), "utf8");
    assertEquals(/"version":\s*"([^"]+)"/.exec(deno)?.[1], UBTSL_VERSION);
  });
});
