import { Values } from "@matrix-focus/protocol";
import { describe, expect, it } from "vitest";
import type { FocusRef } from "../types.ts";
import { focusKey, type MemberFoci, type SelectionInput, selectFoci } from "./FocusSelector.ts";

const focus = (name: string): FocusRef => ({
  type: Values.focusTypeMsc3898,
  user_id: `@${name}:hs`,
  device_id: name.toUpperCase(),
});
const A = focus("a");
const B = focus("b");
const C = focus("c");
const self = { userId: "@me:hs", deviceId: "ME" };

const member = (
  n: number,
  active: FocusRef[],
  preferred: FocusRef[] = [],
  createdTs = n,
): MemberFoci => ({ userId: `@u${n}:hs`, deviceId: `D${n}`, createdTs, active, preferred });

const names = (fs: FocusRef[]): string[] => fs.map((f) => f.user_id);

interface Case {
  name: string;
  input: Partial<SelectionInput>;
  expected: FocusRef[];
}

const cases: Case[] = [
  {
    name: "with nobody in the call the flowchart calls the own preferred focus",
    input: { mode: "flowchart", ownPreferred: [A, B], members: [] },
    expected: [A, B],
  },
  {
    name: "a focus active for one member and preferred by another comes before a busier one",
    input: {
      mode: "flowchart",
      ownPreferred: [C],
      members: [member(1, [A]), member(2, [A]), member(3, [B]), member(4, [C], [B])],
    },
    expected: [B, A, C],
  },
  {
    name: "without a shared focus the active focus with most members wins",
    input: {
      mode: "flowchart",
      ownPreferred: [C],
      members: [member(1, [A]), member(2, [B]), member(3, [B])],
    },
    expected: [B, A, C],
  },
  {
    name: "a lower measured latency beats a higher member count",
    input: {
      mode: "flowchart",
      ownPreferred: [],
      members: [member(1, [A]), member(2, [B]), member(3, [B])],
      latencyMs: new Map([
        [focusKey(A), 20],
        [focusKey(B), 90],
      ]),
    },
    expected: [A, B],
  },
  {
    name: "a focus a member both uses and prefers alone does not count as shared",
    input: {
      mode: "flowchart",
      ownPreferred: [],
      members: [member(1, [A], [A]), member(2, [B]), member(3, [B])],
    },
    expected: [B, A],
  },
  {
    name: "multi_sfu calls the own preferred focus first and keeps the others as fall-backs",
    input: {
      mode: "own_preferred",
      ownPreferred: [C],
      members: [member(1, [A]), member(2, [A], [B])],
    },
    expected: [C, A, B],
  },
  {
    name: "excluded foci are skipped so the next candidate is tried",
    input: {
      mode: "own_preferred",
      ownPreferred: [A, B],
      members: [],
      excluded: new Set([focusKey(A)]),
    },
    expected: [B],
  },
  {
    name: "the own device's membership is not counted as another member",
    input: {
      mode: "flowchart",
      ownPreferred: [B],
      members: [{ ...member(1, [A]), userId: self.userId, deviceId: self.deviceId }],
    },
    expected: [B],
  },
  {
    name: "foci that are not MSC3898 foci (for example livekit) are never chosen",
    input: {
      mode: "flowchart",
      ownPreferred: [{ type: Values.focusTypeLivekit, user_id: "@x:hs", device_id: "X" }],
      members: [member(1, [{ type: Values.focusTypeLivekit, user_id: "@y:hs", device_id: "Y" }])],
    },
    expected: [],
  },
  {
    name: "foci only preferred by others are the last fall-back, most preferred first",
    input: {
      mode: "flowchart",
      ownPreferred: [],
      members: [member(1, [], [A]), member(2, [], [B]), member(3, [], [B])],
    },
    expected: [B, A],
  },
];

describe("FocusSelector", () => {
  for (const c of cases) {
    it(c.name, () => {
      const input: SelectionInput = {
        mode: "flowchart",
        self,
        ownPreferred: [],
        members: [],
        ...c.input,
      };
      expect(names(selectFoci(input))).toEqual(names(c.expected));
    });
  }
});
