/**
 * Command lines for the runtime running the test: a TypeScript file of the project, and the
 * cluster CLI (`src/cluster/cli.ts`) the way `unicorn-binance cluster …` runs, so tests can start
 * them as subprocesses.
 *
 * @module
 */
import process from "node:process";
import { projectPath } from "../_data.ts";

/** The executable and its arguments that run the TypeScript file `file` on this runtime. */
export function runtimeCommand(file: string, args: string[] = []): [string, string[]] {
  if ("Deno" in globalThis) return [process.execPath, ["run", "-A", file, ...args]];
  if ("Bun" in globalThis) return [process.execPath, [file, ...args]];
  return [projectPath("node_modules/.bin/node"), [file, ...args]];
}

/** The executable and its arguments that run `unicorn-binance <args>` on this runtime. */
export function cliCommand(args: string[]): [string, string[]] {
  return runtimeCommand(projectPath("src/cluster/cli.ts"), args);
}
