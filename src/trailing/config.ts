/**
 * `ubtsl_config.ini` and `ubtsl_profiles.ini`: the Python CLI's files, read the same way
 * (configparser semantics, see `_ini.ts`) and validated strictly: an unknown section or key, or a
 * bad value, is a {@link ConfigFileError} naming the file, the section, the key, the rule and,
 * for an unknown name, the closest known one. Pure and web-standard: file lookup is in
 * `cli_config.ts`.
 *
 * Empty values (`api_key =`) mean "not set", as in the Python example files.
 *
 * @module
 */
import { z } from "zod";
import { BinanceError } from "../core/errors.ts";
import { isExchangeName } from "../core/exchanges.ts";
import { type IniDocument, IniSyntaxError, parseIni, resolveSection } from "./_ini.ts";
import { parseAmount } from "./_amount.ts";

/**
 * A config or profiles file is malformed or holds a bad value.
 *
 * @example
 * ```ts
 * import { ConfigFileError, parseProfilesIni } from "./config.ts";
 * import { assertThrows } from "@std/assert";
 *
 * const e = assertThrows(() => parseProfilesIni("[A]\nmarkt = BTCUSDC\n", "p.ini"), ConfigFileError);
 * console.assert(e.key === "markt" && e.line === 2);
 * ```
 */
export class ConfigFileError extends BinanceError {
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
  /**
   * Creates the error; the message is `file:line [section] key: rule`.
   *
   * @param where File, line, section, key and rule.
   */
  constructor(where: { file: string; line?: number; section?: string; key?: string; rule: string }) {
    const at = where.line === undefined ? where.file : `${where.file}:${where.line}`;
    super(
      `Invalid config ${at}${where.section === undefined ? "" : ` [${where.section}]`}${
        where.key === undefined ? "" : ` ${where.key}`
      }: ${where.rule}`,
    );
    this.name = "ConfigFileError";
    this.file = where.file;
    if (where.line !== undefined) this.line = where.line;
    if (where.section !== undefined) this.section = where.section;
    if (where.key !== undefined) this.key = where.key;
    this.rule = where.rule;
  }
}

/** `ubtsl_config.ini`, read. */
export interface UbtslConfig {
  /** File it was read from. */
  readonly file: string;
  /** `[BINANCE]`. */
  readonly binance: { readonly apiKey?: string; readonly apiSecret?: string };
  /** `[EMAIL]` (SMTP over implicit TLS on port 465, STARTTLS otherwise). */
  readonly email: {
    readonly to?: string;
    readonly from?: string;
    readonly password?: string;
    readonly server?: string;
    readonly port?: number;
  };
  /** `[TELEGRAM]`. */
  readonly telegram: { readonly botToken?: string; readonly sendTo?: string };
  /** `[WEBHOOK]` (TypeScript addition): `url` receives one JSON POST per event. */
  readonly webhook: { readonly url?: string };
}

/** One section of `ubtsl_profiles.ini`, read (keys as in Python, camelCase). */
export interface UbtslProfile {
  /** Section name. */
  readonly name: string;
  /** `exchange`. */
  readonly exchange?: string;
  /** `market` (upper-cased). */
  readonly market?: string;
  /** `engine`. */
  readonly engine?: "trail" | "jump-in-and-trail";
  /** `keep_threshold` (`"20%"` or `"0.5"`). */
  readonly keepThreshold?: string;
  /** `stop_loss_limit`: the trail distance. */
  readonly stopLossLimit?: string;
  /** `stop_loss_start_limit`: the first stop's distance. */
  readonly stopLossStartLimit?: string;
  /** `stop_loss_order_type`. */
  readonly stopLossOrderType?: "LIMIT" | "MARKET";
  /** `stop_loss_price`: a fixed first stop. */
  readonly stopLossPrice?: string;
  /** `borrow_threshold` (margin jump-in). */
  readonly borrowThreshold?: string;
  /** `reset_stop_loss_price`. */
  readonly resetStopLossPrice?: boolean;
  /** `stop_loss_trigger_gap` (read here; Python's CLI ignored it, T11). */
  readonly stopLossTriggerGap?: string;
  /** `mode` (TypeScript addition): `client`, `native` or `auto`. */
  readonly mode?: "client" | "native" | "auto";
  /** `side` (TypeScript addition): `SELL` for a long, `BUY` for a short. */
  readonly side?: "SELL" | "BUY";
  /** `state_file` (TypeScript addition). */
  readonly stateFile?: string;
}

/** `ubtsl_profiles.ini`, read. */
export interface UbtslProfiles {
  /** File it was read from. */
  readonly file: string;
  /** Profiles by section name (DEFAULT values inherited). */
  readonly profiles: Readonly<Record<string, UbtslProfile>>;
}

const CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
  BINANCE: ["api_key", "api_secret"],
  EMAIL: ["send_to_email", "send_from_email", "send_from_password", "send_from_server", "send_from_port"],
  TELEGRAM: ["bot_token", "send_to"],
  WEBHOOK: ["url"],
};

const PROFILE_KEYS: readonly string[] = [
  "exchange",
  "market",
  "engine",
  "keep_threshold",
  "stop_loss_limit",
  "stop_loss_start_limit",
  "stop_loss_order_type",
  "stop_loss_price",
  "borrow_threshold",
  "reset_stop_loss_price",
  "stop_loss_trigger_gap",
  "mode",
  "side",
  "state_file",
];

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = t;
    }
  }
  return d[b.length];
}

/**
 * The known name closest to an unknown one (edit distance), for "did you mean" messages.
 *
 * @param name The unknown name.
 * @param known The known names.
 * @returns The closest known name.
 *
 * @example
 * ```ts
 * import { closestName } from "./config.ts";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(closestName("stop_los_limit", ["stop_loss_limit", "market"]), "stop_loss_limit");
 * ```
 */
export function closestName(name: string, known: readonly string[]): string {
  let best = known[0];
  let score = Infinity;
  for (const k of known) {
    const s = distance(name.toLowerCase(), k.toLowerCase());
    if (s < score) [best, score] = [k, s];
  }
  return best;
}

function read(text: string, file: string): IniDocument {
  if (typeof text !== "string") throw new TypeError(`Invalid config text of ${file}: expected a string`);
  try {
    return parseIni(text, file);
  } catch (e) {
    if (e instanceof IniSyntaxError) throw new ConfigFileError({ ...e.problem, rule: e.problem.rule });
    throw e;
  }
}

function resolved(doc: IniDocument, section: string): Record<string, string> {
  try {
    return resolveSection(doc, section);
  } catch (e) {
    if (e instanceof IniSyntaxError) throw new ConfigFileError(e.problem);
    throw e;
  }
}

function lineOf(doc: IniDocument, section: string, key: string): number | undefined {
  return (section === "DEFAULT" ? doc.defaults : doc.sections.get(section))?.get(key)?.line ??
    doc.defaults.get(key)?.line;
}

function checkKeys(
  doc: IniDocument,
  section: string,
  keys: Iterable<string>,
  known: readonly string[],
): void {
  for (const key of keys) {
    if (!known.includes(key)) {
      throw new ConfigFileError({
        file: doc.file,
        line: lineOf(doc, section, key),
        section,
        key,
        rule: `unknown key (did you mean ${closestName(key, known)}?)`,
      });
    }
  }
}

/** A value rule: a zod schema over the raw string whose message says what was expected. */
type Check = z.ZodType<string>;

const email: Check = z.string().regex(/^[^\s@]+@[^\s@]+$/, "expected an email address");
const port: Check = z.string().regex(/^\d{1,5}$/, "expected a port 1-65535")
  .refine((v) => Number(v) >= 1 && Number(v) <= 65535, "expected a port 1-65535");
const url: Check = z.string().refine(
  (v) => z.url({ protocol: /^https?$/ }).safeParse(v).success,
  "expected an http(s) URL",
);
const telegramChat: Check = z.string().regex(
  /^-?\d+$|^@[A-Za-z0-9_]{5,}$/,
  "expected a numeric chat id or @channelname",
);
const amount = (zero: boolean): Check =>
  z.string().superRefine((v, ctx) => {
    try {
      parseAmount(v, "value", zero);
    } catch (e) {
      ctx.addIssue({
        code: "custom",
        message: (e as Error).message.replace(/^Invalid value: /, "").replace(/, got .*$/, ""),
      });
    }
  });
// borrow_threshold is a share of the credit line: 100% is the whole line
const borrow: Check = z.string().superRefine((v, ctx) => {
  if (/^\s*100(?:\.0*)?\s*%\s*$/.test(v)) return;
  const r = amount(true).safeParse(v);
  if (!r.success) ctx.addIssue({ code: "custom", message: r.error.issues[0].message });
});
const oneOf = (...values: string[]): Check =>
  z.string().refine(
    (v) => values.some((x) => x.toLowerCase() === v.toLowerCase()),
    `expected one of ${values.join(", ")}`,
  );
const price: Check = z.string().regex(/^(?:\d+\.?\d*|\.\d+)$/, "expected a plain decimal price like 64025.5");
const exchangeName: Check = z.string().refine(isExchangeName, "expected a known exchange like binance.com");
const symbolName: Check = z.string().regex(/^[A-Za-z0-9_]{2,30}$/, "expected a symbol like BTCUSDC");

function value(
  doc: IniDocument,
  section: string,
  values: Record<string, string>,
  key: string,
  check?: Check,
): string | undefined {
  const v = values[key];
  if (v === undefined || v === "") return undefined;
  const result = check?.safeParse(v);
  if (result && !result.success) {
    const problem = result.error.issues[0].message;
    throw new ConfigFileError({
      file: doc.file,
      line: lineOf(doc, section, key),
      section,
      key,
      rule: `${problem}, got ${JSON.stringify(v)}`,
    });
  }
  return v;
}

/**
 * Reads `ubtsl_config.ini`.
 *
 * @param text File content.
 * @param file File name for messages.
 * @returns The settings (empty values absent).
 * @throws {ConfigFileError} On a syntax error, an unknown section or key, or a bad value.
 *
 * @example
 * ```ts
 * import { parseConfigIni } from "./config.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const c = parseConfigIni("[BINANCE]\napi_key = k\napi_secret =\n[EMAIL]\nsend_from_port = 465\n", "ubtsl_config.ini");
 * assertEquals([c.binance.apiKey, c.binance.apiSecret, c.email.port], ["k", undefined, 465]);
 * ```
 */
export function parseConfigIni(text: string, file: string): UbtslConfig {
  const doc = read(text, file);
  const known = Object.keys(CONFIG_KEYS);
  for (const name of doc.sections.keys()) {
    if (!known.includes(name)) {
      throw new ConfigFileError({
        file,
        section: name,
        rule: `unknown section (did you mean ${closestName(name, known)}?)`,
      });
    }
  }
  const get = (section: string) => {
    if (!doc.sections.has(section)) return {} as Record<string, string>;
    const v = resolved(doc, section);
    checkKeys(doc, section, Object.keys(v), CONFIG_KEYS[section]);
    return v;
  };
  const b = get("BINANCE");
  const e = get("EMAIL");
  const t = get("TELEGRAM");
  const w = get("WEBHOOK");
  const portText = value(doc, "EMAIL", e, "send_from_port", port);
  const opt = <T>(k: string, v: T | undefined): Record<string, T> => v === undefined ? {} : { [k]: v };
  return {
    file,
    binance: {
      ...opt("apiKey", value(doc, "BINANCE", b, "api_key")),
      ...opt("apiSecret", value(doc, "BINANCE", b, "api_secret")),
    },
    email: {
      ...opt("to", value(doc, "EMAIL", e, "send_to_email", email)),
      ...opt("from", value(doc, "EMAIL", e, "send_from_email", email)),
      ...opt("password", value(doc, "EMAIL", e, "send_from_password")),
      ...opt("server", value(doc, "EMAIL", e, "send_from_server")),
      ...opt("port", portText === undefined ? undefined : Number(portText)),
    },
    telegram: {
      ...opt("botToken", value(doc, "TELEGRAM", t, "bot_token")),
      ...opt("sendTo", value(doc, "TELEGRAM", t, "send_to", telegramChat)),
    },
    webhook: { ...opt("url", value(doc, "WEBHOOK", w, "url", url)) },
  };
}

/**
 * Reads `ubtsl_profiles.ini`: one profile per section, `[DEFAULT]` inherited, `${DEFAULT:key}`
 * resolved.
 *
 * @param text File content.
 * @param file File name for messages.
 * @returns The profiles.
 * @throws {ConfigFileError} On a syntax error, an unknown key, or a bad value.
 *
 * @example
 * ```ts
 * import { parseProfilesIni } from "./config.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const p = parseProfilesIni("[DEFAULT]\nexchange = binance.com\n[BTC]\nmarket = btcusdc\nstop_loss_limit = 1.5%\n", "p.ini");
 * assertEquals(p.profiles.BTC, { name: "BTC", exchange: "binance.com", market: "BTCUSDC", stopLossLimit: "1.5%" });
 * ```
 */
export function parseProfilesIni(text: string, file: string): UbtslProfiles {
  const doc = read(text, file);
  checkKeys(doc, "DEFAULT", doc.defaults.keys(), PROFILE_KEYS);
  const profiles: Record<string, UbtslProfile> = {};
  for (const name of doc.sections.keys()) {
    const v = resolved(doc, name);
    checkKeys(doc, name, Object.keys(v), PROFILE_KEYS);
    const s = (k: string, c?: Check) => value(doc, name, v, k, c);
    const exchange = s("exchange", exchangeName);
    const market = s("market", symbolName);
    const engine = s("engine", oneOf("trail", "jump-in-and-trail"));
    const orderType = s("stop_loss_order_type", oneOf("LIMIT", "MARKET"));
    const reset = s("reset_stop_loss_price", oneOf("True", "False"));
    const mode = s("mode", oneOf("client", "native", "auto"));
    const side = s("side", oneOf("SELL", "BUY"));
    const entries: Array<[string, unknown]> = [
      ["exchange", exchange],
      ["market", market?.toUpperCase()],
      ["engine", engine?.toLowerCase()],
      ["keepThreshold", s("keep_threshold", amount(true))],
      ["stopLossLimit", s("stop_loss_limit", amount(false))],
      ["stopLossStartLimit", s("stop_loss_start_limit", amount(false))],
      ["stopLossOrderType", orderType?.toUpperCase()],
      ["stopLossPrice", s("stop_loss_price", price)],
      ["borrowThreshold", s("borrow_threshold", borrow)],
      ["resetStopLossPrice", reset === undefined ? undefined : reset.toLowerCase() === "true"],
      ["stopLossTriggerGap", s("stop_loss_trigger_gap", amount(true))],
      ["mode", mode?.toLowerCase()],
      ["side", side?.toUpperCase()],
      ["stateFile", s("state_file")],
    ];
    profiles[name] = Object.fromEntries([
      ["name", name],
      ...entries.filter(([, x]) => x !== undefined),
    ]) as unknown as UbtslProfile;
  }
  return { file, profiles };
}
