/**
 * `ubtsl`: the trailing stop loss on the command line (Python `ubtsl`, same flags and ini files).
 * Parses the flags (`cli_args.ts`), reads `ubtsl_config.ini` / `ubtsl_profiles.ini`
 * (`cli_config.ts`), runs `BinanceTrailingStopLossManager` and reports its events: a live status
 * line on a TTY, or one JSON event per line with `--json`. `--emulator` runs the demo against the
 * embedded emulator with a driven price path. Exit codes: 0 done, 1 usage/config error, 2 the
 * exchange refused, 130 interrupted (Ctrl-C stops cleanly and says whether a stop is left).
 *
 * Run: `deno run -A src/trailing/cli.ts --emulator`, `node …/cli.js --emulator --json`.
 *
 * @module
 */
import process from "node:process";
import { startEmulator } from "../testing/mod.ts";
import {
  type CliOptions,
  CliUsageError,
  commandOf,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_REFUSED,
  EXIT_USAGE,
  helpText,
  parseArgs,
  UBTSL_VERSION,
} from "./cli_args.ts";
import { loadConfigIni, loadProfilesIni, writeExampleIni } from "./cli_config.ts";
import { resolveSettings, type UbtslSettings } from "./cli_settings.ts";
import { sinksFromSettings } from "./cli_notify.ts";
import { type CliIo, DEMO_API_KEY, DEMO_API_SECRET, runCheckUpdate, runCommand } from "./cli_commands.ts";
import { ConfigFileError } from "./config.ts";
import { openIniFile } from "./cli_open.ts";
import { EXAMPLE_CONFIG_INI, EXAMPLE_PROFILES_INI } from "./examples.ts";
import { eventLine, jsonOf } from "./cli_output.ts";
import { BinanceTrailingStopLossManager } from "./manager.ts";
import type { TrailingStopLossOptions } from "./manager_options.ts";
import { FileStateStore } from "./state_file_node.ts";

export type { CliIo } from "./cli_commands.ts";

const STDIO: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  isTty: Boolean(process.stdout.isTTY),
};

const SOURCE = { last: "aggTrade", book: "bookTicker", mark: "markPrice" } as const;

/**
 * The demo path of `--emulator`: up 2 %, then down 4 %, in 0.1 % steps.
 *
 * @param start First price.
 * @param decimals Decimals of the market's tick.
 * @returns The prices.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { demoPath } from "./cli.ts";
 *
 * assertEquals(demoPath(100).slice(0, 2), ["100.10", "100.20"]);
 * ```
 */
export function demoPath(start: number, decimals = 2): string[] {
  const out: string[] = [];
  for (let i = 1; i <= 20; i++) out.push((start * (1 + 0.001 * i)).toFixed(decimals));
  for (let i = 1; i <= 40; i++) out.push((start * (1.02 - 0.001 * i)).toFixed(decimals));
  return out;
}

function managerOptionsOf(
  s: UbtslSettings,
  extra: Partial<TrailingStopLossOptions>,
): TrailingStopLossOptions {
  return {
    exchange: s.exchange,
    market: s.market!,
    stopLossLimit: s.stopLossLimit!,
    ...(s.apiKey ? { apiKey: s.apiKey } : {}),
    ...(s.apiSecret ? { apiSecret: s.apiSecret } : {}),
    ...(s.stopLossStartLimit ? { stopLossStartLimit: s.stopLossStartLimit } : {}),
    stopLossOrderType: s.stopLossOrderType,
    ...(s.triggerGap ? { triggerGap: s.triggerGap } : {}),
    ...(s.stopLossPrice && !s.resetStopLossPrice ? { stopLossPrice: s.stopLossPrice } : {}),
    ...(s.keepThreshold ? { keepThreshold: s.keepThreshold } : {}),
    side: s.side === "SELL" ? "long" : "short",
    mode: s.mode,
    engine: s.engine,
    priceSource: SOURCE[s.priceSource],
    ...(s.minStep ? { minStep: s.minStep } : {}),
    ...(s.debounceMs !== undefined ? { debounceMs: s.debounceMs } : {}),
    ...(s.stateFile ? { stateStore: new FileStateStore(s.stateFile) } : {}),
    autoStart: false,
    ...extra,
  };
}

/**
 * Runs `ubtsl` with `argv` (without the program name) and resolves with the exit code.
 *
 * @param argv Arguments.
 * @param io Output streams (default stdout/stderr).
 * @param signal Aborting it is Ctrl-C (the process's SIGINT is wired by `main`).
 * @returns The exit code.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { runCli } from "./cli.ts";
 *
 * let out = "";
 * const code = await runCli(["--version"], { out: (t) => void (out += t), err: () => {}, isTty: false });
 * assertEquals([code, out.startsWith("UNICORN Binance Trailing Stop Loss")], [0, true]);
 * ```
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = STDIO,
  signal?: AbortSignal,
): Promise<number> {
  let settings: UbtslSettings;
  let options: CliOptions;
  try {
    options = parseArgs(argv);
    if (options.noArguments) {
      io.err(helpText() + "\n");
      return EXIT_USAGE;
    }
    const command = commandOf(options);
    if (command === "help") return io.out(helpText() + "\n"), EXIT_OK;
    if (command === "version") {
      return io.out(`UNICORN Binance Trailing Stop Loss ${UBTSL_VERSION}\n`), EXIT_OK;
    }
    if (command === "example") {
      io.out(options.example === "profiles" ? EXAMPLE_PROFILES_INI : EXAMPLE_CONFIG_INI);
      return EXIT_OK;
    }
    if (command === "create-config-ini" || command === "create-profiles-ini") {
      const r = writeExampleIni(command === "create-config-ini" ? "config" : "profiles");
      io.out(r.written ? `Wrote ${r.path}\n` : `${r.path} exists already, left unchanged\n`);
      return EXIT_OK;
    }
    if (command === "check-update") return await runCheckUpdate(options, io);
    if (command === "open-config-ini") {
      return await openIniFile("config", io, { explicit: options.configFile });
    }
    if (command === "open-profiles-ini") {
      return await openIniFile("profiles", io, { explicit: options.profilesFile });
    }
    const config = options.emulator ? undefined : loadConfigIni({ explicit: options.configFile });
    const profiles = loadProfilesIni({ explicit: options.profilesFile });
    settings = resolveSettings(options, { config, profiles });
    if (command === "test" && options.test === "notification") {
      const sinks = sinksFromSettings(settings, (e) => io.err(`Notification failed: ${e.message}\n`));
      for (const s of sinks) {
        await s.send({
          type: "test",
          subject: "unicorn-binance-trailing-stop-loss notification test",
          text: "Test notification",
        });
      }
      io.out(`Sent a test notification to ${sinks.length} sink(s)\n`);
      return EXIT_OK;
    }
    if (command === "test" || command === "list-open-orders" || command === "cancel-open-orders") {
      return await runCommand(command, options, settings, io, signal);
    }
    if (!settings.market) throw new CliUsageError("--market", "required to run (or market in the profile)");
    if (!settings.stopLossLimit) {
      throw new CliUsageError("--stoplosslimit", "required to run (or stop_loss_limit in the profile)");
    }
    if (!settings.emulator && (!settings.apiKey || !settings.apiSecret)) {
      throw new CliUsageError(
        settings.apiKey ? "--apisecret" : "--apikey",
        "you must provide a valid Binance API key and secret (flags or [BINANCE] in ubtsl_config.ini)",
      );
    }
  } catch (e) {
    if (
      e instanceof CliUsageError || e instanceof ConfigFileError || e instanceof TypeError ||
      e instanceof RangeError
    ) {
      io.err(`${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  return settings.emulator
    ? await runEmulator(settings, io, signal)
    : await runManager(settings, originsOf(options), io, signal);
}

// --rest-url / --stream-url / --ws-api-url: Binance-compatible origins instead of the exchange's
function originsOf(o: CliOptions): Partial<TrailingStopLossOptions> {
  const ws = {
    ...(o.streamUrl ? { streamBase: o.streamUrl } : {}),
    ...(o.wsApiUrl ? { wsApiUrl: o.wsApiUrl, futuresWsApiUrl: o.wsApiUrl } : {}),
    ...(o.restUrl ? { restUrl: o.restUrl } : {}),
  };
  return {
    ...(o.restUrl ? { restOptions: { baseUrl: o.restUrl } } : {}),
    ...(Object.keys(ws).length > 0 ? { wsOptions: ws } : {}),
  };
}

async function runEmulator(settings: UbtslSettings, io: CliIo, signal?: AbortSignal): Promise<number> {
  const apiKey = DEMO_API_KEY;
  const apiSecret = DEMO_API_SECRET;
  await using emu = await startEmulator({
    paused: true,
    intervalMs: 50,
    accounts: [{ apiKey, secretKey: apiSecret }],
  });
  const futures = settings.exchange.includes("futures");
  const coin = settings.exchange.includes("coin");
  if (futures) {
    // a position to protect: the demo opens one
    const { BinanceRestClient } = await import("../rest/client.ts");
    const rest = new BinanceRestClient({
      exchange: settings.exchange,
      apiKey,
      apiSecret,
      baseUrl: emu.restUrl,
    });
    const side = settings.side === "SELL" ? "BUY" : "SELL";
    const o = {
      symbol: settings.market!,
      side: side as "BUY" | "SELL",
      type: "MARKET",
      quantity: coin ? "10" : "0.010",
    };
    if (coin) await rest.futuresCoinCreateOrder(o);
    else await rest.futuresCreateOrder(o);
  }
  const market = futures ? (coin ? "coinm" : "usdm") : "spot";
  let driving: Promise<unknown> | undefined;
  return await runManager(
    settings,
    {
      apiKey,
      apiSecret,
      debounceMs: settings.debounceMs ?? 0,
      reconcileIntervalMs: 5000,
      restOptions: { baseUrl: emu.restUrl },
      wsOptions: {
        streamBase: coin ? emu.coinmWsUrl : futures ? emu.futuresWsUrl : emu.wsUrl,
        wsApiUrl: emu.wsApiUrl,
        futuresWsApiUrl: emu.futuresWsApiUrl,
        restUrl: emu.restUrl,
      },
    },
    io,
    signal,
    (tsl) => {
      const start = Number(tsl.lastPrice);
      const path = demoPath(start, futures ? 1 : 2);
      const reversed = settings.side === "BUY"
        ? path.map((p) => (2 * start - Number(p)).toFixed(futures ? 1 : 2))
        : path;
      driving = emu.drive(settings.market!, reversed, { market }).catch(() => {});
    },
  ).finally(() => driving);
}

async function runManager(
  settings: UbtslSettings,
  extra: Partial<TrailingStopLossOptions>,
  io: CliIo,
  signal?: AbortSignal,
  onStarted?: (tsl: BinanceTrailingStopLossManager) => void,
): Promise<number> {
  let tsl: BinanceTrailingStopLossManager;
  try {
    tsl = new BinanceTrailingStopLossManager(managerOptionsOf(settings, extra));
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  const sinks = sinksFromSettings(settings, (e) => io.err(`Notification failed: ${e.message}\n`));
  let status = false;
  const clearStatus = () => {
    if (status) io.out("\r\x1b[2K");
    status = false;
  };
  const printing = (async () => {
    for await (const e of tsl) {
      if (settings.json) io.out(jsonOf(e) + "\n");
      else {
        clearStatus();
        (e.type === "error" ? io.err : io.out)(eventLine(e) + "\n");
      }
      if (e.type === "finished" && e.reason === "filled") {
        const text = eventLine(e);
        await Promise.all(
          sinks.map((s) =>
            s.send({
              type: "finished",
              subject: `unicorn-binance-trailing-stop-loss '${settings.market}'`,
              text,
            })
          ),
        );
      }
    }
  })();
  const ticker = !settings.json && io.isTty
    ? setInterval(() => {
      const p = tsl.lastPrice;
      const stop = tsl.stopOrder?.stopPrice;
      if (!p || !stop) return;
      const dist = ((Number(p) - Number(stop)) / Number(p) * 100).toFixed(3);
      io.out(`\r\x1b[2K${settings.market} price ${p}  stop ${stop}  distance ${dist} %`);
      status = true;
    }, 250)
    : undefined;
  let interrupted = false;
  const onAbort = () => {
    interrupted = true;
    void tsl.stop();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    try {
      await tsl.start();
    } catch {
      // reported as events
    }
    if (tsl.status === "trailing") onStarted?.(tsl);
    const last = await tsl.done;
    await printing;
    clearStatus();
    if (interrupted) return EXIT_INTERRUPTED;
    if (last.type === "finished" && last.reason === "filled") return EXIT_OK;
    if (last.type === "finished" && last.reason === "canceled") return EXIT_OK;
    return EXIT_REFUSED;
  } finally {
    if (ticker !== undefined) clearInterval(ticker);
    signal?.removeEventListener("abort", onAbort);
    await tsl.stop();
  }
}

/**
 * Entry point: the arguments, SIGINT/SIGTERM as Ctrl-C; the npm bin `unicorn-binance-ubtsl` calls it.
 *
 * @param argv The arguments after the program name.
 * @returns The exit code (0 done, 1 usage/config error, 2 exchange refused, 130 interrupted).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { main } from "./cli.ts";
 *
 * assertEquals(await main(["--version"]), 0); // prints "UNICORN Binance Trailing Stop Loss …"
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  try {
    return await runCli([...argv], STDIO, ac.signal);
  } catch (e) {
    process.stderr.write(`ubtsl failed: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }
}

if ((import.meta as { main?: boolean }).main || isNodeMain()) {
  process.exitCode = await main(process.argv.slice(2));
}

function isNodeMain(): boolean {
  const argv1 = process.argv[1];
  if (!argv1 || typeof (globalThis as { Deno?: unknown }).Deno !== "undefined") return false;
  try {
    return import.meta.url === new URL(`file://${argv1}`).href;
  } catch {
    return false;
  }
}
