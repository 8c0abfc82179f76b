// Where a Chromium binary is: one lookup shared by the test harness (scripts/run_tests.mjs, which
// says once when the browser test will not run) and the browser test itself
// (tests/cluster/dashboard_browser_test.ts), so both agree on whether it runs.
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import process from "node:process";

/** Binary names tried, in order. */
export const CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** Directories tried after the ones on PATH (Debian's package, snaps, a manual install). */
export const CHROMIUM_DIRS = ["/usr/bin", "/usr/local/bin", "/snap/bin", "/usr/lib/chromium"];

/**
 * The first Chromium (or Chrome) binary found on PATH or in {@link CHROMIUM_DIRS}.
 * @returns {string | null} Its path, or null when there is none.
 */
export function chromiumPath() {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...CHROMIUM_DIRS];
  for (const name of CHROMIUM_NAMES) {
    for (const d of dirs) if (existsSync(join(d, name))) return join(d, name);
  }
  return null;
}
