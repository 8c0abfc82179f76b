/**
 * An INI reader with the semantics of Python's `configparser.ConfigParser(interpolation=
 * ExtendedInterpolation())` as UBTSL uses it, so a user's `ubtsl_config.ini` and
 * `ubtsl_profiles.ini` read the same here:
 *
 * - `[section]` headers (names case-sensitive), `[DEFAULT]` values inherited by every section;
 * - `key = value` or `key: value` (split at the first `=` or `:`); keys are lower-cased, keys
 *   and values stripped; `key =` is the empty string; a line without a delimiter is an error;
 * - full-line comments start with `#` or `;` (also indented); no inline comments (`a = b ; c`
 *   keeps `b ; c`);
 * - a line indented deeper than its key continues the value (joined with `\n`; blank lines
 *   inside are kept, trailing ones dropped);
 * - duplicate sections or keys, and text before the first header, are errors (`strict=True`);
 * - `${key}` (same section or DEFAULT), `${section:key}`, `$$` for `$`; nested up to depth 10.
 *
 * @module
 */

/** One value as written, with the line it starts on. */
export interface IniEntry {
  /** Raw value (before interpolation). */
  readonly value: string;
  /** 1-based line number. */
  readonly line: number;
}

/** A parsed INI file (raw values, no interpolation yet). */
export interface IniDocument {
  /** Name of the file (for messages). */
  readonly file: string;
  /** `[DEFAULT]` entries. */
  readonly defaults: ReadonlyMap<string, IniEntry>;
  /** Sections in file order, each with its own entries (without the defaults). */
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, IniEntry>>;
}

/** Where and why an INI file is wrong. */
export interface IniProblem {
  /** File name. */
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** Section, when known. */
  readonly section?: string;
  /** Key, when known. */
  readonly key?: string;
  /** The rule that failed. */
  readonly rule: string;
}

/** Thrown by the reader with the problem attached (turned into a `ConfigFileError` by `config.ts`). */
export class IniSyntaxError extends Error {
  /** The problem. */
  readonly problem: IniProblem;
  /**
   * Creates the error.
   *
   * @param problem Where and why.
   */
  constructor(problem: IniProblem) {
    super(describeProblem(problem));
    this.name = "IniSyntaxError";
    this.problem = problem;
  }
}

/**
 * Formats a problem as `file:line [section] key: rule`.
 *
 * @param p The problem.
 * @returns The message.
 *
 * @example
 * ```ts
 * import { describeProblem } from "./_ini.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(describeProblem({ file: "a.ini", line: 3, section: "S", key: "k", rule: "duplicate key" }),
 *   "a.ini:3 [S] k: duplicate key");
 * ```
 */
export function describeProblem(p: IniProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  const section = p.section === undefined ? "" : ` [${p.section}]`;
  const key = p.key === undefined ? "" : ` ${p.key}`;
  return `${where}${section}${key}: ${p.rule}`;
}

const HEADER = /^\[(.+)\]/;
const OPTION = /^(.*?)\s*([=:])\s*(.*)$/;

/**
 * Parses INI text the way `configparser` does (see the module description).
 *
 * @param text File content.
 * @param file File name for messages.
 * @returns The document.
 * @throws {IniSyntaxError} On a line before the first section, a line without `=`/`:`, an
 *   empty key, or a duplicate section or key.
 *
 * @example
 * ```ts
 * import { parseIni } from "./_ini.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const doc = parseIni("[DEFAULT]\nexchange = binance.com\n[A]\nMarket: BTCUSDT\n", "p.ini");
 * assertEquals(doc.sections.get("A")?.get("market")?.value, "BTCUSDT");
 * ```
 */
export function parseIni(text: string, file: string): IniDocument {
  const defaults = new Map<string, IniEntry>();
  const sections = new Map<string, Map<string, IniEntry>>();
  let current: Map<string, IniEntry> | undefined;
  let currentName: string | undefined;
  let key: string | undefined;
  let keyIndent = 0;
  let parts: string[] = [];
  let start = 0;
  const flush = () => {
    if (current && key !== undefined) {
      while (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
      current.set(key, { value: parts.join("\n"), line: start });
    }
    key = undefined;
    parts = [];
  };
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    const stripped = raw.trim();
    if (stripped.startsWith("#") || stripped.startsWith(";")) continue;
    if (stripped === "") {
      if (key !== undefined) parts.push("");
      continue;
    }
    const indent = raw.length - raw.trimStart().length;
    if (key !== undefined && indent > keyIndent) {
      parts.push(stripped);
      continue;
    }
    flush();
    const header = HEADER.exec(stripped);
    if (header) {
      currentName = header[1];
      if (currentName === "DEFAULT") {
        current = defaults;
      } else {
        if (sections.has(currentName)) {
          throw new IniSyntaxError({ file, line, section: currentName, rule: "duplicate section" });
        }
        current = new Map();
        sections.set(currentName, current);
      }
      continue;
    }
    if (!current) {
      throw new IniSyntaxError({ file, line, rule: "text before the first [section] header" });
    }
    const option = OPTION.exec(stripped);
    if (!option) {
      throw new IniSyntaxError({
        file,
        line,
        section: currentName,
        rule: `expected "key = value", got ${JSON.stringify(stripped)}`,
      });
    }
    const name = option[1].trim().toLowerCase();
    if (name === "") throw new IniSyntaxError({ file, line, section: currentName, rule: "empty key" });
    if (current.has(name)) {
      throw new IniSyntaxError({ file, line, section: currentName, key: name, rule: "duplicate key" });
    }
    key = name;
    keyIndent = indent;
    start = line;
    parts = [option[3].trim()];
  }
  flush();
  return { file, defaults, sections };
}

/**
 * The entries of a section with the defaults inherited and `${…}` references resolved.
 *
 * @param doc The document.
 * @param section Section name (`"DEFAULT"` for the defaults alone).
 * @returns Key → value (keys lower-case), defaults first, then the section's own keys.
 * @throws {IniSyntaxError} On an unknown section, a reference to a missing section or key, a `$`
 *   not followed by `$` or `{`, or references nested deeper than 10.
 *
 * @example
 * ```ts
 * import { parseIni, resolveSection } from "./_ini.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const doc = parseIni("[DEFAULT]\nexchange = binance.com\n[A]\nexchange = ${DEFAULT:exchange}-margin\n", "p.ini");
 * assertEquals(resolveSection(doc, "A"), { exchange: "binance.com-margin" });
 * ```
 */
export function resolveSection(doc: IniDocument, section: string): Record<string, string> {
  const own = section === "DEFAULT" ? doc.defaults : doc.sections.get(section);
  if (!own) throw new IniSyntaxError({ file: doc.file, section, rule: "no such section" });
  const out: Record<string, string> = {};
  for (const k of new Set([...doc.defaults.keys(), ...own.keys()])) {
    out[k] = interpolate(doc, section, k, 1);
  }
  return out;
}

function lookup(doc: IniDocument, section: string, key: string): IniEntry | undefined {
  const own = section === "DEFAULT" ? doc.defaults : doc.sections.get(section);
  return own?.get(key) ?? doc.defaults.get(key);
}

function interpolate(doc: IniDocument, section: string, key: string, depth: number): string {
  const entry = lookup(doc, section, key)!;
  const fail = (rule: string): never => {
    throw new IniSyntaxError({ file: doc.file, line: entry.line, section, key, rule });
  };
  if (depth > 10) fail("references nested deeper than 10 (a reference loop?)");
  const v = entry.value;
  let out = "";
  let i = 0;
  while (i < v.length) {
    const d = v.indexOf("$", i);
    if (d < 0) {
      out += v.slice(i);
      break;
    }
    out += v.slice(i, d);
    const next = v[d + 1];
    if (next === "$") {
      out += "$";
      i = d + 2;
      continue;
    }
    if (next !== "{") fail(`"$" must be followed by "$" or "{", found ${JSON.stringify(v.slice(d))}`);
    const end = v.indexOf("}", d);
    if (end < 0) fail(`unterminated reference ${JSON.stringify(v.slice(d))}`);
    const ref = v.slice(d + 2, end).split(":");
    if (ref.length > 2 || ref.some((p) => p === "")) fail(`bad reference \${${ref.join(":")}}`);
    const [refSection, refKey] = ref.length === 2
      ? [ref[0], ref[1].toLowerCase()]
      : [section, ref[0].toLowerCase()];
    if (refSection !== "DEFAULT" && !doc.sections.has(refSection)) {
      fail(`reference \${${ref.join(":")}} names a missing section ${refSection}`);
    }
    if (!lookup(doc, refSection, refKey)) {
      fail(`reference \${${ref.join(":")}} names a missing key ${refKey}`);
    }
    out += interpolate(doc, refSection, refKey, depth + 1);
    i = end + 1;
  }
  return out;
}
