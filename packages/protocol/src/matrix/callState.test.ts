import { describe, expect, it } from "vitest";
import { ContentKeys, Values } from "../names.ts";
import { loadEventFixture } from "../testing/fixtures.ts";
import { buildCallStateContent, parseCallStateContent } from "./callState.ts";

describe("m.call state content", () => {
  it("reads the fixture's intent and type", () => {
    const result = parseCallStateContent(loadEventFixture("call-state.json").content);
    expect(result.ok && result.value[ContentKeys.intent.stable]).toBe(Values.intentRoom);
    expect(result.ok && result.value[ContentKeys.type.stable]).toBe(Values.typeVideo);
  });

  it("round-trips the content it writes, with other fields passed through", () => {
    const content = { ...buildCallStateContent(), "com.example.extra": true };
    expect(parseCallStateContent(content)).toEqual({ ok: true, value: content });
  });

  it("rejects an intent that is not a string", () => {
    const result = parseCallStateContent({ [ContentKeys.intent.stable]: 1 });
    expect(result.ok ? [] : result.error.issues).toEqual([
      {
        path: `content[${JSON.stringify(ContentKeys.intent.stable)}]`,
        message: "expected string, received number",
      },
    ]);
  });
});
