// `BinanceRestClient.setCredentials`: the same checks as the constructor (a table: the same
// message with the other "where"), nothing changes on a bad value, the next request uses the new
// key (the emulator's accounts tell the keys apart by their balances), a request already started
// keeps its key, `null` clears, and no message quotes key material.
import { after, before, describe, it } from "node:test";
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { readSharedJson } from "../_data.ts";
import { BinanceRestClient } from "../../src/rest/mod.ts";
import { type Emulator, startEmulator } from "../../src/testing/mod.ts";

// deno-lint-ignore no-explicit-any
type Any = any;
const V: Any = readSharedJson("signing/vectors.json");
const ED_PRIVATE: string = V.ed25519_fix_logon.private_key_pem;
const ED_PUBLIC: string = V.ed25519_fix_logon["derived_public_key_pem_(computed_locally_not_in_docs)"];
const KEY_A = "swapKeyAlpha0123456789";
const SECRET_A = "swapSecretAlpha0123456789abcdef";
const KEY_B = "swapKeyBravo0123456789";
const PLANTED = [KEY_A, SECRET_A, KEY_B, ED_PRIVATE.split("\n")[1], "plantedBadSecret0123456789"];

/** [case, credentials] refused by both the constructor and setCredentials. */
const BAD: [string, Record<string, unknown>][] = [
  ["secret is a number", { apiKey: KEY_A, apiSecret: 12345 }],
  ["secret is blank", { apiKey: KEY_A, apiSecret: "  \n" }],
  ["secret has a trailing newline", { apiKey: KEY_A, apiSecret: "plantedBadSecret0123456789\n" }],
  ["secret has a space inside", { apiKey: KEY_A, apiSecret: "plantedBad Secret0123456789" }],
  ["key is a number", { apiKey: 12345, apiSecret: SECRET_A }],
  ["key is empty", { apiKey: "", apiSecret: SECRET_A }],
  ["key has a leading space", { apiKey: ` ${KEY_A}`, apiSecret: SECRET_A }],
  ["secret without key", { apiSecret: SECRET_A }],
  ["both secret and private key", { apiKey: KEY_A, apiSecret: SECRET_A, privateKey: ED_PRIVATE }],
  ["HMAC secret as privateKey", { apiKey: KEY_A, privateKey: "plantedBadSecret0123456789" }],
  ["public key as secret", { apiKey: KEY_A, apiSecret: ED_PUBLIC }],
  ["junk PEM", {
    apiKey: KEY_A,
    apiSecret: "-----BEGIN PRIVATE KEY-----\nplantedBadSecret0123456789\n-----END PRIVATE KEY-----",
  }],
  ["unknown key", { apiKey: KEY_A, apiSecret: SECRET_A, secretKey: "plantedBadSecret0123456789" }],
];

let emu: Emulator;
let base: { baseUrl: string };
before(async () => {
  emu = await startEmulator({
    seed: 5,
    paused: true,
    accounts: [
      { apiKey: KEY_A, secretKey: SECRET_A, balances: { USDT: "111" } },
      { apiKey: KEY_B, publicKey: ED_PUBLIC, balances: { USDT: "222" } },
    ],
  });
  base = { baseUrl: emu.restUrl };
});
after(() => emu.close());

async function usdt(c: BinanceRestClient): Promise<number> {
  const account = await c.getAccount();
  return Number(account.balances.find((b) => b.asset === "USDT")?.free);
}

function noSecretIn(text: string): void {
  for (const s of PLANTED) assert(!text.includes(s), `key material in: ${text}`);
}

describe("BinanceRestClient.setCredentials", () => {
  it("checks like the constructor: same message, other place; nothing changes on a bad value", async () => {
    const client = new BinanceRestClient({ ...base, apiKey: KEY_A, apiSecret: SECRET_A });
    assertEquals(await usdt(client), 111);
    for (const [name, creds] of BAD) {
      const ctor = assertThrows(() => new BinanceRestClient(creds as Any), TypeError);
      const swap = assertThrows(() => client.setCredentials(creds as Any), TypeError);
      assertEquals(
        swap.message,
        ctor.message.replaceAll("BinanceRestClient options", "BinanceRestClient.setCredentials credentials"),
        name,
      );
      assert(swap.message.includes("BinanceRestClient.setCredentials credentials"), swap.message);
      noSecretIn(swap.message);
      assertEquals(client.keyType, "hmac", `${name}: the old key stays`);
    }
    for (const v of [undefined, "key", 1, [KEY_A]]) {
      const e = assertThrows(() => client.setCredentials(v as Any), TypeError);
      assert(
        e.message.startsWith("Invalid BinanceRestClient.setCredentials credentials: expected an object"),
      );
    }
    const empty = assertThrows(() => client.setCredentials({}), TypeError);
    assertEquals(
      empty.message,
      "Missing BinanceRestClient.setCredentials credentials.apiKey: pass null to clear the credentials",
    );
    assertEquals(await usdt(client), 111, "still the first account after every refusal");
  });

  it("the next request uses the new key; null clears; a key alone drops the secret", async () => {
    let sent = 0;
    const counting: typeof fetch = (input, init) => {
      sent++;
      return fetch(input, init);
    };
    const client = new BinanceRestClient({ ...base, fetch: counting, apiKey: KEY_A, apiSecret: SECRET_A });
    assertEquals(await usdt(client), 111);
    client.setCredentials({ apiKey: KEY_B, privateKey: ED_PRIVATE });
    assertEquals(client.keyType, "ed25519");
    assertEquals(await usdt(client), 222);
    client.setCredentials({ apiKey: KEY_A, apiSecret: SECRET_A });
    assertEquals(await usdt(client), 111);

    client.setCredentials(null);
    assertEquals(client.keyType, undefined);
    const before = sent;
    const cleared = await assertRejects(() => client.getAccount(), TypeError);
    assertEquals(cleared.message, "Missing apiKey: GET /api/v3/account needs an API key");
    assertEquals(sent, before, "nothing sent without a key");
    assert((await client.getOrderBook({ symbol: "BTCUSDT", limit: 5 })).bids.length > 0, "public calls work");

    client.setCredentials({ apiKey: KEY_A });
    assertEquals(client.keyType, undefined);
    const noSecret = await assertRejects(() => client.getAccount(), TypeError);
    assertEquals(
      noSecret.message,
      "Missing apiSecret or privateKey: GET /api/v3/account is a signed endpoint",
    );
    noSecretIn(cleared.message + noSecret.message);
  });

  it("a request already started keeps the key it began with (also through its time sync)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => release = r);
    let reachedTime!: () => void;
    const atTime = new Promise<void>((r) => reachedTime = r);
    const keys: string[] = [];
    const gated: typeof fetch = async (input, init) => {
      const url = String(input);
      if (url.includes("/api/v3/time")) {
        reachedTime();
        await gate;
      }
      if (url.includes("/api/v3/account")) keys.push(new Headers(init?.headers).get("X-MBX-APIKEY") ?? "");
      return fetch(input, init);
    };
    const client = new BinanceRestClient({ ...base, fetch: gated, apiKey: KEY_A, apiSecret: SECRET_A });
    const first = usdt(client); // its first signed call measures the server time first
    await atTime;
    client.setCredentials({ apiKey: KEY_B, privateKey: ED_PRIVATE });
    release();
    assertEquals(await first, 111, "signed with the key it started with");
    assertEquals(await usdt(client), 222, "the next one uses the new key");
    assertEquals(keys, [KEY_A, KEY_B]);
  });
});
