import { describe, expect, it } from "vitest";
import { parseRoute, roomFromInput, roomHash } from "./router.ts";

describe("room routes", () => {
  it("round-trips an alias through the room hash", () => {
    expect(parseRoute(roomHash("#standup:localhost"))).toEqual({
      kind: "room",
      roomIdOrAlias: "#standup:localhost",
    });
  });

  it("treats an empty or unknown hash as home", () => {
    expect(parseRoute("")).toEqual({ kind: "home" });
    expect(parseRoute("#/elsewhere")).toEqual({ kind: "home" });
  });

  it("treats a badly encoded room as home instead of throwing", () => {
    expect(parseRoute("#/room/%E0%A4%A")).toEqual({ kind: "home" });
  });

  it("takes the room out of a pasted link", () => {
    const link = `http://127.0.0.1:8080/${roomHash("!abc:localhost")}`;
    expect(roomFromInput(` ${link} `)).toBe("!abc:localhost");
  });

  it("passes a typed alias or id through", () => {
    expect(roomFromInput("#standup:localhost")).toBe("#standup:localhost");
    expect(roomFromInput("!abc:localhost")).toBe("!abc:localhost");
  });
});
