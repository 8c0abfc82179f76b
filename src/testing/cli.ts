#!/usr/bin/env node
/**
 * CLI: starts the emulator standalone and prints its URLs.
 *
 * ```sh
 * deno run -A src/testing/cli.ts --port 9000
 * ```
 *
 * @module
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { parseCliArgs, USAGE } from "./emulator/cli_args.ts";
import type { Recording } from "./emulator/replay.ts";
import { startEmulator } from "./mod.ts";

function readRecording(prefix: string): Recording {
  return {
    ws: readFileSync(`${prefix}.ws.1.0`, "utf8"),
    http: readFileSync(`${prefix}.http.0.0`, "utf8"),
    exchangeInfo: readFileSync(`${prefix}.0`, "utf8"),
  };
}

/**
 * Runs the CLI with the given arguments until SIGINT/SIGTERM, then closes the emulator (every
 * connection is dropped at once) and exits the process with code 0.
 *
 * @returns the process exit code for `--help` (0) and bad arguments (2)
 */
export async function main(argv: readonly string[]): Promise<number> {
  let emu;
  try {
    const args = parseCliArgs(argv);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    const accounts = [
      ...(args.options.accounts ?? []),
      ...args.pemAccounts.map(([apiKey, path]) => ({ apiKey, publicKey: readFileSync(path, "utf8") })),
    ];
    const replay = args.replay.spot || args.replay.usdm || args.replay.coinm
      ? {
        ...args.options.replay,
        spot: args.replay.spot ? readRecording(args.replay.spot) : undefined,
        usdm: args.replay.usdm ? readRecording(args.replay.usdm) : undefined,
        coinm: args.replay.coinm ? readRecording(args.replay.coinm) : undefined,
      }
      : undefined;
    emu = await startEmulator({ ...args.options, accounts, replay });
  } catch (e) {
    console.error(`unicorn-binance-emulator: ${(e as Error).message}`);
    console.error("Run with --help for usage.");
    return 2;
  }
  console.log(`unicorn-binance emulator listening on port ${emu.port}`);
  console.log(`  restUrl          ${emu.restUrl}   (/api/v3, /sapi/v1, /eapi/v1)`);
  console.log(`  wsUrl            ${emu.wsUrl}   (/ws/<stream>, /stream?streams=)`);
  console.log(`  wsApiUrl         ${emu.wsApiUrl}`);
  console.log(`  futuresRestUrl   ${emu.futuresRestUrl}   (/fapi/v1, /dapi/v1)`);
  console.log(`  futuresWsUrl     ${emu.futuresWsUrl}   (/public, /market, /private)`);
  console.log(`  futuresWsApiUrl  ${emu.futuresWsApiUrl}`);
  console.log(`  coinmWsUrl       ${emu.coinmWsUrl}   (/ws/<stream>, /stream?streams=)`);
  const running = emu;
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await running.close();
  console.log("emulator stopped");
  // every connection is dropped: do not linger on sockets still being torn down
  process.exit(0);
}

if (import.meta.main) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
