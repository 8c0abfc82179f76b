// What `npm install unicorn-binance` puts on a user's disk: the package (npm/, as `npm pack` would
// ship it: its "files") plus its production dependency tree — "dependencies" and the peers npm
// installs on its own (non-optional "peerDependencies"), recursively, with the versions of the
// project's node_modules. Optional peers are listed apart (only users of that sub-path install
// them). Sizes are the sum of file sizes (bytes), like `npm pack`'s "unpacked size".
//
// Usage: node scripts/install_size.mjs [npm-dir]   (default: npm/, built by build_npm.ts)
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";

const root = process.cwd();
const pkgDir = process.argv[2] ?? join(root, "npm");

function bytes(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  let sum = 0;
  for (const name of readdirSync(path)) {
    if (name === "node_modules") continue; // nested dependencies are counted as packages of their own
    sum += bytes(join(path, name));
  }
  return sum;
}

const manifest = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

/** Directory of `name` as Node resolves it from `fromDir` (nested node_modules first). */
function locate(name, fromDir) {
  for (let dir = fromDir; dir.startsWith(root); dir = join(dir, "..")) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === root) break;
  }
  throw new Error(`install_size: ${name} (needed from ${fromDir}) is not in node_modules`);
}

/** Production closure of a package's dependencies, keyed by directory. */
function closure(names, fromDir, seen = new Map()) {
  for (const name of names) {
    const dir = locate(name, fromDir);
    if (seen.has(dir)) continue;
    const m = manifest(dir);
    seen.set(dir, { name: m.name, version: m.version, bytes: bytes(dir) });
    const optionalPeers = new Set(
      Object.entries(m.peerDependenciesMeta ?? {}).filter(([, v]) => v.optional).map(([k]) => k),
    );
    const peers = Object.keys(m.peerDependencies ?? {}).filter((p) => !optionalPeers.has(p));
    closure([...Object.keys(m.dependencies ?? {}), ...peers], dir, seen);
  }
  return seen;
}

const pkg = manifest(pkgDir);
const shipped = [...(pkg.files ?? []), "package.json"].filter((f) => existsSync(join(pkgDir, f)));
const own = shipped.reduce((s, f) => s + bytes(join(pkgDir, f)), 0);
const optionalPeers = new Set(
  Object.entries(pkg.peerDependenciesMeta ?? {}).filter(([, v]) => v.optional).map(([k]) => k),
);
const installed = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}).filter((p) => !optionalPeers.has(p)),
];
const deps = [...closure(installed, root).values()].sort((a, b) => b.bytes - a.bytes);
const depBytes = deps.reduce((s, d) => s + d.bytes, 0);
const optional = [...closure([...optionalPeers], root).values()].sort((a, b) => b.bytes - a.bytes);
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;

console.log(`${pkg.name}@${pkg.version}: package ${kb(own)}`);
for (const d of deps) console.log(`  + ${d.name}@${d.version} ${kb(d.bytes)}`);
console.log(`installed by \`npm install ${pkg.name}\`: ${kb(own + depBytes)} in ${deps.length + 1} packages`);
if (optional.length > 0) {
  console.log(`optional peers (installed by users of the sub-paths that need them):`);
  for (const d of optional) console.log(`  ${d.name}@${d.version} ${kb(d.bytes)}`);
  console.log(`with every optional peer: ${kb(own + depBytes + optional.reduce((s, d) => s + d.bytes, 0))}`);
}
