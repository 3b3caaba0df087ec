import { describe, expect, it } from "vitest";
import { ContentKeys, DataChannelErrorCode, DataChannelNames, lookUpName } from "../names.ts";
import type { ProtocolError } from "../ProtocolError.ts";
import { fixtureFiles, loadFixture, loadFixtureText } from "../testing/fixtures.ts";
import {
  ackMessage,
  type DataChannelMessage,
  encodeDataChannelMessage,
  encodeMetadataChangedJson,
  errorMessage,
  errorReplyFor,
  parseDataChannelMessage,
} from "./envelope.ts";

const validFiles = fixtureFiles("dc-");

function parsed(raw: string): DataChannelMessage {
  const result = parseDataChannelMessage(raw);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function errorOf(raw: string): ProtocolError {
  const result = parseDataChannelMessage(raw);
  if (result.ok) throw new Error("parsed although it is invalid");
  return result.error;
}

describe("parseDataChannelMessage", () => {
  it("finds a fixture for every message kind", () => {
    const kinds = validFiles.map((f) => parsed(loadFixtureText(f)).kind).sort();
    expect(kinds).toEqual(Object.keys(DataChannelNames).sort());
  });

  it.each(validFiles)("parses %s into the kind its type names", (file) => {
    const fixture = loadFixture(file);
    expect(parsed(loadFixtureText(file)).kind).toBe(
      lookUpName(DataChannelNames, String(fixture.type)),
    );
  });

  it.each(validFiles)("round-trips %s: parse(encode(x)) deep-equals x", (file) => {
    const message = parsed(loadFixtureText(file));
    expect(parseDataChannelMessage(encodeDataChannelMessage(message))).toEqual({
      ok: true,
      value: message,
    });
  });

  it.each(validFiles)("writes %s back exactly as it came", (file) => {
    expect(JSON.parse(encodeDataChannelMessage(parsed(loadFixtureText(file))))).toEqual(
      loadFixture(file),
    );
  });

  it("carries the envelope's txn_id as txnId", () => {
    const message = parsed(loadFixtureText("dc-track-subscription.json"));
    expect(message.txnId).toBe("sub-1");
    expect(message.kind === "trackSubscription" && message.content.subscribe?.[0]?.width).toBe(640);
  });

  it("reads metadata sent under the MSC3077 key", () => {
    const fixture = loadFixture("dc-metadata-changed.json");
    const content = fixture.content as Record<string, unknown>;
    const raw = JSON.stringify({
      type: fixture.type,
      content: {
        [ContentKeys.sdpStreamMetadata.unstable]: content[ContentKeys.sdpStreamMetadata.stable],
      },
    });
    expect(parsed(raw)).toEqual(parsed(loadFixtureText("dc-metadata-changed.json")));
  });

  it("rejects track_subscription without stream_id and lists the issue", () => {
    const error = errorOf(loadFixtureText("invalid-dc-track-subscription.json"));
    expect(error.issues).toEqual([
      { path: "content.subscribe[0].stream_id", message: "expected string, missing" },
      { path: "content.subscribe[0].width", message: "expected number, received string" },
      { path: "content.unsubscribe[0].track_id", message: "expected string, missing" },
    ]);
    expect(error.errcode).toBe(DataChannelErrorCode.badJson);
    expect(error.inReplyTo).toBe(DataChannelNames.trackSubscription.stable);
    expect(error.txnId).toBe("sub-9");
  });

  it("rejects negotiate with a pranswer and a stream without purpose or valid track kind", () => {
    const error = errorOf(loadFixtureText("invalid-dc-negotiate.json"));
    expect(error.issues.map((i) => i.path)).toEqual([
      "content.description.type",
      `content.${ContentKeys.sdpStreamMetadata.stable}["0c6a2a8e-5f0b-4a53-9b8e-3f1f6c1d2e7a"].purpose`,
      `content.${ContentKeys.sdpStreamMetadata.stable}["0c6a2a8e-5f0b-4a53-9b8e-3f1f6c1d2e7a"].tracks["5b9e0f3a-2c1d-4e8f-9a7b-6c5d4e3f2a1b"].kind`,
    ]);
    expect(error.txnId).toBeUndefined();
  });

  it("answers text that is not JSON with M_NOT_JSON and no type", () => {
    const error = errorOf("hello {");
    expect(error.errcode).toBe(DataChannelErrorCode.notJson);
    expect(error.inReplyTo).toBeNull();
    expect(error.issues).toHaveLength(1);
  });

  it("answers an envelope without content with M_BAD_JSON naming the type", () => {
    const type = DataChannelNames.ping.stable;
    const error = errorOf(JSON.stringify({ type, txn_id: 7 }));
    expect(error.errcode).toBe(DataChannelErrorCode.badJson);
    expect(error.inReplyTo).toBe(type);
    expect(error.txnId).toBeUndefined();
    expect(error.issues).toEqual([
      { path: "content", message: "expected record, missing" },
      { path: "txn_id", message: "expected string, received number" },
    ]);
  });

  it("answers JSON that is not an object with M_BAD_JSON and no type", () => {
    const error = errorOf("[1,2]");
    expect(error.errcode).toBe(DataChannelErrorCode.badJson);
    expect(error.inReplyTo).toBeNull();
    expect(error.issues).toEqual([{ path: "", message: "expected object, received array" }]);
  });

  it("answers an unknown type with M_UNRECOGNIZED, naming the type and txn_id", () => {
    const error = errorOf(JSON.stringify({ type: "com.example.x", txn_id: "t", content: {} }));
    expect(error.errcode).toBe(DataChannelErrorCode.unrecognized);
    expect(error.inReplyTo).toBe("com.example.x");
    expect(error.txnId).toBe("t");
  });

  it("refuses a message over the size limit with M_TOO_LARGE", () => {
    const raw = loadFixtureText("dc-negotiate.json");
    expect(parseDataChannelMessage(raw, { maxBytes: raw.length }).ok).toBe(true);
    const error = (() => {
      const r = parseDataChannelMessage(raw, { maxBytes: raw.length - 1 });
      if (r.ok) throw new Error("parsed although too large");
      return r.error;
    })();
    expect(error.errcode).toBe(DataChannelErrorCode.tooLarge);
  });

  it("counts bytes, not characters, against the size limit", () => {
    const raw = JSON.stringify({ type: DataChannelNames.pong.stable, content: {}, txn_id: "é" });
    expect(parseDataChannelMessage(raw, { maxBytes: raw.length }).ok).toBe(false);
  });
});

describe("replies", () => {
  it("builds an ack naming the transaction", () => {
    expect(JSON.parse(encodeDataChannelMessage(ackMessage("t1")))).toEqual({
      type: DataChannelNames.ack.stable,
      content: { txn_id: "t1" },
    });
  });

  it("builds an error reply and leaves out a missing txn_id", () => {
    const reply = errorMessage({
      inReplyTo: null,
      errcode: DataChannelErrorCode.notJson,
      error: "not JSON",
    });
    expect(JSON.parse(encodeDataChannelMessage(reply))).toEqual({
      type: DataChannelNames.error.stable,
      content: { in_reply_to: null, errcode: DataChannelErrorCode.notJson, error: "not JSON" },
    });
  });

  it("turns a parse failure into the error reply a focus sends", () => {
    const error = errorOf(loadFixtureText("invalid-dc-track-subscription.json"));
    expect(errorReplyFor(error)).toEqual({
      kind: "error",
      content: {
        txn_id: "sub-9",
        in_reply_to: DataChannelNames.trackSubscription.stable,
        errcode: DataChannelErrorCode.badJson,
        error: error.message,
      },
    });
    expect(error.message).toContain("content.subscribe[0].stream_id: expected string, missing");
  });

  it("rejects an error reply with an unknown errcode", () => {
    const raw = JSON.stringify({
      type: DataChannelNames.error.stable,
      content: { in_reply_to: null, errcode: "M_WHATEVER", error: "x" },
    });
    expect(errorOf(raw).issues.map((i) => i.path)).toEqual(["content.errcode"]);
  });
});

describe("metadata-changed messages from metadata already in JSON", () => {
  it("are the bytes encodeDataChannelMessage writes for the same metadata, in both spellings", () => {
    const metadata = {
      "7": { purpose: "m.usermedia" as const },
      "stream-a": {
        purpose: "m.usermedia" as const,
        tracks: { t1: { kind: "video" as const, width: 640, height: 360 } },
      },
    };
    for (const variant of ["stable", "unstable"] as const) {
      expect(encodeMetadataChangedJson(JSON.stringify(metadata), variant)).toBe(
        encodeDataChannelMessage(
          { kind: "sdpStreamMetadataChanged", content: { sdp_stream_metadata: metadata } },
          variant,
        ),
      );
    }
    expect(JSON.parse(encodeMetadataChangedJson("{}")).content).toEqual({
      sdp_stream_metadata: {},
    });
  });
});
