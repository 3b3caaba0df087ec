import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkoutRevision, janusVersion, weriftVersion } from "./machine.ts";

describe("versions", () => {
  it("reads werift's version from its package", () => {
    expect(weriftVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("says Janus is not installed when its binary is missing", () => {
    expect(janusVersion("/nonexistent/janus")).toBe("not installed");
  });
});

describe("the revision measured", () => {
  it("names the checkout's commit, and says when its tracked files have changes", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-revision-"));
    try {
      expect(checkoutRevision(dir)).toMatch(/^unknown/);
      const git = (...args: string[]) =>
        execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", stdio: "pipe" });
      git("init", "-q");
      writeFileSync(join(dir, "f.txt"), "one\n");
      git("add", "f.txt");
      git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "one");
      const commit = git("rev-parse", "--short", "HEAD").trim();
      expect(checkoutRevision(dir)).toBe(commit);
      writeFileSync(join(dir, "untracked.txt"), "x\n");
      expect(checkoutRevision(dir)).toBe(commit);
      writeFileSync(join(dir, "f.txt"), "two\n");
      expect(checkoutRevision(dir)).toBe(`${commit} with uncommitted changes`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
