/**
 * UnicornFy for the options, portfolio-margin and COIN-M user data: the tables on Binance's
 * documented payloads (table-driven), and end to end — the emulator's events through the
 * manager with output `"unicornfy"`, narrowed by `eventType`.
 */
import { describe, it } from "node:test";
import { assert, assertEquals } from "@std/assert";
import { createUnicornfy, UNICORNFY_VERSION, type UnicornfyMessage } from "../../src/unicornfy/mod.ts";
import { startEmulator } from "../../src/testing/mod.ts";
import { BinanceWebSocketManager } from "../../src/ws/manager.ts";
import { signedCaller } from "../testing/_sign.ts";
import { until } from "../ws/_stream_server.ts";
import { ACCOUNTS, KEY, SECRET, venueSetup } from "../ws/_venues.ts";

const PM = "binance.com-portfolio_margin" as const;
const OPT = "binance.com-vanilla-options" as const;

// Binance's documented examples (derivatives user-data pages)
const VECTORS: ReadonlyArray<readonly [typeof PM | typeof OPT, string, Record<string, unknown>]> = [
  [
    PM,
    '{"e":"riskLevelChange","E":1587727187525,"u":"1.99999999","s":"MARGIN_CALL","eq":"30.23416728","ae":"30.23416728","m":"15.11708371"}',
    {
      eventType: "riskLevelChange",
      eventTime: 1587727187525,
      uniMmr: "1.99999999",
      riskLevel: "MARGIN_CALL",
      accountEquity: "30.23416728",
      actualEquity: "30.23416728",
      maintenanceMargin: "15.11708371",
    },
  ],
  [
    PM,
    '{"e":"liabilityChange","E":1573200697110,"a":"BTC","t":"BORROW","T":1352286576452864727,"p":"1.03453430","i":"0","l":"1.03476851"}',
    {
      eventType: "liabilityChange",
      eventTime: 1573200697110,
      asset: "BTC",
      liabilityType: "BORROW",
      transactionId: 1352286576452864727n,
      principal: "1.03453430",
      interest: "0",
      totalLiability: "1.03476851",
    },
  ],
  [
    PM,
    '{"e":"openOrderLoss","E":1678710578788,"O":[{"a":"BUSD","o":"-0.1232313"},{"a":"BNB","o":"-12.1232313"}]}',
    {
      eventType: "openOrderLoss",
      eventTime: 1678710578788,
      losses: [{ asset: "BUSD", amount: "-0.1232313" }, { asset: "BNB", amount: "-12.1232313" }],
    },
  ],
  [
    OPT,
    '{"e":"BALANCE_POSITION_UPDATE","E":1762917544216,"T":1762917544206,"m":"ORDER","B":[{"a":"USDT","b":"10000471.37940900","bc":"0"}],"P":[{"s":"BTC-251123-126000-C","c":"-0.1000","p":"-120.00000000","a":"1200.00000000"}]}',
    {
      eventType: "BALANCE_POSITION_UPDATE",
      eventTime: 1762917544216,
      transactionTime: 1762917544206,
      eventReason: "ORDER",
      balances: [{ asset: "USDT", balance: "10000471.37940900", balanceChange: "0" }],
      positions: [{
        symbol: "BTC-251123-126000-C",
        positionQuantity: "-0.1000",
        positionValue: "-120.00000000",
        averageEntryPrice: "1200.00000000",
      }],
    },
  ],
  [
    OPT,
    '{"e":"RISK_LEVEL_CHANGE","E":1587727187525,"s":"REDUCE_ONLY","mb":"1534.11708371","mm":"254789.11708371"}',
    {
      eventType: "RISK_LEVEL_CHANGE",
      eventTime: 1587727187525,
      riskLevel: "REDUCE_ONLY",
      marginBalance: "1534.11708371",
      maintenanceMargin: "254789.11708371",
    },
  ],
  [
    OPT,
    '{"e":"ACCOUNT_UPDATE","E":1762914568643,"T":1762914568619,"eq":"10000371.61462086","aeq":"10000475.51032086","b":"10000475.51032086","m":"-103.89570000","u":"16.10430000","i":"32354.38562539","M":"6089.28766956"}',
    {
      eventType: "ACCOUNT_UPDATE",
      eventTime: 1762914568643,
      transactionTime: 1762914568619,
      equity: "10000371.61462086",
      adjustedEquity: "10000475.51032086",
      walletBalance: "10000475.51032086",
      positionValue: "-103.89570000",
      unrealizedPnl: "16.10430000",
      initialMargin: "32354.38562539",
      maintenanceMargin: "6089.28766956",
    },
  ],
  [
    OPT,
    '{"e":"ORDER_TRADE_UPDATE","E":1762917544216,"T":1762917544206,"o":{"s":"BTC-260925-50000-C","c":"client-id","S":"SELL","o":"LIMIT","f":"GTC","q":"2.5","p":"100.25","ap":"100.5","x":"TRADE","X":"PARTIALLY_FILLED","i":9223372036854775807,"l":"1.25","z":"1.25","L":"100.5","N":"USDT","n":"-0.0125","T":1762917544205,"t":9223372036854775806,"b":"3.5","a":"4.5","m":true,"R":false,"ot":"LIMIT","rp":"12.75","V":"EXPIRE_TAKER"}}',
    {
      eventType: "ORDER_TRADE_UPDATE",
      eventTime: 1762917544216,
      transactionTime: 1762917544206,
      symbol: "BTC-260925-50000-C",
      clientOrderId: "client-id",
      side: "SELL",
      orderType: "LIMIT",
      timeInForce: "GTC",
      orderQuantity: "2.5",
      orderPrice: "100.25",
      orderAvgPrice: "100.5",
      currentExecutionType: "TRADE",
      currentOrderStatus: "PARTIALLY_FILLED",
      orderId: 9223372036854775807n,
      lastExecutedQuantity: "1.25",
      cumulativeFilledQuantity: "1.25",
      lastExecutedPrice: "100.5",
      commissionAsset: "USDT",
      commission: "-0.0125",
      orderTradeTime: 1762917544205,
      tradeId: 9223372036854775806n,
      netPay: "3.5",
      netSellingOrderValue: "4.5",
      isTradeMakerSide: true,
      reduceOnly: false,
      orderPriceType: "LIMIT",
      orderRealizedProfit: "12.75",
      selfTradePreventionMode: "EXPIRE_TAKER",
    },
  ],
];

/** Reads venue-specific fields: compiles only when each case narrows to its interface. */
function describeEvent(m: UnicornfyMessage): string {
  switch (m.eventType) {
    case "BALANCE_POSITION_UPDATE":
      return `${m.eventReason} ${m.balances.map((b) => `${b.asset}=${b.balance}`).join(",")}`;
    case "riskLevelChange":
      return `${m.riskLevel} ${m.uniMmr}`;
    case "ORDER_TRADE_UPDATE":
      if (!("positionSide" in m)) {
        return `options ${m.symbol} ${m.currentExecutionType} ${m.currentOrderStatus}`;
      }
      return `${m.businessUnit ?? "-"} ${m.symbol} ${m.currentExecutionType}`;
    case "ACCOUNT_UPDATE":
      if ("equity" in m) return `options ${m.equity} ${m.walletBalance}`;
      return `${m.businessUnit ?? "-"} ${m.eventReason} ${m.balances.map((b) => b.asset).join(",")}`;
    default:
      return `other ${String(m.eventType)}`;
  }
}

describe("unicornfy: options, portfolio-margin and COIN-M user data", () => {
  it("maps Binance's documented payloads", () => {
    for (const [exchange, raw, expected] of VECTORS) {
      const out = createUnicornfy({ exchange })(raw);
      const { streamType: _s, unicornfied, ...fields } = out as unknown as Record<string, unknown>;
      assertEquals(fields, expected, raw);
      assertEquals(unicornfied, [exchange, UNICORNFY_VERSION]);
    }
    // the older options shapes (nbstream: `o` a list of orders, `B`/`G`/`P` arrays) pass through intact
    const opt = createUnicornfy({ exchange: OPT })('{"e":"ORDER_TRADE_UPDATE","E":1,"o":[{"s":"X"}]}');
    assertEquals([String(opt.eventType), (opt as { payload?: { o: unknown[] } }).payload?.o.length], [
      "ORDER_TRADE_UPDATE",
      1,
    ]);
    const acc = createUnicornfy({ exchange: OPT })(
      '{"e":"ACCOUNT_UPDATE","E":1,"B":[{"b":"1"}],"G":[],"P":[]}',
    );
    assertEquals([String(acc.eventType), "payload" in acc], ["ACCOUNT_UPDATE", true]);
  });

  it("the emulator's options, portfolio-margin and COIN-M events arrive typed through the manager", async () => {
    await using emu = await startEmulator({ paused: true, intervalMs: 20, accounts: ACCOUNTS });
    const call = signedCaller(emu.restUrl, KEY, SECRET);
    const seen: Record<string, string[]> = {};
    const managers: BinanceWebSocketManager[] = [];
    try {
      for (const name of [OPT, PM, "binance.com-coin_futures"] as const) {
        const setup = venueSetup(name, emu)!;
        const ws = new BinanceWebSocketManager({ ...setup.options, outputDefault: "unicornfy" });
        managers.push(ws);
        const got: string[] = seen[name] = [];
        ws.createUserDataStream({ apiKey: KEY, onData: (m) => void got.push(describeEvent(m.data)) });
        await until(() => ws.getStreamInfo(ws.getStreamList()[0]).connections[0]?.state === "open", 10_000);
      }
      emu.transfer(KEY, { asset: "USDT", delta: "7", market: "options" });
      const usdm = await call("POST", "/fapi/v1/order", {
        symbol: "BTCUSDT",
        side: "BUY",
        type: "MARKET",
        quantity: "0.004",
      });
      assertEquals(usdm.status, 200);
      const coinm = await call("POST", "/dapi/v1/order", {
        symbol: "BTCUSD_PERP",
        side: "BUY",
        type: "MARKET",
        quantity: "1",
      });
      assertEquals(coinm.status, 200);
      await until(
        () =>
          seen[OPT].length > 0 && seen[PM].some((s) => s.startsWith("CM ")) &&
          seen["binance.com-coin_futures"].some((s) => s.startsWith("- ORDER")),
        10_000,
        "events on the three venues",
      );
      assertEquals(seen[OPT][0], "DEPOSIT USDT=10007.00000000");
      assert(seen[PM].includes("UM BTCUSDT TRADE"), seen[PM].join(" | "));
      assert(seen[PM].includes("CM BTCUSD_PERP TRADE"), seen[PM].join(" | "));
      assert(
        seen["binance.com-coin_futures"].includes("- BTCUSD_PERP TRADE"),
        seen["binance.com-coin_futures"].join(" | "),
      );
      assert(
        seen["binance.com-coin_futures"].includes("- ORDER BTC"),
        seen["binance.com-coin_futures"].join(" | "),
      );
    } finally {
      for (const ws of managers) await ws.close();
    }
  });
});
