/**
 * `ubtsl --openconfigini` / `--openprofilesini`: the file the engine would read is handed to the
 * user's editor (here a real process: a Node script that records its arguments), the platform's
 * handler is chosen when no editor is set, "No config file found!" when there is none, and a
 * failing opener is named with exit 1. Through `runCli` too, where a broken file still opens.
 */
import { describe, it } from "node:test";
import { assert, assertEquals, assertMatch } from "@std/assert";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { runCli } from "../../src/trailing/cli.ts";
import { openCommand, openIniFile } from "../../src/trailing/cli_open.ts";
import type { CliIo } from "../../src/trailing/cli_commands.ts";

const NODE = join(process.cwd(), "node_modules/.bin/node");
const dir = mkdtempSync(join(tmpdir(), "ubtsl-open-"));
const RECORD = join(dir, "opened.txt");
const EDITOR_JS = join(dir, "editor.mjs");
writeFileSync(
  EDITOR_JS,
  `import { writeFileSync } from "node:fs";\nwriteFileSync(${
    JSON.stringify(RECORD)
  }, JSON.stringify(process.argv.slice(2)));\n`,
);
const FAILING_JS = join(dir, "failing.mjs");
writeFileSync(FAILING_JS, "process.exit(3);\n");

function io(): CliIo & { text: () => string } {
  let out = "";
  return {
    out: (t) => void (out += t),
    err: (t) => void (out += t),
    isTty: false,
    text: () => out,
  };
}

describe("ubtsl --openconfigini / --openprofilesini", () => {
  it("opener by environment and platform", () => {
    const table: [Record<string, string>, string, string, string[], boolean][] = [
      [{ VISUAL: "vim", EDITOR: "nano" }, "linux", "vim", [], true],
      [{ EDITOR: "code --wait" }, "linux", "code", ["--wait"], true],
      [{ VISUAL: "  ", EDITOR: "nano" }, "linux", "nano", [], true],
      [{}, "linux", "xdg-open", [], false],
      [{}, "freebsd", "xdg-open", [], false],
      [{}, "darwin", "open", [], false],
      [{}, "win32", "cmd", ["/c", "start", '""'], false],
    ];
    for (const [env, platform, program, args, editor] of table) {
      assertEquals(openCommand(env, platform), { program, args, editor }, JSON.stringify([env, platform]));
    }
  });

  it("hands the file found ./ first to the editor", async () => {
    const cwd = join(dir, "cwd");
    const home = join(dir, "home");
    mkdirSync(join(home, ".unicorn-binance-suite/config"), { recursive: true });
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(home, ".unicorn-binance-suite/config/ubtsl_profiles.ini"), "[X]\n");
    const o = io();
    const code = await openIniFile("profiles", o, { cwd, home, env: { EDITOR: `${NODE} ${EDITOR_JS}` } });
    assertEquals(code, 0, o.text());
    const opened = join(home, ".unicorn-binance-suite/config/ubtsl_profiles.ini");
    assertEquals(JSON.parse(readFileSync(RECORD, "utf8")), [opened]);
    assertMatch(o.text(), /^Opening .*ubtsl_profiles\.ini with /);

    writeFileSync(join(cwd, "ubtsl_profiles.ini"), "[Y]\n"); // ./ wins over the config folder
    assertEquals(
      await openIniFile("profiles", io(), { cwd, home, env: { EDITOR: `${NODE} ${EDITOR_JS}` } }),
      0,
    );
    assertEquals(JSON.parse(readFileSync(RECORD, "utf8")), [join(cwd, "ubtsl_profiles.ini")]);
  });

  it("no file: says so, exit 0; a failing or missing opener is named, exit 1", async () => {
    const empty = mkdtempSync(join(tmpdir(), "ubtsl-open-empty-"));
    let o = io();
    assertEquals(await openIniFile("config", o, { cwd: empty, home: empty, env: {} }), 0);
    assertEquals(o.text(), "No config file found!\n");

    writeFileSync(join(empty, "ubtsl_config.ini"), "[BINANCE]\n");
    o = io();
    assertEquals(
      await openIniFile("config", o, { cwd: empty, home: empty, env: { EDITOR: `${NODE} ${FAILING_JS}` } }),
      1,
    );
    assertMatch(o.text(), /Cannot open .*ubtsl_config\.ini with .*node: exit code 3 \(set \$EDITOR/);

    o = io();
    const missing = join(empty, "no-such-editor");
    assertEquals(await openIniFile("config", o, { cwd: empty, home: empty, env: { EDITOR: missing } }), 1);
    assertMatch(o.text(), /Cannot open .*ubtsl_config\.ini with .*no-such-editor: .*ENOENT/);
  });

  it("runCli: --openconfigini opens the --configfile even when it does not parse", async () => {
    const broken = join(dir, "broken.ini");
    writeFileSync(broken, "[BINANCE\napi_key = x\n"); // an unclosed section: loading it would fail
    const saved = { VISUAL: process.env.VISUAL, EDITOR: process.env.EDITOR };
    delete process.env.VISUAL;
    process.env.EDITOR = `${NODE} ${EDITOR_JS}`;
    try {
      const o = io();
      assertEquals(await runCli(["--openconfigini", "--configfile", broken], o), 0, o.text());
      assertEquals(JSON.parse(readFileSync(RECORD, "utf8")), [broken]);
      const p = io();
      const missing = join(dir, "missing.ini");
      assertEquals(await runCli(["-oci", "--configfile", missing], p), 1);
      assert(p.text().includes("missing.ini"), p.text());
      assert(!existsSync(missing));
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        v === undefined ? delete process.env[k] : (process.env[k] = v);
      }
    }
  });
});
