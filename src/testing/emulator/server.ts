/**
 * Starts an emulator instance: builds the state, the hono app and the runtime adapter
 * (Deno, Bun or Node, chosen at run time), and returns the handle.
 *
 * @module
 */
import type { Hono } from "hono";
import type { AdapterFactory, Listening } from "./adapter.ts";
import { type Core, faultVenue, type RestVenue } from "./core.ts";
import type { MarketKind as Venue } from "./symbols.ts";
import { type Fault, type FaultHandle, FaultRegistry, validateFault } from "./faults.ts";
import { MarketHub } from "./hub.ts";
import { Market } from "./market.ts";
import { type EmulatorOptions, resolveOptions } from "./options.ts";
import { depthSnapshot, fmtPrice, fmtQty, type Json } from "./payloads.ts";
import { registerMarketRoutes } from "./rest_market.ts";
import {
  COINM_STREAM_PREFIX,
  type ConnectionSet,
  FUTURES_STREAM_PREFIX,
  registerStreamRoutes,
} from "./stream_routes.ts";
import { WeightCounter } from "./weights.ts";
import { ReplayPlayer } from "./replay.ts";
import { Decimal } from "decimal.js";
import { importKeys } from "./auth.ts";
import type { Trading } from "./core.ts";
import { type FuturesAccount, newFuturesAccount } from "./futures_account.ts";
import { FuturesEngine } from "./futures_engine.ts";
import { Funding, markPriceEvent } from "./funding.ts";
import { registerFuturesRoutes } from "./rest_futures.ts";
import { MarginBook } from "./margin.ts";
import { registerMarginRoutes } from "./rest_margin.ts";
import { Transfers } from "./transfers.ts";
import { registerWalletRoutes } from "./rest_wallet.ts";
import { Wallet } from "./wallet.ts";
import { snapshotOf } from "./snapshots.ts";
import { refuseUnknownKeys } from "./option_keys.ts";
import { isModuleNotFound } from "../../core/_modules.ts";
import { type AccountView, accountView } from "./account_view.ts";
import { Coverage, type CoverageOptions, type CoverageRecorder } from "./coverage.ts";
import { type DriveOptions, type DrivePrice, type DriveResult, Drives, type DriveStep } from "./drive.ts";

export type { AccountView } from "./account_view.ts";
import { listOptions } from "./options_chain.ts";
import { optionsDepth, registerOptionsRoutes } from "./rest_options.ts";
import { OptionStreams } from "./options_streams.ts";
import { registerSignedRoutes } from "./rest_signed.ts";
import { registerSubAccountRoutes } from "./rest_subaccount.ts";
import { registerSimpleEarnRoutes } from "./rest_simple_earn.ts";
import { registerConvertRoutes } from "./rest_convert.ts";
import { registerPortfolioMarginRoutes } from "./rest_portfolio_margin.ts";
import { registerOptionsTradingRoutes } from "./rest_options_trading.ts";
import { DEFAULT_BALANCES, SpotAccount } from "./spot_account.ts";
import { SpotEngine } from "./spot_engine.ts";
import { registerPrivateRoute } from "./private_route.ts";
import { registerListenKeyRoutes } from "./listen_key_routes.ts";
import { UserData } from "./user_data.ts";
import { registerWsApiRoutes } from "./ws_api_route.ts";

/** The emulator's true order book of one symbol. */
export interface BookView {
  /** The symbol. */
  readonly symbol: string;
  /** Update id of the last committed change (what a REST snapshot would report now). */
  readonly lastUpdateId: number;
  /** Bids, best first, `[price, qty]` decimal strings. */
  readonly bids: ReadonlyArray<readonly [string, string]>;
  /** Asks, best first, `[price, qty]` decimal strings. */
  readonly asks: ReadonlyArray<readonly [string, string]>;
}

/** A balance change of {@link Emulator.transfer}. */
export interface TransferChange {
  /** The asset, e.g. `"USDT"`. */
  readonly asset: string;
  /** Plain signed decimal string: a credit (deposit) or, negative, a debit (withdrawal). */
  readonly delta: string;
  /**
   * Which wallet: `"spot"` (default; `balanceUpdate` + `outboundAccountPosition`, also on the
   * Binance.US / TR listen-key streams) or `"options"` (`BALANCE_POSITION_UPDATE` on the options
   * listen-key streams).
   */
  readonly market?: "spot" | "options";
}

/** Handle of a running emulator. */
export interface Emulator extends AsyncDisposable {
  /** Origin serving spot REST (`/api/v3`), margin and wallet (`/sapi/v1`) and options data (`/eapi/v1`). */
  readonly restUrl: string;
  /** Spot market-stream base (`/ws/<stream>`, `/stream?streams=`). */
  readonly wsUrl: string;
  /** Full URL of the spot WebSocket API (`…/ws-api/v3`). */
  readonly wsApiUrl: string;
  /** Origin serving USD-M (`/fapi`) and COIN-M (`/dapi/v1`) REST. */
  readonly futuresRestUrl: string;
  /** USD-M stream base, serving `/public`, `/market`, `/private` and the legacy `/ws`, `/stream`. */
  readonly futuresWsUrl: string;
  /** Full URL of the USD-M WebSocket API (`…/ws-fapi/v1`). */
  readonly futuresWsApiUrl: string;
  /** COIN-M stream base (`/ws/<stream>`, `/stream?streams=`; no category routing, as on `dstream`). */
  readonly coinmWsUrl: string;
  /** The bound port. */
  readonly port: number;
  /**
   * Injects a fault now.
   *
   * @throws {TypeError} on an unknown fault name or bad fields
   */
  inject(fault: Fault): FaultHandle;
  /** The true book of a symbol (`market` defaults to "spot"); `limit` levels per side (default all). */
  book(symbol: string, options?: { readonly market?: Venue; readonly limit?: number }): BookView;
  /**
   * The state of an account.
   *
   * @throws {RangeError} for an API key that is not configured
   */
  account(apiKey: string): AccountView;
  /** Starts playback of the replayed recordings now (see `replay.autoStart`). */
  startReplay(): void;
  /**
   * Resolves once every replayed recording has been delivered to the subscribed sessions (or the
   * emulator was closed). Pending until playback starts; already resolved without `replay`.
   */
  readonly replayDone: Promise<void>;
  /**
   * Credits (or debits, with a negative `delta`) a spot balance as a deposit, withdrawal or
   * transfer would: emits `balanceUpdate` and `outboundAccountPosition` to the account's
   * user-data subscriptions (and Binance.US / TR listen-key streams); with `market: "options"`
   * the options wallet changes and `BALANCE_POSITION_UPDATE` goes to the options streams.
   *
   * @throws {RangeError} for an unknown API key or a debit larger than the free balance
   * @throws {TypeError} when `delta` is not a plain signed decimal string
   */
  transfer(apiKey: string, change: TransferChange): void;
  /** Advances the simulator by `count` steps (default 1), also when started `paused`. */
  step(count?: number): void;
  /** Number of simulator steps taken so far (the first step is 1). */
  readonly stepIndex: number;
  /**
   * Moves a market's last price (and on futures the mark price) along `path`, one simulator step
   * per element (or `stepsPerPrice`), a trade printing at every price; the market's random walk
   * pauses meanwhile. A paused emulator takes the steps by itself every `intervalMs` unless
   * `manual` is set.
   *
   * @example Drive BTCUSDT up and down on a paused emulator
   * ```ts
   * import { startEmulator } from "../mod.ts";
   * import { assertEquals } from "@std/assert";
   *
   * await using emu = await startEmulator({ paused: true, intervalMs: 1 });
   * await emu.drive("BTCUSDT", ["65100.00", "65300.00", "64900.00"]);
   * const t = await (await fetch(`${emu.restUrl}/api/v3/ticker/price?symbol=BTCUSDT`)).json();
   * assertEquals(t.price, "64900.00000000");
   * ```
   * @returns resolves after the step that applied the last element (rejects if the emulator closes first)
   * @throws {TypeError} / {RangeError} on a bad path, option or symbol, or a market already driven
   */
  drive(
    symbol: string,
    path: readonly (DrivePrice | DriveStep)[],
    options?: DriveOptions,
  ): Promise<DriveResult>;
  /**
   * Records, after every simulator step, an account's position in `symbol` and the quantity its
   * open stop orders would close (see `CoverageRecord`); only recorded symbols cost anything.
   *
   * @example Record an account's BTCUSDT holding and stop quantity
   * ```ts
   * import { startEmulator } from "../mod.ts";
   * import { assertEquals } from "@std/assert";
   *
   * await using emu = await startEmulator({ paused: true, accounts: [{ apiKey: "k", secretKey: "s" }] });
   * const rec = emu.recordCoverage("BTCUSDT", { apiKey: "k" });
   * emu.step(2);
   * assertEquals(rec.records.map((r) => [r.position, r.stopQty]), [["1", "0"], ["1", "0"]]);
   * ```
   * @throws {TypeError} on unknown options, {RangeError} on an unknown API key or symbol
   */
  recordCoverage(symbol: string, options: CoverageOptions): CoverageRecorder;
  /** Stops the simulator, drops every connection and frees the port. */
  close(): Promise<void>;
}

/** The server packages per runtime: optional peer dependencies of the npm package. */
const SERVER_PACKAGES = { deno: "hono", bun: "hono", node: "hono @hono/node-server @hono/node-ws" } as const;

/**
 * Loads hono and the runtime's adapter only when an emulator starts, so that importing
 * `unicorn-binance/testing` needs no server package, and a missing one is named.
 */
async function loadServer(): Promise<{ Hono: typeof Hono; adapter: AdapterFactory }> {
  const g = globalThis as Record<string, unknown>;
  const runtime = g.Deno !== undefined ? "deno" : g.Bun !== undefined ? "bun" : "node";
  try {
    const { Hono } = await import("hono");
    const adapter = runtime === "deno"
      ? (await import("./adapter_deno.ts")).createAdapter
      : runtime === "bun"
      ? (await import("./adapter_bun.ts")).createAdapter
      : (await import("./adapter_node.ts")).createAdapter;
    return { Hono, adapter };
  } catch (e) {
    if (!isModuleNotFound(e)) throw e;
    throw new Error(
      `Cannot start the emulator: its server packages are not installed; run \`npm install ${
        SERVER_PACKAGES[runtime]
      }\` (optional peer dependencies of unicorn-binance, needed by unicorn-binance/testing only)`,
      { cause: e },
    );
  }
}

/**
 * Starts a local Binance emulator.
 *
 * @param options ports, seed, markets, accounts, limits, faults
 * @returns the running emulator's handle
 * @throws {TypeError} / {RangeError} on invalid options (nothing is started)
 * @throws {Error} when the server packages (hono; on Node also @hono/node-server and @hono/node-ws)
 *   are not installed, naming the `npm install` command
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const opt = resolveOptions(options);
  const server = await loadServer(); // before any timer starts: a missing package leaves nothing running
  const realNow = (): number => opt.now();
  const faults = new FaultRegistry(realNow);
  const start = realNow();
  const configured = opt.markets.map((s) => new Market(s, opt.seed, start));
  // options are listed from the BTC and ETH spot underlyings
  const chain = listOptions(configured.filter((m) => m.spec.market === "spot"), opt.seed, start);
  const markets = [...configured, ...chain.markets];
  const now = (venue: RestVenue): number =>
    Math.round(realNow() + faults.sumMs("clockSkew", faultVenue(venue)));
  const hub = new MarketHub(markets, faults, () => now("spot"));
  if (chain.markets.length > 0) hub.optionStreams = new OptionStreams(chain, hub, faults);
  const replay: Partial<Record<Venue, ReplayPlayer>> = {};
  for (const v of ["spot", "usdm", "coinm"] as const) {
    const rec = opt.replay[v];
    if (rec) replay[v] = new ReplayPlayer(rec, opt.replay.speed, (f) => hub.deliverRaw(v, f.stream, f.data));
  }
  // playback starts with the first subscription, so the first client sees the whole recording
  // (deferred, so all streams named in the connect URL are subscribed before the first frame)
  if (opt.replay.autoStart) hub.onSubscribe((v) => setTimeout(() => replay[v]?.start(), 0));
  const core: Core = {
    hub,
    faults,
    now,
    realNow,
    replay,
    weights: {
      spot: new WeightCounter({
        limit: opt.limits.requestWeight,
        banAfter: opt.limits.banAfter,
        banMs: opt.limits.banMs,
      }),
      usdm: new WeightCounter({
        limit: opt.limits.futuresRequestWeight,
        banAfter: opt.limits.banAfter,
        banMs: opt.limits.banMs,
      }),
      // COIN-M has its own pool of the same size as USD-M's
      coinm: new WeightCounter({
        limit: opt.limits.futuresRequestWeight,
        banAfter: opt.limits.banAfter,
        banMs: opt.limits.banMs,
      }),
      sapi: new WeightCounter({
        limit: opt.limits.sapiRequestWeight,
        banAfter: opt.limits.banAfter,
        banMs: opt.limits.banMs,
      }),
      // Binance: 180 000 UID weight next to 12 000 IP weight
      sapiUid: new WeightCounter({
        limit: opt.limits.sapiRequestWeight * 15,
        banAfter: opt.limits.banAfter,
        banMs: opt.limits.banMs,
      }),
      eapi: new WeightCounter({
        limit: opt.limits.optionsRequestWeight,
        banAfter: opt.limits.banAfter,
        banMs: opt.limits.banMs,
      }),
      // portfolio margin: 6000 per minute, the spot figure
      papi: new WeightCounter({
        limit: opt.limits.requestWeight,
        banAfter: opt.limits.banAfter,
        banMs: opt.limits.banMs,
      }),
    },
  };
  const keys = await importKeys(opt.accounts);
  const userData = new UserData(opt.limits.listenKeyValidityMs, realNow);
  // stall and latency faults hold back or delay user-data events as they do market streams
  userData.gate = (v) => ({
    stalled: faults.active("stall", v) !== undefined,
    delayMs: faults.sumMs("latency", v),
  });
  const spotAccounts = new Map<string, SpotAccount>();
  const futAccounts = new Map<string, FuturesAccount>();
  const coinmAccounts = new Map<string, FuturesAccount>();
  for (const a of opt.accounts) {
    spotAccounts.set(a.apiKey, new SpotAccount(a.apiKey, a.balances ?? DEFAULT_BALANCES));
    futAccounts.set(a.apiKey, newFuturesAccount(a.apiKey, a.futuresBalances ?? { USDT: "10000" }));
    coinmAccounts.set(a.apiKey, newFuturesAccount(a.apiKey, a.coinmBalances ?? { BTC: "1", ETH: "10" }));
  }
  const futuresEngine = (venue: "usdm" | "coinm", accounts: Map<string, FuturesAccount>) =>
    new FuturesEngine({
      venue,
      accounts,
      find: (sym) => hub.market(venue, sym),
      list: () => hub.markets(venue),
      emit: (k, e) => userData.futures(k, e, venue),
      now: () => now(venue),
      marginCallPercent: opt.limits.marginCallPercent,
    });
  // a futures market's index is the spot market of its base asset against USDT, when simulated
  const funding = new Funding((m) => hub.market("spot", `${m.spec.baseAsset}USDT`));
  hub.markPriceEvent = (m, t) => markPriceEvent(funding, m, t);
  const spotChanged = (apiKey: string, asset: string, delta: string): void => {
    const E = now("spot");
    userData.spot(apiKey, { e: "balanceUpdate", E, a: asset, d: delta, T: E });
    const pos = spotAccounts.get(apiKey)?.takePosition(E);
    if (pos) userData.spot(apiKey, pos);
  };
  const spotMove = (apiKey: string, asset: string, delta: Decimal): void => {
    spotAccounts.get(apiKey)!.addFree(asset, delta);
    spotChanged(apiKey, asset, delta.toFixed(8));
  };
  const wallet = new Wallet();
  const margin = new MarginBook(hub, {
    apiKeys: opt.accounts.map((a) => a.apiKey),
    balances: (k) => opt.accounts.find((a) => a.apiKey === k)?.marginBalances ?? {},
    // margin events go to the listen-token subscriptions of the (cross or isolated) account
    emit: (key, e) => userData.spot(`margin:${key}`, e),
    now: () => now("sapi"),
  });
  const futures = futuresEngine("usdm", futAccounts);
  const coinm = futuresEngine("coinm", coinmAccounts);
  const trading: Trading = {
    keys,
    userData,
    spot: new SpotEngine(
      spotAccounts,
      (sym) => hub.market("spot", sym),
      (k, e) => userData.spot(k, e),
      () => now("spot"),
    ),
    futures,
    coinm,
    funding,
    margin,
    wallet,
    ipRestrictions: new Map(),
    spotAccount: (k) => spotAccounts.get(k)!,
    spotMove,
    transfers: new Transfers({
      spot: (k) => spotAccounts.get(k)!,
      spotChanged,
      usdm: futures,
      coinm,
      margin,
      now: () => now("sapi"),
    }),
  };
  const apiKeys = opt.accounts.map((a) => a.apiKey);
  const snapshot = (): void =>
    wallet.maybeSnapshot(now("sapi"), (k, time) => snapshotOf(trading, k, time), apiKeys);
  snapshot();
  hub.onStep((m) => {
    trading.spot.afterStep(m);
    trading.futures.afterStep(m);
    trading.coinm.afterStep(m);
    margin.engine.afterStep(m);
    snapshot();
    if (m.spec.market === "usdm" || m.spec.market === "coinm") {
      funding.afterStep(m, m.spec.market === "usdm" ? trading.futures : trading.coinm, now(m.spec.market));
    }
  });
  // the partialFill fault: the next `count` executions of user orders fill half their quantity
  const fillCap = (m: Market, qty: number): number => {
    if (qty < m.spec.stepUnits * 2) return qty;
    if (!faults.take("partialFill", m.spec.market === "spot" ? "spot" : "usdm", m.spec.symbol)) return qty;
    return Math.floor(qty / 2 / m.spec.stepUnits) * m.spec.stepUnits;
  };
  for (const e of [trading.spot, trading.futures, trading.coinm, margin.engine]) e.fillCap = fillCap;
  const drives = new Drives(hub, opt.intervalMs);
  const coverage = new Coverage(hub, trading, () => now("spot"));
  const expiryTimer = setInterval(() => userData.expireDue(), 1000);
  const app = new server.Hono();
  // the outage fault: the server is down (as during a restart): every request and connection
  // attempt of the target answers 503, state is kept
  app.use("*", async (c, next) => {
    const path = new URL(c.req.url).pathname;
    const v: Venue = /^\/(fapi|dapi|fstream|dstream|ws-fapi)(\/|$)/.test(path) ? "usdm" : "spot";
    if (faults.active("outage", v)) {
      return c.json({ code: -1008, msg: "Service unavailable: the server is restarting." }, 503);
    }
    await next();
  });
  const adapter = server.adapter(app);
  const conns: ConnectionSet = new Set();
  registerMarketRoutes(app, core, "spot");
  registerMarketRoutes(app, core, "usdm");
  registerMarketRoutes(app, core, "coinm");
  // the private routes come first: COIN-M user data shares the `/dstream/ws/` path with streams
  registerPrivateRoute(app, adapter.upgradeWebSocket, userData, opt.limits, conns);
  registerStreamRoutes(app, core, adapter.upgradeWebSocket, opt.limits, conns);
  registerSignedRoutes(app, core, trading);
  registerFuturesRoutes(app, core, trading);
  registerMarginRoutes(app, core, trading);
  registerWalletRoutes(app, core, trading);
  registerSubAccountRoutes(app, core, trading, opt.accounts);
  registerSimpleEarnRoutes(app, core, trading);
  registerConvertRoutes(app, core, trading);
  registerPortfolioMarginRoutes(app, core, trading);
  registerListenKeyRoutes(app, core, trading);
  registerOptionsRoutes(app, core, chain);
  const optionsEngine = registerOptionsTradingRoutes(app, core, trading, chain, opt.accounts);
  registerWsApiRoutes(app, core, trading, adapter.upgradeWebSocket, opt.limits, conns);
  app.notFound((c) =>
    c.json({ code: -1000, msg: `Unknown endpoint ${c.req.method} ${new URL(c.req.url).pathname}` }, 404)
  );
  app.onError((_e, c) =>
    c.json({ code: -1000, msg: "An unknown error occurred while processing the request." }, 500)
  );

  const listening: Listening = await adapter.listen({ hostname: opt.hostname, port: opt.port });
  const host = opt.hostname.includes(":") ? `[${opt.hostname}]` : opt.hostname;
  const http = `http://${host}:${listening.port}`;
  const ws = `ws://${host}:${listening.port}`;
  if (!opt.paused) hub.start(opt.intervalMs, opt.firehose);

  const inject = (fault: Fault): FaultHandle => {
    validateFault(fault);
    const venues: Venue[] = fault.target === "spot"
      ? ["spot"]
      : fault.target === "usdm"
      ? ["usdm"]
      : ["spot", "usdm"];
    const hits = (v: Venue) => venues.includes(v);
    switch (fault.name) {
      case "drop": {
        let n = fault.count ?? Infinity;
        for (const c of [...conns]) if (hits(c.venue) && n-- > 0) c.terminate();
        return { clear: () => {} };
      }
      case "rotation": {
        // with durationMs the connections keep serving that long after the notice (a grace period)
        const hit = [...conns].filter((c) => hits(c.venue));
        for (const c of hit) c.notifyShutdown(now(c.venue));
        const shut = (): void => {
          for (const c of hit) c.close(1000, "Server shutdown");
        };
        if (fault.durationMs === undefined) shut();
        else setTimeout(shut, fault.durationMs);
        return { clear: () => {} };
      }
      case "outage": {
        const h = faults.add(fault);
        for (const c of [...conns]) if (hits(c.venue)) c.terminate();
        return h;
      }
      case "listenKeyExpiry":
        userData.expireDue({ apiKey: fault.apiKey });
        userData.expireTokens(fault.apiKey);
        return { clear: () => {} };
      case "staleSnapshot": {
        const snap = new Map<string, Json>();
        for (const m of markets) {
          const mk = m.spec.market;
          const v = mk === "options" ? "eapi" : mk; // options share the futures fault target
          if (hits(faultVenue(v)) && (fault.symbol === undefined || fault.symbol === m.spec.symbol)) {
            const body = v === "eapi" ? optionsDepth(m, 1000, now(v)) : depthSnapshot(m, 5000, now(v));
            snap.set(`${mk}:${m.spec.symbol}`, body);
          }
        }
        return faults.add(fault, snap);
      }
      default:
        return faults.add(fault);
    }
  };
  const timers = opt.faults.map(({ at, ...f }) => setTimeout(() => inject(f), at));
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    drives.close();
    hub.stop();
    for (const p of Object.values(replay)) p.stop();
    clearInterval(expiryTimer);
    for (const t of timers) clearTimeout(t);
    for (const c of [...conns]) c.terminate();
    await listening.close();
  };
  return {
    restUrl: http,
    wsUrl: ws,
    wsApiUrl: `${ws}/ws-api/v3`,
    futuresRestUrl: http,
    futuresWsUrl: `${ws}${FUTURES_STREAM_PREFIX}`,
    futuresWsApiUrl: `${ws}/ws-fapi/v1`,
    coinmWsUrl: `${ws}${COINM_STREAM_PREFIX}`,
    port: listening.port,
    inject,
    book(symbol: string, o: { readonly market?: Venue; readonly limit?: number } = {}): BookView {
      if (o === null || typeof o !== "object") throw new TypeError("Invalid options: expected an object");
      refuseUnknownKeys(o, ["market", "limit"], "options");
      const venue = o.market ?? "spot";
      if (venue !== "spot" && venue !== "usdm" && venue !== "coinm" && venue !== "options") {
        throw new TypeError(`Invalid market: expected "spot", "usdm", "coinm" or "options"`);
      }
      const m = hub.market(venue, symbol);
      if (!m) throw new RangeError(`Unknown symbol ${String(symbol)} on ${venue}`);
      const limit = o.limit ?? Infinity;
      const conv = (pairs: Array<[number, number]>) =>
        pairs.map(([p, q]) => [fmtPrice(m, p), fmtQty(m, q)] as const);
      return {
        symbol: m.spec.symbol,
        lastUpdateId: m.lastUpdateId,
        bids: conv(m.bids.top(limit)),
        asks: conv(m.asks.top(limit)),
      };
    },
    account(apiKey: string): AccountView {
      return accountView(trading, apiKey);
    },
    transfer(apiKey: string, change: TransferChange): void {
      const acc = spotAccounts.get(apiKey);
      if (!acc) throw new RangeError("Unknown account: the API key is not configured");
      if (change === null || typeof change !== "object") {
        throw new TypeError("Invalid change: expected an object");
      }
      refuseUnknownKeys(change, ["asset", "delta", "market"], "change");
      if (change.market !== undefined && change.market !== "spot" && change.market !== "options") {
        throw new TypeError(`Invalid market: expected "spot" or "options"`);
      }
      if (typeof change.asset !== "string" || change.asset === "") {
        throw new TypeError("Invalid asset: expected a string");
      }
      if (typeof change.delta !== "string" || !/^-?\d+(\.\d+)?$/.test(change.delta)) {
        throw new TypeError("Invalid delta: expected a plain signed decimal string");
      }
      const d = new Decimal(change.delta);
      if (change.market === "options") return optionsEngine.transfer(apiKey, change.asset, d);
      if (acc.get(change.asset).free.plus(d).isNegative()) {
        throw new RangeError(`Invalid delta: the free ${change.asset} balance is smaller than the debit`);
      }
      acc.addFree(change.asset, d);
      spotChanged(apiKey, change.asset, change.delta);
      // credits are deposits, debits withdrawals to an outside address
      if (d.isPositive()) wallet.deposit(apiKey, change.asset, d, now("sapi"));
      else if (d.isNegative()) wallet.outflow(apiKey, change.asset, d.neg(), now("sapi"));
    },
    replayDone: Promise.all(Object.values(replay).map((p) => p.done)).then(() => {}),
    startReplay(): void {
      for (const p of Object.values(replay)) p.start();
    },
    step(count = 1): void {
      if (!Number.isInteger(count) || count < 1) {
        throw new RangeError("Invalid count: expected a positive integer");
      }
      for (let i = 0; i < count; i++) hub.stepAll();
    },
    get stepIndex(): number {
      return hub.stepIndex;
    },
    drive(
      symbol: string,
      path: readonly (DrivePrice | DriveStep)[],
      options?: DriveOptions,
    ): Promise<DriveResult> {
      return drives.drive(symbol, path, options);
    },
    recordCoverage(symbol: string, options: CoverageOptions): CoverageRecorder {
      return coverage.record(symbol, options);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
