/**
 * Finding and reading `ubtsl_config.ini` / `ubtsl_profiles.ini` where the Python CLI looks for
 * them: an explicit `--configfile` / `--profilesfile` path, else `./` first, then
 * `~/.unicorn-binance-suite/config/`. And writing the shipped examples there
 * (`--createconfigini` / `--createprofilesini`). CLI side: uses `node:fs`.
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { cwd as processCwd } from "node:process";
import {
  ConfigFileError,
  parseConfigIni,
  parseProfilesIni,
  type UbtslConfig,
  type UbtslProfiles,
} from "./config.ts";
import { EXAMPLE_CONFIG_INI, EXAMPLE_PROFILES_INI } from "./examples.ts";

/** Which of the two files. */
export type IniKind = "config" | "profiles";

/** Where to look. */
export interface LookupOptions {
  /** Explicit path (`--configfile` / `--profilesfile`); when set, nothing else is tried. */
  readonly explicit?: string;
  /** Working directory; default `process.cwd()`. */
  readonly cwd?: string;
  /** Home directory; default `os.homedir()`. */
  readonly home?: string;
}

const FILE_NAMES: Readonly<Record<IniKind, string>> = {
  config: "ubtsl_config.ini",
  profiles: "ubtsl_profiles.ini",
};

/**
 * The suite's config folder: `~/.unicorn-binance-suite/config/`.
 *
 * @param home Home directory; default `os.homedir()`.
 * @returns The folder path.
 *
 * @example
 * ```ts
 * import { configDirectory } from "./cli_config.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(configDirectory("/home/u").replaceAll("\\", "/"), "/home/u/.unicorn-binance-suite/config");
 * ```
 */
export function configDirectory(home: string = homedir()): string {
  return join(home, ".unicorn-binance-suite", "config");
}

/**
 * The paths tried for a file, in order.
 *
 * @param kind `config` or `profiles`.
 * @param options Explicit path, working and home directory.
 * @returns `[explicit]`, or `[./<name>, ~/.unicorn-binance-suite/config/<name>]`.
 *
 * @example
 * ```ts
 * import { searchPaths } from "./cli_config.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(searchPaths("profiles", { cwd: "/w", home: "/h" }).map((p) => p.replaceAll("\\", "/")),
 *   ["/w/ubtsl_profiles.ini", "/h/.unicorn-binance-suite/config/ubtsl_profiles.ini"]);
 * ```
 */
export function searchPaths(kind: IniKind, options: LookupOptions = {}): string[] {
  const cwd = options.cwd ?? processCwd();
  if (options.explicit !== undefined) return [resolve(cwd, options.explicit)];
  return [join(cwd, FILE_NAMES[kind]), join(configDirectory(options.home), FILE_NAMES[kind])];
}

/**
 * The first existing file of {@link searchPaths}.
 *
 * @param kind `config` or `profiles`.
 * @param options Explicit path, working and home directory.
 * @returns Its path, or `undefined` when none exists.
 * @throws {ConfigFileError} When an explicit path does not exist.
 *
 * @example
 * ```ts
 * import { findIniFile } from "./cli_config.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(findIniFile("config", { cwd: "/nonexistent", home: "/nonexistent" }), undefined);
 * ```
 */
export function findIniFile(kind: IniKind, options: LookupOptions = {}): string | undefined {
  const paths = searchPaths(kind, options);
  const found = paths.find((p) => existsSync(p));
  if (!found && options.explicit !== undefined) {
    throw new ConfigFileError({ file: paths[0], rule: "file not found" });
  }
  return found;
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigFileError({ file: path, rule: `cannot read the file: ${(e as Error).message}` });
  }
}

/**
 * Finds and reads `ubtsl_config.ini`.
 *
 * @param options Explicit path, working and home directory.
 * @returns The config, or `undefined` when no file exists.
 * @throws {ConfigFileError} On an unreadable or invalid file, or a missing explicit path.
 *
 * @example
 * ```ts
 * import { loadConfigIni } from "./cli_config.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(loadConfigIni({ cwd: "/nonexistent", home: "/nonexistent" }), undefined);
 * ```
 */
export function loadConfigIni(options: LookupOptions = {}): UbtslConfig | undefined {
  const path = findIniFile("config", options);
  return path === undefined ? undefined : parseConfigIni(readText(path), path);
}

/**
 * Finds and reads `ubtsl_profiles.ini`.
 *
 * @param options Explicit path, working and home directory.
 * @returns The profiles, or `undefined` when no file exists.
 * @throws {ConfigFileError} On an unreadable or invalid file, or a missing explicit path.
 *
 * @example
 * ```ts
 * import { loadProfilesIni } from "./cli_config.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(loadProfilesIni({ cwd: "/nonexistent", home: "/nonexistent" }), undefined);
 * ```
 */
export function loadProfilesIni(options: LookupOptions = {}): UbtslProfiles | undefined {
  const path = findIniFile("profiles", options);
  return path === undefined ? undefined : parseProfilesIni(readText(path), path);
}

/**
 * Writes the shipped example to `~/.unicorn-binance-suite/config/<name>` (creating the folder).
 * An existing file is kept unless `overwrite` is set (the CLI asks `[y/N]` first).
 *
 * @param kind `config` or `profiles`.
 * @param options `home` directory, `overwrite`.
 * @returns The path and whether it was written.
 *
 * @example
 * ```ts
 * import { writeExampleIni } from "./cli_config.ts";
 * import { mkdtempSync, readFileSync, rmSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { assertEquals } from "@std/assert";
 *
 * const home = mkdtempSync(join(tmpdir(), "ubtsl-"));
 * const r = writeExampleIni("config", { home });
 * assertEquals(r.written, true);
 * assertEquals(writeExampleIni("config", { home }).written, false);
 * assertEquals(readFileSync(r.path, "utf8").includes("[BINANCE]"), true);
 * rmSync(home, { recursive: true });
 * ```
 */
export function writeExampleIni(
  kind: IniKind,
  options: { readonly home?: string; readonly overwrite?: boolean } = {},
): { readonly path: string; readonly written: boolean } {
  const dir = configDirectory(options.home);
  const path = join(dir, FILE_NAMES[kind]);
  if (existsSync(path) && !options.overwrite) return { path, written: false };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, kind === "config" ? EXAMPLE_CONFIG_INI : EXAMPLE_PROFILES_INI);
  return { path, written: true };
}
