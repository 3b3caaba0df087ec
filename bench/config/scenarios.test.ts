import { describe, expect, it } from "vitest";
import { mediaProfile, runDefaults } from "./defaults.ts";
import { loadRates, participantCount, planRooms, scenarios, streamPps } from "./scenarios.ts";

const byName = (n: string) => scenarios.find((s) => s.name === n)!;

describe("scenario plans", () => {
  it("makes a call of N where everyone receives the N-1 others", () => {
    const rooms = planRooms(byName("call"), 5);
    expect(rooms).toHaveLength(1);
    expect(rooms[0]!.publishers).toEqual([0, 1, 2, 3, 4]);
    expect(rooms[0]!.subscribers.map((s) => s.feeds.length)).toEqual([4, 4, 4, 4, 4]);
    expect(rooms[0]!.subscribers[2]!.feeds).not.toContain(2);
    expect(participantCount(rooms)).toBe(5);
  });

  it("makes a fan-out with one publisher and N watchers of the top layer", () => {
    const rooms = planRooms(byName("fanout"), 10);
    expect(rooms[0]!.publishers).toEqual([0]);
    expect(rooms[0]!.subscribers).toHaveLength(10);
    expect(rooms[0]!.subscribers.every((s) => s.layer === "f" && s.feeds[0] === 0)).toBe(true);
    expect(participantCount(rooms)).toBe(11);
  });

  it("numbers participants uniquely across many small calls", () => {
    const rooms = planRooms(byName("smallcalls"), 3);
    expect(rooms.map((r) => r.publishers)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    expect(participantCount(rooms)).toBe(12);
  });
});

describe("loadRates", () => {
  it("gives 350 packets/s per publisher and the chosen layer plus audio per subscription", () => {
    expect(streamPps(mediaProfile, "f") + streamPps(mediaProfile, "h")).toBe(270);
    const r = loadRates(byName("call"), 5, mediaProfile);
    expect(r.sent).toBe(5 * 350);
    expect(r.received).toBe(5 * 4 * (60 + 50));
  });

  it("keeps every room of every step, with the probe and a late joiner, within our focus's conference limit", () => {
    for (const s of scenarios) {
      for (const x of [...s.steps, ...s.quickSteps]) {
        for (const r of planRooms(s, x)) {
          const people = new Set([...r.publishers, ...r.subscribers.map((p) => p.index)]);
          expect(people.size + 3, `${s.name} x=${x}`).toBeLessThanOrEqual(
            runDefaults.focusMaxParticipantsPerConference,
          );
        }
      }
    }
  });

  it("keeps every step of the full ladders within what one load core drives", () => {
    for (const s of scenarios) {
      for (const x of s.steps) {
        const r = loadRates(s, x, mediaProfile);
        expect(r.sent + r.received, `${s.name} x=${x}`).toBeLessThanOrEqual(
          runDefaults.loadCorePps,
        );
      }
    }
  });
});
