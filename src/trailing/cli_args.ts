/**
 * The `ubtsl` command line: every flag of the Python CLI with the same long and short names
 * (argparse rules: `--flag value`, `--flag=value`, unique prefixes of long flags, the last
 * occurrence wins), plus `--trigger-gap`, `--mode`, `--side`, `--state-file`, `--min-step`,
 * `--debounce-ms`, `--price-source`, `--json` and `--emulator`. Pure: {@link parseArgs} turns
 * argv into options or a {@link CliUsageError} naming the flag and the rule; {@link resolveSettings}
 * merges flags over the profile over the defaults (API keys and notification settings: flags
 * over `ubtsl_config.ini`), as the Python CLI does.
 *
 * @module
 */
import { closestName } from "./config.ts";
import { type CliOptions, CliUsageError, EXIT_USAGE, FLAGS, type FlagSpec } from "./_cli_flags.ts";

export { type CliOptions, CliUsageError, EXIT_USAGE } from "./_cli_flags.ts";

/** Exit code: done. */
export const EXIT_OK = 0;
/** Exit code: the exchange refused (order rejected, keys refused, symbol unknown). */
export const EXIT_REFUSED = 2;
/** Exit code: interrupted (Ctrl-C / SIGINT). */
export const EXIT_INTERRUPTED = 130;

/** Version printed by `--version`. */
export const UBTSL_VERSION: string = "0.1.0";

function parseTest(v: string, flag: string): Pick<CliOptions, "test" | "testSeconds"> {
  if (v === "notification" || v === "binance-connectivity" || v === "streams") return { test: v };
  const m = /^streams(\d{1,6})$/.exec(v);
  if (m && Number(m[1]) > 0) return { test: "streams", testSeconds: Number(m[1]) };
  throw new CliUsageError(
    flag,
    `expected notification, binance-connectivity, streams or streams<seconds>, got ${JSON.stringify(v)}`,
  );
}

function findFlag(token: string): FlagSpec {
  if (token.startsWith("--")) {
    const name = token.slice(2);
    const exact = FLAGS.find((f) => f.long === name);
    if (exact) return exact;
    // argparse accepts a unique prefix of a long option
    const prefixed = FLAGS.filter((f) => f.long.startsWith(name));
    if (name.length > 0 && prefixed.length === 1) return prefixed[0];
    if (prefixed.length > 1) {
      throw new CliUsageError(token, `ambiguous: could be ${prefixed.map((f) => `--${f.long}`).join(", ")}`);
    }
    throw new CliUsageError(
      token,
      `unknown flag (did you mean --${closestName(name, FLAGS.map((f) => f.long))}?)`,
    );
  }
  const short = FLAGS.find((f) => f.short === token.slice(1));
  if (short) return short;
  const shorts = FLAGS.filter((f) => f.short).map((f) => f.short!);
  throw new CliUsageError(token, `unknown flag (did you mean -${closestName(token.slice(1), shorts)}?)`);
}

/**
 * Parses the command line.
 *
 * @param argv Arguments after the program name.
 * @returns The options given (no arguments at all → `{ help: true, noArguments: true }`: the CLI
 *   shows the help and exits 1 then, as Python; `--help` exits 0).
 * @throws {CliUsageError} On an unknown or ambiguous flag, a missing or bad value, or a stray argument.
 *
 * @example
 * ```ts
 * import { parseArgs } from "./cli_args.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(parseArgs(["--profile", "BTCUSDC_SELL", "-l", "0.5%"]), { profile: "BTCUSDC_SELL", stopLossLimit: "0.5%" });
 * ```
 */
export function parseArgs(argv: readonly string[]): CliOptions {
  if (argv.length === 0) return { help: true, noArguments: true };
  const out: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (typeof token !== "string" || !token.startsWith("-") || token === "-" || token === "--") {
      throw new CliUsageError(
        "argv",
        `unexpected argument ${JSON.stringify(token)} (every value follows its flag)`,
      );
    }
    const eq = token.indexOf("=");
    const name = eq > 0 ? token.slice(0, eq) : token;
    const spec = findFlag(name);
    const flag = `--${spec.long}`;
    if (!spec.arg) {
      if (eq > 0) throw new CliUsageError(flag, "takes no value");
      out[spec.key] = true;
      continue;
    }
    let v: string | undefined;
    if (eq > 0) v = token.slice(eq + 1);
    else {
      v = argv[i + 1];
      // a following flag is not a value (argparse: "expected one argument")
      if (v === undefined || (v.startsWith("-") && !/^-\d/.test(v))) {
        throw new CliUsageError(flag, `needs a value (${spec.arg})`);
      }
      i++;
    }
    if (v.trim() === "") throw new CliUsageError(flag, `needs a value (${spec.arg})`);
    if (spec.key === "test") {
      delete out.testSeconds;
      Object.assign(out, parseTest(v, flag));
    } else {
      out[spec.key] = spec.parse!(v, flag);
    }
  }
  return out as CliOptions;
}

/** What the CLI does, in the Python CLI's order of precedence. */
export type CliCommand =
  | "help"
  | "create-config-ini"
  | "create-profiles-ini"
  | "check-update"
  | "version"
  | "example"
  | "open-config-ini"
  | "open-profiles-ini"
  | "test"
  | "cancel-open-orders"
  | "list-open-orders"
  | "run";

/**
 * The command the options ask for, in the Python CLI's processing order (help, create ini files,
 * check update, version, example, open ini files, tests, cancel/list open orders, run).
 *
 * @param o Parsed options.
 * @returns The command.
 *
 * @example
 * ```ts
 * import { commandOf, parseArgs } from "./cli_args.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(commandOf(parseArgs(["--version", "--createconfigini"])), "create-config-ini");
 * ```
 */
export function commandOf(o: CliOptions): CliCommand {
  if (o.help) return "help";
  if (o.createConfigIni) return "create-config-ini";
  if (o.createProfilesIni) return "create-profiles-ini";
  if (o.checkUpdate) return "check-update";
  if (o.version) return "version";
  if (o.example) return "example";
  if (o.openConfigIni) return "open-config-ini";
  if (o.openProfilesIni) return "open-profiles-ini";
  if (o.test) return "test";
  if (o.cancelOpenOrders) return "cancel-open-orders";
  if (o.listOpenOrders) return "list-open-orders";
  return "run";
}

const EXAMPLES = [
  "ubtsl --createconfigini",
  "ubtsl --openconfigini",
  "ubtsl --test binance-connectivity",
  "ubtsl --test notification",
  "ubtsl --test streams --exchange binance.com --market BTCUSDC",
  "ubtsl --profile BTCUSDC_SELL --stoplosslimit 0.5%",
  "ubtsl -m BTCUSDC -n trail --stoplosslimit 1% -e binance.com",
  "ubtsl --profile BTCUSDC_SMART_ENTRY",
  "ubtsl --profile BTCUSDC_SELL --listopenorders",
  "ubtsl --exchange binance.com --market BTCUSDC --cancelopenorders",
  "ubtsl -e binance.com-futures -m BTCUSDT --side BUY -l 1% --mode auto --state-file btc.json",
  "ubtsl --emulator --json",
];

/**
 * The `--help` text: usage, every flag with its short and long name, examples, exit codes and
 * the disclaimer.
 *
 * @returns The text.
 *
 * @example
 * ```ts
 * import { helpText } from "./cli_args.ts";
 * import { assert } from "@std/assert";
 *
 * assert(helpText().includes("-l AMOUNT, --stoplosslimit AMOUNT"));
 * ```
 */
export function helpText(): string {
  const rows = FLAGS.map((f) => {
    const a = f.arg ? ` ${f.arg}` : "";
    const names = f.short ? `-${f.short}${a}, --${f.long}${a}` : `--${f.long}${a}`;
    return [names, f.help] as const;
  });
  const width = Math.min(48, Math.max(...rows.map(([n]) => n.length)) + 2);
  const lines = rows.map(([n, h]) =>
    n.length + 2 > width ? `  ${n}\n  ${" ".repeat(width)}${h}` : `  ${n.padEnd(width)}${h}`
  );
  return [
    "usage: ubtsl [flags]",
    "",
    `UNICORN Binance Trailing Stop Loss ${UBTSL_VERSION}: a stop-loss order that follows the market`,
    "up (a SELL stop for a long) or down (a BUY stop for a short) and fires when it turns.",
    "",
    "Values: flags override the profile (ubtsl_profiles.ini), the profile overrides the defaults;",
    "API keys and notification settings come from ubtsl_config.ini unless given as flags.",
    "",
    "flags:",
    ...lines,
    "",
    "examples:",
    ...EXAMPLES.map((e) => `  ${e}`),
    "",
    `exit codes: ${EXIT_OK} done, ${EXIT_USAGE} usage or config error, ${EXIT_REFUSED} exchange refused, ${EXIT_INTERRUPTED} interrupted`,
    "",
    "Disclaimer: this is software, not financial advice. A stop-loss order limits a loss only as far",
    "as the market lets it fill; use it at your own risk.",
  ].join("\n");
}
