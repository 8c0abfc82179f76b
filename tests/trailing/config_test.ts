import { describe, it } from "node:test";
import { assert, assertEquals, assertInstanceOf, assertThrows } from "@std/assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSharedText } from "../_data.ts";
import { ConfigFileError, parseConfigIni, parseProfilesIni } from "../../src/trailing/config.ts";
import { parseIni, resolveSection } from "../../src/trailing/_ini.ts";
import { EXAMPLE_CONFIG_INI, EXAMPLE_PROFILES_INI, EXAMPLES_LICENSE } from "../../src/trailing/examples.ts";
import {
  configDirectory,
  findIniFile,
  loadConfigIni,
  loadProfilesIni,
  searchPaths,
  writeExampleIni,
} from "../../src/trailing/cli_config.ts";

const CONFIG = readSharedText("ubtsl/example_ubtsl_config.ini");
const PROFILES = readSharedText("ubtsl/example_ubtsl_profiles.ini");

describe("the Python example files, as they are", () => {
  it("the shipped copies equal ../shared/data/ubtsl/ byte for byte, with the licence", () => {
    assertEquals(EXAMPLE_CONFIG_INI, CONFIG);
    assertEquals(EXAMPLE_PROFILES_INI, PROFILES);
    assertEquals(EXAMPLES_LICENSE, readSharedText("ubtsl/LICENSE.ubtsl"));
  });
  it("example_ubtsl_config.ini: empty values are unset, the port is a number", () => {
    const c = parseConfigIni(CONFIG, "example_ubtsl_config.ini");
    assertEquals(c, {
      file: "example_ubtsl_config.ini",
      binance: {},
      email: { server: "smtp.ionos.de", port: 465 },
      telegram: {},
      webhook: {},
    });
  });
  it("example_ubtsl_profiles.ini: DEFAULT inherited, ${DEFAULT:key} resolved", () => {
    const p = parseProfilesIni(PROFILES, "example_ubtsl_profiles.ini");
    assertEquals(Object.keys(p.profiles), ["BTCUSDC_SELL", "BTCUSDC_SMART_ENTRY"]);
    assertEquals(p.profiles.BTCUSDC_SELL, {
      name: "BTCUSDC_SELL",
      exchange: "binance.com-isolated_margin",
      market: "BTCUSDC",
      keepThreshold: "20%",
      stopLossLimit: "1.5%",
      stopLossOrderType: "LIMIT",
      resetStopLossPrice: false,
      stopLossTriggerGap: "0.01",
    });
    assertEquals(p.profiles.BTCUSDC_SMART_ENTRY, {
      name: "BTCUSDC_SMART_ENTRY",
      exchange: "binance.com-isolated_margin",
      market: "BTCUSDC",
      engine: "jump-in-and-trail",
      keepThreshold: "20%",
      stopLossLimit: "0.3%",
      stopLossStartLimit: "0.1%",
      stopLossOrderType: "LIMIT",
      borrowThreshold: "100%",
      resetStopLossPrice: true,
      stopLossTriggerGap: "0.01",
    });
  });
});

describe("configparser semantics", () => {
  it("keys lower-cased, ':' delimiter, values stripped, no inline comments, indented comments", () => {
    const doc = parseIni("[S]\n  ; note\nKey_A : v1 ; not a comment\nb=  x = y  \n# c\n", "f.ini");
    assertEquals(resolveSection(doc, "S"), { key_a: "v1 ; not a comment", b: "x = y" });
  });
  it("multi-line values: deeper-indented lines continue, blank lines inside kept, trailing dropped", () => {
    const doc = parseIni("[S]\nk = one\n  two\n\n  three\n\nj = 1\n", "f.ini");
    assertEquals(resolveSection(doc, "S"), { k: "one\ntwo\n\nthree", j: "1" });
  });
  it("DEFAULT inherited and overridden; ${key} from the same section; ${S:key}; $$", () => {
    const doc = parseIni(
      "[DEFAULT]\nx = 1\ny = ${x}2\n[A]\nx = 9\nz = ${y}|${DEFAULT:x}|${B:w}|$$5\n[B]\nw = ${x}w\n",
      "f.ini",
    );
    // y is interpolated in A's context (configparser resolves ${x} against the section asked for)
    assertEquals(resolveSection(doc, "A"), { x: "9", y: "92", z: "92|1|1w|$5" });
  });
  it("section names are case-sensitive, reference keys are not", () => {
    const doc = parseIni("[A]\nKey = v\n[a]\nk = ${A:KEY}\n", "f.ini");
    assertEquals(resolveSection(doc, "a"), { k: "v" });
  });
  it("CRLF line ends and a BOM read the same", () => {
    assertEquals(resolveSection(parseIni("\uFEFF[S]\r\nk = v\r\n", "f.ini"), "S"), { k: "v" });
  });
});

describe("bad files name the file, line, section, key and rule", () => {
  const rows: Array<{ name: string; kind: "config" | "profiles"; text: string; message: string }> = [
    {
      name: "text before a header",
      kind: "config",
      text: "api_key = x\n",
      message: "Invalid config f.ini:1: text before the first [section] header",
    },
    {
      name: "no delimiter",
      kind: "config",
      text: "[BINANCE]\napi_key\n",
      message: 'Invalid config f.ini:2 [BINANCE]: expected "key = value", got "api_key"',
    },
    {
      name: "empty key",
      kind: "config",
      text: "[BINANCE]\n= x\n",
      message: "Invalid config f.ini:2 [BINANCE]: empty key",
    },
    {
      name: "duplicate section",
      kind: "config",
      text: "[BINANCE]\n[BINANCE]\n",
      message: "Invalid config f.ini:2 [BINANCE]: duplicate section",
    },
    {
      name: "duplicate key (case-insensitive)",
      kind: "config",
      text: "[BINANCE]\napi_key = a\nAPI_KEY = b\n",
      message: "Invalid config f.ini:3 [BINANCE] api_key: duplicate key",
    },
    {
      name: "unknown section",
      kind: "config",
      text: "[TELEGRAMM]\n",
      message: "Invalid config f.ini [TELEGRAMM]: unknown section (did you mean TELEGRAM?)",
    },
    {
      name: "unknown key with the closest known one",
      kind: "config",
      text: "[EMAIL]\nsend_from_pasword = x\n",
      message:
        "Invalid config f.ini:2 [EMAIL] send_from_pasword: unknown key (did you mean send_from_password?)",
    },
    {
      name: "SMTP port not a number (Python: int(None) crash)",
      kind: "config",
      text: "[EMAIL]\nsend_from_port = smtps\n",
      message: 'Invalid config f.ini:2 [EMAIL] send_from_port: expected a port 1-65535, got "smtps"',
    },
    {
      name: "port out of range",
      kind: "config",
      text: "[EMAIL]\nsend_from_port = 70000\n",
      message: 'Invalid config f.ini:2 [EMAIL] send_from_port: expected a port 1-65535, got "70000"',
    },
    {
      name: "bad email",
      kind: "config",
      text: "[EMAIL]\nsend_to_email = nobody\n",
      message: 'Invalid config f.ini:2 [EMAIL] send_to_email: expected an email address, got "nobody"',
    },
    {
      name: "bad telegram chat",
      kind: "config",
      text: "[TELEGRAM]\nsend_to = my friend\n",
      message:
        'Invalid config f.ini:2 [TELEGRAM] send_to: expected a numeric chat id or @channelname, got "my friend"',
    },
    {
      name: "webhook not http(s)",
      kind: "config",
      text: "[WEBHOOK]\nurl = ftp://x\n",
      message: 'Invalid config f.ini:2 [WEBHOOK] url: expected an http(s) URL, got "ftp://x"',
    },
    {
      name: "missing reference key",
      kind: "profiles",
      text: "[A]\nexchange = ${DEFAULT:exchange}\n",
      message:
        "Invalid config f.ini:2 [A] exchange: reference ${DEFAULT:exchange} names a missing key exchange",
    },
    {
      name: "missing reference section",
      kind: "profiles",
      text: "[A]\nmarket = ${B:market}\n",
      message: "Invalid config f.ini:2 [A] market: reference ${B:market} names a missing section B",
    },
    {
      name: "a lone $",
      kind: "profiles",
      text: "[A]\nstop_loss_price = $5\n",
      message: 'Invalid config f.ini:2 [A] stop_loss_price: "$" must be followed by "$" or "{", found "$5"',
    },
    {
      name: "reference loop",
      kind: "profiles",
      text: "[A]\nmarket = ${exchange}\nexchange = ${market}\n",
      message: "Invalid config f.ini:2 [A] market: references nested deeper than 10 (a reference loop?)",
    },
    {
      name: "unknown profile key",
      kind: "profiles",
      text: "[A]\nstop_loss_limt = 1%\n",
      message: "Invalid config f.ini:2 [A] stop_loss_limt: unknown key (did you mean stop_loss_limit?)",
    },
    {
      name: "unknown DEFAULT key",
      kind: "profiles",
      text: "[DEFAULT]\nexchang = binance.com\n",
      message: "Invalid config f.ini:2 [DEFAULT] exchang: unknown key (did you mean exchange?)",
    },
    {
      name: "unknown exchange",
      kind: "profiles",
      text: "[A]\nexchange = binance.org\n",
      message:
        'Invalid config f.ini:2 [A] exchange: expected a known exchange like binance.com, got "binance.org"',
    },
    {
      name: "bad stop_loss_limit",
      kind: "profiles",
      text: "[A]\nstop_loss_limit = 1,5%\n",
      message:
        'Invalid config f.ini:2 [A] stop_loss_limit: expected a percent like "1.5%" or an absolute amount like "50", got "1,5%"',
    },
    {
      name: "zero stop_loss_limit",
      kind: "profiles",
      text: "[A]\nstop_loss_limit = 0%\n",
      message: 'Invalid config f.ini:2 [A] stop_loss_limit: must be greater than 0, got "0%"',
    },
    {
      name: "bad order type",
      kind: "profiles",
      text: "[A]\nstop_loss_order_type = OCO\n",
      message: 'Invalid config f.ini:2 [A] stop_loss_order_type: expected one of LIMIT, MARKET, got "OCO"',
    },
    {
      name: "bad reset flag (inherited: the message names the section asked for and the DEFAULT line)",
      kind: "profiles",
      text: "[DEFAULT]\nreset_stop_loss_price = yes\n[A]\nmarket = BTCUSDC\n",
      message: 'Invalid config f.ini:2 [A] reset_stop_loss_price: expected one of True, False, got "yes"',
    },
    {
      name: "bad engine",
      kind: "profiles",
      text: "[A]\nengine = jump\n",
      message: 'Invalid config f.ini:2 [A] engine: expected one of trail, jump-in-and-trail, got "jump"',
    },
    {
      name: "stop_loss_price in exponent notation",
      kind: "profiles",
      text: "[A]\nstop_loss_price = 6e4\n",
      message:
        'Invalid config f.ini:2 [A] stop_loss_price: expected a plain decimal price like 64025.5, got "6e4"',
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const parse = r.kind === "config" ? parseConfigIni : parseProfilesIni;
      const e = assertThrows(() => parse(r.text, "f.ini"), ConfigFileError);
      assertEquals((e as Error).message, r.message);
    });
  }
  it("the error carries the fields", () => {
    try {
      parseConfigIni("[EMAIL]\nsend_from_port = x\n", "f.ini");
    } catch (e) {
      assertInstanceOf(e, ConfigFileError);
      assertEquals([e.file, e.line, e.section, e.key], ["f.ini", 2, "EMAIL", "send_from_port"]);
      assert(e.rule.startsWith("expected a port"));
      return;
    }
    throw new Error("no error");
  });
  it("a bad value never echoes a secret it did not need to: the password has no rule", () => {
    const c = parseConfigIni("[EMAIL]\nsend_from_password = p;a$$w#rd\n", "f.ini");
    assertEquals(c.email.password, "p;a$w#rd");
  });
});

describe("lookup: --configfile, then ./, then ~/.unicorn-binance-suite/config/", () => {
  const root = mkdtempSync(join(tmpdir(), "ubtsl-lookup-"));
  const cwd = join(root, "work");
  const home = join(root, "home");
  mkdirSync(cwd, { recursive: true });
  mkdirSync(configDirectory(home), { recursive: true });
  const homeConfig = join(configDirectory(home), "ubtsl_config.ini");
  it("nothing found → undefined", () => {
    assertEquals(findIniFile("config", { cwd, home }), undefined);
    assertEquals(loadProfilesIni({ cwd, home }), undefined);
  });
  it("home file found; ./ wins over it; an explicit path wins over both", () => {
    writeFileSync(homeConfig, "[BINANCE]\napi_key = home\n");
    assertEquals(loadConfigIni({ cwd, home })?.binance.apiKey, "home");
    writeFileSync(join(cwd, "ubtsl_config.ini"), "[BINANCE]\napi_key = cwd\n");
    assertEquals(loadConfigIni({ cwd, home })?.binance.apiKey, "cwd");
    writeFileSync(join(root, "mine.ini"), "[BINANCE]\napi_key = explicit\n");
    assertEquals(loadConfigIni({ cwd, home, explicit: "../mine.ini" })?.binance.apiKey, "explicit");
    assertEquals(searchPaths("config", { cwd, home }), [join(cwd, "ubtsl_config.ini"), homeConfig]);
  });
  it("a missing explicit file is an error naming it; an invalid file names its path", () => {
    assertThrows(
      () => loadConfigIni({ cwd, home, explicit: "nope.ini" }),
      ConfigFileError,
      "nope.ini: file not found",
    );
    writeFileSync(join(cwd, "ubtsl_profiles.ini"), "[A]\nmarkt = X\n");
    assertThrows(
      () => loadProfilesIni({ cwd, home }),
      ConfigFileError,
      `${join(cwd, "ubtsl_profiles.ini")}:2 [A] markt`,
    );
  });
  it("--createconfigini / --createprofilesini write the shipped examples, keep an existing file", () => {
    const h2 = join(root, "home2");
    const a = writeExampleIni("profiles", { home: h2 });
    assertEquals(a.written, true);
    assertEquals(readFileSync(a.path, "utf8"), PROFILES);
    writeFileSync(a.path, "[MINE]\n");
    assertEquals(writeExampleIni("profiles", { home: h2 }).written, false);
    assertEquals(readFileSync(a.path, "utf8"), "[MINE]\n");
    assertEquals(writeExampleIni("profiles", { home: h2, overwrite: true }).written, true);
    assertEquals(loadProfilesIni({ cwd: root, home: h2 })?.profiles.BTCUSDC_SELL.market, "BTCUSDC");
  });
  it("cleans up", () => rmSync(root, { recursive: true }));
});
