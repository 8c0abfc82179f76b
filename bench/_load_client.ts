/**
 * The load generator of `bench/cluster.ts`, run as a process of its own (as a bot reading the
 * cluster is): its fetch work does not share the router's event loop, so what is measured is the
 * server side plus loopback, not the client's own scheduling. One command per line on stdin, one
 * JSON answer per line on stdout:
 *
 *   {"kind":"paced","url":"…","rate":1000,"ms":2000}  → {"p50":…,"p99":…,"failed":…,"n":…}
 *   {"kind":"throughput","url":"…","ms":1500,"concurrency":16} → {"perSecond":…}
 *
 * @module
 */
import process from "node:process";
import { createInterface } from "node:readline";

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Open loop: a read every 1/rate s whatever the answers do; latency is send → body read. */
export async function paced(
  url: string,
  ratePerS: number,
  ms: number,
): Promise<{ p50: number; p99: number; failed: number; n: number }> {
  const lat: number[] = [];
  let failed = 0;
  const inflight: Promise<void>[] = [];
  const t0 = performance.now();
  const total = Math.floor((ratePerS * ms) / 1000);
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / ratePerS;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sent = performance.now();
    inflight.push(
      fetch(url).then(async (res) => {
        const body = await res.json();
        if (body.result !== "OK") failed++;
        lat.push(performance.now() - sent);
      }, () => {
        failed++;
      }),
    );
    if (inflight.length > 256) await Promise.all(inflight.splice(0));
  }
  await Promise.all(inflight);
  return { p50: pct(lat, 50), p99: pct(lat, 99), failed, n: lat.length };
}

/** Closed loop: `concurrency` readers, each sending its next read when the last one answered. */
export async function throughput(url: string, ms: number, concurrency = 16): Promise<number> {
  let n = 0;
  const end = performance.now() + ms;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const res = await fetch(url);
      await res.arrayBuffer();
      n++;
    }
  }));
  return (n * 1000) / ms;
}

if (import.meta.main) {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const cmd = JSON.parse(line) as {
      kind: string;
      url: string;
      rate?: number;
      ms: number;
      concurrency?: number;
    };
    const answer = cmd.kind === "paced"
      ? await paced(cmd.url, cmd.rate ?? 1000, cmd.ms)
      : { perSecond: await throughput(cmd.url, cmd.ms, cmd.concurrency ?? 16) };
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  }
}
