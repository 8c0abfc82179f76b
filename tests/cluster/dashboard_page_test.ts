// The dashboard page module is the one generated from its source (run scripts/gen_dashboard.ts when
// this fails), and the page keeps the promises its docs make: no external resource, the token only in
// sessionStorage, refresh 1 s … 10 s with 2 s by default, only visible tiles read.
import { describe, it } from "node:test";
import { readFileSync } from "node:fs";
import { assert, assertEquals, assertMatch } from "@std/assert";
import { DASHBOARD_MODULE, DASHBOARD_SOURCE, renderDashboardModule } from "../../scripts/gen_dashboard.ts";
import { DASHBOARD_HTML } from "../../src/cluster/dashboard_html.ts";

describe("cluster dashboard page", () => {
  const html = readFileSync(DASHBOARD_SOURCE, "utf8");
  it("src/cluster/dashboard_html.ts is generated from src/cluster/dashboard/index.html", () => {
    assertEquals(readFileSync(DASHBOARD_MODULE, "utf8"), renderDashboardModule(html));
    assertEquals(DASHBOARD_HTML, html);
  });
  it("loads nothing from elsewhere (no src/href to another origin, no framework fetched at run time)", () => {
    for (const m of html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/g)) {
      assert(!/^(https?:)?\/\//.test(m[1]), `external resource ${m[1]}`);
    }
    assertEquals(/<script\s+src=/.test(html), false);
  });
  it("keeps the token in sessionStorage only, and offers 1 s … 10 s refresh with 2 s selected", () => {
    assertMatch(html, /sessionStorage\.setItem\("ubc\.token"/);
    assertEquals(/localStorage/.test(html), false);
    const options = [...html.matchAll(/<option value="(\d+)"( selected)?>/g)].map((
      m,
    ) => [Number(m[1]), !!m[2]]);
    assertEquals(options, [[1000, false], [2000, true], [5000, false], [10000, false]]);
  });
  it("reads only visible tiles (IntersectionObserver)", () => {
    assertMatch(html, /new IntersectionObserver/);
    assertMatch(html, /\[\.\.\.state\.visible\]/);
  });
});
