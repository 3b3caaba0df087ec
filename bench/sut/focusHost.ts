// The focus as a system under test: a process that runs the conference layer of
// @matrix-focus/focus (ConferenceManager and its media plane) with signalling relayed in
// memory over Node IPC instead of Matrix to-device messages. Started by sut/focus.ts inside
// the run's network namespace, pinned to the SUT core.
import type { CallEvent } from "@matrix-focus/protocol";

interface DeviceRef {
  userId: string;
  deviceId: string;
}

/** The part of ConferenceManager's API the benchmark drives. */
interface ManagerLike {
  handle(input: {
    kind: "callEventReceived";
    conference: { roomId: string; confId: string };
    sender: DeviceRef;
    event: CallEvent;
  }): void;
  stats(): Record<string, number>;
  close(): Promise<void>;
}

type ManagerCtor = new (o: {
  focus: DeviceRef;
  signalling: { sendCallEvent(to: DeviceRef, event: CallEvent): Promise<void> };
  media?: { hostAddresses?: string[] };
}) => ManagerLike;

export type ToFocusHost =
  | { type: "deliver"; from: string; payload: { sender: DeviceRef; event: CallEvent } }
  | { type: "stats" }
  | { type: "close" };

export type FromFocusHost =
  | { type: "started" }
  | { type: "failed"; message: string }
  | { type: "signal"; to: string; payload: CallEvent }
  | { type: "stats"; stats: Record<string, number> };

function send(m: FromFocusHost): void {
  process.send?.(m);
}

async function main(): Promise<void> {
  const mod = (await import("@matrix-focus/focus")) as Record<string, unknown>;
  const Ctor = mod.ConferenceManager as ManagerCtor | undefined;
  if (typeof Ctor !== "function") {
    send({ type: "failed", message: "@matrix-focus/focus does not export ConferenceManager" });
    process.exit(2);
  }
  const manager = new Ctor({
    focus: { userId: "@focus:bench.invalid", deviceId: "BENCHFOCUS" },
    signalling: {
      sendCallEvent: async (to, event) => send({ type: "signal", to: to.deviceId, payload: event }),
    },
    media: { hostAddresses: [] },
  });
  process.on("message", (raw) => {
    const m = raw as ToFocusHost;
    if (m.type === "deliver") {
      const { sender, event } = m.payload;
      const roomId = (event.content as { room_id?: string }).room_id ?? "";
      manager.handle({
        kind: "callEventReceived",
        conference: { roomId, confId: event.content.conf_id },
        sender,
        event,
      });
    } else if (m.type === "stats") {
      send({ type: "stats", stats: manager.stats() });
    } else if (m.type === "close") {
      void manager.close().finally(() => process.exit(0));
    }
  });
  process.on("disconnect", () => process.exit(0));
  send({ type: "started" });
}

main().catch((e: Error) => {
  send({ type: "failed", message: e.stack ?? e.message });
  process.exit(1);
});
