/**
 * The wire form of a node's read answer (`src/cluster/_read_wire.ts`): what the node writes, and
 * what the router takes from it — the head parsed, the levels passed through as text, anything
 * else through the schema or refused.
 */
import { describe, it } from "node:test";
import { assertEquals } from "@std/assert";
import { answerText, parseAnswerText } from "../../src/cluster/_read_wire.ts";

const LEVELS: [number, number][] = [[100.01, 1.5], [100.02, 0.000123], [1e21, 2]];

describe("node read answers on the wire", () => {
  it("an OK answer round-trips with the levels as the node wrote them", () => {
    const text = answerText({ ok: true, lastUpdateId: 987654321, eventTime: 1796312746271, levels: LEVELS });
    assertEquals(JSON.parse(text), {
      ok: true,
      lastUpdateId: 987654321,
      eventTime: 1796312746271,
      levels: LEVELS,
    });
    const r = parseAnswerText(text);
    assertEquals(r, {
      ok: true,
      lastUpdateId: 987654321,
      eventTime: 1796312746271,
      levelsJson: JSON.stringify(LEVELS),
    });
    // on the channel the answer follows the request id
    const framed = `{"i":42,${text.slice(1)}`;
    assertEquals(parseAnswerText(framed, framed.indexOf(",") + 1), r);
    const empty = answerText({ ok: true, lastUpdateId: 1, eventTime: 2, levels: [] });
    assertEquals(parseAnswerText(empty), { ok: true, lastUpdateId: 1, eventTime: 2, levelsJson: "[]" });
  });

  it("table: error answers, other field orders, and what is refused", () => {
    const cases: [string, unknown][] = [
      ['{"ok":false,"reason":"out_of_sync","state":"RESYNCING"}', {
        ok: false,
        reason: "out_of_sync",
        state: "RESYNCING",
      }],
      ['{"ok":false,"reason":"not_found","state":"NONE"}', { ok: false, reason: "not_found", state: "NONE" }],
      // another producer's field order: parsed and checked, levels serialised once
      ['{"levels":[[1,2]],"ok":true,"eventTime":5,"lastUpdateId":4}', {
        ok: true,
        lastUpdateId: 4,
        eventTime: 5,
        levelsJson: "[[1,2]]",
      }],
      // the fast head with a bad number falls back to the schema, which refuses it
      ['{"ok":true,"lastUpdateId":-1,"eventTime":5,"levels":[]}', {
        ok: true,
        lastUpdateId: -1,
        eventTime: 5,
        levelsJson: "[]",
      }],
      ['{"ok":true,"lastUpdateId":"4","eventTime":5,"levels":[]}', null],
      // the levels of the fast head are passed through unchecked: the channel is authenticated by
      // the cluster secret, and the node wrote them with JSON.stringify
      ['{"ok":true,"lastUpdateId":4,"eventTime":5,"levels":[["1",2]]}', {
        ok: true,
        lastUpdateId: 4,
        eventTime: 5,
        levelsJson: '[["1",2]]',
      }],
      ['{"eventTime":5,"ok":true,"lastUpdateId":4,"levels":[["1",2]]}', null],
      ['{"ok":false,"reason":"gone","state":"X"}', null],
      ['{"ok":true,"lastUpdateId":4,"eventTime":5,"levels":[', null],
      ["not json", null],
      ["", null],
    ];
    for (const [text, want] of cases) assertEquals(parseAnswerText(text), want, text);
  });
});
