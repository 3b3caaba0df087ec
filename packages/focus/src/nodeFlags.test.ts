import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { focusEnv, focusNodeFlags } from "./nodeFlags.ts";

describe("the focus's V8 flags", () => {
  it("are the ones bin/matrix-focus starts node with", () => {
    const script = readFileSync(new URL("../bin/matrix-focus", import.meta.url), "utf8");
    const exec = script.split("\n").find((l) => l.startsWith("exec "));
    expect(exec?.split(" ").filter((w) => w.startsWith("--"))).toEqual([...focusNodeFlags]);
  });

  it("come with the environment bin/matrix-focus sets unless it is set already", () => {
    const script = readFileSync(new URL("../bin/matrix-focus", import.meta.url), "utf8");
    const defaults = [...script.matchAll(/^: "\$\{(\w+):=([^}]*)\}"$/gm)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(defaults)).toEqual(focusEnv);
    for (const [name] of defaults) expect(script).toContain(`export ${name}`);
  });
});
