import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DataChannelErrorCode } from "./names.ts";
import { formatPath, ProtocolError, parseWith } from "./ProtocolError.ts";

describe("formatPath", () => {
  it("joins identifiers with dots, indices in brackets and quotes keys with dots", () => {
    expect(formatPath("content", ["subscribe", 0, "stream_id"])).toBe(
      "content.subscribe[0].stream_id",
    );
    expect(formatPath("content", ["a.b", 2, "c"])).toBe('content["a.b"][2].c');
    expect(formatPath("", ["type"])).toBe("type");
    expect(formatPath("", [])).toBe("");
  });
});

describe("ProtocolError", () => {
  it("lists every issue with its path in its message", () => {
    const error = new ProtocolError(
      [
        { path: "content.a", message: "expected string, missing" },
        { path: "", message: "not JSON" },
      ],
      { errcode: DataChannelErrorCode.badJson, inReplyTo: null, txnId: "t" },
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe("content.a: expected string, missing; not JSON");
    expect(error.errcode).toBe(DataChannelErrorCode.badJson);
    expect(error.inReplyTo).toBeNull();
    expect(error.txnId).toBe("t");
  });

  it("leaves reply fields unset when not given", () => {
    const error = new ProtocolError([]);
    expect(error.errcode).toBeUndefined();
    expect(error.inReplyTo).toBeUndefined();
    expect(error.txnId).toBeUndefined();
  });
});

describe("parseWith", () => {
  it("reports all issues of a schema, not only the first", () => {
    const schema = z.object({ a: z.string(), b: z.array(z.number()) });
    const result = parseWith(schema, { b: [1, "2", null] }, "content");
    expect(result.ok ? [] : result.error.issues).toEqual([
      { path: "content.a", message: "expected string, missing" },
      { path: "content.b[1]", message: "expected number, received string" },
      { path: "content.b[2]", message: "expected number, received null" },
    ]);
  });

  it("returns the parsed value when valid", () => {
    expect(parseWith(z.object({ a: z.string() }), { a: "x" })).toEqual({
      ok: true,
      value: { a: "x" },
    });
  });
});
