// Prometheus metrics per link (cascading), read from the conference layer at scrape time:
// state, tracks relayed each way, packets and bitrate sent over the link.
import { Gauge, type Registry } from "prom-client";
import type { ConferenceLinks } from "../conference/ConferenceManager.ts";

type Source = () => ConferenceLinks[];

const labelNames = ["room", "conf", "peer"] as const;

function labelsOf(c: ConferenceLinks, peer: { userId: string; deviceId: string }) {
  return {
    room: c.conference.roomId,
    conf: c.conference.confId,
    peer: `${peer.userId}|${peer.deviceId}`,
  };
}

/** Registers the link metrics on `registry`; `now` times the bitrate (ms). */
export function registerLinkMetrics(
  registry: Registry,
  source: Source,
  now: () => number = Date.now,
): void {
  const registers = [registry];
  const lastBytes = new Map<string, { bytes: number; at: number }>();
  new Gauge({
    name: "matrix_focus_link_state",
    help: "1 per link call to another focus, labelled with its state (connecting, connected)",
    labelNames: [...labelNames, "state", "dialer"],
    registers,
    collect() {
      this.reset();
      for (const c of source())
        for (const l of c.links)
          this.set({ ...labelsOf(c, l.focus), state: l.state, dialer: String(l.dialer) }, 1);
    },
  });
  new Gauge({
    name: "matrix_focus_link_tracks_relayed",
    help: "Tracks crossing a link: out = sent to the other focus, in = received from it",
    labelNames: [...labelNames, "direction"],
    registers,
    collect() {
      this.reset();
      for (const c of source())
        for (const l of c.links) {
          this.set({ ...labelsOf(c, l.focus), direction: "out" }, l.tracksOut);
          this.set({ ...labelsOf(c, l.focus), direction: "in" }, l.tracksIn);
        }
    },
  });
  new Gauge({
    name: "matrix_focus_link_packets_out",
    help: "RTP packets sent over a link by the tracks it carries now",
    labelNames: [...labelNames],
    registers,
    collect() {
      this.reset();
      for (const c of source())
        for (const l of c.links) this.set(labelsOf(c, l.focus), l.packetsOut);
    },
  });
  new Gauge({
    name: "matrix_focus_link_bitrate_out_bps",
    help: "Media bits/s sent over a link since the previous scrape",
    labelNames: [...labelNames],
    registers,
    collect() {
      this.reset();
      const t = now();
      const seen = new Set<string>();
      for (const c of source())
        for (const l of c.links) {
          seen.add(l.callId);
          const last = lastBytes.get(l.callId);
          lastBytes.set(l.callId, { bytes: l.bytesOut, at: t });
          const bps =
            last && t > last.at && l.bytesOut >= last.bytes
              ? Math.round(((l.bytesOut - last.bytes) * 8 * 1000) / (t - last.at))
              : 0;
          this.set(labelsOf(c, l.focus), bps);
        }
      for (const id of lastBytes.keys()) if (!seen.has(id)) lastBytes.delete(id);
    },
  });
}
