/**
 * The flag table of `ubtsl` (names, values, parsers, help lines) and its usage error.
 *
 * @module
 */
import { isExchangeName } from "../core/exchanges.ts";
import { parseAmount } from "./_amount.ts";
import { type CliOptions, CliUsageError } from "./_cli_options.ts";

export { type CliOptions, CliUsageError, EXIT_USAGE } from "./_cli_options.ts";

type Parse = (v: string, flag: string) => unknown;

/** One flag of the command line. */
export interface FlagSpec {
  readonly long: string;
  readonly short?: string;
  readonly key: keyof CliOptions;
  readonly arg?: string;
  readonly parse?: Parse;
  readonly help: string;
}

const text: Parse = (v) => v;
const amount = (zero: boolean): Parse => (v, flag) => {
  try {
    parseAmount(v, "value", zero);
  } catch (e) {
    throw new CliUsageError(flag, (e as Error).message.replace(/^Invalid value: /, ""));
  }
  return v.trim();
};
const choice = (values: readonly string[], map: (v: string) => string = (v) => v): Parse => (v, flag) => {
  const hit = values.find((x) => x.toLowerCase() === v.toLowerCase());
  if (!hit) throw new CliUsageError(flag, `expected one of ${values.join(", ")}, got ${JSON.stringify(v)}`);
  return map(hit);
};

const url: Parse = (v, flag) => {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new CliUsageError(flag, `expected a URL like http://127.0.0.1:8080, got ${JSON.stringify(v)}`);
  }
  if (!["http:", "https:", "ws:", "wss:"].includes(u.protocol)) {
    throw new CliUsageError(flag, `expected an http(s) or ws(s) URL, got ${JSON.stringify(v)}`);
  }
  return v.replace(/\/+$/, "");
};

/** Every flag, in help order. */
export const FLAGS: readonly FlagSpec[] = [
  { long: "help", short: "h", key: "help", help: "Show this help" },
  {
    long: "apikey",
    short: "ak",
    key: "apiKey",
    arg: "KEY",
    parse: text,
    help: "Binance API key (overrides ubtsl_config.ini)",
  },
  {
    long: "apisecret",
    short: "as",
    key: "apiSecret",
    arg: "SECRET",
    parse: text,
    help: "Binance API secret (overrides ubtsl_config.ini)",
  },
  {
    long: "borrowthreshold",
    short: "bt",
    key: "borrowThreshold",
    arg: "AMOUNT",
    parse: text,
    help: "How much of the credit line to use (margin jump-in)",
  },
  {
    long: "cancelopenorders",
    short: "coo",
    key: "cancelOpenOrders",
    help: "Cancel all open orders of --market and exit",
  },
  {
    long: "createconfigini",
    short: "cci",
    key: "createConfigIni",
    help: "Write ~/.unicorn-binance-suite/config/ubtsl_config.ini and exit",
  },
  {
    long: "createprofilesini",
    short: "cpi",
    key: "createProfilesIni",
    help: "Write ~/.unicorn-binance-suite/config/ubtsl_profiles.ini and exit",
  },
  {
    long: "configfile",
    short: "cf",
    key: "configFile",
    arg: "PATH",
    parse: text,
    help: "Config file (default ./ubtsl_config.ini, then ~/.unicorn-binance-suite/config/)",
  },
  {
    long: "profilesfile",
    short: "pff",
    key: "profilesFile",
    arg: "PATH",
    parse: text,
    help: "Profiles file (default ./ubtsl_profiles.ini, then ~/.unicorn-binance-suite/config/)",
  },
  {
    long: "checkupdate",
    short: "cu",
    key: "checkUpdate",
    help: "Say whether a newer release exists and exit",
  },
  {
    long: "example",
    short: "ex",
    key: "example",
    arg: "config|profiles",
    parse: choice(["config", "profiles"]),
    help: "Print an example ini file and exit",
  },
  {
    long: "exchange",
    short: "e",
    key: "exchange",
    arg: "NAME",
    parse: (v, flag) => {
      if (!isExchangeName(v)) {
        throw new CliUsageError(flag, `expected a known exchange like binance.com, got ${JSON.stringify(v)}`);
      }
      return v;
    },
    help: "Exchange: binance.com, binance.com-margin, binance.com-isolated_margin, binance.com-futures, …",
  },
  {
    long: "engine",
    short: "n",
    key: "engine",
    arg: "NAME",
    parse: choice(["trail", "jump-in-and-trail"]),
    help: "trail (default) or jump-in-and-trail",
  },
  {
    long: "keepthreshold",
    short: "k",
    key: "keepThreshold",
    arg: "AMOUNT",
    parse: amount(true),
    help: 'Amount not to sell: "20%" or "0.5"',
  },
  {
    long: "logfile",
    short: "lf",
    key: "logFile",
    arg: "PATH",
    parse: text,
    help: "Log file (default ~/.unicorn-binance-suite/logs/ubtsl.log)",
  },
  {
    long: "loglevel",
    short: "ll",
    key: "logLevel",
    arg: "LEVEL",
    parse: choice(
      ["DEBUG", "INFO", "WARN", "WARNING", "ERROR", "CRITICAL"],
      (v) => v === "WARN" ? "WARNING" : v,
    ),
    help: "DEBUG, INFO (default), WARNING, ERROR or CRITICAL",
  },
  {
    long: "listopenorders",
    short: "loo",
    key: "listOpenOrders",
    help: "Print the open orders of --market and exit",
  },
  {
    long: "market",
    short: "m",
    key: "market",
    arg: "SYMBOL",
    parse: (v, flag) => {
      if (!/^[A-Za-z0-9_]{2,30}$/.test(v)) {
        throw new CliUsageError(flag, `expected a symbol like BTCUSDC, got ${JSON.stringify(v)}`);
      }
      return v.toUpperCase();
    },
    help: "Symbol, e.g. BTCUSDC",
  },
  {
    long: "openconfigini",
    short: "oci",
    key: "openConfigIni",
    help: "Open the config file with the system's handler and exit",
  },
  {
    long: "openprofilesini",
    short: "opi",
    key: "openProfilesIni",
    help: "Open the profiles file with the system's handler and exit",
  },
  {
    long: "ordertype",
    short: "ot",
    key: "orderType",
    arg: "limit|market",
    parse: choice(["LIMIT", "MARKET"]),
    help: "Stop becomes a LIMIT (default) or MARKET order",
  },
  {
    long: "profile",
    short: "pf",
    key: "profile",
    arg: "NAME",
    parse: text,
    help: "Profile (section of ubtsl_profiles.ini)",
  },
  {
    long: "resetstoplossprice",
    short: "r",
    key: "resetStopLossPrice",
    arg: "True|False",
    parse: (v, flag) => choice(["True", "False"])(v, flag) === "True",
    help: "True: ignore an existing stop's price and start from the market",
  },
  {
    long: "stoplosslimit",
    short: "l",
    key: "stopLossLimit",
    arg: "AMOUNT",
    parse: amount(false),
    help: 'Trail distance: "0.5%" or "50" (quote units)',
  },
  {
    long: "stoplossstartlimit",
    short: "sl",
    key: "stopLossStartLimit",
    arg: "AMOUNT",
    parse: amount(false),
    help: "Distance of the first stop",
  },
  {
    long: "stoplossprice",
    short: "p",
    key: "stopLossPrice",
    arg: "PRICE",
    parse: (v, flag) => {
      if (!/^(?:\d+\.?\d*|\.\d+)$/.test(v)) {
        throw new CliUsageError(
          flag,
          `expected a plain decimal price like 64025.5, got ${JSON.stringify(v)}`,
        );
      }
      return v;
    },
    help: "Fixed first stop-loss price",
  },
  {
    long: "test",
    short: "t",
    key: "test",
    arg: "notification|binance-connectivity|streams[N]",
    help: "Test notifications, the API keys, or the streams (N seconds)",
  },
  { long: "version", short: "v", key: "version", help: "Print the version and exit" },
  {
    long: "trigger-gap",
    short: "tg",
    key: "triggerGap",
    arg: "AMOUNT",
    parse: amount(true),
    help: 'Limit stops: trigger this far beyond the limit, "0.05%" or "0.01" (default one tick)',
  },
  {
    long: "mode",
    key: "mode",
    arg: "client|native|auto",
    parse: choice(["client", "native", "auto"]),
    help: "client-side trail (default), exchange-native trail, or native when it fits",
  },
  {
    long: "side",
    key: "side",
    arg: "SELL|BUY",
    parse: (v, flag) =>
      choice(["SELL", "BUY", "long", "short"], (x) => x === "long" ? "SELL" : x === "short" ? "BUY" : x)(
        v,
        flag,
      ),
    help: "SELL stop for a long (default), BUY stop for a short (margin, futures)",
  },
  {
    long: "state-file",
    key: "stateFile",
    arg: "PATH",
    parse: text,
    help: "Keep the trail in this file so a restart resumes it",
  },
  {
    long: "min-step",
    key: "minStep",
    arg: "AMOUNT",
    parse: amount(true),
    help: 'Smallest stop move worth a replace: "0.1%" or "5" (default one tick)',
  },
  {
    long: "debounce-ms",
    key: "debounceMs",
    arg: "MS",
    parse: (v, flag) => {
      if (!/^\d{1,9}$/.test(v)) {
        throw new CliUsageError(flag, `expected milliseconds as a whole number, got ${JSON.stringify(v)}`);
      }
      return Number(v);
    },
    help: "Least time between two stop moves (default 0)",
  },
  {
    long: "price-source",
    key: "priceSource",
    arg: "last|book|mark",
    parse: choice(["last", "book", "mark"]),
    help: "Reference price: last trade (default), best bid/ask, futures mark price",
  },
  { long: "json", key: "json", help: "Print one JSON event per line instead of the status line" },
  {
    long: "emulator",
    key: "emulator",
    help: "Run against the embedded emulator with a driven price path (demo)",
  },
  {
    long: "all-orders",
    key: "allOrders",
    help: "With --cancelopenorders: cancel every open order of --market, not only ubtsl's",
  },
  { long: "rest-url", key: "restUrl", arg: "URL", parse: url, help: "REST origin instead of the exchange's" },
  {
    long: "stream-url",
    key: "streamUrl",
    arg: "URL",
    parse: url,
    help: "Market-stream base (ws:// or wss://) instead of the exchange's",
  },
  {
    long: "ws-api-url",
    key: "wsApiUrl",
    arg: "URL",
    parse: url,
    help: "WebSocket-API URL (with its path) instead of the exchange's",
  },
  {
    long: "registry",
    key: "registry",
    arg: "URL",
    parse: url,
    help: "npm registry of --checkupdate (default $npm_config_registry, then registry.npmjs.org)",
  },
];
