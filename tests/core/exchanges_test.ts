import { describe, it } from "node:test";
import { assert, assertEquals, assertMatch, assertStrictEquals, assertThrows } from "@std/assert";
import { readSharedJson } from "../_data.ts";
import {
  EXCHANGE_NAMES,
  type ExchangeName,
  FUTURES_USER_DATA_EVENTS,
  getExchange,
  isExchangeName,
  type RestFamily,
  streamCategory,
  userDataStreamUrl,
} from "../../src/core/exchanges.ts";

interface UbwaResult {
  userData_uri_default: string;
  userData_uri_events_subset: string;
  miniTicker_arr: string;
  max_subscriptions_per_stream: number;
  ws_api_base: string | null;
}
const ubwa =
  readSharedJson<{ results: Record<string, UbwaResult> }>("ubwa/uri_and_payload_matrix.json").results;

const SUITE_NAMES = [
  "binance.com",
  "binance.com-testnet",
  "binance.com-margin",
  "binance.com-margin-testnet",
  "binance.com-isolated_margin",
  "binance.com-isolated_margin-testnet",
  "binance.com-futures",
  "binance.com-futures-testnet",
  "binance.com-coin_futures",
  "binance.com-vanilla-options",
  "binance.com-vanilla-options-testnet",
  "binance.com-portfolio_margin",
  "binance.us",
  "trbinance.com",
];

describe("exchanges: catalog shape", () => {
  it("lists exactly the 14 suite exchange strings", () => {
    assertEquals([...EXCHANGE_NAMES], SUITE_NAMES);
    for (const n of SUITE_NAMES) assert(isExchangeName(n), n);
  });

  it("every entry is frozen, named after its key and free of whitespace", () => {
    for (const name of EXCHANGE_NAMES) {
      const ex = getExchange(name);
      assertEquals(ex.name, name);
      assert(Object.isFrozen(ex) && Object.isFrozen(ex.rest), `${name} frozen`);
      const urls = [
        ...Object.values(ex.rest),
        ex.streamBase,
        ex.wsApiBase,
        ex.userDataStreamTemplate,
      ].filter((u): u is string => typeof u === "string");
      for (const u of urls) {
        // Python defect U7: " https://api.binance.com/sapi"
        assertEquals(u, u.trim(), `${name}: ${JSON.stringify(u)}`);
        assert(!/\s/.test(u), `${name}: whitespace in ${u}`);
        assert(URL.canParse(u.replace(/\{\w+\}/g, "X")), `${name}: ${u} parses`);
      }
    }
  });

  it("REST values are origins only (no path, no trailing slash)", () => {
    for (const name of EXCHANGE_NAMES) {
      for (const [family, origin] of Object.entries(getExchange(name).rest)) {
        assertMatch(origin as string, /^https:\/\/[a-z0-9.-]+$/, `${name}.${family}`);
        assertEquals(new URL(origin as string).origin, origin, `${name}.${family}`);
      }
    }
  });

  it("stream bases carry no trailing slash; WS-API bases are full wss URLs with a path", () => {
    for (const name of EXCHANGE_NAMES) {
      const ex = getExchange(name);
      if (ex.streamBase !== null) {
        assertMatch(ex.streamBase, /^wss:\/\/[^/]+(\/[a-z]+)?$/, name);
      }
      if (ex.wsApiBase !== null) assertMatch(ex.wsApiBase, /^wss:\/\/[^/]+\/ws-(api\/v3|fapi\/v1)$/, name);
    }
  });

  it("the endpoints a venue names live on a family it serves", () => {
    for (const name of EXCHANGE_NAMES) {
      const ex = getExchange(name);
      for (const p of [ex.depthSnapshot, ex.serverTime, ex.userDataToken]) {
        if (p === null) continue;
        assert(ex.rest[p.family] !== undefined, `${name}: ${p.path} needs rest.${p.family}`);
        const prefix = p.family === "futuresData" ? "/futures/data/" : `/${p.family}/v`;
        assert(p.path.startsWith(prefix), `${name}: ${p.path} under ${prefix}`);
      }
    }
  });
});

describe("exchanges: facts per venue (binance-api.md §1, §6.4, §7, §8)", () => {
  type Row = [
    ExchangeName,
    {
      market: string;
      testnet: boolean;
      stream: string | null;
      wsApi: string | null;
      maxStreams: number;
      msgPerSec: number;
      routing: boolean;
      depth: "spot" | "futures";
      userData: string;
    },
  ];
  const SPOT = "wss://stream.binance.com:9443";
  const SPOT_T = "wss://stream.testnet.binance.vision";
  const WSAPI = "wss://ws-api.binance.com:443/ws-api/v3";
  const WSAPI_T = "wss://ws-api.testnet.binance.vision/ws-api/v3";
  const spot = { maxStreams: 1024, msgPerSec: 5, routing: false, depth: "spot" as const };
  const fut = { maxStreams: 200, msgPerSec: 10, depth: "futures" as const };
  const table: Row[] = [
    ["binance.com", {
      market: "spot",
      testnet: false,
      stream: SPOT,
      wsApi: WSAPI,
      ...spot,
      userData: "ws-api",
    }],
    ["binance.com-testnet", {
      market: "spot",
      testnet: true,
      stream: SPOT_T,
      wsApi: WSAPI_T,
      ...spot,
      userData: "ws-api",
    }],
    ["binance.com-margin", {
      market: "margin",
      testnet: false,
      stream: SPOT,
      wsApi: WSAPI,
      ...spot,
      userData: "listen-token",
    }],
    ["binance.com-margin-testnet", {
      market: "margin",
      testnet: true,
      stream: SPOT_T,
      wsApi: WSAPI_T,
      ...spot,
      userData: "none",
    }],
    ["binance.com-isolated_margin", {
      market: "isolated_margin",
      testnet: false,
      stream: SPOT,
      wsApi: WSAPI,
      ...spot,
      userData: "listen-token",
    }],
    ["binance.com-isolated_margin-testnet", {
      market: "isolated_margin",
      testnet: true,
      stream: SPOT_T,
      wsApi: WSAPI_T,
      ...spot,
      userData: "none",
    }],
    ["binance.com-futures", {
      market: "usdm",
      testnet: false,
      stream: "wss://fstream.binance.com",
      wsApi: "wss://ws-fapi.binance.com/ws-fapi/v1",
      ...fut,
      routing: true,
      userData: "listen-key",
    }],
    ["binance.com-futures-testnet", {
      market: "usdm",
      testnet: true,
      stream: "wss://stream.binancefuture.com",
      wsApi: "wss://testnet.binancefuture.com/ws-fapi/v1",
      ...fut,
      routing: true,
      userData: "listen-key",
    }],
    ["binance.com-coin_futures", {
      market: "coinm",
      testnet: false,
      stream: "wss://dstream.binance.com",
      wsApi: null,
      ...fut,
      routing: false,
      userData: "listen-key",
    }],
    ["binance.com-vanilla-options", {
      market: "options",
      testnet: false,
      stream: "wss://fstream.binance.com",
      wsApi: null,
      ...fut,
      routing: true,
      userData: "listen-key",
    }],
    ["binance.com-vanilla-options-testnet", {
      market: "options",
      testnet: true,
      stream: "wss://fstream.binancefuture.com",
      wsApi: null,
      ...fut,
      routing: true,
      userData: "listen-key",
    }],
    ["binance.com-portfolio_margin", {
      market: "portfolio_margin",
      testnet: false,
      stream: "wss://fstream.binance.com/pm",
      wsApi: null,
      ...fut,
      routing: false,
      userData: "listen-key",
    }],
    ["binance.us", {
      market: "spot",
      testnet: false,
      stream: "wss://stream.binance.us:9443",
      wsApi: null,
      ...spot,
      userData: "listen-key",
    }],
    ["trbinance.com", {
      market: "spot",
      testnet: false,
      stream: "wss://stream-cloud.trbinance.com",
      wsApi: null,
      ...spot,
      userData: "listen-key",
    }],
  ];
  assertEquals(table.length, 14);
  for (const [name, x] of table) {
    it(name, () => {
      const ex = getExchange(name);
      assertEquals(
        [
          ex.market,
          ex.testnet,
          ex.streamBase,
          ex.wsApiBase,
          ex.maxStreamsPerConnection,
          ex.maxIncomingMessagesPerSecond,
          ex.futuresRouting,
          ex.depthSync,
          ex.userData,
        ],
        [x.market, x.testnet, x.stream, x.wsApi, x.maxStreams, x.msgPerSec, x.routing, x.depth, x.userData],
      );
      // every venue can sync a book from a 1000-level snapshot (spot weight 50, futures 20)
      assertEquals(ex.snapshotLimit, 1000);
      assert(ex.maxSnapshotLimit >= ex.snapshotLimit);
      assertEquals(ex.marketStreams, name !== "binance.com-portfolio_margin");
      assertEquals(ex.depthSnapshot === null, !ex.marketStreams);
      assertEquals(ex.userDataStreamTemplate !== null, ex.userData === "listen-key");
      assertEquals(ex.userDataToken !== null, ex.userData === "listen-key" || ex.userData === "listen-token");
    });
  }

  it("spot snapshots go up to 5000, futures/options to 1000 (§3.4, §7.4)", () => {
    assertEquals(getExchange("binance.com").maxSnapshotLimit, 5000);
    for (const n of ["binance.com-futures", "binance.com-coin_futures", "binance.com-vanilla-options"]) {
      assertEquals(getExchange(n).maxSnapshotLimit, 1000, n);
    }
  });
});

describe("exchanges: REST origins fix the Python defects", () => {
  const M = {
    api: "https://api.binance.com",
    sapi: "https://api.binance.com",
    fapi: "https://fapi.binance.com",
    dapi: "https://dapi.binance.com",
    eapi: "https://eapi.binance.com",
    papi: "https://papi.binance.com",
    futuresData: "https://fapi.binance.com",
  };
  const FT = "https://testnet.binancefuture.com";
  const FUT_T = { fapi: FT, dapi: FT, eapi: FT, futuresData: FT };
  const table: [ExchangeName, Partial<Record<RestFamily, string>>][] = [
    ["binance.com", M],
    ["binance.com-margin", M],
    ["binance.com-isolated_margin", M],
    ["binance.com-futures", M],
    // U1: COIN-M is dapi (UBRA used fapi); its /futures/data lives on the dapi host
    ["binance.com-coin_futures", { ...M, futuresData: "https://dapi.binance.com" }],
    ["binance.com-vanilla-options", M],
    ["binance.com-portfolio_margin", M],
    // U6: testnets have no /sapi (UBRA sent margin testnet calls to production)
    ["binance.com-testnet", { api: "https://testnet.binance.vision" }],
    ["binance.com-margin-testnet", { api: "https://testnet.binance.vision" }],
    ["binance.com-isolated_margin-testnet", { api: "https://testnet.binance.vision" }],
    // UBRA issue #20: the futures testnet was a copy of the spot testnet
    ["binance.com-futures-testnet", FUT_T],
    ["binance.com-vanilla-options-testnet", FUT_T],
    ["binance.us", { api: "https://api.binance.us", sapi: "https://api.binance.us" }],
    ["trbinance.com", { api: "https://www.trbinance.com" }],
  ];
  for (const [name, rest] of table) {
    it(name, () => assertEquals({ ...getExchange(name).rest }, rest));
  }
  it("no testnet origin ever points at a production host", () => {
    for (const name of EXCHANGE_NAMES) {
      const ex = getExchange(name);
      if (!ex.testnet) continue;
      for (const o of Object.values(ex.rest)) assertMatch(o as string, /testnet/, name);
      for (const u of [ex.streamBase, ex.wsApiBase, ex.userDataStreamTemplate]) {
        if (u !== null) assert(/testnet|binancefuture/.test(u), `${name}: ${u}`);
      }
    }
  });
});

describe("exchanges: agree with the UBWA 2.15.1 URI matrix", () => {
  const covered = Object.keys(ubwa);
  it("the matrix covers 9 exchanges, all known to the catalog", () => {
    assertEquals(covered.length, 9);
    for (const n of covered) assert(isExchangeName(n), n);
  });
  for (const name of covered) {
    it(name, () => {
      const ex = getExchange(name);
      const u = ubwa[name];
      assertEquals(ex.maxStreamsPerConnection, u.max_subscriptions_per_stream);
      // UBWA omits the explicit :443 of the spot WS-API; same endpoint
      const normalize = (s: string | null) => s === null ? null : new URL(s).href;
      assertEquals(normalize(ex.wsApiBase), normalize(u.ws_api_base));
      // market streams: UBWA URI = base (+ category) + /ws/!miniTicker@arr
      if (ex.marketStreams) {
        const category = ex.futuresRouting ? `/${streamCategory("!miniTicker@arr")}` : "";
        const expected = `${ex.streamBase}${category}/ws/!miniTicker@arr`;
        if (name === "binance.com-vanilla-options") {
          // UBWA puts every options stream under /public/; Binance routes tickers to /market (§6.5)
          assertEquals(u.miniTicker_arr, "wss://fstream.binance.com/public/ws/!miniTicker@arr");
          assertEquals(expected, "wss://fstream.binance.com/market/ws/!miniTicker@arr");
        } else {
          assertEquals(expected, u.miniTicker_arr);
        }
      } else {
        // portfolio margin: UBWA builds a market URI on the user-data host; it is the same base
        assertEquals(`${ex.streamBase}/ws/!miniTicker@arr`, u.miniTicker_arr);
      }
      if (ex.userData === "listen-key") {
        const url = userDataStreamUrl(ex, { listenKey: "LISTENKEY" });
        const subset = userDataStreamUrl(ex, {
          listenKey: "LISTENKEY",
          events: ["ORDER_TRADE_UPDATE", "ACCOUNT_UPDATE"],
        });
        if (name === "binance.com-vanilla-options") {
          // UBWA: /public/ws/<key> ("probably not functional"); Binance docs: /private/ws/<listenKey>
          assertEquals(url, "wss://fstream.binance.com/private/ws/LISTENKEY");
        } else {
          assertEquals(url, u.userData_uri_default);
          assertEquals(subset, u.userData_uri_events_subset);
        }
      } else {
        // spot and margin: UBWA subscribes through the WS-API
        assertEquals(normalize(u.userData_uri_default), normalize(ex.wsApiBase));
      }
    });
  }
});

describe("exchanges: getExchange errors", () => {
  const bad: unknown[] = [
    "",
    "binance",
    "Binance.com",
    " binance.com",
    "binance.com ",
    "binance.je",
    "binance.com-coin",
  ];
  for (const b of bad) {
    it(`rejects ${JSON.stringify(b)}`, () => {
      assertThrows(
        () => getExchange(b as string),
        RangeError,
        "expected one of binance.com, binance.com-testnet",
      );
      try {
        getExchange(b as string);
      } catch (e) {
        for (const n of EXCHANGE_NAMES) assert((e as Error).message.includes(n), n);
        assertMatch((e as Error).message, /^Unknown exchange /);
      }
    });
  }
  it("rejects non-strings with a RangeError too", () => {
    assertThrows(() => getExchange(undefined as unknown as string), RangeError, "Unknown exchange");
    assertThrows(() => getExchange(42 as unknown as string), RangeError, "Unknown exchange");
  });
  it("accepts the Python alias binance.com-coin-futures", () => {
    assertStrictEquals(getExchange("binance.com-coin-futures"), getExchange("binance.com-coin_futures"));
    assertEquals(isExchangeName("binance.com-coin-futures"), false);
  });
  it("prototype keys are not exchanges", () => {
    for (const k of ["toString", "__proto__", "constructor", "hasOwnProperty"]) {
      assertThrows(() => getExchange(k), RangeError);
      assertEquals(isExchangeName(k), false);
    }
  });
});

describe("exchanges: streamCategory (USDⓈ-M routing, §6.4)", () => {
  const table: [string, "public" | "market" | "private"][] = [
    ["btcusdt@depth", "public"],
    ["btcusdt@depth@100ms", "public"],
    ["btcusdt@depth20@500ms", "public"],
    ["BTCUSDT@bookTicker", "public"],
    ["!bookTicker", "public"],
    ["btcusdt@rpiDepth@500ms", "public"],
    ["btcusdt@aggTrade", "market"],
    ["btcusdt@kline_1m", "market"],
    ["btcusdt@markPrice@1s", "market"],
    ["!markPrice@arr@1s", "market"],
    ["!miniTicker@arr", "market"],
    ["!forceOrder@arr", "market"],
    ["btcusdt_perp@continuousKline_1m", "market"],
    ["btcusdt@trade", "market"],
    ["!userData", "private"],
    ["!userData@arr", "private"],
  ];
  for (const [s, c] of table) it(`${s} -> ${c}`, () => assertEquals(streamCategory(s), c));
});

describe("exchanges: userDataStreamUrl", () => {
  it("fills the USD-M template with the default events (UBWA 2.14 list)", () => {
    assertEquals(FUTURES_USER_DATA_EVENTS.length, 10);
    const url = userDataStreamUrl(getExchange("binance.com-futures"), { listenKey: "abc" });
    const parsed = new URL(url);
    assertEquals(parsed.pathname, "/private/ws");
    assertEquals(parsed.searchParams.get("listenKey"), "abc");
    assertEquals(parsed.searchParams.get("events")?.split("/"), [...FUTURES_USER_DATA_EVENTS]);
  });
  it("uses the path form on COIN-M, portfolio margin, US and TR", () => {
    const table: [ExchangeName, string][] = [
      ["binance.com-coin_futures", "wss://dstream.binance.com/ws/k1"],
      ["binance.com-portfolio_margin", "wss://fstream.binance.com/pm/ws/k1"],
      ["binance.us", "wss://stream.binance.us:9443/ws/k1"],
      ["trbinance.com", "wss://stream-cloud.trbinance.com/ws/k1"],
    ];
    for (const [n, url] of table) assertEquals(userDataStreamUrl(getExchange(n), { listenKey: "k1" }), url);
  });
  it("percent-encodes the listenKey", () => {
    assertEquals(
      userDataStreamUrl(getExchange("binance.us"), { listenKey: "a/b?c" }),
      "wss://stream.binance.us:9443/ws/a%2Fb%3Fc",
    );
  });
  it("rejects venues without listenKey streams and bad input", () => {
    for (const n of ["binance.com", "binance.com-margin", "binance.com-margin-testnet"]) {
      assertThrows(
        () => userDataStreamUrl(getExchange(n), { listenKey: "k" }),
        RangeError,
        "has no listenKey",
      );
    }
    const fut = getExchange("binance.com-futures");
    assertThrows(() => userDataStreamUrl(fut, { listenKey: "" }), TypeError, "listenKey");
    assertThrows(() => userDataStreamUrl(fut, { listenKey: "k", events: [] }), TypeError, "events");
    assertThrows(() => userDataStreamUrl(fut, { listenKey: "k", events: ["A", ""] }), TypeError, "events");
  });
  it("never puts the listenKey into an error message", () => {
    try {
      userDataStreamUrl(getExchange("binance.com"), { listenKey: "SECRETKEY123" });
    } catch (e) {
      assertEquals((e as Error).message.includes("SECRETKEY123"), false);
    }
  });
});
