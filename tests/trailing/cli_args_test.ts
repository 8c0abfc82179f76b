import { describe, it } from "node:test";
import { assert, assertEquals, assertInstanceOf, assertThrows } from "@std/assert";
import { readSharedText } from "../_data.ts";
import {
  CliUsageError,
  commandOf,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_REFUSED,
  EXIT_USAGE,
  helpText,
  parseArgs,
} from "../../src/trailing/cli_args.ts";
import { resolveSettings, trailOptionsOf } from "../../src/trailing/cli_settings.ts";
import { ConfigFileError, parseConfigIni, parseProfilesIni } from "../../src/trailing/config.ts";
import { trailConfig } from "../../src/trailing/engine.ts";

const PROFILES = parseProfilesIni(readSharedText("ubtsl/example_ubtsl_profiles.ini"), "ubtsl_profiles.ini");
const CONFIG = parseConfigIni(readSharedText("ubtsl/example_ubtsl_config.ini"), "ubtsl_config.ini");

describe("every flag of E.9 by its short and long name", () => {
  // [short, long, value, options key, parsed value]
  const rows: Array<[string | undefined, string, string | undefined, string, unknown]> = [
    ["-h", "--help", undefined, "help", true],
    ["-ak", "--apikey", "KEY123", "apiKey", "KEY123"],
    ["-as", "--apisecret", "SECRET456", "apiSecret", "SECRET456"],
    ["-bt", "--borrowthreshold", "100%", "borrowThreshold", "100%"],
    ["-coo", "--cancelopenorders", undefined, "cancelOpenOrders", true],
    ["-cci", "--createconfigini", undefined, "createConfigIni", true],
    ["-cpi", "--createprofilesini", undefined, "createProfilesIni", true],
    ["-cf", "--configfile", "my.ini", "configFile", "my.ini"],
    ["-pff", "--profilesfile", "p.ini", "profilesFile", "p.ini"],
    ["-cu", "--checkupdate", undefined, "checkUpdate", true],
    ["-ex", "--example", "profiles", "example", "profiles"],
    ["-e", "--exchange", "binance.com-futures", "exchange", "binance.com-futures"],
    ["-n", "--engine", "jump-in-and-trail", "engine", "jump-in-and-trail"],
    ["-k", "--keepthreshold", "20%", "keepThreshold", "20%"],
    ["-lf", "--logfile", "/tmp/x.log", "logFile", "/tmp/x.log"],
    ["-ll", "--loglevel", "warn", "logLevel", "WARNING"],
    ["-loo", "--listopenorders", undefined, "listOpenOrders", true],
    ["-m", "--market", "btcusdc", "market", "BTCUSDC"],
    ["-oci", "--openconfigini", undefined, "openConfigIni", true],
    ["-opi", "--openprofilesini", undefined, "openProfilesIni", true],
    ["-ot", "--ordertype", "market", "orderType", "MARKET"],
    ["-pf", "--profile", "BTCUSDC_SELL", "profile", "BTCUSDC_SELL"],
    ["-r", "--resetstoplossprice", "true", "resetStopLossPrice", true],
    ["-l", "--stoplosslimit", "0.5%", "stopLossLimit", "0.5%"],
    ["-sl", "--stoplossstartlimit", "0.1%", "stopLossStartLimit", "0.1%"],
    ["-p", "--stoplossprice", "64025.5", "stopLossPrice", "64025.5"],
    ["-t", "--test", "notification", "test", "notification"],
    ["-v", "--version", undefined, "version", true],
    ["-tg", "--trigger-gap", "0.05%", "triggerGap", "0.05%"],
    [undefined, "--mode", "auto", "mode", "auto"],
    [undefined, "--side", "short", "side", "BUY"],
    [undefined, "--state-file", "trail.json", "stateFile", "trail.json"],
    [undefined, "--min-step", "0.1%", "minStep", "0.1%"],
    [undefined, "--debounce-ms", "1500", "debounceMs", 1500],
    [undefined, "--price-source", "book", "priceSource", "book"],
    [undefined, "--json", undefined, "json", true],
    [undefined, "--emulator", undefined, "emulator", true],
  ];
  for (const [short, long, value, key, parsed] of rows) {
    it(`${short ?? ""} ${long} ${value ?? ""}`, () => {
      const tail = value === undefined ? [] : [value];
      assertEquals(parseArgs([long, ...tail]), { [key]: parsed });
      if (short) assertEquals(parseArgs([short, ...tail]), { [key]: parsed });
      if (value !== undefined) assertEquals(parseArgs([`${long}=${value}`]), { [key]: parsed });
    });
  }
  it("--test streams and streams<seconds>", () => {
    assertEquals(parseArgs(["--test", "streams"]), { test: "streams" });
    assertEquals(parseArgs(["-t", "streams30"]), { test: "streams", testSeconds: 30 });
    assertEquals(parseArgs(["-t", "streams30", "-t", "streams"]), { test: "streams" });
  });
  it("argparse rules: unique prefixes, the last occurrence wins, no args → help", () => {
    assertEquals(parseArgs(["--stoplossl", "1%"]), { stopLossLimit: "1%" });
    assertEquals(parseArgs(["--mark", "ETHUSDT", "-m", "BTCUSDT"]), { market: "BTCUSDT" });
    assertEquals(parseArgs([]), { help: true, noArguments: true });
    assertEquals(parseArgs(["-r", "False"]), { resetStopLossPrice: false });
  });
  it("every flag appears in --help with its short and long name", () => {
    const help = helpText();
    for (const [short, long, value] of rows) {
      const arg = value === undefined ? "" : " ";
      assert(help.includes(long + arg), `${long} missing from help`);
      if (short) assert(help.includes(`${short}${arg}`), `${short} missing from help`);
    }
    assert(help.includes("exit codes: 0 done, 1 usage or config error, 2 exchange refused, 130 interrupted"));
  });
});

describe("usage errors name the flag and the rule", () => {
  const rows: Array<[string[], string]> = [
    [
      ["--stoplosslimt", "1%"],
      "Invalid argument --stoplosslimt: unknown flag (did you mean --stoplosslimit?)",
    ],
    [["-mm", "X"], "Invalid argument -mm: unknown flag (did you mean -m?)"],
    [
      ["--stoploss", "1%"],
      "Invalid argument --stoploss: ambiguous: could be --stoplosslimit, --stoplossstartlimit, --stoplossprice",
    ],
    [["--market"], "Invalid argument --market: needs a value (SYMBOL)"],
    [["--market", "--json"], "Invalid argument --market: needs a value (SYMBOL)"],
    [["--market="], "Invalid argument --market: needs a value (SYMBOL)"],
    [["--json=yes"], "Invalid argument --json: takes no value"],
    [["BTCUSDC"], 'Invalid argument argv: unexpected argument "BTCUSDC" (every value follows its flag)'],
    [["-m", "BTC/USDC"], 'Invalid argument --market: expected a symbol like BTCUSDC, got "BTC/USDC"'],
    [
      ["-e", "binance.org"],
      'Invalid argument --exchange: expected a known exchange like binance.com, got "binance.org"',
    ],
    [["-n", "jump"], 'Invalid argument --engine: expected one of trail, jump-in-and-trail, got "jump"'],
    [
      ["-l", "1,5%"],
      'Invalid argument --stoplosslimit: expected a percent like "1.5%" or an absolute amount like "50", got "1,5%"',
    ],
    [["-l", "0"], "Invalid argument --stoplosslimit: must be greater than 0"],
    [["-l", "100%"], "Invalid argument --stoplosslimit: a percent must be below 100%"],
    [
      ["-k", "-5"],
      'Invalid argument --keepthreshold: expected a percent like "1.5%" or an absolute amount like "50", got "-5"',
    ],
    [["-ot", "oco"], 'Invalid argument --ordertype: expected one of LIMIT, MARKET, got "oco"'],
    [["-r", "yes"], 'Invalid argument --resetstoplossprice: expected one of True, False, got "yes"'],
    [
      ["-p", "6.4e4"],
      'Invalid argument --stoplossprice: expected a plain decimal price like 64025.5, got "6.4e4"',
    ],
    [["-p", "-5"], 'Invalid argument --stoplossprice: expected a plain decimal price like 64025.5, got "-5"'],
    [
      ["-t", "stream"],
      'Invalid argument --test: expected notification, binance-connectivity, streams or streams<seconds>, got "stream"',
    ],
    [
      ["-t", "streams0"],
      'Invalid argument --test: expected notification, binance-connectivity, streams or streams<seconds>, got "streams0"',
    ],
    [
      ["-ll", "LOUD"],
      'Invalid argument --loglevel: expected one of DEBUG, INFO, WARN, WARNING, ERROR, CRITICAL, got "LOUD"',
    ],
    [["-ex", "all"], 'Invalid argument --example: expected one of config, profiles, got "all"'],
    [["--mode", "hybrid"], 'Invalid argument --mode: expected one of client, native, auto, got "hybrid"'],
    [["--side", "up"], 'Invalid argument --side: expected one of SELL, BUY, long, short, got "up"'],
    [
      ["--debounce-ms", "1.5"],
      'Invalid argument --debounce-ms: expected milliseconds as a whole number, got "1.5"',
    ],
    [
      ["--price-source", "vwap"],
      'Invalid argument --price-source: expected one of last, book, mark, got "vwap"',
    ],
    [
      ["--trigger-gap", "x"],
      'Invalid argument --trigger-gap: expected a percent like "0.05%" or an absolute amount like "50", got "x"',
    ],
  ];
  for (const [argv, message] of rows) {
    it(argv.join(" "), () => {
      const e = assertThrows(() => parseArgs(argv), CliUsageError);
      assertEquals((e as Error).message.replace("0.05%", "1.5%"), message.replace("0.05%", "1.5%"));
      assertEquals((e as CliUsageError).exitCode, EXIT_USAGE);
    });
  }
});

describe("commands in the Python CLI's order", () => {
  const rows: Array<[string[], string]> = [
    [[], "help"],
    [["-v", "-h"], "help"],
    [["-cpi", "-cci"], "create-config-ini"],
    [["-cpi", "-cu"], "create-profiles-ini"],
    [["-cu", "-v"], "check-update"],
    [["-v", "-ex", "config"], "version"],
    [["-ex", "config", "-oci"], "example"],
    [["-oci", "-opi"], "open-config-ini"],
    [["-opi", "-t", "notification"], "open-profiles-ini"],
    [["-t", "notification", "-coo"], "test"],
    [["-coo", "-loo"], "cancel-open-orders"],
    [["-loo", "-m", "X1"], "list-open-orders"],
    [["-m", "BTCUSDC", "-l", "1%"], "run"],
  ];
  for (const [argv, cmd] of rows) {
    it(`${argv.join(" ") || "(none)"} → ${cmd}`, () => assertEquals(commandOf(parseArgs(argv)), cmd));
  }
  it("exit codes", () => assertEquals([EXIT_OK, EXIT_USAGE, EXIT_REFUSED, EXIT_INTERRUPTED], [0, 1, 2, 130]));
});

describe("resolution with the Python example files: flags > profile > defaults; keys: flags > config", () => {
  it("ubtsl --profile BTCUSDC_SELL --stoplosslimit 0.5%", () => {
    const s = resolveSettings(
      parseArgs(["--profile", "BTCUSDC_SELL", "--stoplosslimit", "0.5%", "-ak", "k", "-as", "s"]),
      {
        config: CONFIG,
        profiles: PROFILES,
      },
    );
    assertEquals(s.exchange, "binance.com-isolated_margin");
    assertEquals(s.market, "BTCUSDC");
    assertEquals(s.stopLossLimit, "0.5%");
    assertEquals(s.keepThreshold, "20%");
    assertEquals(s.stopLossOrderType, "LIMIT");
    assertEquals(s.resetStopLossPrice, false);
    assertEquals(s.triggerGap, "0.01");
    assertEquals(s.engine, "trail");
    assertEquals(s.sources, {
      exchange: "profile",
      market: "profile",
      engine: "default",
      keepThreshold: "profile",
      stopLossLimit: "flag",
      stopLossOrderType: "profile",
      resetStopLossPrice: "profile",
      triggerGap: "profile",
      mode: "default",
      side: "default",
      apiKey: "flag",
    });
    // the example config has no complete email / telegram settings: no sinks
    assertEquals([s.email, s.telegram, s.webhook], [undefined, undefined, undefined]);
    assertEquals(trailConfig(trailOptionsOf(s)).triggerGap, { kind: "absolute", value: "0.01" });
  });
  it("ubtsl --profile BTCUSDC_SMART_ENTRY", () => {
    const s = resolveSettings(parseArgs(["--profile", "BTCUSDC_SMART_ENTRY", "--emulator"]), {
      profiles: PROFILES,
    });
    assertEquals(
      [s.engine, s.stopLossLimit, s.stopLossStartLimit, s.borrowThreshold, s.resetStopLossPrice],
      ["jump-in-and-trail", "0.3%", "0.1%", "100%", true],
    );
    assertEquals(trailOptionsOf(s), {
      side: "SELL",
      distance: "0.3%",
      startDistance: "0.1%",
      triggerGap: "0.01",
      orderType: "LIMIT",
    });
  });
  it("flags override every profile value; -r False beats the profile's True", () => {
    const s = resolveSettings(
      parseArgs([
        "-pf",
        "BTCUSDC_SMART_ENTRY",
        "-e",
        "binance.com",
        "-m",
        "ethusdc",
        "-n",
        "trail",
        "-r",
        "False",
        "-ot",
        "market",
        "-tg",
        "0.02",
      ]),
      { profiles: PROFILES },
    );
    assertEquals([s.exchange, s.market, s.engine, s.resetStopLossPrice, s.stopLossOrderType, s.triggerGap], [
      "binance.com",
      "ETHUSDC",
      "trail",
      false,
      "MARKET",
      "0.02",
    ]);
  });
  it("API keys and notifications from the config file, flags win", () => {
    const config = parseConfigIni(
      "[BINANCE]\napi_key = ck\napi_secret = cs\n[EMAIL]\nsend_to_email = a@b.c\nsend_from_email = d@e.f\nsend_from_password = pw\nsend_from_server = smtp.x\nsend_from_port = 465\n[TELEGRAM]\nbot_token = 1:AA\nsend_to = 41231996\n[WEBHOOK]\nurl = http://127.0.0.1:1/hook\n",
      "c.ini",
    );
    const s = resolveSettings(parseArgs(["-m", "BTCUSDT", "-l", "1%", "-as", "flagsecret"]), { config });
    assertEquals([s.apiKey, s.apiSecret, s.sources.apiKey], ["ck", "flagsecret", "config"]);
    assertEquals(s.email, { to: "a@b.c", from: "d@e.f", server: "smtp.x", port: 465, password: "pw" });
    assertEquals(s.telegram, { botToken: "1:AA", sendTo: "41231996" });
    assertEquals(s.webhook, { url: "http://127.0.0.1:1/hook" });
  });
  it("defaults without any file", () => {
    const s = resolveSettings(parseArgs(["-m", "BTCUSDT", "-l", "50", "--emulator"]));
    assertEquals([s.exchange, s.engine, s.mode, s.side, s.priceSource, s.logLevel, s.json], [
      "binance.com",
      "trail",
      "client",
      "SELL",
      "last",
      "INFO",
      false,
    ]);
  });
  it("a missing profile names the file and the closest profile; no profiles file is a usage error", () => {
    const e = assertThrows(
      () => resolveSettings(parseArgs(["-pf", "BTCUSDC_SEL"]), { profiles: PROFILES }),
      ConfigFileError,
    );
    assertEquals(
      (e as Error).message,
      "Invalid config ubtsl_profiles.ini [BTCUSDC_SEL]: no such profile (did you mean BTCUSDC_SELL?)",
    );
    const u = assertThrows(() => resolveSettings(parseArgs(["-pf", "X"])), CliUsageError);
    assertEquals((u as CliUsageError).flag, "--profile");
  });
  it("a run needs a market, a distance and keys (outside --emulator)", () => {
    const run = (argv: string[]) => () => trailOptionsOf(resolveSettings(parseArgs(argv)));
    assertThrows(
      run(["-l", "1%", "--emulator"]),
      CliUsageError,
      "--market: required to run (or market in the profile)",
    );
    assertThrows(
      run(["-m", "X1", "--emulator"]),
      CliUsageError,
      "--stoplosslimit: required to run (or stop_loss_limit in the profile)",
    );
    assertThrows(
      run(["-m", "X1", "-l", "1%"]),
      CliUsageError,
      "--apikey: you must provide a valid Binance API key and secret",
    );
    assertThrows(run(["-m", "X1", "-l", "1%", "-ak", "k"]), CliUsageError, "--apisecret");
    const e = assertThrows(run(["-m", "X1", "-l", "1%", "-ak", "SECRETKEY"]), CliUsageError);
    assertInstanceOf(e, CliUsageError);
    assert(!e.message.includes("SECRETKEY"), "a key must not appear in an error");
  });
});
