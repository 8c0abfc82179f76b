/**
 * The Python unicorn-fy vectors (`../shared/data/unicornfy/`) and the one mechanical translation of
 * their expected output into this library's shape: snake_case keys → camelCase, `unicorn_fied` →
 * `unicornfied` with this library's version. Where a vector pins a Python defect (or a deliberate
 * difference documented in docs/unicornfy.md), {@link CORRECTIONS} states the corrected value as a
 * path into the raw input frame, so the test asserts the fix without hard-coding its result.
 *
 * @module
 */
import { readdirSync } from "node:fs";
import { readSharedJson, sharedDataPath } from "../_data.ts";
import { UNICORNFY_VERSION } from "../../src/unicornfy/version.ts";
import type { UnicornfyExchange } from "../../src/unicornfy/exchanges.ts";

/** One vector file. */
export interface Vector {
  readonly name: string;
  readonly function: string;
  readonly input: string;
  readonly input_parsed: unknown;
  readonly expected?: unknown;
  readonly expected_subset?: unknown;
  readonly comparison: string;
  readonly unicornfy_version_in_expected: string;
}

/** All vectors, sorted by file name. */
export function loadVectors(): Vector[] {
  return readdirSync(sharedDataPath("unicornfy"))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({ ...readSharedJson<Omit<Vector, "name">>(`unicornfy/${f}`), name: f.slice(0, -5) }));
}

/** Python converter name → exchange string. */
export function exchangeOf(pythonFunction: string): UnicornfyExchange {
  switch (pythonFunction) {
    case "binance_com_websocket":
      return "binance.com";
    case "binance_com_futures_websocket":
      return "binance.com-futures";
    case "binance_com_coin_futures_websocket":
      return "binance.com-coin_futures";
    default:
      throw new RangeError(`No exchange for Python function ${pythonFunction}`);
  }
}

/** `event_time` → `eventTime`, `trade_before_24h_window` → `tradeBefore24hWindow`. */
export function snakeToCamel(key: string): string {
  if (key === "unicorn_fied") return "unicornfied";
  const parts = key.split("_");
  let out = parts[0];
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i];
    out += p.length === 0 ? "" : p[0].toUpperCase() + p.slice(1);
  }
  return out;
}

/** Deep key translation; the version inside `unicorn_fied` becomes this library's version. */
export function translateExpected(value: unknown, pythonVersion: string): unknown {
  if (Array.isArray(value)) return value.map((v) => translateExpected(v, pythonVersion));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "unicorn_fied") {
      const [exchange, version] = v as [string, string];
      if (version !== pythonVersion) throw new Error(`Unexpected version ${version} in a vector`);
      out.unicornfied = [exchange, UNICORNFY_VERSION];
    } else {
      out[snakeToCamel(k)] = translateExpected(v, pythonVersion);
    }
  }
  return out;
}

/** A deliberate difference from Python's output on one vector. */
export interface Correction {
  /** Why (printed by the test). */
  readonly why: string;
  /** Output path → input path: the corrected value is read from the raw frame. `*` = each index. */
  readonly set?: Readonly<Record<string, string>>;
  /** Output path → literal value (discriminants only). */
  readonly setValue?: Readonly<Record<string, unknown>>;
  /** Output paths Python has and we do not (renamed or moved fields). */
  readonly remove?: readonly string[];
}

const KLINE_IDS: Correction = {
  why: "Python defect: kline first/last trade id read from the top level, always false",
  set: { "kline.firstTradeId": "data.k.f", "kline.lastTradeId": "data.k.L" },
};
const MINI_ARR: Correction = {
  why: "Python defect: spot miniTicker total volumes misnamed taker_by_*_asset_volume",
  remove: ["data.*.takerByBaseAssetVolume", "data.*.takerByQuoteAssetVolume"],
  set: { "data.*.totalTradedBaseAssetVolume": "*.v", "data.*.totalTradedQuoteAssetVolume": "*.q" },
};
const STREAM_NAME: Correction = {
  why: "Python defect: constant stream_type instead of the stream the frame came on",
  set: { streamType: "stream" },
};
const RESULT: Correction = {
  why: "replies get their own kind: eventType 'result'",
  setValue: { eventType: "result" },
};
const ERROR: Correction = {
  why: "errors get their own kind: eventType 'error'",
  setValue: { eventType: "error" },
};
const CONFIG_T: Correction = {
  why: "Python drops the transaction time T of ACCOUNT_CONFIG_UPDATE",
  set: { transactionTime: "T" },
};

/** Corrections per vector name (every other vector must match the translation exactly). */
export const CORRECTIONS: Readonly<Record<string, readonly Correction[]>> = {
  TestBinanceComWebsocket__test_kline_1m: [KLINE_IDS],
  TestBinanceComWebsocketFutures__test_kline: [KLINE_IDS],
  TestBinanceComWebsocketFutures__test_continuous_contract_kline: [KLINE_IDS],
  TestBinanceComWebsocket__test_miniTicker_arr: [MINI_ARR],
  TestBinanceComWebsocket__test_miniTicker_single: [{
    why: MINI_ARR.why,
    remove: MINI_ARR.remove,
    set: { "data.0.totalTradedBaseAssetVolume": "data.v", "data.0.totalTradedQuoteAssetVolume": "data.q" },
  }],
  TestBinanceComWebsocketFutures__test_bookTicker_arr: [{
    why: "Python defect: futures bookTicker drops E and T",
    set: { eventTime: "E", transactionTime: "T" },
  }],
  TestBinanceComWebsocketFutures__test_bookTicker_single: [STREAM_NAME, {
    why: "Python defect: futures bookTicker drops E and T",
    set: { eventTime: "data.E", transactionTime: "data.T" },
  }],
  TestBinanceComWebsocketFutures__test_composite_index: [STREAM_NAME],
  TestBinanceComWebsocketFutures__test_liquidation_order_single: [STREAM_NAME],
  TestBinanceComWebsocketFutures__test_margin_call_futures: [{
    why: "Python defect: isolated_wallet of the last position moved to the top level",
    remove: ["isolatedWallet"],
    set: { "positions.*.isolatedWallet": "p.*.iw" },
  }],
  TestBinanceComWebsocketFutures__test_order_trade_update_futures: [{
    why: "Python defect: transaction_time taken from o.T, the order trade time o.T is not its own field",
    set: { transactionTime: "T", orderTradeTime: "o.T" },
  }, {
    why: "Python drops o.pP (price protect)",
    set: { priceProtect: "o.pP" },
  }],
  TestBinanceComWebsocketFutures__test_account_update_futures: [{
    why: "Python drops the positions' margin asset (ma)",
    set: { "positions.*.marginAsset": "a.P.*.ma" },
  }],
  TestBinanceComWebsocketFutures__test_account_config_update_leverage_futures: [CONFIG_T],
  TestBinanceComWebsocketFutures__test_account_config_update_asset_mode_futures: [CONFIG_T],
  TestBinanceGeneric__test_result: [RESULT],
  TestBinanceGeneric__test_result_not_none: [RESULT],
  TestBinanceComWebsocketFutures__test_result: [RESULT],
  TestBinanceGeneric__test_error: [ERROR],
  TestBinanceComWebsocketFutures__test_error: [ERROR],
};

function get(root: unknown, path: readonly string[]): unknown {
  let cur = root;
  for (const part of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Expands `a.*.b` against `root` into concrete index lists. */
function expand(root: unknown, path: string): string[][] {
  const parts = path.split(".");
  const star = parts.indexOf("*");
  if (star < 0) return [parts];
  const list = get(root, parts.slice(0, star));
  if (!Array.isArray(list)) {
    throw new Error(`Correction path ${path}: no array at ${parts.slice(0, star).join(".")}`);
  }
  return list.map((_, i) => [...parts.slice(0, star), String(i), ...parts.slice(star + 1)]);
}

function setPath(root: unknown, path: readonly string[], value: unknown): void {
  const parent = get(root, path.slice(0, -1));
  if (parent === null || typeof parent !== "object") throw new Error(`Cannot set ${path.join(".")}`);
  (parent as Record<string, unknown>)[path[path.length - 1]] = value;
}

/** Applies corrections to a translated expected value (in place) and returns it. */
export function applyCorrections(
  expected: unknown,
  input: unknown,
  corrections: readonly Correction[],
): unknown {
  for (const c of corrections) {
    for (const path of c.remove ?? []) {
      for (const concrete of expand(expected, path)) {
        const parent = get(expected, concrete.slice(0, -1)) as Record<string, unknown>;
        if (!(concrete[concrete.length - 1] in parent)) {
          throw new Error(`Nothing to remove at ${concrete.join(".")}`);
        }
        delete parent[concrete[concrete.length - 1]];
      }
    }
    for (const [out, from] of Object.entries(c.set ?? {})) {
      const outPaths = out.includes("*") ? expand(expected, out) : [out.split(".")];
      const starred = from.split(".");
      outPaths.forEach((concrete, i) => {
        const source = starred.map((p) => p === "*" ? String(i) : p);
        const value = get(input, source);
        if (value === undefined) {
          throw new Error(`Correction source ${source.join(".")} missing in the input`);
        }
        setPath(expected, concrete, value);
      });
    }
    for (const [out, value] of Object.entries(c.setValue ?? {})) setPath(expected, out.split("."), value);
  }
  return expected;
}
