import type { Logger } from "pino";
import { describe, expect, it } from "vitest";
import type { IncomingLayer } from "../media/webrtc/IncomingLayer.ts";
import { FakeClock } from "../util/Clock.ts";
import type { ConferenceOptions } from "./conferenceOptions.ts";
import type { Participant } from "./Participant.ts";
import { PublicationTable } from "./PublicationTable.ts";

describe("a layer whose m-line names no msid stream id", () => {
  it("is looked at again eight times, 250 ms apart, then given up with a warning, and never published", () => {
    const clock = new FakeClock();
    const warnings: string[] = [];
    const log = { warn: (_: unknown, msg: string) => warnings.push(msg) } as unknown as Logger;
    const table = new PublicationTable(new Map(), { clock } as unknown as ConferenceOptions, log);
    const p = { callId: "ann" } as Participant;
    const layer = { streamId: "", trackId: "t", kind: "video", rid: "" } as IncomingLayer;
    const announced: unknown[] = [];
    let looks = 0;
    const arrive = (): void => {
      looks++;
      table.layerArrived(p, layer, (c) => announced.push(c), arrive);
    };
    arrive();
    clock.advance(249);
    expect(looks).toBe(1);
    clock.advance(1);
    expect(looks).toBe(2);
    clock.advance(10_000);
    expect(looks).toBe(9);
    expect(warnings).toEqual(["a track whose m-line names no msid stream id: not published"]);
    expect(clock.pendingTimers).toBe(0);
    expect([table.size, announced.length]).toEqual([0, 0]);
  });
});
