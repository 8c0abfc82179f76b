/**
 * `ubtsl --openconfigini` / `--openprofilesini`: open the ini file ubtsl would read, as the Python
 * CLI does with the OS handler. The file is the one the engine resolves (`--configfile` /
 * `--profilesfile`, else `./`, then `~/.unicorn-binance-suite/config/`); it is opened with
 * `$VISUAL` or `$EDITOR` when set (a terminal editor, on this terminal), otherwise with the
 * platform's handler (`xdg-open`, macOS `open`, Windows `start`). A broken file can be opened too:
 * nothing is parsed.
 *
 * @module
 */
import { spawn } from "node:child_process";
import process from "node:process";
import { findIniFile, type IniKind } from "./cli_config.ts";
import { EXIT_OK, EXIT_USAGE } from "./cli_args.ts";
import type { CliIo } from "./cli_commands.ts";

/** How a file is opened: the program and its arguments, the file last. */
export interface OpenCommand {
  /** Program to run. */
  readonly program: string;
  /** Arguments before the file. */
  readonly args: readonly string[];
  /** `true` when it is the user's editor (it takes the terminal until it exits). */
  readonly editor: boolean;
}

/**
 * The command that opens a file: `$VISUAL`, else `$EDITOR` (split at spaces, so `code --wait`
 * works), else the platform's handler.
 *
 * @param env Environment variables.
 * @param platform `process.platform`.
 * @returns The command.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { openCommand } from "./cli_open.ts";
 *
 * assertEquals(openCommand({ EDITOR: "code --wait" }, "linux"), { program: "code", args: ["--wait"], editor: true });
 * assertEquals(openCommand({}, "darwin"), { program: "open", args: [], editor: false });
 * ```
 */
export function openCommand(
  env: Readonly<Record<string, string | undefined>>,
  platform: string,
): OpenCommand {
  const editor = [env.VISUAL, env.EDITOR].map((v) => v?.trim()).find((v) => v !== undefined && v !== "");
  if (editor !== undefined) {
    const [program, ...args] = editor.split(/\s+/);
    return { program, args, editor: true };
  }
  if (platform === "darwin") return { program: "open", args: [], editor: false };
  if (platform === "win32") return { program: "cmd", args: ["/c", "start", '""'], editor: false };
  return { program: "xdg-open", args: [], editor: false };
}

/** Options of {@link openIniFile}. */
export interface OpenIniOptions {
  /** `--configfile` / `--profilesfile`. */
  readonly explicit?: string;
  /** Working directory (default the process's). */
  readonly cwd?: string;
  /** Home directory (default the user's). */
  readonly home?: string;
  /** Environment (default the process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Platform (default the process's). */
  readonly platform?: string;
}

/**
 * Opens the config or profiles file ubtsl reads. Prints "No config file found!" (the Python CLI's
 * words) and returns 0 when there is none.
 *
 * @param kind `config` or `profiles`.
 * @param io Output streams.
 * @param options Lookup and opener.
 * @returns The exit code: 0 opened or no file, 1 when the opener failed (named in the message).
 * @throws {ConfigFileError} When an explicit path does not exist.
 */
export async function openIniFile(kind: IniKind, io: CliIo, options: OpenIniOptions = {}): Promise<number> {
  const path = findIniFile(kind, { explicit: options.explicit, cwd: options.cwd, home: options.home });
  if (path === undefined) {
    io.out(kind === "config" ? "No config file found!\n" : "No profiles file found!\n");
    return EXIT_OK;
  }
  const cmd = openCommand(options.env ?? process.env, options.platform ?? process.platform);
  io.out(`Opening ${path} with ${cmd.program}\n`);
  const failure = await new Promise<string | undefined>((resolve) => {
    const child = spawn(cmd.program, [...cmd.args, path], {
      stdio: cmd.editor ? "inherit" : "ignore",
      detached: !cmd.editor,
    });
    child.once("error", (e) => resolve(e.message));
    child.once(
      "exit",
      (code, signal) =>
        resolve(code === 0 ? undefined : signal ? `stopped by ${signal}` : `exit code ${code}`),
    );
  });
  if (failure === undefined) return EXIT_OK;
  io.err(`Cannot open ${path} with ${cmd.program}: ${failure} (set $EDITOR to choose the program)\n`);
  return EXIT_USAGE;
}
