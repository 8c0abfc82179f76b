/**
 * Command-line arguments of the emulator CLI, parsed into `startEmulator` options plus the
 * names of recording files to read. Pure: no file access here.
 *
 * @module
 */
import type { AccountOptions, EmulatorOptions } from "./options.ts";

/** Usage text of the CLI. */
export const USAGE: string = `Usage: unicorn-binance-emulator [options]

Starts a local Binance emulator and prints its URLs. Stop with Ctrl-C.

Options:
  --port <n>             TCP port (default 9000; 0 picks a free port)
  --host <name>          interface to bind (default 127.0.0.1)
  --seed <n>             simulator seed (default 1)
  --interval <ms>        simulator step (default 100)
  --market <SYMBOL>[:<price>]  simulate this spot market instead of the defaults (repeatable)
  --firehose             step as fast as consumers read
  --account <key>:<secret>          add an HMAC account (repeatable)
  --account-pem <key>:<pem file>    add an RSA/Ed25519 account (repeatable)
  --replay-spot <prefix>  replay a spot recording (<prefix>.ws.1.0, .http.0.0, .0)
  --replay-usdm <prefix>  replay a USD-M recording
  --replay-coinm <prefix> replay a COIN-M recording
  --speed <x>            replay pace (1 = original, "max" = as fast as possible)
  --help                 show this text`;

/** Parsed CLI arguments. */
export interface CliArgs {
  readonly help: boolean;
  readonly options: EmulatorOptions;
  /** Accounts whose PEM file still has to be read: [apiKey, path]. */
  readonly pemAccounts: ReadonlyArray<readonly [string, string]>;
  /** Replay file prefixes by venue. */
  readonly replay: { readonly spot?: string; readonly usdm?: string; readonly coinm?: string };
}

function num(flag: string, v: string | undefined): number {
  if (v === undefined || !/^\d+$/.test(v)) {
    throw new TypeError(`Invalid ${flag}: expected a non-negative integer`);
  }
  return Number(v);
}

/**
 * Parses the argument list.
 *
 * @throws {TypeError} naming the flag when an argument is unknown or malformed
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const o: Record<string, unknown> = { port: 9000 };
  const accounts: AccountOptions[] = [];
  const pemAccounts: Array<[string, string]> = [];
  const markets: { symbol: string; price?: string }[] = [];
  const replay: { spot?: string; usdm?: string; coinm?: string } = {};
  let speed: number | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string | undefined => argv[++i];
    switch (a) {
      case "--help":
      case "-h":
        help = true;
        break;
      case "--port":
        o.port = num(a, next());
        break;
      case "--host": {
        const h = next();
        if (!h) throw new TypeError("Invalid --host: expected a host name");
        o.hostname = h;
        break;
      }
      case "--seed":
        o.seed = num(a, next());
        break;
      case "--interval":
        o.intervalMs = num(a, next());
        break;
      case "--firehose":
        o.firehose = true;
        break;
      case "--account": {
        const v = next() ?? "";
        const k = v.indexOf(":");
        if (k <= 0 || k === v.length - 1) {
          throw new TypeError("Invalid --account: expected <apiKey>:<secretKey>");
        }
        accounts.push({ apiKey: v.slice(0, k), secretKey: v.slice(k + 1) });
        break;
      }
      case "--account-pem": {
        const v = next() ?? "";
        const k = v.indexOf(":");
        if (k <= 0 || k === v.length - 1) {
          throw new TypeError("Invalid --account-pem: expected <apiKey>:<pem file>");
        }
        pemAccounts.push([v.slice(0, k), v.slice(k + 1)]);
        break;
      }
      case "--market": {
        const m = /^([A-Z0-9]{2,20})(?::(\d+(?:\.\d+)?))?$/.exec(next() ?? "");
        if (!m) {
          throw new TypeError("Invalid --market: expected <SYMBOL> or <SYMBOL>:<price>, e.g. BTCUSDT:60000");
        }
        markets.push(m[2] ? { symbol: m[1], price: m[2] } : { symbol: m[1] });
        break;
      }
      case "--replay-spot":
      case "--replay-usdm":
      case "--replay-coinm": {
        const v = next();
        if (!v) throw new TypeError(`Invalid ${a}: expected a recording path prefix`);
        replay[a.slice("--replay-".length) as "spot" | "usdm" | "coinm"] = v;
        break;
      }
      case "--speed": {
        const v = next();
        speed = v === "max" ? Infinity : Number(v);
        if (!(speed > 0)) throw new TypeError(`Invalid --speed: expected a number > 0 or "max"`);
        break;
      }
      default:
        throw new TypeError(`Unknown argument ${a}`);
    }
  }
  if (accounts.length > 0) o.accounts = accounts;
  if (markets.length > 0) o.markets = markets;
  if (speed !== undefined) o.replay = { speed };
  return { help, options: o as EmulatorOptions, pemAccounts, replay };
}
