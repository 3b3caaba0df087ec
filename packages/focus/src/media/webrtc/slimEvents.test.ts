import { describe, expect, it } from "vitest";
import { MediaStream, RTCPeerConnection, Event as WeriftEvent } from "werift";
import { slimEvents } from "./slimEvents.ts";

type Ev = WeriftEvent<unknown[]>;

/** Runs the same sequence of calls on an event and records what its subscribers see. */
async function script(ev: Ev): Promise<string[]> {
  const log: string[] = [];
  const a = ev.subscribe(
    (...args) => log.push(`a ${args.join(",")}`),
    () => log.push("a complete"),
    (e) => log.push(`a error ${String(e)}`),
  );
  ev.once((...args) => log.push(`once ${args.join(",")}`));
  const watched = ev.watch((x) => x === 3);
  const promised = ev.asPromise();
  ev.queuingSubscribe(async (...args) => {
    log.push(`queued ${args.join(",")}`);
    if (args[0] === 2) throw new Error("boom");
  });
  ev.onerror = (e) => log.push(`onerror ${(e as Error).message}`);
  ev.execute(1, "x");
  ev.execute(2);
  a.unSubscribe();
  ev.execute(3);
  log.push(`watched ${(await watched).join(",")}`);
  log.push(`promised ${(await promised).join(",")}`);
  await new Promise((r) => setTimeout(r, 0));
  ev.subscribe(
    () => {},
    () => log.push("b complete"),
    (e) => log.push(`b error ${String(e)}`),
  );
  ev.error("bad");
  ev.subscribe(
    () => log.push("c"),
    () => log.push("c complete"),
  );
  ev.complete();
  ev.execute(4);
  ev.complete();
  log.push(`ended ${ev.ended} length ${ev.length}`);
  return log;
}

describe("werift events with shared methods", () => {
  it("behave as werift's own: subscribers, once, watch, asPromise, queuing, errors, completion", async () => {
    const plain = new WeriftEvent<unknown[]>();
    const slim = new WeriftEvent<unknown[]>();
    expect(slimEvents([{ slim }], 1)).toBe(1);
    expect(slim.execute).not.toBe(plain.execute);
    const theirs = await script(plain);
    const ours = await script(slim);
    expect(ours).toEqual(theirs);
    expect(ours).toContain("onerror boom");
    expect(ours).toContain("c complete");
  });

  it("keep the getters that hand methods out working detached", () => {
    const ev = new WeriftEvent<[number]>();
    slimEvents([ev], 0);
    const got: number[] = [];
    const { subscribe } = ev.returnListener;
    subscribe((n) => got.push(n));
    const { execute } = ev.returnTrigger;
    execute(7);
    expect(got).toEqual([7]);
  });

  it("reach a transceiver's events once, and not what is in the stop set", async () => {
    const pc = new RTCPeerConnection({});
    try {
      const t = pc.addTransceiver("video", {
        direction: "sendonly",
        streams: [new MediaStream({ id: "s" })],
      });
      const stop = new Set<object>([pc, ...pc.dtlsTransports]);
      const first = slimEvents([t], 5, stop);
      expect(first).toBeGreaterThan(10);
      expect(slimEvents([t], 5, stop)).toBe(0);
      expect(t.sender.onRtcp.execute).toBe(t.onTrack.execute);
      expect(pc.onIceCandidate.execute).not.toBe(t.onTrack.execute);
    } finally {
      await pc.close();
    }
  });

  it("passes over an object whose own getter throws and slims the events beside it", () => {
    const ev = new WeriftEvent<unknown[]>();
    const hostile = Object.defineProperty({}, "boom", {
      enumerable: true,
      get() {
        throw new Error("no");
      },
    });
    expect(slimEvents([{ hostile, ev }], 2)).toBe(1);
  });
});
