/**
 * The depth-cache cluster in one process: an embedded cluster (in-process coordination, 3 nodes,
 * a router, the emulator as Binance) and the typed client — create markets with 2 replicas each,
 * read the top of book through the router, see which node served, stop a node and keep reading.
 *
 * ```sh
 * deno run -A examples/cluster_client.ts
 * deno run -A examples/cluster_client.ts --nodes 4
 * ```
 *
 * @module
 */
import process from "node:process";
import { BinanceDepthCacheClusterClient, startEmbeddedCluster } from "../src/cluster/mod.ts";

const i = process.argv.indexOf("--nodes");
const nodes = i >= 0 ? Number(process.argv[i + 1]) : 3;
const markets = ["BTCUSDT", "ETHUSDT", "BNBBTC"];

await using cluster = await startEmbeddedCluster({ nodes, emulator: { seed: 1 } });
console.log(`router ${cluster.url}, ${nodes} nodes, emulator as Binance`);
const client = new BinanceDepthCacheClusterClient({ baseUrl: cluster.url });

const { created } = await client.createDepthCaches("binance.com", markets, { desiredQuantity: 2 });
console.log(`created ${created.join(", ")} with 2 replicas each`);
for (const m of markets) await cluster.waitLive("binance.com", m, 2);

for (const m of markets) {
  const asks = await client.getAsks("binance.com", m, { limitCount: 1 });
  const bids = await client.getBids("binance.com", m, { limitCount: 1 });
  console.log(
    `${m.padEnd(8)} best bid ${bids.levels[0][0]} / best ask ${asks.levels[0][0]} ` +
      `(update id ${asks.lastUpdateId}, served by ${asks.servedBy})`,
  );
}

const info = await client.getDepthCacheInfo("binance.com", "BTCUSDT");
console.log(
  `BTCUSDT replicas: ${
    info.replicas.map((r) => `${r.nodeId} ${r.state} lag ${r.receiveLagMs} ms`).join(", ")
  }`,
);

const leaving = info.replicas[0].nodeId;
await cluster.removeNode(leaving);
console.log(`removed ${leaving}; its replicas move to the other nodes`);
const again = await client.getAsks("binance.com", "BTCUSDT", { limitCount: 3 });
console.log(`BTCUSDT still served by ${again.servedBy}: ${again.levels.length} ask levels`);
await cluster.waitLive("binance.com", "BTCUSDT", 2);
const after = await client.getDepthCacheInfo("binance.com", "BTCUSDT");
console.log(`BTCUSDT replicas again: ${after.replicas.map((r) => `${r.nodeId} ${r.state}`).join(", ")}`);
console.log("done: closing the cluster");
