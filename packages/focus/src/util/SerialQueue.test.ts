import { describe, expect, it } from "vitest";
import { SerialQueue } from "./SerialQueue.ts";

describe("SerialQueue", () => {
  it("runs async jobs one after another in push order", async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    q.push(async () => {
      log.push("a-start");
      await new Promise((r) => setTimeout(r, 5));
      log.push("a-end");
    });
    q.push(() => {
      log.push("b");
    });
    await q.drain();
    expect(log).toEqual(["a-start", "a-end", "b"]);
  });

  it("reports a failing job and keeps running the next ones", async () => {
    const errors: unknown[] = [];
    const q = new SerialQueue((e) => errors.push(e));
    let ran = false;
    q.push(() => {
      throw new Error("boom");
    });
    q.push(() => {
      ran = true;
    });
    await q.drain();
    expect(errors).toHaveLength(1);
    expect(ran).toBe(true);
  });
});
