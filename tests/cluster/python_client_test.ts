/**
 * A faithful re-creation of the Python UBLDC `Cluster` client's requests (tests/cluster/
 * ubdcc_client.py, stdlib only: raise_for_status, POST JSON with explicit nulls, debug=true with
 * a numeric cluster_execution_time, Content-Type) drives an embedded cluster's router as a
 * subprocess. Skipped with one line when python3 is not installed.
 */
import { describe, it } from "node:test";
import { spawn, spawnSync } from "node:child_process";
import { assert, assertEquals } from "@std/assert";
import { startEmbeddedCluster } from "../../src/cluster/embedded.ts";
import { projectPath } from "../_data.ts";
import { FAST_CONFIG } from "./_cluster.ts";

const hasPython = spawnSync("python3", ["--version"]).status === 0;

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn("python3", args);
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the Python Cluster client against the router", () => {
  if (!hasPython) console.log("python_client_test: python3 not found, skipped (apt-get install python3)");
  it(
    "runs its whole scenario: create, read, list, info, credentials, stop",
    { skip: !hasPython },
    async () => {
      await using cluster = await startEmbeddedCluster({
        nodes: 2,
        emulator: { seed: 5 },
        config: FAST_CONFIG,
      });
      const port = new URL(cluster.url).port;
      const key = "PyPlantedKey0123456789abcdef";
      const secret = "PyPlantedSecret0123456789abcdef";
      const res = await run([projectPath("tests/cluster/ubdcc_client.py"), "127.0.0.1", port, key, secret]);
      assertEquals(res.code, 0, res.stderr);
      const calls = new Map<string, Record<string, unknown>>();
      for (const line of res.stdout.trim().split("\n")) {
        const { call, body } = JSON.parse(line);
        calls.set(call, body);
        assertEquals(Object.keys(body), Object.keys(body).sort(), `${call}: top-level keys sorted`);
      }
      const c = (name: string) => calls.get(name)!;
      assertEquals([c("create_depthcache").result, c("create_depthcache").event], [
        "OK",
        "CREATE_DEPTHCACHE",
      ]);
      const dbg = c("create_depthcache").debug as Record<string, number>;
      assertEquals(typeof dbg.cluster_execution_time, "number");
      assert(dbg.transmission_time >= 0 && dbg.request_time >= dbg.cluster_execution_time);
      assertEquals([c("create_depthcache again").result, c("create_depthcache again").error_id], [
        "ERROR",
        "#1024",
      ]);
      assertEquals(c("create_depthcaches").result, "OK");
      assertEquals((c("get_asks").asks as unknown[]).length, 5);
      assertEquals(c("get_bids").result, "OK");
      assert((c("get_bids").bids as unknown[]).length >= 1);
      assertEquals(c("get_asks missing").error_id, "#1025");
      assertEquals(c("get_asks unknown").error_id, "#7000");
      const list = c("get_depthcache_list").depthcache_list as Record<string, Record<string, unknown>>;
      assertEquals(Object.keys(list["binance.com"]).sort(), ["BNBBTC", "BTCUSDT", "ETHUSDT"]);
      const info = c("get_depthcache_info").depthcache_info as Record<string, unknown>;
      assertEquals([info.MARKET, info.DESIRED_QUANTITY], ["BTCUSDT", 2]);
      assertEquals(typeof c("add_credentials").id, "string");
      assertEquals(c("add_credentials bad group").error_id, "#1031");
      const creds = c("get_credentials_list").credentials as Record<string, unknown>[];
      assertEquals(creds.map((x) => x.api_key_preview), ["PyPl*ef"]);
      assertEquals(c("remove_credentials").result, "OK");
      assertEquals(c("remove_credentials again").error_id, "#1034");
      assertEquals(c("stop_depthcache").result, "OK");
      assertEquals(c("stop_depthcache again").error_id, "#7000");
      assertEquals((c("get_test").app as Record<string, string>).name, "ubdcc-restapi");
      assert(!res.stdout.includes(secret) && !res.stdout.includes(key), "a planted secret in an answer");
    },
  );
});
