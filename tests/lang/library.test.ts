/** The list of bundled modules the VM uses to place errors matches the modules shipped. */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bundledModulesDir } from "../../src/pipeline/modules.js";
import { LIBRARY_MODULE_FILES } from "../../src/lang/library.js";

describe("bundled modules", () => {
  it("LIBRARY_MODULE_FILES names exactly the .py files in src/lang/modules", () => {
    const shipped = readdirSync(bundledModulesDir()).filter((f) => f.endsWith(".py")).sort();
    expect([...LIBRARY_MODULE_FILES].sort()).toEqual(shipped);
  });
});
