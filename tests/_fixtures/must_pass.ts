// Counterpart of must_fail.ts: a passing file, so the facade test can show that the exit status it
// checks really depends on the assertion. Not matched by the test discovery.
import { describe, it } from "node:test";
import { assertEquals } from "@std/assert";

describe("must pass", () => {
  it("a passing assertion passes the run", () => {
    assertEquals({ a: 1 }, { a: 1 });
  });
});
