import { describe, expect, it } from "vitest";
import {
  AuthNames,
  CallEventNames,
  ContentKeys,
  DataChannelErrorCode,
  DataChannelNames,
  isName,
  lookUpName,
  StateEventNames,
  spell,
  spellings,
} from "./names.ts";

describe("names", () => {
  it("spells a name with its unstable prefix only when asked and one exists", () => {
    expect(spell(StateEventNames.callMember)).toBe(StateEventNames.callMember.stable);
    expect(spell(StateEventNames.callMember, "unstable")).toBe(StateEventNames.callMember.unstable);
    expect(spell(CallEventNames.invite, "unstable")).toBe(CallEventNames.invite.stable);
  });

  it("recognises every spelling of a name and nothing else", () => {
    const key = ContentKeys.sdpStreamMetadata;
    expect(spellings(key)).toEqual([key.stable, key.unstable]);
    expect(isName(key, key.unstable)).toBe(true);
    expect(isName(key, `${key.stable}x`)).toBe(false);
  });

  it("looks a received name up in its table", () => {
    expect(lookUpName(DataChannelNames, DataChannelNames.trackSubscription.stable)).toBe(
      "trackSubscription",
    );
    expect(lookUpName(StateEventNames, StateEventNames.call.unstable)).toBe("call");
    expect(lookUpName(CallEventNames, "com.example.nothing")).toBeUndefined();
  });

  it("has distinct spellings within each message table", () => {
    for (const table of [CallEventNames, DataChannelNames, StateEventNames, AuthNames]) {
      const all = Object.values(table).flatMap(spellings);
      expect(new Set(all).size).toBe(all.length);
    }
    const codes = Object.values(DataChannelErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
