/**
 * The `ubtsl` commands besides the run loop: `--listopenorders`, `--cancelopenorders`,
 * `--test binance-connectivity`, `--test streams[N]` and `--checkupdate`. Each runs against the
 * embedded emulator with `--emulator`, else against the exchange of `--exchange` (or the origins
 * of `--rest-url` / `--stream-url`), and resolves with the exit code: 0 done, 1 usage or config
 * error, 2 the exchange (or the npm registry) refused or could not be reached, 130 interrupted.
 *
 * @module
 */
import process from "node:process";
import { getExchange } from "../core/exchanges.ts";
import { BinanceRestClient } from "../rest/client.ts";
import { startEmulator } from "../testing/mod.ts";
import { CliUsageError, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, UBTSL_VERSION } from "./cli_args.ts";
import type { CliOptions } from "./_cli_flags.ts";
import { cancelOpenOrders, listOpenOrders, orderLine, type OrderVenueKind } from "./cli_orders.ts";
import type { UbtslSettings } from "./cli_settings.ts";
import { checkUpdate, NPM_REGISTRY } from "./cli_update.ts";
import { streamTest } from "./cli_streams.ts";

/** Where the CLI writes (tests pass their own): stdout, stderr and whether stdout is a terminal. */
export interface CliIo {
  /** Writes to stdout. */
  readonly out: (text: string) => void;
  /** Writes to stderr. */
  readonly err: (text: string) => void;
  /** `true` when stdout is a terminal (the run loop then shows a live status line). */
  readonly isTty: boolean;
}

/** API key of the `--emulator` demo account. */
export const DEMO_API_KEY = "ubtslDemo";
/** Secret of the `--emulator` demo account. */
export const DEMO_API_SECRET = "ubtsl-demo-secret";

/** What a command talks to: the venue, a REST client, and the origins when not Binance's own. */
export interface Target extends AsyncDisposable {
  readonly kind: OrderVenueKind;
  readonly rest: BinanceRestClient;
  readonly streamBase?: string;
  readonly restUrl?: string;
  /** The WebSocket API (spot and margin user data). */
  readonly wsApiUrl?: string;
  readonly signed: boolean;
  /** The account's key pair when `signed` (the demo account's on the emulator). */
  readonly keys?: { readonly apiKey: string; readonly apiSecret: string };
  /** `true` when every origin is Binance's own (no `--emulator`, no `--*-url`). */
  readonly binance: boolean;
}

function venueOf(exchange: string): OrderVenueKind {
  const m = getExchange(exchange).market;
  if (m === "spot" || m === "margin" || m === "isolated_margin" || m === "usdm" || m === "coinm") return m;
  throw new CliUsageError(
    "--exchange",
    `${exchange} is not a spot, margin, isolated margin, USDⓈ-M or COIN-M venue`,
  );
}

async function openTarget(s: UbtslSettings, o: CliOptions, live: boolean): Promise<Target> {
  const kind = venueOf(s.exchange);
  if (s.emulator) {
    const emu = await startEmulator({
      paused: !live,
      intervalMs: 50,
      accounts: [{ apiKey: DEMO_API_KEY, secretKey: DEMO_API_SECRET }],
    });
    const rest = new BinanceRestClient({
      exchange: s.exchange,
      apiKey: DEMO_API_KEY,
      apiSecret: DEMO_API_SECRET,
      baseUrl: emu.restUrl,
    });
    const streamBase = kind === "coinm" ? emu.coinmWsUrl : kind === "usdm" ? emu.futuresWsUrl : emu.wsUrl;
    return {
      kind,
      rest,
      streamBase,
      restUrl: emu.restUrl,
      wsApiUrl: kind === "usdm" || kind === "coinm" ? emu.futuresWsApiUrl : emu.wsApiUrl,
      signed: true,
      keys: { apiKey: DEMO_API_KEY, apiSecret: DEMO_API_SECRET },
      binance: false,
      [Symbol.asyncDispose]: () => emu.close(),
    };
  }
  const signed = s.apiKey !== undefined && s.apiSecret !== undefined;
  const rest = new BinanceRestClient({
    exchange: s.exchange,
    ...(signed ? { apiKey: s.apiKey, apiSecret: s.apiSecret } : {}),
    ...(o.restUrl ? { baseUrl: o.restUrl } : {}),
  });
  return {
    kind,
    rest,
    ...(o.streamUrl ? { streamBase: o.streamUrl } : {}),
    ...(o.restUrl ? { restUrl: o.restUrl } : {}),
    ...(o.wsApiUrl ? { wsApiUrl: o.wsApiUrl } : {}),
    signed,
    ...(signed ? { keys: { apiKey: s.apiKey!, apiSecret: s.apiSecret! } } : {}),
    binance: !o.streamUrl && !o.restUrl && !o.wsApiUrl,
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

function needKeys(t: Target, what: string): void {
  if (!t.signed) {
    throw new CliUsageError(
      "--apikey",
      `${what} needs a Binance API key and secret (flags or [BINANCE] in ubtsl_config.ini)`,
    );
  }
}

function needMarket(s: UbtslSettings, what: string): string {
  if (!s.market) throw new CliUsageError("--market", `required for ${what} (or market in the profile)`);
  return s.market;
}

/**
 * Runs one of the commands.
 *
 * @param command `list-open-orders`, `cancel-open-orders`, `test` (binance-connectivity, streams) or `check-update`.
 * @param o The parsed flags.
 * @param s The settings.
 * @param io Output.
 * @param signal Ctrl-C.
 * @returns The exit code.
 * @throws {CliUsageError} Missing market or keys, a venue without these commands.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseArgs } from "./cli_args.ts";
 * import { runCommand } from "./cli_commands.ts";
 * import { resolveSettings } from "./cli_settings.ts";
 *
 * const o = parseArgs(["--emulator", "--listopenorders", "-m", "BTCUSDT"]);
 * let out = "";
 * const code = await runCommand("list-open-orders", o, resolveSettings(o), { out: (t) => void (out += t), err: () => {}, isTty: false });
 * assertEquals([code, out], [0, "No open orders on BTCUSDT (binance.com)\n"]);
 * ```
 */
export async function runCommand(
  command: "list-open-orders" | "cancel-open-orders" | "test",
  o: CliOptions,
  s: UbtslSettings,
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const streams = command === "test" && o.test === "streams";
  const market = command === "test" && !streams ? s.market : needMarket(s, flagOf(command, o));
  await using t = await openTarget(s, o, streams);
  if (command === "test" && !streams) return await connectivity(t, s, io);
  if (streams) return await streamTest(t, s, o.testSeconds, io, signal);
  needKeys(t, flagOf(command, o));
  try {
    if (command === "list-open-orders") {
      const orders = await listOpenOrders(t.rest, t.kind, market!);
      if (s.json) { for (const x of orders) io.out(JSON.stringify(x.raw) + "\n"); }
      else if (orders.length === 0) io.out(`No open orders on ${market} (${s.exchange})\n`);
      else {
        io.out(`${orders.length} open order(s) on ${market} (${s.exchange}):\n`);
        for (const x of orders) io.out(`  ${orderLine(x)}\n`);
      }
      return EXIT_OK;
    }
    const r = await cancelOpenOrders(t.rest, t.kind, market!, { all: o.allOrders === true });
    if (s.json) {
      for (const x of r.cancelled) io.out(JSON.stringify({ result: "cancelled", order: x.raw }) + "\n");
      for (const x of r.left) io.out(JSON.stringify({ result: "left", order: x.raw }) + "\n");
      for (const f of r.failed) {
        io.out(JSON.stringify({ result: "failed", order: f.order.raw, error: f.error.message }) + "\n");
      }
    } else {
      const whose = o.allOrders ? "" : "ubtsl ";
      if (r.cancelled.length === 0 && r.failed.length === 0) {
        io.out(`No open ${whose}orders on ${market} to cancel\n`);
      }
      for (const x of r.cancelled) io.out(`Cancelled ${orderLine(x)}\n`);
      for (const f of r.failed) io.err(`Cancel failed: ${orderLine(f.order)}: ${f.error.message}\n`);
      if (r.left.length > 0) {
        io.out(
          `Left ${r.left.length} open order(s) on ${market} that ubtsl did not place (--all-orders cancels them too, as the Python ubtsl did):\n`,
        );
        for (const x of r.left) io.out(`  ${orderLine(x)}\n`);
      }
    }
    return r.failed.length > 0 ? EXIT_REFUSED : EXIT_OK;
  } catch (e) {
    if (e instanceof CliUsageError) throw e;
    io.err(`${flagOf(command, o)} failed: ${(e as Error).message}\n`);
    return EXIT_REFUSED;
  }
}

function flagOf(command: string, o: CliOptions): string {
  return command === "test"
    ? `--test ${o.test}`
    : command === "list-open-orders"
    ? "--listopenorders"
    : "--cancelopenorders";
}

async function connectivity(t: Target, s: UbtslSettings, io: CliIo): Promise<number> {
  const { rest, kind } = t;
  const futures = kind === "usdm" || kind === "coinm";
  const report = (check: string, ok: boolean, text: string, extra: Record<string, unknown> = {}) =>
    s.json
      ? io.out(JSON.stringify({ check, ok, ...extra, ...(ok ? {} : { error: text }) }) + "\n")
      : (ok ? io.out : io.err)(`${check}: ${ok ? "ok" : "failed"}${text ? ` (${text})` : ""}\n`);
  let failed = false;
  const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
    const t0 = Date.now();
    const v = await f();
    return [v, Date.now() - t0];
  };
  try {
    const [, ms] = await timed((): Promise<unknown> =>
      kind === "coinm" ? rest.futuresCoinPing() : futures ? rest.futuresPing() : rest.ping()
    );
    report("REST ping", true, `${ms} ms`, { ms });
    const t0 = Date.now();
    const time = kind === "coinm"
      ? await rest.futuresCoinTime()
      : futures
      ? await rest.futuresTime()
      : await rest.getServerTime();
    const t1 = Date.now();
    const server = Number(time.serverTime);
    const offset = server - Math.round((t0 + t1) / 2);
    report(
      "Server time",
      true,
      `${new Date(server).toISOString()}, clock offset ${offset >= 0 ? "+" : ""}${offset} ms`,
      {
        serverTime: server,
        offsetMs: offset,
      },
    );
  } catch (e) {
    report("REST ping", false, (e as Error).message);
    return EXIT_REFUSED;
  }
  const what = kind === "spot"
    ? "GET /api/v3/account"
    : kind === "margin"
    ? "GET /sapi/v1/margin/account"
    : kind === "isolated_margin"
    ? "GET /sapi/v1/margin/isolated/account"
    : kind === "usdm"
    ? "GET /fapi/v2/account"
    : "GET /dapi/v1/account";
  if (!t.signed) {
    report(
      `Signed call ${what}`,
      false,
      "skipped: no API key and secret (flags or [BINANCE] in ubtsl_config.ini)",
    );
    return EXIT_USAGE;
  }
  try {
    const [, ms] = await timed((): Promise<unknown> =>
      kind === "spot"
        ? rest.getAccount({ omitZeroBalances: true })
        : kind === "margin"
        ? rest.getMarginAccount()
        : kind === "isolated_margin"
        ? rest.getIsolatedMarginAccount(s.market ? { symbols: s.market } : {})
        : kind === "usdm"
        ? rest.futuresAccount()
        : rest.futuresCoinAccount()
    );
    report(`Signed call ${what}`, true, `${ms} ms`, { ms });
  } catch (e) {
    failed = true;
    report(`Signed call ${what}`, false, (e as Error).message);
  }
  if (failed) return EXIT_REFUSED;
  if (!s.json) io.out("Connection to Binance API successfully established!\n");
  return EXIT_OK;
}

/**
 * `--checkupdate`: the registry's latest release against this version.
 *
 * @param o The flags (`--registry`, `--json`).
 * @param io Output.
 * @param env Environment (default the process's): `npm_config_registry`.
 * @returns 0, or 2 when the registry could not be asked.
 *
 * @example A local registry
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import http from "node:http";
 * import type { AddressInfo } from "node:net";
 * import { runCheckUpdate } from "./cli_commands.ts";
 *
 * const server = http.createServer((_req, res) => void res.end('{"version":"99.0.0"}'));
 * await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
 * const registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
 * let out = "";
 * const code = await runCheckUpdate({ registry }, { out: (t) => void (out += t), err: () => {}, isTty: false });
 * await new Promise((r) => server.close(r));
 * assertEquals([code, out.startsWith("unicorn-binance 99.0.0 is available")], [0, true]);
 * ```
 */
export async function runCheckUpdate(
  o: CliOptions,
  io: CliIo,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const registry = o.registry ?? env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY ?? NPM_REGISTRY;
  try {
    const r = await checkUpdate({ registry, current: UBTSL_VERSION });
    if (o.json) io.out(JSON.stringify(r) + "\n");
    else if (r.updateAvailable) {
      io.out(
        `unicorn-binance ${r.latest} is available (this is ${r.current}): npm install unicorn-binance@${r.latest}\n`,
      );
    } else io.out(`unicorn-binance ${r.current} is up to date (latest release ${r.latest})\n`);
    return EXIT_OK;
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return EXIT_REFUSED;
  }
}
