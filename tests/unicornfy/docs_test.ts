import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { assert } from "@std/assert";
import { renderFieldTables } from "../../src/unicornfy/mod.ts";
import { projectPath } from "../_data.ts";

const BEGIN = "<!-- BEGIN GENERATED FIELD TABLES (scripts/gen_unicornfy_docs.ts) -->";
const END = "<!-- END GENERATED FIELD TABLES -->";

describe("unicornfy: docs/unicornfy.md field tables", () => {
  it("are the ones generated from the code (run scripts/gen_unicornfy_docs.ts when this fails)", () => {
    const doc = readFileSync(projectPath("docs/unicornfy.md"), "utf8");
    const begin = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    assert(begin >= 0 && end > begin, "markers missing in docs/unicornfy.md");
    const committed = doc.slice(begin + BEGIN.length, end);
    assert(committed === "\n\n" + renderFieldTables() + "\n", "docs/unicornfy.md field tables are stale");
  });

  it("show the corrected kline mapping, the spot miniTicker names, the futures order trade time", () => {
    const tables = renderFieldTables();
    assert(tables.includes("| `k.f` | `kline.firstTradeId` |"));
    assert(tables.includes("| `v` | `data[].totalTradedBaseAssetVolume` |"));
    assert(tables.includes("| `o.T` | `orderTradeTime` |"));
  });
});
