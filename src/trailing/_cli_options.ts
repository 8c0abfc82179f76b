/**
 * The parsed `ubtsl` command line ({@link CliOptions}) and its usage error.
 *
 * @module
 */
import { BinanceError } from "../core/errors.ts";

/** Exit code: usage or config error. */
export const EXIT_USAGE = 1;

/**
 * A bad command line: names the flag and the rule; exit code 1.
 *
 * @example
 * ```ts
 * import { CliUsageError, parseArgs } from "./cli_args.ts";
 * import { assertThrows } from "@std/assert";
 *
 * assertThrows(() => parseArgs(["--market"]), CliUsageError, "--market: needs a value");
 * ```
 */
export class CliUsageError extends BinanceError {
  /** The flag (`--market`), or `"argv"` for a stray argument. */
  readonly flag: string;
  /** The rule that failed. */
  readonly rule: string;
  /** Always {@link EXIT_USAGE}. */
  readonly exitCode: 1 = EXIT_USAGE;
  /**
   * Creates the error.
   *
   * @param flag The flag.
   * @param rule The rule.
   */
  constructor(flag: string, rule: string) {
    super(`Invalid argument ${flag}: ${rule}`);
    this.name = "CliUsageError";
    this.flag = flag;
    this.rule = rule;
  }
}

/** Parsed command line (only what was given). */
export interface CliOptions {
  /** Set when argv was empty: the help is shown and the exit code is 1 (Python's rule). */
  readonly noArguments?: boolean;
  /** `-h`, `--help`. */
  readonly help?: boolean;
  /** `-ak`, `--apikey`. */
  readonly apiKey?: string;
  /** `-as`, `--apisecret`. */
  readonly apiSecret?: string;
  /** `-bt`, `--borrowthreshold`. */
  readonly borrowThreshold?: string;
  /** `-coo`, `--cancelopenorders`. */
  readonly cancelOpenOrders?: boolean;
  /** `-cci`, `--createconfigini`. */
  readonly createConfigIni?: boolean;
  /** `-cpi`, `--createprofilesini`. */
  readonly createProfilesIni?: boolean;
  /** `-cf`, `--configfile`. */
  readonly configFile?: string;
  /** `-pff`, `--profilesfile`. */
  readonly profilesFile?: string;
  /** `-cu`, `--checkupdate`. */
  readonly checkUpdate?: boolean;
  /** `-ex`, `--example`. */
  readonly example?: "config" | "profiles";
  /** `-e`, `--exchange`. */
  readonly exchange?: string;
  /** `-n`, `--engine`. */
  readonly engine?: "trail" | "jump-in-and-trail";
  /** `-k`, `--keepthreshold`. */
  readonly keepThreshold?: string;
  /** `-lf`, `--logfile`. */
  readonly logFile?: string;
  /** `-ll`, `--loglevel` (`WARN` is read as `WARNING`). */
  readonly logLevel?: "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL";
  /** `-loo`, `--listopenorders`. */
  readonly listOpenOrders?: boolean;
  /** `-m`, `--market` (upper-cased). */
  readonly market?: string;
  /** `-oci`, `--openconfigini`. */
  readonly openConfigIni?: boolean;
  /** `-opi`, `--openprofilesini`. */
  readonly openProfilesIni?: boolean;
  /** `-ot`, `--ordertype`. */
  readonly orderType?: "LIMIT" | "MARKET";
  /** `-pf`, `--profile`. */
  readonly profile?: string;
  /** `-r`, `--resetstoplossprice` (`True`/`False`, any case). */
  readonly resetStopLossPrice?: boolean;
  /** `-l`, `--stoplosslimit`. */
  readonly stopLossLimit?: string;
  /** `-sl`, `--stoplossstartlimit`. */
  readonly stopLossStartLimit?: string;
  /** `-p`, `--stoplossprice`. */
  readonly stopLossPrice?: string;
  /** `-t`, `--test`. */
  readonly test?: "notification" | "binance-connectivity" | "streams";
  /** Seconds of `--test streams<N>`; absent: until Ctrl-C. */
  readonly testSeconds?: number;
  /** `-v`, `--version`. */
  readonly version?: boolean;
  /** `-tg`, `--trigger-gap`. */
  readonly triggerGap?: string;
  /** `--mode`. */
  readonly mode?: "client" | "native" | "auto";
  /** `--side` (`long` = `SELL`, `short` = `BUY`). */
  readonly side?: "SELL" | "BUY";
  /** `--state-file`. */
  readonly stateFile?: string;
  /** `--min-step`. */
  readonly minStep?: string;
  /** `--debounce-ms`. */
  readonly debounceMs?: number;
  /** `--price-source`. */
  readonly priceSource?: "last" | "book" | "mark";
  /** `--json`. */
  readonly json?: boolean;
  /** `--emulator`. */
  readonly emulator?: boolean;
  /** `--all-orders`: `--cancelopenorders` cancels every open order of the market (Python's rule). */
  readonly allOrders?: boolean;
  /** `--rest-url`: REST origin instead of the exchange's (a standalone emulator, a proxy). */
  readonly restUrl?: string;
  /** `--stream-url`: market-stream base instead of the exchange's. */
  readonly streamUrl?: string;
  /** `--ws-api-url`: WebSocket-API URL (full path) instead of the exchange's (the run loop). */
  readonly wsApiUrl?: string;
  /** `--registry`: npm registry of `--checkupdate`. */
  readonly registry?: string;
}
