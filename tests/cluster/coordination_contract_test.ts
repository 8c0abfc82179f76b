// One contract suite for the coordination interface, run on the in-process implementation and on
// NATS JetStream KV against real nats-server processes (one server, and a 3-server cluster with
// replicas 3). The NATS runs skip when nats-server is not installed.
import { after, before, describe, it } from "node:test";
import { spawn } from "node:child_process";
import { connect as tcpConnect } from "node:net";
import { assert, assertEquals, assertMatch, assertRejects, assertThrows } from "@std/assert";
import {
  type Coordination,
  CoordinationConflictError,
  type KvBucket,
  type KvWatchEvent,
} from "../../src/cluster/coordination.ts";
import { MemoryCoordination } from "../../src/cluster/coordination_memory.ts";
import { ClusterState } from "../../src/cluster/state.ts";
import { until } from "./_cluster.ts";
import { NatsCoordination, type NatsCoordinationOptions } from "../../src/cluster/coordination_nats.ts";
import {
  freePorts,
  natsServerPath,
  type NatsSet,
  selfSignedCert,
  startNats,
  stopAllNatsServers,
  streamLeader,
  waitFor,
} from "./_nats.ts";

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Opens `n` members of one fresh shared store (memory: one instance; NATS: n connections). */
type Open = (n: number) => Promise<Coordination[]>;

let seq = 0;
const bucketName = () => `t${Date.now().toString(36)}_${seq++}`;

/** Reads `n` events or fails after `ms`. */
async function take(w: AsyncIterator<KvWatchEvent>, n: number, ms = 15_000): Promise<KvWatchEvent[]> {
  const out: KvWatchEvent[] = [];
  const deadline = Date.now() + ms;
  while (out.length < n) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const r = await Promise.race([
      w.next(),
      new Promise<"timeout">((
        res,
      ) => (timer = setTimeout(() => res("timeout"), Math.max(1, deadline - Date.now())))),
    ]);
    clearTimeout(timer);
    if (r === "timeout") {
      throw new Error(`Watch: got ${out.length} of ${n} events within ${ms} ms: ${JSON.stringify(out)}`);
    }
    if (r.done) throw new Error(`Watch ended after ${out.length} of ${n} events`);
    out.push(r.value);
  }
  return out;
}

const brief = (e: KvWatchEvent) => `${e.op} ${e.key}=${e.value}${e.initial ? " (initial)" : ""}`;

async function withStore(open: Open, n: number, fn: (m: Coordination[], b: KvBucket[]) => Promise<void>) {
  const members = await open(n);
  const name = bucketName();
  try {
    const buckets = [];
    for (const m of members) buckets.push(await m.bucket(name));
    await fn(members, buckets);
  } finally {
    for (const m of new Set(members)) await m.close();
  }
}

/** The contract every implementation keeps (see the module doc of `coordination.ts`). */
export function coordinationContract(label: string, open: Open, skip: boolean | string = false): void {
  describe(`coordination contract: ${label}`, { skip }, () => {
    it("gives every write a unique, increasing revision and reads back value and revision", async () => {
      await withStore(open, 1, async (_m, [b]) => {
        const revs = [await b.put("a", "1"), await b.create("b", "2"), await b.put("a", "3")];
        revs.push(await b.update("b", "4", revs[1]));
        await b.delete("a");
        revs.push(await b.put("c", "5"));
        for (let i = 1; i < revs.length; i++) assert(revs[i] > revs[i - 1], `revisions ${revs}`);
        assertEquals(await b.get("b"), { key: "b", value: "4", revision: revs[3] });
        assertEquals(await b.get("a"), null);
        assertEquals(await b.get("never"), null);
      });
    });

    it("create fails on an existing key and changes nothing", async () => {
      await withStore(open, 1, async (_m, [b]) => {
        const rev = await b.create("k", "first");
        const e = await assertRejects(() => b.create("k", "second"), CoordinationConflictError);
        assertEquals((e as CoordinationConflictError).key, "k");
        assertEquals(await b.get("k"), { key: "k", value: "first", revision: rev });
      });
    });

    it("update is a compare-and-set on the revision", async () => {
      await withStore(open, 1, async (_m, [b]) => {
        const r1 = await b.put("k", "v1");
        const r2 = await b.update("k", "v2", r1);
        assert(r2 > r1);
        await assertRejects(() => b.update("k", "stale", r1), CoordinationConflictError);
        await assertRejects(() => b.update("absent", "x", 1), CoordinationConflictError);
        await assertRejects(() => b.update("k", "x", 0), CoordinationConflictError);
        assertEquals((await b.get("k"))?.value, "v2");
        // a deleted key has no revision to update from (not even its delete's)
        const w = b.watch({ prefix: "k" });
        await take(w, 1);
        await b.delete("k");
        const [del] = await take(w, 1);
        await w.return?.();
        assertEquals(del.op, "delete");
        await assertRejects(() => b.update("k", "x", del.revision), CoordinationConflictError);
        await assertRejects(() => b.update("k", "x", r2), CoordinationConflictError);
        assertEquals(await b.get("k"), null);
      });
    });

    it("create works again after a delete; deleting an absent key does nothing", async () => {
      await withStore(open, 1, async (_m, [b]) => {
        await b.create("k", "a");
        await b.delete("k");
        assertEquals(await b.get("k"), null);
        const r = await b.create("k", "b");
        assertEquals(await b.get("k"), { key: "k", value: "b", revision: r });
        await b.delete("gone");
        await b.delete("gone");
        const before = await b.put("probe", "x");
        const w = b.watch();
        await take(w, 2); // k, probe
        await b.delete("never");
        const after = await b.put("probe", "y");
        const [e] = await take(w, 1);
        await w.return?.();
        assertEquals([e.op, e.key, e.value], ["put", "probe", "y"]);
        assert(after > before);
      });
    });

    it("lists live entries under a prefix in key order", async () => {
      await withStore(open, 1, async (_m, [b]) => {
        const keys = [
          "dc.binance_com.ETHUSDT",
          "node.n2",
          "dc.binance_com.BTCUSDT",
          "dc.binance_us.BTCUSD",
          "node.n1",
        ];
        for (const k of keys) await b.put(k, `v-${k}`);
        await b.put("dc.binance_com.XRPUSDT", "x");
        await b.delete("dc.binance_com.XRPUSDT");
        const all = await b.list();
        assertEquals(all.map((e) => e.key), [...keys].sort());
        assertEquals((await b.list("dc.")).map((e) => e.key), [
          "dc.binance_com.BTCUSDT",
          "dc.binance_com.ETHUSDT",
          "dc.binance_us.BTCUSD",
        ]);
        assertEquals((await b.list("dc.binance_com.B")).map((e) => e.key), ["dc.binance_com.BTCUSDT"]);
        assertEquals((await b.list("no")).map((e) => e.key), ["node.n1", "node.n2"]);
        assertEquals(await b.list("zzz."), []);
        const btc = all.find((e) => e.key === "dc.binance_com.BTCUSDT")!;
        assertEquals(btc, await b.get("dc.binance_com.BTCUSDT"));
      });
    });

    it("watch replays the current state, then every change in order, with deletes and a prefix", async () => {
      await withStore(open, 2, async (_m, [a, b]) => {
        await a.put("dc.x", "1");
        await a.put("node.n1", "up");
        await a.put("dc.y", "2");
        await a.put("dc.z", "gone");
        await a.delete("dc.z");
        const w = b.watch({ prefix: "dc." });
        const initial = await take(w, 2);
        assertEquals(initial.map(brief), ["put dc.x=1 (initial)", "put dc.y=2 (initial)"]);
        assert(initial[0].revision < initial[1].revision);
        await a.put("node.n2", "up"); // outside the prefix
        await a.put("dc.x", "3");
        await a.delete("dc.y");
        await a.create("dc.w", "4");
        const changes = await take(w, 3);
        assertEquals(changes.map(brief), ["put dc.x=3", "delete dc.y=", "put dc.w=4"]);
        for (let i = 1; i < changes.length; i++) assert(changes[i].revision > changes[i - 1].revision);
        assertEquals(changes[2].revision, (await a.get("dc.w"))!.revision);
        await w.return?.();
      });
    });

    it("caughtUp: once the consumer took the replay, at once when empty, never held by a deleted key", async () => {
      await withStore(open, 2, async (_m, [a, b]) => {
        const bounded = (p: Promise<void>, what: string) =>
          Promise.race([
            p,
            new Promise<never>((_, reject) =>
              setTimeout(() => reject(new Error(`${what}: not caught up`)), 15_000)
            ),
          ]);
        const empty = b.watch({ prefix: "dc." });
        await bounded(empty.caughtUp, "an empty replay");
        await empty.return?.();
        for (const k of ["dc.a", "dc.b", "dc.c"]) await a.put(k, "v");
        const w = b.watch({ prefix: "dc." });
        let caught = false;
        w.caughtUp.then(() => (caught = true));
        await take(w, 2);
        await Promise.resolve();
        assert(!caught, "caught up with a replayed event not taken yet");
        await take(w, 1);
        const next = w.next(); // the consumer asks for more: the replay is applied
        await bounded(w.caughtUp, "after the replay");
        await a.put("dc.d", "later");
        assertEquals((await next).value?.key, "dc.d");
        await w.return?.();
        // keys created and deleted while watches start never hold one up (the old list-then-watch
        // start of ClusterState waited for a listed key the replay no longer had)
        let churning = true;
        const churn = (async () => {
          for (let i = 0; churning; i++) {
            await a.put(`dc.churn${i % 5}`, String(i));
            await a.delete(`dc.churn${(i + 2) % 5}`);
          }
        })();
        try {
          for (let i = 0; i < 8; i++) {
            const cw = b.watch({ prefix: "dc." });
            const drain = (async () => {
              for await (const _ of cw) { /* applied */ }
            })();
            await bounded(cw.caughtUp, `watch ${i} during churn`);
            await cw.return?.();
            await drain;
          }
        } finally {
          churning = false;
          await churn;
        }
      });
    });

    it("an aborted or returned watch ends its iterator", async () => {
      await withStore(open, 1, async (_m, [b]) => {
        await b.put("k", "v");
        const ac = new AbortController();
        const w = b.watch({ signal: ac.signal });
        await take(w, 1);
        const pending = w.next();
        ac.abort();
        assertEquals((await pending).done, true);
        assertEquals((await w.next()).done, true);
        const w2 = b.watch();
        await w2.return?.();
        assertEquals((await w2.next()).done, true);
        const pre = new AbortController();
        pre.abort();
        assertEquals((await b.watch({ signal: pre.signal }).next()).done, true);
      });
    });

    it("concurrent compare-and-set writers lose no update", async () => {
      await withStore(open, 4, async (_m, buckets) => {
        await buckets[0].create("counter", "0");
        const perWriter = 12;
        const winners: number[] = [];
        let conflicts = 0;
        await Promise.all(buckets.map(async (b) => {
          for (let i = 0; i < perWriter; i++) {
            for (;;) {
              const cur = (await b.get("counter"))!;
              try {
                winners.push(await b.update("counter", String(Number(cur.value) + 1), cur.revision));
                break;
              } catch (e) {
                if (!(e instanceof CoordinationConflictError)) throw e;
                conflicts++;
              }
            }
          }
        }));
        assertEquals((await buckets[0].get("counter"))!.value, String(buckets.length * perWriter));
        assertEquals(new Set(winners).size, winners.length);
        // memory runs writers one after another within a tick; NATS writers race on the server
        assert(conflicts >= 0);
      });
    });

    it("rejects invalid keys, prefixes, values and bucket names with a TypeError", async () => {
      const [m] = await open(1);
      try {
        for (const name of ["", "a.b", "a b", "a*", "x>"]) {
          await assertRejects(() => m.bucket(name), TypeError);
        }
        const b = await m.bucket(bucketName());
        for (const key of ["", "a..b", ".a", "a.", "a b", "a*", "a.>", "ä"]) {
          await assertRejects(() => b.get(key), TypeError, undefined, `get ${key}`);
          await assertRejects(() => b.put(key, "v"), TypeError, undefined, `put ${key}`);
          await assertRejects(() => b.create(key, "v"), TypeError, undefined, `create ${key}`);
          await assertRejects(() => b.update(key, "v", 1), TypeError, undefined, `update ${key}`);
          await assertRejects(() => b.delete(key), TypeError, undefined, `delete ${key}`);
        }
        await assertRejects(() => b.put("k", 5 as unknown as string), TypeError);
        await assertRejects(() => b.list("a*"), TypeError);
        assertThrows(() => b.watch({ prefix: "a >" }), TypeError);
        assertEquals(await b.list(), []);
      } finally {
        await m.close();
      }
    });

    it("close ends the watches and refuses new buckets", async () => {
      const [m] = await open(1);
      const b = await m.bucket(bucketName());
      await b.put("k", "v");
      const w = b.watch();
      await take(w, 1);
      const pending = w.next();
      await m.close();
      assertEquals((await pending).done, true);
      await assertRejects(() => m.bucket("other"), Error);
    });
  });
}

coordinationContract("memory", (n) => {
  const m = new MemoryCoordination();
  return Promise.resolve(Array.from({ length: n }, () => m));
});

const natsBin = natsServerPath();
const noNats = natsBin ? false : "nats-server not found (apt-get install nats-server)";
let single: NatsSet | undefined;
let trio: NatsSet | undefined;
const connectTo =
  (set: () => NatsSet | undefined, extra: Partial<NatsCoordinationOptions> = {}): Open => (n) =>
    Promise.all(
      Array.from({ length: n }, () => NatsCoordination.connect({ servers: set()!.urls, ...extra })),
    );

describe("NATS servers", { skip: noNats }, () => {
  before(async () => {
    [single, trio] = await Promise.all([startNats({ servers: 1 }), startNats({ servers: 3 })]);
  });
  after(async () => {
    await stopAllNatsServers();
  });
  coordinationContract("NATS, one server", connectTo(() => single));
  coordinationContract("NATS, 3-server cluster, replicas 3", connectTo(() => trio, { replicas: 3 }));

  it("3-server cluster: kill -9 of the stream leader loses and repeats no write or watch event", async () => {
    // 500 ms per attempt (default 2 s): the first write after the election is seen sooner
    const [w, r] = await connectTo(() => trio, { replicas: 3, timeoutMs: 500 })(2);
    try {
      const name = bucketName();
      const [bw, br] = [await w.bucket(name), await r.bucket(name)];
      const watch = br.watch({ prefix: "seq." });
      const total = 60, killAt = 20;
      const keys = Array.from({ length: total }, (_, i) => `seq.${String(i).padStart(3, "0")}`);
      const revs: number[] = [];
      let failoverMs = 0;
      for (let i = 0; i < total; i++) {
        if (i === killAt) {
          const leader = (await streamLeader(trio!, `KV_${name}`)) ?? trio!.servers[0];
          await leader.kill("SIGKILL");
          const t0 = performance.now();
          revs.push(await bw.create(keys[i], String(i)));
          failoverMs = performance.now() - t0;
          continue;
        }
        revs.push(await bw.create(keys[i], String(i)));
      }
      const events = await take(watch, total, 60_000);
      assertEquals(events.map((e) => e.key), keys);
      assertEquals(events.map((e) => e.revision), revs);
      await bw.put("seq.zz_end", "x");
      assertEquals((await take(watch, 1))[0].key, "seq.zz_end"); // nothing doubled in between
      assertEquals((await br.list("seq.")).length, total + 1);
      console.log(
        `NATS 3-cluster: first write after kill -9 of the stream leader took ${failoverMs.toFixed(0)} ms`,
      );
      await watch.return?.();
    } finally {
      await w.close();
      await r.close();
      for (const s of trio!.servers) if (!s.running) await s.start();
      await trio!.waitForLeader();
    }
  });

  it("a server whose JetStream does not answer: connect asks for retryForMs, then names the cause", async () => {
    // a plain nats-server (no JetStream): the JetStream API has no responders, as while a cluster
    // elects its meta leader
    const [port] = await freePorts(1);
    const plain = spawn(natsServerPath()!, ["-a", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    try {
      await waitFor(() => isListening(port), 15_000, "the plain server listening");
      const t0 = performance.now();
      const err = await assertRejects(() =>
        NatsCoordination.connect({ servers: `nats://127.0.0.1:${port}`, timeoutMs: 200, retryForMs: 1500 })
      );
      const ms = performance.now() - t0;
      assertMatch(String(err), /Cannot use NATS for coordination/);
      // it kept asking for retryForMs (one attempt would have failed after one 200 ms timeout)
      assert(ms >= 1400, `gave up after ${ms.toFixed(0)} ms`);
    } finally {
      plain.kill("SIGKILL");
    }
  });

  it("one server: kill -9 and restart on its store dir brings the data back; a watch resumes", async () => {
    const [c] = await connectTo(() => single)(1);
    try {
      const b = await c.bucket(bucketName());
      for (let i = 0; i < 5; i++) await b.put(`k.${i}`, `v${i}`);
      const watch = b.watch();
      assertEquals((await take(watch, 5)).map((e) => e.initial), [true, true, true, true, true]);
      await single!.servers[0].kill("SIGKILL");
      await single!.servers[0].start();
      await single!.waitForLeader();
      assertEquals(
        (await b.list()).map((e) => `${e.key}=${e.value}`),
        [0, 1, 2, 3, 4].map((i) => `k.${i}=v${i}`),
      );
      await b.put("k.after", "x");
      const [e] = await take(watch, 1, 30_000);
      assertEquals([e.key, e.value, e.initial], ["k.after", "x", false]);
      await watch.return?.();
    } finally {
      await c.close();
    }
  });

  it("ClusterState.open completes while its keys are created and deleted, with the view current", async () => {
    const [writer, reader] = await connectTo(() => single)(2);
    const opened: ClusterState[] = [];
    let churning = true;
    try {
      const desired = await writer.bucket("ubc_desired");
      const record = (market: string) =>
        JSON.stringify({
          exchange: "binance.com",
          market,
          desiredQuantity: 1,
          updateInterval: null,
          refreshInterval: null,
          createdAt: 1,
        });
      const churn = (async () => {
        for (let i = 0; churning; i++) {
          await desired.put(`dc.binance=com.M${i % 6}USDT`, record(`M${i % 6}USDT`));
          await desired.delete(`dc.binance=com.M${(i + 3) % 6}USDT`);
        }
      })();
      for (let i = 0; i < 5; i++) opened.push(await ClusterState.open(reader, { startTimeoutMs: 15_000 }));
      churning = false;
      await churn;
      const stored = (await desired.list("dc.")).map((e) => e.key.slice(3)).sort();
      for (const st of opened) {
        await until(() => [...st.desired.keys()].sort().join() === stored.join(), 15_000, "the view");
      }
    } finally {
      churning = false;
      for (const st of opened) await st.close();
      await writer.close();
      await reader.close();
    }
  });

  it("a server with an auth token refuses clients without it and never echoes the secret", async () => {
    const secret = "cluster-secret-7f3a";
    const guarded = await startNats({ servers: 1, token: secret });
    const wrong = await assertRejects(() =>
      NatsCoordination.connect({ servers: guarded.urls, token: "wrong-token-1b2c", timeoutMs: 2000 })
    );
    assert(!String((wrong as Error).message).includes("wrong-token-1b2c"));
    await assertRejects(() => NatsCoordination.connect({ servers: guarded.urls, timeoutMs: 2000 }));
    const ok = await NatsCoordination.connect({ servers: guarded.urls, token: secret });
    try {
      const b = await ok.bucket(bucketName());
      assertEquals(await b.get("x"), null);
      await b.put("x", "1");
      assertEquals((await b.get("x"))?.value, "1");
    } finally {
      await ok.close();
      for (const s of guarded.servers) await s.kill();
    }
  });
});

describe("NATS over TLS", { skip: noNats }, () => {
  after(async () => {
    await stopAllNatsServers();
  });
  it("talks to a TLS-only server when given its CA, and refuses an untrusted certificate", async (t) => {
    const cert = selfSignedCert();
    if (!cert) {
      t.skip("openssl not found");
      return;
    }
    const secure = await startNats({ servers: 1, tls: cert });
    try {
      const url = secure.urls[0].replace("nats://", "tls://");
      await assertRejects(() => NatsCoordination.connect({ servers: url, timeoutMs: 2000 }));
      const c = await NatsCoordination.connect({ servers: url, tls: { caFile: cert.certFile } });
      try {
        const b = await c.bucket(bucketName());
        const rev = await b.create("k", "over tls");
        assertEquals(await b.get("k"), { key: "k", value: "over tls", revision: rev });
      } finally {
        await c.close();
      }
    } finally {
      for (const s of secure.servers) await s.kill();
    }
  });
});

describe("NATS coordination options", () => {
  it("refuse unknown and invalid options before connecting, naming the option", async () => {
    const bad = (o: unknown) => NatsCoordination.connect(o as NatsCoordinationOptions);
    await assertRejects(
      () => bad({ servers: "nats://127.0.0.1:1", replica: 3 }),
      TypeError,
      'unknown option "replica"',
    );
    await assertRejects(() => bad({ servers: [], token: "s" }), TypeError, '"servers"');
    await assertRejects(() => bad({ servers: "nats://127.0.0.1:1", replicas: 2 }), TypeError, '"replicas"');
    await assertRejects(
      () => bad({ servers: "nats://127.0.0.1:1", tls: { ca: "x", verify: true } }),
      TypeError,
      '"verify"',
    );
    const both = await assertRejects(
      () => bad({ servers: "nats://127.0.0.1:1", token: "s3cr3t", user: "u", password: "p4ss" }),
      TypeError,
      "exclusive",
    );
    assert(!String((both as Error).message).includes("s3cr3t"));
    await assertRejects(() => bad({ servers: "nats://127.0.0.1:1", user: "u" }), TypeError, "together");
  });
});
