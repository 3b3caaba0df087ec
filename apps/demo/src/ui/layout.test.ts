import { describe, expect, it } from "vitest";
import { chooseLargeTile, type LayoutTile } from "./layout.ts";

const local: LayoutTile = { id: "local", local: true, screenShare: false };
const bob: LayoutTile = { id: "bob", local: false, screenShare: false };
const carol: LayoutTile = { id: "carol", local: false, screenShare: false };
const share: LayoutTile = { id: "bob-screen", local: false, screenShare: true };

describe("chooseLargeTile", () => {
  it("shows the pinned tile large even when someone shares a screen", () => {
    expect(chooseLargeTile([local, bob, share], "local", "bob")).toBe("local");
  });

  it("prefers a screen share over the speaker when nothing is pinned", () => {
    expect(chooseLargeTile([local, bob, carol, share], undefined, "carol")).toBe("bob-screen");
  });

  it("shows the speaker large when nothing is pinned or shared", () => {
    expect(chooseLargeTile([local, bob, carol], undefined, "carol")).toBe("carol");
  });

  it("falls back to the first remote tile, then to the local one", () => {
    expect(chooseLargeTile([local, bob, carol], undefined, undefined)).toBe("bob");
    expect(chooseLargeTile([local], undefined, undefined)).toBe("local");
    expect(chooseLargeTile([], undefined, undefined)).toBeUndefined();
  });

  it("ignores a pin or speaker whose tile is gone", () => {
    expect(chooseLargeTile([local, carol], "bob", "bob")).toBe("carol");
  });
});
