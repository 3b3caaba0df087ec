// The scenarios, as data: each is a ladder of steps (x = the number that grows) and a rule
// that turns x into rooms, publishers and subscribers. Add a scenario by adding an entry.
import type { RoomPlan } from "../load/ipc.ts";
import type { LayerRid } from "../load/targets.ts";
import type { MediaProfile } from "./defaults.ts";

export interface ScenarioSpec {
  name: string;
  title: string;
  /** What x counts, for tables and plots. */
  xLabel: string;
  steps: number[];
  quickSteps: number[];
  rooms(x: number): number;
  /** Publishing participants per room. */
  publishers(x: number): number;
  /** Participants per room that only watch (subscribe to every publisher). */
  watchers(x: number): number;
  /** Whether each publisher also receives every other publisher of its room. */
  publishersSubscribe: boolean;
  /** The simulcast layer subscribers ask for. */
  layer(x: number): LayerRid;
  /** Every this many ms one watcher leaves and a new one joins, from set-up to the end. */
  churnEveryMs?: number;
}

export const scenarios: ScenarioSpec[] = [
  {
    name: "call",
    title: "one call of N (everyone publishes and receives everyone else)",
    xLabel: "participants",
    steps: [2, 5, 10, 15, 20, 25],
    quickSteps: [2, 5, 15],
    rooms: () => 1,
    publishers: (n) => n,
    watchers: () => 0,
    publishersSubscribe: true,
    // a grid of 2-5 tiles shows the middle layer, larger grids the smallest
    layer: (n) => (n <= 5 ? "h" : "q"),
  },
  {
    name: "fanout",
    title: "fan-out: one publisher, N subscribers (top layer)",
    xLabel: "subscribers",
    // at most 100 participants in a conference of our focus (its default), the probe's two included
    steps: [10, 25, 50, 95],
    quickSteps: [10],
    rooms: () => 1,
    publishers: () => 1,
    watchers: (n) => n,
    publishersSubscribe: false,
    layer: () => "f",
  },
  {
    name: "smallcalls",
    title: "many small calls: N calls of 4",
    xLabel: "calls",
    // 10: a step near half of the focus's core, where the probe's p99 is read (5 and 15 were at
    // about 0.3 and 0.7 of it)
    steps: [5, 10, 15],
    quickSteps: [],
    rooms: (n) => n,
    publishers: () => 4,
    watchers: () => 0,
    publishersSubscribe: true,
    layer: () => "h",
  },
  {
    name: "churn",
    title: "churn: a call of 4 with N watchers, one replaced every 500 ms",
    xLabel: "watchers",
    steps: [10, 25, 50],
    quickSteps: [10],
    rooms: () => 1,
    publishers: () => 4,
    watchers: (n) => n,
    publishersSubscribe: true,
    layer: () => "h",
    churnEveryMs: 500,
  },
];

/** The rooms of one step: participant indices are unique across rooms. */
export function planRooms(s: ScenarioSpec, x: number): RoomPlan[] {
  const rooms: RoomPlan[] = [];
  let next = 0;
  for (let r = 0; r < s.rooms(x); r++) {
    const publishers = Array.from({ length: s.publishers(x) }, () => next++);
    const watchers = Array.from({ length: s.watchers(x) }, () => next++);
    const layer = s.layer(x);
    const subscribers = [
      ...(s.publishersSubscribe
        ? publishers
            .filter(() => publishers.length > 1)
            .map((p) => ({ index: p, feeds: publishers.filter((q) => q !== p), layer }))
        : []),
      ...watchers.map((w) => ({ index: w, feeds: [...publishers], layer })),
    ];
    rooms.push({ room: r, publishers, subscribers });
  }
  return rooms;
}

/** Participants (devices) in a step. */
export function participantCount(rooms: RoomPlan[]): number {
  const ids = new Set<number>();
  for (const r of rooms) {
    for (const p of r.publishers) ids.add(p);
    for (const s of r.subscribers) ids.add(s.index);
  }
  return ids.size;
}

/** Packets/s of one publisher's stream: a video layer (by rid) or its audio. */
export function streamPps(profile: MediaProfile, rid: LayerRid | "audio"): number {
  if (rid === "audio") return 1000 / profile.audioFrameMs;
  const l = profile.layers.find((x) => x.rid === rid);
  if (!l) return 0;
  return Math.ceil(l.bitrate / 8 / profile.fps / profile.maxPayload) * profile.fps;
}

/** What the load generator sends and receives at a step when nothing is lost, packets/s. */
export function loadRates(
  s: ScenarioSpec,
  x: number,
  profile: MediaProfile,
): { sent: number; received: number } {
  const perPublisher =
    streamPps(profile, "audio") + profile.layers.reduce((n, l) => n + streamPps(profile, l.rid), 0);
  let sent = 0;
  let received = 0;
  for (const r of planRooms(s, x)) {
    sent += r.publishers.length * perPublisher;
    for (const sub of r.subscribers) {
      received += sub.feeds.length * (streamPps(profile, sub.layer) + streamPps(profile, "audio"));
    }
  }
  return { sent, received };
}
