// A test file that must make its runner exit non-zero: the facade's own tests run it in a child
// process on the current runtime and check the exit status. Not matched by the test discovery.
import { describe, it } from "node:test";
import { assertEquals } from "@std/assert";

describe("must fail", () => {
  it("a failing assertion fails the run", () => {
    assertEquals({ a: 1 }, { a: 2 });
  });
});
