/**
 * The pure protocol rules as tables: account groups, key tokens, the records' schemas (what they
 * accept and refuse), UBDCC's loose parameter values and the read hot path agreeing with the
 * schema, the envelope's sorted keys, and per-node sealing (a box opens only for its node).
 */
import { describe, it } from "node:test";
import { assert, assertEquals, assertRejects } from "@std/assert";
import { sortedJson, UbdccError, ubdccFail, ubdccOk } from "../../src/cluster/_envelope.ts";
import { absent, fastReadParams, num, parseFields } from "../../src/cluster/_params.ts";
import {
  accountGroupOf,
  apiKeyPreview,
  ClusterConfigSchema,
  CreateParamsSchema,
  dcId,
  DEPTH_EXCHANGES,
  DesiredDepthCacheSchema,
  exchangeToken,
  NodeReadResponseSchema,
  ReadParamsSchema,
  ReplicaReportSchema,
} from "../../src/cluster/protocol.ts";
import { NodeKeys, seal } from "../../src/cluster/sealing.ts";

describe("protocol tables", () => {
  it("account groups of every depth exchange (UBDCC EXCHANGE_TO_ACCOUNT_GROUP)", () => {
    const table: [string, string][] = [
      ["binance.com", "binance.com"],
      ["binance.com-margin", "binance.com"],
      ["binance.com-isolated_margin", "binance.com"],
      ["binance.com-futures", "binance.com"],
      ["binance.com-coin_futures", "binance.com"],
      ["binance.com-testnet", "binance.com-testnet"],
      ["binance.com-margin-testnet", "binance.com-testnet"],
      ["binance.com-futures-testnet", "binance.com-futures-testnet"],
      ["binance.us", "binance.us"],
      ["trbinance.com", "binance.tr"],
    ];
    for (const [ex, group] of table) assertEquals(accountGroupOf(ex), group, ex);
    assert(
      !DEPTH_EXCHANGES.includes("binance.com-portfolio_margin" as never),
      "no market data on portfolio margin",
    );
    assert(DEPTH_EXCHANGES.includes("binance.com-coin_futures"));
  });

  it("key tokens: reversible, distinct per exchange, valid NATS tokens", () => {
    const tokens = DEPTH_EXCHANGES.map(exchangeToken);
    assertEquals(new Set(tokens).size, tokens.length);
    for (const [i, t] of tokens.entries()) {
      assert(/^[A-Za-z0-9_=-]+$/.test(t), t);
      assertEquals(t.replaceAll("=", "."), DEPTH_EXCHANGES[i]);
    }
    assertEquals(dcId("binance.com-futures", "BTCUSDT"), "binance=com-futures.BTCUSDT");
    assertEquals(apiKeyPreview("0123456789"), "0123*89");
  });

  it("record schemas accept what the roles write and refuse the rest", () => {
    const dc = {
      exchange: "binance.com",
      market: "BTCUSDT",
      desiredQuantity: 2,
      updateInterval: null,
      refreshInterval: 60,
      createdAt: 1,
    };
    assert(DesiredDepthCacheSchema.safeParse(dc).success);
    const bad: Record<string, unknown>[] = [
      { ...dc, exchange: "binance.xyz" },
      { ...dc, exchange: "binance.com-portfolio_margin" },
      { ...dc, market: "btc/usdt" },
      { ...dc, desiredQuantity: 0 },
      { ...dc, desiredQuantity: 17 },
      { ...dc, updateInterval: 0 },
      { ...dc, extra: 1 },
    ];
    for (const b of bad) assert(!DesiredDepthCacheSchema.safeParse(b).success, JSON.stringify(b));
    const rep = {
      exchange: "binance.com",
      market: "BTCUSDT",
      nodeId: "n1",
      state: "OUT_OF_SYNC",
      lastUpdateId: 5,
      lastEventTime: 1,
      receiveLagMs: 2,
      resyncs: 1,
      reportedAt: 3,
    };
    assert(ReplicaReportSchema.safeParse(rep).success);
    assert(
      !ReplicaReportSchema.safeParse({ ...rep, state: "RESYNCING" }).success,
      "the manager's state is mapped",
    );
    assert(!ClusterConfigSchema.safeParse({ heartbeatMs: 1, nodeTimeoutMs: 6000, reportMs: 3000 }).success);
    assert(NodeReadResponseSchema.safeParse({ ok: false, reason: "out_of_sync", state: "SYNCING" }).success);
    assert(
      !NodeReadResponseSchema.safeParse({ ok: true, lastUpdateId: 1, eventTime: 1, levels: [[1]] }).success,
    );
  });

  it("create parameters: defaults, uppercase, the refused field named", () => {
    const r = parseFields(CreateParamsSchema, { exchange: "binance.com", markets: ["btcusdt"] });
    assertEquals(r, {
      ok: true,
      data: {
        exchange: "binance.com",
        markets: ["BTCUSDT"],
        desiredQuantity: 1,
        updateInterval: null,
        refreshInterval: null,
      },
    });
    const names = { desiredQuantity: "desired_quantity" };
    const cases: [unknown, string][] = [
      [{ exchange: "binance.com", markets: ["A"], desiredQuantity: 0 }, "desired_quantity"],
      [{ exchange: "binance.com", markets: ["OK", "B/C"] }, "markets.1"],
      [{ exchange: "binance.com", markets: "BTCUSDT" }, "markets"],
      [{ markets: ["A"] }, "exchange"],
      [{ exchange: "binance.com", markets: ["A"], colour: "red" }, "colour"],
    ];
    for (const [input, field] of cases) {
      const p = parseFields(CreateParamsSchema, input, names);
      assert(!p.ok && p.problem.field === field, `${JSON.stringify(input)} → ${JSON.stringify(p)}`);
    }
  });

  it("UBDCC's loose values and the read hot path agree with the schema", () => {
    for (const v of [undefined, null, "", "None", "null"]) assert(absent(v));
    assertEquals([num("5"), num("2.5"), num("x"), num(7), num("None")], [5, 2.5, "x", 7, undefined]);
    const reads: [unknown[], boolean][] = [
      [["binance.com", "btcusdt", "10", undefined], true],
      [["binance.com", "BTCUSDT", undefined, "100000.5"], true],
      [["binance.com", "BTCUSDT", "None", "None"], true],
      [["binance.com", "BTCUSDT", "-1", undefined], false],
      [["binance.com", "BTCUSDT", "1e3", undefined], false],
      [["binance.xyz", "BTCUSDT", undefined, undefined], false],
      [["binance.com", "BTC/USDT", undefined, undefined], false],
    ];
    for (const [[e, m, l, t], fast] of reads) {
      const p = fastReadParams(e, m, l, t);
      assertEquals(p !== null, fast, JSON.stringify([e, m, l, t]));
      if (p) {
        const z = ReadParamsSchema.parse({
          exchange: e,
          market: m,
          limitCount: num(l),
          thresholdVolume: num(t),
        });
        assertEquals(JSON.stringify(p), JSON.stringify(z)); // absent and undefined alike
      }
    }
  });

  it("envelope: sorted top-level keys, HTTP 200, numeric cluster_execution_time", async () => {
    assertEquals(sortedJson({ b: 1, a: { d: 1, c: 2 } }), '{"a":{"d":1,"c":2},"b":1}');
    const ok = ubdccOk("GET_ASKS", { asks: [] }, { started: performance.now(), url: "u", usedPods: [] });
    const body = await ok.json();
    assertEquals(Object.keys(body), ["asks", "debug", "event", "result"]);
    assertEquals(typeof body.debug.cluster_execution_time, "number");
    const fail = ubdccFail("STOP_DEPTHCACHE", new UbdccError("#7000", "Cannot find depth cache: not found"));
    assertEquals([fail.status, fail.headers.get("content-type")], [200, "application/json"]);
    assertEquals(await fail.json(), {
      error_id: "#7000",
      event: "STOP_DEPTHCACHE",
      message: "Cannot find depth cache: not found",
      result: "ERROR",
    });
  });

  it("sealing: a box opens only with its node's key and id", async () => {
    const a = await NodeKeys.generate();
    const b = await NodeKeys.generate();
    const box = await seal(a.publicKey, "n-a", { apiKey: "key-1", apiSecret: "secret-1" });
    assert(!JSON.stringify(box).includes("secret-1") && !JSON.stringify(box).includes("key-1"));
    assertEquals(await a.open(box, "n-a"), { apiKey: "key-1", apiSecret: "secret-1" });
    await assertRejects(() => a.open(box, "n-b")); // bound to the node id
    await assertRejects(() => b.open(box, "n-a")); // another node's key
    const tampered = { ...box, ct: box.ct.slice(0, -4) + (box.ct.endsWith("AAAA") ? "BBBB" : "AAAA") };
    await assertRejects(() => a.open(tampered, "n-a"));
  });
});
