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
