/**
 * Options of `startEmulator` and their validation. Bad input throws a TypeError or RangeError
 * that names the field and the rule; nothing is started.
 *
 * @module
 */
import { type ScheduledFault, validateFault } from "./faults.ts";
import { refuseUnknownKeys } from "./option_keys.ts";
import { type ParsedRecording, parseRecording, type ReplayOptions } from "./replay.ts";
import { DEFAULT_MARKETS, type MarketOptions, resolveMarket, type SymbolSpec } from "./symbols.ts";

/** An account of the emulated exchange and the keys that may act for it. */
export interface AccountOptions {
  /** The API key (sent as `X-MBX-APIKEY`). */
  readonly apiKey: string;
  /** HMAC secret key (for HMAC-SHA256 signatures). */
  readonly secretKey?: string;
  /** PEM public key (SPKI, "-----BEGIN PUBLIC KEY-----") of an RSA or Ed25519 key pair. */
  readonly publicKey?: string;
  /** Spot balances by asset, as decimal strings (default: 10000 USDT, 1 BTC, 10 ETH, 100 BNB). */
  readonly balances?: Readonly<Record<string, string>>;
  /** USD-M wallet balances by margin asset (default: 10000 USDT). */
  readonly futuresBalances?: Readonly<Record<string, string>>;
  /** COIN-M wallet balances by margin asset (default: 1 BTC, 10 ETH). */
  readonly coinmBalances?: Readonly<Record<string, string>>;
  /** Cross-margin balances by asset (default: none; transfer in with `/sapi/v1/asset/transfer`). */
  readonly marginBalances?: Readonly<Record<string, string>>;
  /** Options (`/eapi`) wallet by asset (default: 10000 USDT). */
  readonly optionsBalances?: Readonly<Record<string, string>>;
  /** API key of the master account this account is a sub-account of (`/sapi/v1/sub-account/*`). */
  readonly subAccountOf?: string;
  /** Email of a sub-account (default `<apiKey>_virtual@emulatornoemail.com`, lower case). */
  readonly email?: string;
}

/** Connection and rate limits (defaults are Binance's). */
export interface LimitOptions {
  /** Spot REQUEST_WEIGHT per minute (6000). */
  readonly requestWeight?: number;
  /** USD-M REQUEST_WEIGHT per minute (2400); COIN-M has its own pool of the same size. */
  readonly futuresRequestWeight?: number;
  /** `/sapi` IP weight per minute (12000); the per-account (UID) pool allows 15 times as much. */
  readonly sapiRequestWeight?: number;
  /** Options (`/eapi`) REQUEST_WEIGHT per minute (400). */
  readonly optionsRequestWeight?: number;
  /** Requests answered 429 within one minute before a 418 ban (3). */
  readonly banAfter?: number;
  /** First ban duration in ms (120000). */
  readonly banMs?: number;
  /** Streams per spot connection (1024). */
  readonly maxStreams?: number;
  /** Streams per USD-M connection (1024 per Binance; the suite and ccxt use 200). */
  readonly futuresMaxStreams?: number;
  /** Incoming messages per second on spot connections (5). */
  readonly maxIncomingPerSecond?: number;
  /** Incoming messages per second on USD-M connections (10). */
  readonly futuresMaxIncomingPerSecond?: number;
  /** Server ping interval on spot connections (20000). */
  readonly pingIntervalMs?: number;
  /** Server ping interval on USD-M connections (180000). */
  readonly futuresPingIntervalMs?: number;
  /** A spot stream connection that does not answer a ping within this long is closed (60000). */
  readonly pongTimeoutMs?: number;
  /** The same on USD-M and COIN-M stream connections (600000). */
  readonly futuresPongTimeoutMs?: number;
  /** Market-stream connection attempts allowed per window and IP, per stream host (300). */
  readonly connectionAttempts?: number;
  /** The window of `connectionAttempts` in ms (300000 = 5 min). */
  readonly connectionAttemptWindowMs?: number;
  /** Maximum connection life (86400000 = 24 h). */
  readonly maxConnectionLifeMs?: number;
  /** USD-M listenKey validity (3600000 = 60 min). */
  readonly listenKeyValidityMs?: number;
  /**
   * USD-M and COIN-M: margin ratio in % (maintenance margin ÷ margin balance, per margin asset) at
   * which `MARGIN_CALL` is pushed (80; the emulator's reading, Binance names no figure).
   */
  readonly marginCallPercent?: number;
}

/** Options of {@linkcode startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface to bind (default "127.0.0.1"). */
  readonly hostname?: string;
  /** Seed of the market simulator (default 1). The same seed gives the same markets. */
  readonly seed?: number;
  /** Simulated symbols (default: BTCUSDT, ETHUSDT, BNBBTC spot; BTCUSDT, ETHUSDT USD-M). */
  readonly markets?: readonly MarketOptions[];
  /** Real time between simulator steps in ms (default 100: `@100ms` streams emit every step). */
  readonly intervalMs?: number;
  /** Step as fast as consumers read (benchmarks); `intervalMs` is then ignored. */
  readonly firehose?: boolean;
  /** Start without stepping the simulator (tests call `emu.step()`). */
  readonly paused?: boolean;
  /** Accounts and their keys. */
  readonly accounts?: readonly AccountOptions[];
  /** Limits (defaults are Binance's). */
  readonly limits?: LimitOptions;
  /** Server clock in epoch ms (default `Date.now`). */
  readonly now?: () => number;
  /** Faults injected at a time after start. */
  readonly faults?: readonly ScheduledFault[];
  /** Serve recorded sessions instead of simulating the venue(s) they cover. */
  readonly replay?: ReplayOptions;
}

/** Resolved limits. */
export type ResolvedLimits = Required<LimitOptions>;

/** Options after validation and defaults. */
export interface ResolvedOptions {
  readonly port: number;
  readonly hostname: string;
  readonly seed: number;
  readonly markets: readonly SymbolSpec[];
  readonly intervalMs: number;
  readonly firehose: boolean;
  readonly paused: boolean;
  readonly accounts: readonly AccountOptions[];
  readonly limits: ResolvedLimits;
  readonly now: () => number;
  readonly faults: readonly ScheduledFault[];
  readonly replay: {
    readonly spot?: ParsedRecording;
    readonly usdm?: ParsedRecording;
    readonly coinm?: ParsedRecording;
    readonly speed: number;
    readonly autoStart: boolean;
  };
}

const LIMIT_DEFAULTS: ResolvedLimits = {
  requestWeight: 6000,
  futuresRequestWeight: 2400,
  sapiRequestWeight: 12_000,
  optionsRequestWeight: 400,
  banAfter: 3,
  banMs: 120_000,
  maxStreams: 1024,
  futuresMaxStreams: 1024,
  maxIncomingPerSecond: 5,
  futuresMaxIncomingPerSecond: 10,
  pingIntervalMs: 20_000,
  futuresPingIntervalMs: 180_000,
  pongTimeoutMs: 60_000,
  futuresPongTimeoutMs: 600_000,
  connectionAttempts: 300,
  connectionAttemptWindowMs: 300_000,
  maxConnectionLifeMs: 86_400_000,
  listenKeyValidityMs: 3_600_000,
  marginCallPercent: 80,
};

const OPTION_KEYS = [
  "port",
  "hostname",
  "seed",
  "markets",
  "intervalMs",
  "firehose",
  "paused",
  "accounts",
  "limits",
  "now",
  "faults",
  "replay",
] as const satisfies ReadonlyArray<keyof EmulatorOptions>;
const REPLAY_KEYS = ["spot", "usdm", "coinm", "speed", "autoStart"] as const;
const ACCOUNT_KEYS = [
  "apiKey",
  "secretKey",
  "publicKey",
  "balances",
  "futuresBalances",
  "coinmBalances",
  "marginBalances",
  "optionsBalances",
  "subAccountOf",
  "email",
] as const satisfies ReadonlyArray<keyof AccountOptions>;

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new TypeError(`Invalid ${field}: expected an integer`);
  }
  if (v < min || v > max) throw new RangeError(`Invalid ${field}: expected ${min} to ${max}, got ${v}`);
  return v;
}

/**
 * Validates options and fills in defaults.
 *
 * @throws {TypeError} when a field has the wrong type
 * @throws {RangeError} when a value is out of range or duplicated
 */
export function resolveOptions(o: EmulatorOptions = {}): ResolvedOptions {
  if (o === null || typeof o !== "object") throw new TypeError("Invalid options: expected an object");
  refuseUnknownKeys(o, OPTION_KEYS, "");
  const port = o.port === undefined ? 0 : int(o.port, "port", 0, 65535);
  const hostname = o.hostname ?? "127.0.0.1";
  if (typeof hostname !== "string" || hostname === "") {
    throw new TypeError("Invalid hostname: expected a non-empty string");
  }
  const seed = o.seed === undefined ? 1 : int(o.seed, "seed", 0, 2 ** 32 - 1);
  if (o.markets !== undefined && (!Array.isArray(o.markets) || o.markets.length === 0)) {
    throw new TypeError("Invalid markets: expected a non-empty array");
  }
  if (o.replay !== undefined && (o.replay === null || typeof o.replay !== "object")) {
    throw new TypeError("Invalid replay: expected an object");
  }
  if (o.replay) refuseUnknownKeys(o.replay, REPLAY_KEYS, "replay");
  const speed = o.replay?.speed ?? 1;
  if (typeof speed !== "number" || !(speed > 0)) {
    throw new RangeError("Invalid replay.speed: expected a number > 0");
  }
  const autoStart = o.replay?.autoStart ?? true;
  if (typeof autoStart !== "boolean") throw new TypeError("Invalid replay.autoStart: expected a boolean");
  const replay = {
    speed,
    autoStart,
    spot: o.replay?.spot === undefined ? undefined : parseRecording(o.replay.spot, "replay.spot"),
    usdm: o.replay?.usdm === undefined ? undefined : parseRecording(o.replay.usdm, "replay.usdm"),
    coinm: o.replay?.coinm === undefined ? undefined : parseRecording(o.replay.coinm, "replay.coinm"),
  };
  // a replayed venue serves the recording instead of simulated markets
  const markets = (o.markets ?? DEFAULT_MARKETS).map((m, i) => resolveMarket(m, `markets[${i}]`))
    .filter((m) => m.market === "options" || replay[m.market] === undefined);
  const seen = new Set<string>();
  for (const m of markets) {
    const k = `${m.market}:${m.symbol}`;
    if (seen.has(k)) throw new RangeError(`Invalid markets: ${m.symbol} (${m.market}) is listed twice`);
    seen.add(k);
  }
  const intervalMs = o.intervalMs === undefined ? 100 : int(o.intervalMs, "intervalMs", 1, 60_000);
  if (o.firehose !== undefined && typeof o.firehose !== "boolean") {
    throw new TypeError("Invalid firehose: expected a boolean");
  }
  if (o.paused !== undefined && typeof o.paused !== "boolean") {
    throw new TypeError("Invalid paused: expected a boolean");
  }
  if (o.now !== undefined && typeof o.now !== "function") {
    throw new TypeError("Invalid now: expected a function");
  }
  if (o.limits !== undefined && (o.limits === null || typeof o.limits !== "object")) {
    throw new TypeError("Invalid limits: expected an object");
  }
  const limits = { ...LIMIT_DEFAULTS } as Record<string, number>;
  if (o.limits) refuseUnknownKeys(o.limits, Object.keys(LIMIT_DEFAULTS), "limits");
  for (const [k, v] of Object.entries(o.limits ?? {})) {
    limits[k] = int(v, `limits.${k}`, k === "banAfter" ? 0 : 1, 2 ** 31);
  }
  const accounts = o.accounts ?? [];
  if (!Array.isArray(accounts)) throw new TypeError("Invalid accounts: expected an array");
  const keys = new Set<string>();
  accounts.forEach((a, i) => {
    if (a === null || typeof a !== "object") {
      throw new TypeError(`Invalid accounts[${i}]: expected an object`);
    }
    refuseUnknownKeys(a, ACCOUNT_KEYS, `accounts[${i}]`);
    if (typeof a.apiKey !== "string" || !/^[A-Za-z0-9]{1,128}$/.test(a.apiKey)) {
      throw new TypeError(`Invalid accounts[${i}].apiKey: expected 1-128 letters or digits`);
    }
    if (keys.has(a.apiKey)) throw new RangeError(`Invalid accounts[${i}].apiKey: listed twice`);
    keys.add(a.apiKey);
    if (a.secretKey === undefined && a.publicKey === undefined) {
      throw new TypeError(`Invalid accounts[${i}]: expected secretKey (HMAC) or publicKey (RSA/Ed25519 PEM)`);
    }
    if (a.secretKey !== undefined && (typeof a.secretKey !== "string" || a.secretKey === "")) {
      throw new TypeError(`Invalid accounts[${i}].secretKey: expected a non-empty string`);
    }
    if (
      a.publicKey !== undefined &&
      (typeof a.publicKey !== "string" || !a.publicKey.includes("BEGIN PUBLIC KEY"))
    ) {
      throw new TypeError(`Invalid accounts[${i}].publicKey: expected a PEM "PUBLIC KEY" (SPKI)`);
    }
    for (
      const f of [
        "balances",
        "futuresBalances",
        "coinmBalances",
        "marginBalances",
        "optionsBalances",
      ] as const
    ) {
      for (const [asset, v] of Object.entries(a[f] ?? {})) {
        if (typeof v !== "string" || !/^\d+(\.\d+)?$/.test(v)) {
          throw new TypeError(`Invalid accounts[${i}].${f}.${asset}: expected a plain decimal string`);
        }
      }
    }
  });
  accounts.forEach((a, i) => {
    if (a.subAccountOf !== undefined) {
      const master = accounts.find((m) => m.apiKey === a.subAccountOf);
      if (!master || master.subAccountOf !== undefined || master === a) {
        throw new RangeError(
          `Invalid accounts[${i}].subAccountOf: expected the apiKey of a listed master account`,
        );
      }
    }
    if (a.email !== undefined && (typeof a.email !== "string" || !/^[^@\s]+@[^@\s]+$/.test(a.email))) {
      throw new TypeError(`Invalid accounts[${i}].email: expected an email address`);
    }
    if (a.email !== undefined && a.subAccountOf === undefined) {
      throw new TypeError(
        `Invalid accounts[${i}].email: only a sub-account (subAccountOf) has an email here`,
      );
    }
  });
  const faults = o.faults ?? [];
  if (!Array.isArray(faults)) throw new TypeError("Invalid faults: expected an array");
  faults.forEach((f, i) => {
    validateFault(f, `faults[${i}]`);
    int(f.at, `faults[${i}].at`, 0, 86_400_000);
  });
  return {
    port,
    hostname,
    seed,
    markets,
    intervalMs,
    firehose: o.firehose ?? false,
    paused: o.paused ?? false,
    accounts,
    limits: limits as ResolvedLimits,
    now: o.now ?? Date.now,
    faults,
    replay,
  };
}
