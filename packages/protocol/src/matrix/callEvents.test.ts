import { describe, expect, it } from "vitest";
import {
  CallEventNames,
  ContentKeys,
  DataChannelErrorCode,
  HangupReason,
  lookUpName,
  Values,
} from "../names.ts";
import type { ProtocolIssue } from "../ProtocolError.ts";
import { fixtureFiles, loadEventFixture } from "../testing/fixtures.ts";
import { type CallEvent, encodeCallEvent, parseCallEvent } from "./callEventCodec.ts";

const stableKey = ContentKeys.sdpStreamMetadata.stable;
const unstableKey = ContentKeys.sdpStreamMetadata.unstable;
const unstablePath = `content[${JSON.stringify(unstableKey)}]`;

function parsed(file: string): CallEvent {
  const fixture = loadEventFixture(file);
  const result = parseCallEvent(fixture.type, fixture.content);
  if (!result.ok) throw new Error(`${file}: ${result.error.message}`);
  return result.value;
}

function issuesOf(file: string): ProtocolIssue[] {
  const fixture = loadEventFixture(file);
  const result = parseCallEvent(fixture.type, fixture.content);
  if (result.ok) throw new Error(`${file} parsed although it is invalid`);
  return sortByPath(result.error.issues);
}

function sortByPath(issues: ProtocolIssue[]): ProtocolIssue[] {
  return [...issues].sort((a, b) => a.path.localeCompare(b.path));
}

const validFiles = fixtureFiles("call-").filter((f) => f !== "call-state.json");
const deployedClientFiles = validFiles.filter((f) => f !== "call-invite-per-device.json");

describe("parseCallEvent", () => {
  it("finds the call fixtures", () => {
    expect(validFiles.length).toBe(8);
  });

  it.each(validFiles)("parses %s into the kind its type names", (file) => {
    const fixture = loadEventFixture(file);
    expect(parsed(file).kind).toBe(lookUpName(CallEventNames, fixture.type));
  });

  it.each(validFiles)("round-trips %s: parse(encode(x)) deep-equals x", (file) => {
    const event = parsed(file);
    for (const variant of ["stable", "unstable"] as const) {
      const wire = encodeCallEvent(event, variant);
      const again = parseCallEvent(wire.type, JSON.parse(JSON.stringify(wire.content)));
      expect(again).toEqual({ ok: true, value: event });
    }
  });

  it.each(deployedClientFiles)("writes %s back exactly as the deployed client sent it", (file) => {
    const fixture = loadEventFixture(file);
    expect(encodeCallEvent(parsed(file))).toEqual({ type: fixture.type, content: fixture.content });
  });

  it("reads the metadata of an invite under the unstable key into sdp_stream_metadata", () => {
    const event = parsed("call-invite.json");
    if (event.kind !== "invite") throw new Error("not an invite");
    const fixture = loadEventFixture("call-invite.json");
    expect(event.content[stableKey]).toEqual(fixture.content[unstableKey]);
    expect(event.content.offer.sdp).toContain("a=simulcast:send f;h;q");
  });

  it("reads metadata under the stable key and keeps unknown stream fields", () => {
    const event = parsed("call-invite-per-device.json");
    if (event.kind !== "invite") throw new Error("not an invite");
    const streams = Object.values(event.content[stableKey] ?? {});
    expect(streams).toHaveLength(1);
    expect(streams[0]?.["x.future"]).toBe("kept");
    expect(event.content.room_id).toBe("!room:localhost");
    expect(event.content.created_ts).toBe(1732540000000);
    expect(event.content.version).toBe(1);
    expect(event.content[ContentKeys.msgId.stable]).toBe("bobmsg-0001");
  });

  it("keeps the end-of-candidates entry with an empty candidate", () => {
    const event = parsed("call-candidates.json");
    if (event.kind !== "candidates") throw new Error("not candidates");
    expect(event.content.candidates.at(-1)?.candidate).toBe("");
  });

  it("accepts any string as a hangup reason", () => {
    const fixture = loadEventFixture("call-hangup.json");
    const content = { ...fixture.content, reason: "something_new" };
    const result = parseCallEvent(fixture.type, content);
    expect(result.ok && result.value.kind === "hangup" && result.value.content.reason).toBe(
      "something_new",
    );
  });

  it("rejects an invite with a missing call_id, a numeric sdp and an unknown purpose and lists every issue", () => {
    const streamId = "0c6a2a8e-5f0b-4a53-9b8e-3f1f6c1d2e7a";
    expect(issuesOf("invalid-call-invite.json")).toEqual(
      sortByPath([
        { path: "content.call_id", message: "expected string, missing" },
        { path: "content.offer.sdp", message: "expected string, received number" },
        {
          path: `${unstablePath}["${streamId}"].purpose`,
          message: `expected one of "${Values.purposeUsermedia}", "${Values.purposeScreenshare}"`,
        },
      ]),
    );
  });

  it("rejects an answer without device_id and dest_session_id, which the deployed client drops", () => {
    expect(issuesOf("invalid-call-answer-without-device-id.json")).toEqual([
      { path: "content.dest_session_id", message: "expected string, missing" },
      { path: "content.device_id", message: "expected string, missing" },
    ]);
  });

  it("rejects candidates with version 2, a fractional seq and a negative sdpMLineIndex", () => {
    const issues = issuesOf("invalid-call-candidates.json");
    expect(issues.map((i) => i.path)).toEqual([
      "content.candidates[0].sdpMLineIndex",
      "content.seq",
      "content.version",
    ]);
    expect(issues[2]?.message).toBe('expected one of "1", 1');
  });

  it("rejects sdp_stream_metadata_changed without metadata", () => {
    const fixture = loadEventFixture("call-metadata-changed.json");
    const { [unstableKey]: _dropped, ...content } = fixture.content;
    const result = parseCallEvent(fixture.type, content);
    expect(result.ok ? [] : result.error.issues).toEqual([
      { path: `content.${stableKey}`, message: "expected record, missing" },
    ]);
  });

  it("rejects an unknown event type with M_UNRECOGNIZED and names it", () => {
    const result = parseCallEvent("com.example.unknown", {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.errcode).toBe(DataChannelErrorCode.unrecognized);
    expect(result.error.inReplyTo).toBe("com.example.unknown");
    expect(result.error.issues).toEqual([
      { path: "type", message: 'unknown call event type "com.example.unknown"' },
    ]);
  });

  it("rejects content that is not an object", () => {
    const result = parseCallEvent(CallEventNames.hangup.stable, ["x"]);
    expect(result.ok ? [] : result.error.issues).toEqual([
      { path: "content", message: "expected object, received array" },
    ]);
  });

  it("prefers the stable metadata key when both are present", () => {
    const fixture = loadEventFixture("call-metadata-changed.json");
    const stable = { s: { purpose: Values.purposeScreenshare } };
    const result = parseCallEvent(fixture.type, { ...fixture.content, [stableKey]: stable });
    expect(result.ok && result.value.kind === "sdpStreamMetadataChanged").toBe(true);
    if (result.ok && result.value.kind === "sdpStreamMetadataChanged") {
      expect(result.value.content[stableKey]).toEqual(stable);
    }
  });
});

describe("encodeCallEvent", () => {
  it("writes metadata only under the MSC3077 key by default and under both keys for stable", () => {
    const event = parsed("call-negotiate.json");
    const unstable = encodeCallEvent(event).content;
    expect(Object.keys(unstable)).toContain(unstableKey);
    expect(Object.keys(unstable)).not.toContain(stableKey);
    const stable = encodeCallEvent(event, "stable").content;
    expect(stable[stableKey]).toEqual(stable[unstableKey]);
  });

  it("leaves out fields that are undefined", () => {
    const event = parsed("call-hangup.json");
    if (event.kind !== "hangup") throw new Error("not a hangup");
    const { content } = encodeCallEvent({
      kind: "hangup",
      content: { ...event.content, reason: undefined },
    });
    expect("reason" in content).toBe(false);
  });
});

describe("HangupReason", () => {
  it("has a distinct snake_case code for every reason", () => {
    const codes = Object.values(HangupReason);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});
