import { describe, expect, it } from "vitest";
import { participantCount, planRooms, scenarios } from "./scenarios.ts";

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
