/**
 * Merging the `ubtsl` command line with `ubtsl_profiles.ini` and `ubtsl_config.ini` into the
 * settings of one run, in the Python CLI's order: defaults, then the profile's values, then the
 * flags; API keys and notification settings from the config file unless given as flags. Pure.
 *
 * @module
 */
import type { CliOptions } from "./_cli_flags.ts";
import { CliUsageError } from "./_cli_flags.ts";
import { closestName, ConfigFileError, type UbtslConfig, type UbtslProfiles } from "./config.ts";
import type { TrailOptions } from "./engine.ts";

/** Where a setting came from. */
export type SettingSource = "flag" | "profile" | "config" | "default";

/** The settings of one run. */
export interface UbtslSettings {
  /** Exchange (default `binance.com`). */
  readonly exchange: string;
  /** Symbol. */
  readonly market?: string;
  /** `trail` (default) or `jump-in-and-trail`. */
  readonly engine: "trail" | "jump-in-and-trail";
  /** Amount not to sell. */
  readonly keepThreshold?: string;
  /** Trail distance. */
  readonly stopLossLimit?: string;
  /** Distance of the first stop. */
  readonly stopLossStartLimit?: string;
  /** LIMIT (default) or MARKET. */
  readonly stopLossOrderType: "LIMIT" | "MARKET";
  /** Fixed first stop-loss price. */
  readonly stopLossPrice?: string;
  /** Margin jump-in credit share. */
  readonly borrowThreshold?: string;
  /** Ignore an existing stop's price (default false). */
  readonly resetStopLossPrice: boolean;
  /** Trigger gap of limit stops (`--trigger-gap` or the profile's `stop_loss_trigger_gap`). */
  readonly triggerGap?: string;
  /** client (default), native or auto. */
  readonly mode: "client" | "native" | "auto";
  /** SELL (default) or BUY. */
  readonly side: "SELL" | "BUY";
  /** State file. */
  readonly stateFile?: string;
  /** Minimum stop move. */
  readonly minStep?: string;
  /** Debounce in ms. */
  readonly debounceMs?: number;
  /** Price source (default `last`). */
  readonly priceSource: "last" | "book" | "mark";
  /** API key. */
  readonly apiKey?: string;
  /** API secret. */
  readonly apiSecret?: string;
  /** SMTP settings, when the config file or nothing else has them complete. */
  readonly email?: {
    readonly to: string;
    readonly from: string;
    readonly password?: string;
    readonly server: string;
    readonly port: number;
  };
  /** Telegram settings, when complete. */
  readonly telegram?: { readonly botToken: string; readonly sendTo: string };
  /** Webhook, when set. */
  readonly webhook?: { readonly url: string };
  /** One JSON event per line. */
  readonly json: boolean;
  /** Run against the embedded emulator. */
  readonly emulator: boolean;
  /** Log file (default: the caller's, `~/.unicorn-binance-suite/logs/ubtsl.log`). */
  readonly logFile?: string;
  /** Log level (default INFO). */
  readonly logLevel: "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL";
  /** The profile used. */
  readonly profile?: string;
  /** Where each trading setting came from. */
  readonly sources: Readonly<Record<string, SettingSource>>;
}

const TRADING_KEYS = [
  "exchange",
  "market",
  "engine",
  "keepThreshold",
  "stopLossLimit",
  "stopLossStartLimit",
  "stopLossOrderType",
  "stopLossPrice",
  "borrowThreshold",
  "resetStopLossPrice",
  "triggerGap",
  "mode",
  "side",
  "stateFile",
] as const;

const DEFAULTS: Readonly<Record<string, unknown>> = {
  exchange: "binance.com",
  engine: "trail",
  stopLossOrderType: "LIMIT",
  resetStopLossPrice: false,
  mode: "client",
  side: "SELL",
};

// flag names in CliOptions where they differ from the setting's name
const FLAG_KEY: Readonly<Record<string, keyof CliOptions>> = { stopLossOrderType: "orderType" };
// profile key where it differs (Python's stop_loss_trigger_gap)
const PROFILE_KEY: Readonly<Record<string, string>> = { triggerGap: "stopLossTriggerGap" };

/**
 * Merges flags, profile, config and defaults.
 *
 * @param options Parsed flags.
 * @param files The config and profiles files read (either may be absent).
 * @returns The settings.
 * @throws {CliUsageError} When `--profile` is given but no profiles file was found.
 * @throws {ConfigFileError} When the profile is not in the profiles file (names the closest).
 *
 * @example
 * ```ts
 * import { parseArgs } from "./cli_args.ts";
 * import { resolveSettings } from "./cli_settings.ts";
 * import { parseProfilesIni } from "./config.ts";
 * import { EXAMPLE_PROFILES_INI } from "./examples.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const profiles = parseProfilesIni(EXAMPLE_PROFILES_INI, "ubtsl_profiles.ini");
 * const s = resolveSettings(parseArgs(["--profile", "BTCUSDC_SELL", "--stoplosslimit", "0.5%"]), { profiles });
 * assertEquals([s.exchange, s.stopLossLimit, s.sources.stopLossLimit, s.triggerGap], ["binance.com-isolated_margin", "0.5%", "flag", "0.01"]);
 * ```
 */
export function resolveSettings(
  options: CliOptions,
  files: { readonly config?: UbtslConfig; readonly profiles?: UbtslProfiles } = {},
): UbtslSettings {
  let profile: Readonly<Record<string, unknown>> = {};
  if (options.profile !== undefined) {
    const p = files.profiles;
    if (!p) {
      throw new CliUsageError(
        "--profile",
        "no ubtsl_profiles.ini found (looked in --profilesfile, ./ and ~/.unicorn-binance-suite/config/)",
      );
    }
    const hit = p.profiles[options.profile];
    if (!hit) {
      const names = Object.keys(p.profiles);
      throw new ConfigFileError({
        file: p.file,
        section: options.profile,
        rule: names.length
          ? `no such profile (did you mean ${closestName(options.profile, names)}?)`
          : "no such profile (the file has no profiles)",
      });
    }
    profile = hit as unknown as Record<string, unknown>;
  }
  const out: Record<string, unknown> = {};
  const sources: Record<string, SettingSource> = {};
  const flags = options as Readonly<Record<string, unknown>>;
  for (const key of TRADING_KEYS) {
    const f = flags[FLAG_KEY[key] ?? key];
    const p = profile[PROFILE_KEY[key] ?? key];
    const [value, source]: [unknown, SettingSource | undefined] = f !== undefined
      ? [f, "flag"]
      : p !== undefined
      ? [p, "profile"]
      : DEFAULTS[key] !== undefined
      ? [DEFAULTS[key], "default"]
      : [undefined, undefined];
    if (source) {
      out[key] = value;
      sources[key] = source;
    }
  }
  const c = files.config;
  const apiKey = options.apiKey ?? c?.binance.apiKey;
  const apiSecret = options.apiSecret ?? c?.binance.apiSecret;
  if (apiKey !== undefined) sources.apiKey = options.apiKey !== undefined ? "flag" : "config";
  const e = c?.email;
  const t = c?.telegram;
  return {
    ...(out as Omit<UbtslSettings, "sources" | "json" | "emulator" | "logLevel" | "priceSource">),
    ...(options.minStep !== undefined ? { minStep: options.minStep } : {}),
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
    priceSource: options.priceSource ?? "last",
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(apiSecret !== undefined ? { apiSecret } : {}),
    // Python sends email only with to, from, server and port all set
    ...(e?.to && e.from && e.server && e.port
      ? {
        email: {
          to: e.to,
          from: e.from,
          server: e.server,
          port: e.port,
          ...(e.password ? { password: e.password } : {}),
        },
      }
      : {}),
    ...(t?.botToken && t.sendTo ? { telegram: { botToken: t.botToken, sendTo: t.sendTo } } : {}),
    ...(c?.webhook.url ? { webhook: { url: c.webhook.url } } : {}),
    json: options.json ?? false,
    emulator: options.emulator ?? false,
    ...(options.logFile !== undefined ? { logFile: options.logFile } : {}),
    logLevel: options.logLevel ?? "INFO",
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    sources,
  };
}

/**
 * The engine's trail options from the settings of a run; checks what a run needs.
 *
 * @param s The settings.
 * @returns The trail options for `trailConfig`.
 * @throws {CliUsageError} When the market or the trail distance is missing, or API keys are
 *   missing outside `--emulator` (names the flag and the profile key that would set it).
 *
 * @example
 * ```ts
 * import { parseArgs } from "./cli_args.ts";
 * import { resolveSettings, trailOptionsOf } from "./cli_settings.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const s = resolveSettings(parseArgs(["-m", "BTCUSDT", "-l", "1%", "--emulator", "-ot", "market"]));
 * assertEquals(trailOptionsOf(s), { side: "SELL", distance: "1%", orderType: "MARKET" });
 * ```
 */
export function trailOptionsOf(s: UbtslSettings): TrailOptions {
  if (s.market === undefined) {
    throw new CliUsageError("--market", "required to run (or market in the profile)");
  }
  if (s.stopLossLimit === undefined) {
    throw new CliUsageError("--stoplosslimit", "required to run (or stop_loss_limit in the profile)");
  }
  if (!s.emulator && (s.apiKey === undefined || s.apiSecret === undefined)) {
    throw new CliUsageError(
      s.apiKey === undefined ? "--apikey" : "--apisecret",
      "you must provide a valid Binance API key and secret (flags or [BINANCE] in ubtsl_config.ini)",
    );
  }
  return {
    side: s.side,
    distance: s.stopLossLimit,
    ...(s.stopLossStartLimit !== undefined ? { startDistance: s.stopLossStartLimit } : {}),
    ...(s.triggerGap !== undefined ? { triggerGap: s.triggerGap } : {}),
    orderType: s.stopLossOrderType,
    ...(s.minStep !== undefined ? { minStep: s.minStep } : {}),
    ...(s.debounceMs !== undefined ? { debounceMs: s.debounceMs } : {}),
  };
}
