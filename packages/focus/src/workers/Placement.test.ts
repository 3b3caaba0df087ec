import { describe, expect, it } from "vitest";
import { Placement, splitPortRange } from "./Placement.ts";

const opts = { forgetUnseenMs: 30_000, lostMemoryMs: 300_000 };

function placed(p: Placement, key: string, now = 0): number {
  const r = p.route(key, "invite", now);
  if (r.to !== "worker") throw new Error(`not routed: ${r.to}`);
  return r.worker;
}

describe("Placement", () => {
  it("places two new conferences on different workers before any snapshot arrives", () => {
    const p = new Placement(2, opts);
    expect(placed(p, "a")).toBe(0);
    expect(placed(p, "b")).toBe(1);
  });

  it("routes every later input of a conference to the worker it was placed on", () => {
    const p = new Placement(2, opts);
    const w = placed(p, "a");
    placed(p, "b");
    placed(p, "c");
    for (let i = 0; i < 5; i++) {
      const r = p.route("a", "none", i);
      expect(r).toMatchObject({ to: "worker", worker: w, placed: false });
    }
  });

  it("places a new conference on the worker with the fewest participants", () => {
    const p = new Placement(3, opts);
    placed(p, "big");
    placed(p, "mid");
    placed(p, "small");
    p.snapshot(0, 10, [{ key: "big", participants: 8 }], 0);
    p.snapshot(1, 10, [{ key: "mid", participants: 3 }], 0);
    p.snapshot(2, 10, [{ key: "small", participants: 5 }], 0);
    expect(p.load(0)).toBe(8);
    expect(placed(p, "new")).toBe(1);
  });

  it("numbers the inputs of each worker in order", () => {
    const p = new Placement(2, opts);
    const seqs = ["a", "b", "a", "a"].map((k) => p.route(k, "invite", 0));
    expect(seqs).toEqual([
      { to: "worker", worker: 0, seq: 1, placed: true },
      { to: "worker", worker: 1, seq: 1, placed: true },
      { to: "worker", worker: 0, seq: 2, placed: false },
      { to: "worker", worker: 0, seq: 3, placed: false },
    ]);
  });

  it("forgets an ended conference only once a snapshot covers its last input", () => {
    const p = new Placement(2, opts);
    placed(p, "a"); // seq 1 on worker 0
    expect(p.snapshot(0, 1, [{ key: "a", participants: 1 }], 0)).toEqual([]);
    p.route("a", "none", 1); // seq 2: e.g. the hangup
    // a snapshot taken before the worker received input 2 does not end the conference
    expect(p.snapshot(0, 1, [], 2)).toEqual([]);
    expect(p.workerOf("a")).toBe(0);
    expect(p.snapshot(0, 2, [], 3)).toEqual(["a"]);
    expect(p.workerOf("a")).toBeUndefined();
  });

  it("keeps a conference that has not started yet (candidates before the invite) on its worker", () => {
    const p = new Placement(2, opts);
    p.route("b", "invite", 0);
    expect(p.route("a", "early", 0)).toMatchObject({ worker: 1 }); // early candidates
    expect(p.snapshot(1, 2, [], 1_000)).toEqual([]);
    expect(p.route("a", "invite", 2_000)).toMatchObject({ worker: 1, placed: false });
    // input that never starts a conference is forgotten after forgetUnseenMs
    expect(p.snapshot(1, 2, [], 2_000 + 30_001)).toEqual(["a"]);
  });

  it("does not place on a stopped worker and drops input for conferences lost with it", () => {
    const p = new Placement(2, opts);
    placed(p, "a");
    placed(p, "b");
    expect(p.workerDown(0, 100)).toEqual(["a"]);
    expect(p.route("a", "none", 200)).toEqual({ to: "lost" });
    expect(p.route("a", "early", 200)).toEqual({ to: "lost" });
    expect(placed(p, "c")).toBe(1);
    // a device calling again starts the conference afresh on a live worker
    expect(p.route("a", "invite", 300)).toMatchObject({ to: "worker", worker: 1, placed: true });
    p.workerUp(0);
    expect(placed(p, "d")).toBe(0);
  });

  it("does not place a conference for input that cannot start it", () => {
    const p = new Placement(2, opts);
    expect(p.route("a", "none", 0)).toEqual({ to: "unplaced" });
    expect(p.workerOf("a")).toBeUndefined();
    expect(placed(p, "b")).toBe(0);
  });

  it("routes nowhere while no worker runs", () => {
    const p = new Placement(1, opts);
    p.workerDown(0, 0);
    expect(p.route("a", "invite", 0)).toEqual({ to: "none" });
  });
});

describe("Placement of a spread conference", () => {
  const invite = (p: Placement, call: string, device: string, now = 0) => {
    const r = p.routeInvite("a", call, device, 2, now);
    if (r.to !== "worker") throw new Error(`not routed: ${r.to}`);
    return r.worker;
  };

  it("fills the home part up to spreadAbove, then starts a part on the least-loaded other worker", () => {
    const p = new Placement(3, opts);
    placed(p, "other"); // worker 0 busy with another conference
    p.snapshot(0, 1, [{ key: "other", participants: 5 }], 0);
    expect([invite(p, "c1", "d1"), invite(p, "c2", "d2")]).toEqual([1, 1]);
    expect(invite(p, "c3", "d3")).toBe(2);
    expect(invite(p, "c4", "d4")).toBe(2);
    expect(p.partsOf("a")).toEqual([1, 2]);
    expect(p.spread()).toEqual([{ key: "a", parts: [1, 2] }]);
    // every worker has a part and all are full: the part with the fewest calls takes more
    expect(invite(p, "c5", "d5")).toBe(0);
    expect(invite(p, "c6", "d6")).toBe(0);
    expect(invite(p, "c7", "d7")).toBe(1);
  });

  it("keeps every call of a conference on its home when spreadAbove is 0", () => {
    const p = new Placement(2, opts);
    for (let i = 0; i < 5; i++)
      expect(p.routeInvite("a", `c${i}`, `d${i}`, 0, 0)).toMatchObject({ worker: 0 });
  });

  it("sends a device calling again, and the events of a call, to the part holding its call", () => {
    const p = new Placement(2, opts);
    invite(p, "c1", "d1");
    invite(p, "c2", "d2");
    expect(invite(p, "c3", "d3")).toBe(1);
    expect(invite(p, "c3b", "d3")).toBe(1);
    expect(p.partOfCall("a", "c3")).toBe(1);
    expect(p.partOfCall("a", "c1")).toBe(0);
    expect(p.partOfCall("a", "unknown")).toBeUndefined();
    expect(p.partsOfDevice("a", "d3")).toEqual([1]);
  });

  it("forgets a call once a snapshot that listed it no longer does, and frees its place", () => {
    const p = new Placement(2, opts);
    invite(p, "c1", "d1"); // seq 1 on worker 0
    invite(p, "c2", "d2"); // seq 2
    // a snapshot taken before the invite was answered does not list the call: kept
    p.snapshot(0, 2, [{ key: "a", participants: 1, callIds: ["c1"] }], 1);
    expect(p.partOfCall("a", "c2")).toBe(0);
    p.snapshot(0, 2, [{ key: "a", participants: 2, callIds: ["c1", "c2"] }], 2);
    p.snapshot(0, 2, [{ key: "a", participants: 1, callIds: ["c1"] }], 3);
    expect(p.partOfCall("a", "c2")).toBeUndefined();
    expect(invite(p, "c3", "d3")).toBe(0);
  });

  it("frees the place of a call its part hung up at once, not after forgetUnseenMs", () => {
    const p = new Placement(2, opts);
    invite(p, "c1", "d1");
    invite(p, "c2", "d2"); // refused by worker 0 (e.g. capacity): no snapshot ever lists it
    p.callEnded(0, "d2", "c2");
    expect(p.partOfCall("a", "c2")).toBeUndefined();
    expect(p.callsElsewhere("a", 1)).toBe(1);
    expect(invite(p, "c3", "d3", 1)).toBe(0);
    // a hangup for another device's call of the same id, or from another worker, frees nothing
    p.callEnded(1, "d3", "c3");
    p.callEnded(0, "d1", "c3");
    expect(p.partOfCall("a", "c3")).toBe(0);
  });

  it("forgets a conference only with its last part, and moves its home to a remaining part", () => {
    const p = new Placement(2, opts);
    invite(p, "c1", "d1");
    invite(p, "c2", "d2");
    invite(p, "c3", "d3"); // worker 1, seq 1
    p.snapshot(1, 1, [{ key: "a", participants: 1, callIds: ["c3"] }], 0);
    p.snapshot(0, 2, [{ key: "a", participants: 2, callIds: ["c1", "c2"] }], 0);
    expect(p.snapshot(0, 2, [], 1)).toEqual([]); // the home part ended, not the conference
    expect(p.workerOf("a")).toBe(1);
    expect(p.partsOf("a")).toEqual([1]);
    expect(p.snapshot(1, 1, [], 2)).toEqual(["a"]);
  });

  it("loses only the parts of a stopped worker when the conference has others", () => {
    const p = new Placement(2, opts);
    invite(p, "c1", "d1");
    invite(p, "c2", "d2");
    invite(p, "c3", "d3");
    expect(p.workerDown(0, 10)).toEqual([]);
    expect(p.partsOf("a")).toEqual([1]);
    expect(p.partOfCall("a", "c1")).toBeUndefined();
    expect(p.route("a", "none", 20)).toMatchObject({ to: "worker", worker: 1 });
  });
});

describe("splitPortRange", () => {
  it("gives each worker its own part of the range, the last one the remainder", () => {
    expect(splitPortRange([40000, 40009], 3)).toEqual([
      [40000, 40002],
      [40003, 40005],
      [40006, 40009],
    ]);
  });

  it("refuses a range with fewer ports than workers", () => {
    expect(() => splitPortRange([5000, 5001], 3)).toThrow(/fewer ports/);
  });
});
