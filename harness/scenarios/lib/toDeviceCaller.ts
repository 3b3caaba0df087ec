// A matrix-js-sdk client that places calls with to-device messages by hand and keeps every
// to-device message it receives: what the Matrix-side scenario tests call the focus with.
import { CallEventNames, type FocusRef } from "@matrix-focus/protocol";
import { ClientEvent, type MatrixClient, type MatrixEvent } from "matrix-js-sdk";
import { RTCPeerConnection } from "werift";
import type { MatrixUsers } from "./matrixUsers.ts";

export interface Received {
  type: string;
  sender: string;
  content: Record<string, unknown>;
}

export interface Caller {
  client: MatrixClient;
  userId: string;
  deviceId: string;
  /** Every to-device message the caller received, in order. */
  inbox: Received[];
}

/** Registers `username` and records its to-device messages from its first sync on. */
export async function makeCaller(users: MatrixUsers, username: string): Promise<Caller> {
  const inbox: Received[] = [];
  const client = await users.register(username, (c) =>
    c.on(ClientEvent.ToDeviceEvent, (ev: MatrixEvent) => {
      inbox.push({ type: ev.getType(), sender: ev.getSender() ?? "", content: ev.getContent() });
    }),
  );
  return {
    client,
    userId: client.getUserId() as string,
    deviceId: client.getDeviceId() as string,
    inbox,
  };
}

/** Sends one to-device message of the caller to the focus device `to`. */
export async function sendTo(
  c: Caller,
  to: FocusRef,
  type: string,
  content: Record<string, unknown>,
): Promise<void> {
  await c.client.sendToDevice(type, new Map([[to.userId, new Map([[to.deviceId, content]])]]));
}

/** An offer as a device with audio, video and a data channel makes it. */
export async function offerSdp(): Promise<string> {
  const pc = new RTCPeerConnection();
  pc.addTransceiver("audio", { direction: "sendrecv" });
  pc.addTransceiver("video", { direction: "sendrecv" });
  pc.createDataChannel("datachannel");
  const offer = await pc.createOffer();
  await pc.close();
  return offer.sdp;
}

export const hangupsFor = (c: Caller, callId: string) =>
  c.inbox.filter((m) => m.type === CallEventNames.hangup.stable && m.content.call_id === callId);

/** Polls `probe` until it gives a value other than undefined or false, and resolves with it. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
