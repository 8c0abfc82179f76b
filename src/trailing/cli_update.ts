/**
 * `ubtsl --checkupdate`: asks an npm registry for the latest `unicorn-binance` release and
 * compares it with this package's version (Python asked GitHub for the latest tag). The registry is
 * `--registry`, else `$npm_config_registry` (what npm itself uses), else `https://registry.npmjs.org`.
 *
 * @module
 */
import { BinanceError } from "../core/errors.ts";
import { checkOptions, type OptionKeys, optionKeys } from "../core/_options.ts";

/** The public npm registry. */
export const NPM_REGISTRY = "https://registry.npmjs.org";

/** The published package the CLI belongs to. */
export const PACKAGE_NAME = "unicorn-binance";

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Compares two semantic versions (build metadata ignored, a pre-release sorts before its release).
 *
 * @param a A version like `1.2.3` or `1.2.3-rc.1`.
 * @param b Another one.
 * @returns -1, 0 or 1.
 * @throws {TypeError} When either is not a semantic version.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { compareVersions } from "./cli_update.ts";
 *
 * assertEquals(
 *   [compareVersions("0.1.0", "0.2.0"), compareVersions("1.0.0", "1.0.0-rc.1"), compareVersions("0.10.0", "0.9.9")],
 *   [-1, 1, 1],
 * );
 * ```
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa || !pb) {
    throw new TypeError(
      `Invalid version ${JSON.stringify(pa ? b : a)}: expected a semantic version like 1.2.3`,
    );
  }
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  const ra = pa[4];
  const rb = pb[4];
  if (ra === rb) return 0;
  if (ra === undefined) return 1;
  if (rb === undefined) return -1;
  const xa = ra.split(".");
  const xb = rb.split(".");
  for (let i = 0; i < Math.max(xa.length, xb.length); i++) {
    if (xa[i] === undefined) return -1;
    if (xb[i] === undefined) return 1;
    if (xa[i] === xb[i]) continue;
    const na = /^\d+$/.test(xa[i]);
    const nb = /^\d+$/.test(xb[i]);
    if (na && nb) return Number(xa[i]) < Number(xb[i]) ? -1 : 1;
    if (na !== nb) return na ? -1 : 1;
    return xa[i] < xb[i] ? -1 : 1;
  }
  return 0;
}

/** What {@link checkUpdate} found. */
export interface UpdateCheck {
  /** The registry asked (origin and path, no credentials). */
  readonly registry: string;
  /** This package's version. */
  readonly current: string;
  /** The registry's `latest` release. */
  readonly latest: string;
  /** `true` when `latest` is newer than `current`. */
  readonly updateAvailable: boolean;
}

/** Options of {@link checkUpdate}. */
export interface CheckUpdateOptions {
  /** Registry base URL (default {@link NPM_REGISTRY}). */
  readonly registry?: string;
  /** The running version. */
  readonly current: string;
  /** Package name (default {@link PACKAGE_NAME}). */
  readonly name?: string;
  /** `fetch` (default the global one). */
  readonly fetch?: typeof fetch;
  /** Give up after this long (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** Aborts the request. */
  readonly signal?: AbortSignal;
}

const CHECK_KEYS: OptionKeys = optionKeys<CheckUpdateOptions>({
  registry: true,
  current: true,
  name: true,
  fetch: true,
  timeoutMs: true,
  signal: true,
});

/**
 * Asks the registry for the package's `latest` dist-tag (`GET <registry>/<name>/latest`).
 *
 * @param options Registry, current version, fetch, timeout.
 * @returns The versions and whether an update exists.
 * @throws {TypeError} An unknown option key, a bad registry URL or a current version that is not semver.
 * @throws {BinanceError} When the registry cannot be reached, answers non-2xx or without a version.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { checkUpdate } from "./cli_update.ts";
 *
 * const fake = (async () => Response.json({ name: "unicorn-binance", version: "0.2.0" })) as typeof fetch;
 * const r = await checkUpdate({ current: "0.1.0", registry: "http://127.0.0.1:1", fetch: fake });
 * assertEquals([r.latest, r.updateAvailable], ["0.2.0", true]);
 * ```
 */
export async function checkUpdate(options: CheckUpdateOptions): Promise<UpdateCheck> {
  checkOptions(options, "checkUpdate options", CHECK_KEYS);
  if (!SEMVER.test(options.current)) {
    throw new TypeError(
      `Invalid current: expected a semantic version like 1.2.3, got ${JSON.stringify(options.current)}`,
    );
  }
  const base = (options.registry ?? NPM_REGISTRY).replace(/\/+$/, "");
  const name = options.name ?? PACKAGE_NAME;
  let url: URL;
  try {
    url = new URL(`${base}/${name.replace("/", "%2f")}/latest`);
  } catch {
    throw new TypeError(`Invalid registry ${JSON.stringify(base)}: expected an http(s) URL`);
  }
  // never show registry credentials (https://user:token@host) in output or errors
  const shown = `${url.origin}${url.pathname.replace(/\/[^/]*\/latest$/, "")}`;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, { headers: { accept: "application/json" }, signal });
  } catch (cause) {
    throw new BinanceError(
      `Update check failed: cannot reach the npm registry ${shown} (${
        timeout.aborted ? "timed out" : (cause as Error).message
      })`,
      { cause },
    );
  }
  const text = await res.text();
  if (!res.ok) {
    throw new BinanceError(
      res.status === 404
        ? `Update check failed: ${name} is not on the npm registry ${shown} (HTTP 404)`
        : `Update check failed: the npm registry ${shown} answered HTTP ${res.status}`,
    );
  }
  let latest: unknown;
  try {
    latest = (JSON.parse(text) as { version?: unknown }).version;
  } catch {
    latest = undefined;
  }
  if (typeof latest !== "string" || !SEMVER.test(latest)) {
    throw new BinanceError(`Update check failed: the npm registry ${shown} gave no version for ${name}`);
  }
  return {
    registry: shown,
    current: options.current,
    latest,
    updateAvailable: compareVersions(latest, options.current) > 0,
  };
}
