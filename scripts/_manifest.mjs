// Shared by build_npm.ts, the test harness and the manifest tests: one place that reads deno.json
// (JSONC: it opens with a comment) and derives the npm "exports" map from its "exports".
import { readFileSync } from "node:fs";

/**
 * Parses a JSON-with-comments file (line comments outside strings only).
 * @param {string} path
 * @returns {any}
 */
export function readJsonc(path) {
  const text = readFileSync(path, "utf8");
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else {
      out += c;
    }
  }
  return JSON.parse(out);
}

/**
 * The npm "exports" entry for every deno.json export but command-line modules (`…/cli.ts`, ESM
 * only, bins on npm): "./rest": "./src/rest/mod.ts" becomes
 * { import: { types: "./esm/src/rest/mod.d.ts", default: "./esm/src/rest/mod.js" },
 *   require: { types: "./script/src/rest/mod.d.ts", default: "./script/src/rest/mod.js" } }.
 * @param {Record<string, string>} denoExports
 * @returns {Record<string, { import: { types: string, default: string }, require: { types: string, default: string } }>}
 */
export function npmExportsFromDeno(denoExports) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const [key, path] of Object.entries(denoExports)) {
    if (!/^\.\/.+\.ts$/.test(path)) {
      throw new TypeError(`Invalid deno.json export "${key}": "${path}" is not a relative .ts path`);
    }
    // a command-line module (`…/cli.ts`, e.g. `./trailing/cli` for `deno run -A jsr:…`) is ESM
    // only and reaches npm users as a bin (`npx unicorn-binance-ubtsl`), not as an export
    if (/\/cli\.ts$/.test(path)) continue;
    const base = path.slice(2, -3);
    out[key] = {
      import: { types: `./esm/${base}.d.ts`, default: `./esm/${base}.js` },
      require: { types: `./script/${base}.d.ts`, default: `./script/${base}.js` },
    };
  }
  return out;
}
