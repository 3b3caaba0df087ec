import { KeyObject } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type RTCDataChannel, RTCPeerConnection } from "werift";
import { type DtlsSrtpState, useKeyObjects } from "./srtpKeys.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

function peer(): RTCPeerConnection {
  const pc = new RTCPeerConnection({ iceServers: [], iceAdditionalHostAddresses: ["127.0.0.1"] });
  closers.push(() => pc.close());
  return pc;
}

const opened = (dc: RTCDataChannel) =>
  new Promise<void>((resolve) => {
    if (dc.readyState === "open") resolve();
    else dc.stateChanged.subscribe((s) => s === "open" && resolve());
  });

const nextMessage = (dc: RTCDataChannel) =>
  new Promise<string>((resolve) => dc.onMessage.once((m) => resolve(m.toString())));

describe("werift's keys as KeyObjects", () => {
  it("swaps the DTLS record keys of a real connection, and its data channel still carries messages both ways", async () => {
    const a = peer();
    const b = peer();
    const dcA = a.createDataChannel("control");
    const dcB = new Promise<RTCDataChannel>((resolve) => b.onDataChannel.once(resolve));
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription as never);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription as never);
    await opened(dcA);
    const other = await dcB;
    await opened(other);

    const record = (pc: RTCPeerConnection) =>
      (pc.dtlsTransports[0] as unknown as DtlsSrtpState).dtls?.cipher?.cipher;
    expect(record(a)?.clientWriteKey).toBeInstanceOf(Buffer);
    expect(useKeyObjects(a.dtlsTransports[0] as unknown as DtlsSrtpState)).toBeGreaterThanOrEqual(
      2,
    );
    expect(record(a)?.clientWriteKey).toBeInstanceOf(KeyObject);
    expect(record(a)?.serverWriteKey).toBeInstanceOf(KeyObject);
    expect(useKeyObjects(a.dtlsTransports[0] as unknown as DtlsSrtpState)).toBe(0);

    const atB = nextMessage(other);
    dcA.send("from a");
    expect(await atB).toBe("from a");
    const atA = nextMessage(dcA);
    other.send("from b");
    expect(await atA).toBe("from b");
  });
});
