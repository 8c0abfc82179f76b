// A test file that fails on its first run and passes on every later one (a marker file, named by
// UB_FLAKY_MARKER, remembers the first run): the runner test shows that npm test's retry of a
// failed file names such a flake and counts its second result. Not matched by the test discovery.
import { describe, it } from "node:test";
import { existsSync, writeFileSync } from "node:fs";
import { env } from "node:process";
import { assert } from "@std/assert";

describe("flaky once", () => {
  it("fails the first time only", () => {
    const marker = env.UB_FLAKY_MARKER;
    assert(marker, "UB_FLAKY_MARKER is not set");
    const first = !existsSync(marker);
    if (first) writeFileSync(marker, "ran");
    assert(!first, "first run of this file");
  });
});
