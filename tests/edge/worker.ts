/**
 * The workerd smoke test: a Cloudflare-style module worker that imports the web-standard entry
 * points of the library and runs checks inside workerd (driven by scripts/test_workerd.mjs through
 * miniflare). `GET /` runs every check and answers a JSON array of results.
 *
 * workerd forbids compiling WebAssembly from bytes, so the WASM core is handed over as the
 * precompiled module that the bundler imports from `core.wasm` (what a Workers user does).
 *
 * @module
 */
import { checks, type WorkerEnv } from "./checks.ts";

interface Result {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const url = new URL(request.url);
    const only = url.searchParams.get("only");
    const results: Result[] = [];
    for (const [name, fn] of Object.entries(checks)) {
      if (only && name !== only) continue;
      const t0 = Date.now();
      try {
        await fn(env);
        results.push({ name, ok: true, ms: Date.now() - t0 });
      } catch (e) {
        results.push({
          name,
          ok: false,
          error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
          ms: Date.now() - t0,
        });
      }
    }
    return Response.json(results);
  },
};
