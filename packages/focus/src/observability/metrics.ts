// Prometheus metrics of one focus. Conference and media figures are read from the
// conference layer's stats() when scraped; Matrix-side events are counted as they happen.
import { Counter, Gauge, Registry } from "prom-client";
import type { FocusStats } from "../conference/FocusStats.ts";

/** Where the figures come from: the conference layer. */
export interface StatsSource {
  stats(): FocusStats;
}

const gauges: [name: string, help: string, key: keyof FocusStats][] = [
  ["matrix_focus_conferences", "Conferences open on this focus", "conferences"],
  [
    "matrix_focus_conference_parts",
    "Conference parts on the media workers (a conference spread over several workers has one on each)",
    "conferenceParts",
  ],
  ["matrix_focus_participants", "Devices connected to this focus", "participants"],
  ["matrix_focus_published_tracks", "Tracks received from publishers", "publishedTracks"],
  ["matrix_focus_subscriptions", "Tracks forwarded to subscribers", "subscriptions"],
];

// Cumulative figures, exposed as counters (the source only ever grows them), times a scale.
const counters: [name: string, help: string, key: keyof FocusStats, scale?: number][] = [
  ["matrix_focus_rtp_packets_in_total", "RTP packets received", "packetsIn"],
  ["matrix_focus_rtp_packets_out_total", "RTP packets sent", "packetsOut"],
  ["matrix_focus_rtp_bytes_in_total", "RTP bytes received", "bytesIn"],
  ["matrix_focus_rtp_bytes_out_total", "RTP bytes sent", "bytesOut"],
  ["matrix_focus_nacks_received_total", "NACKs received from subscribers", "nacksReceived"],
  ["matrix_focus_nacks_sent_total", "NACKs sent to publishers", "nacksSent"],
  ["matrix_focus_plis_sent_total", "PLIs sent to publishers", "plisSent"],
  ["matrix_focus_layer_switches_total", "Simulcast layer switches", "layerSwitches"],
  ["matrix_focus_keyframes_requested_total", "Keyframes requested", "keyframesRequested"],
  [
    "matrix_focus_keyframes_replayed_total",
    "New video subscriptions started from the last keyframe kept",
    "keyframesReplayed",
  ],
  [
    "matrix_focus_forwarding_errors_total",
    "Packets not forwarded to a subscriber because sending them failed",
    "forwardingErrors",
  ],
  [
    "matrix_focus_dtls_early_datagrams_total",
    "DTLS datagrams that arrived before their connection's DTLS socket and were kept for it (a ClientHello that beat the focus's own ICE check)",
    "dtlsEarlyDatagrams",
  ],
  [
    "matrix_focus_srtp_rejected_total",
    "SRTP and SRTCP datagrams of known streams dropped because they did not authenticate",
    "srtpRejected",
  ],
  [
    "matrix_focus_srtcp_replayed_total",
    "Authentic SRTCP packets dropped as replays (an index seen before, or older than the window)",
    "srtcpReplayed",
  ],
  [
    "matrix_focus_event_loop_busy_seconds_total",
    "Time the media threads' event loops spent running callbacks (busy / (busy + idle) = their utilisation)",
    "loopActiveMs",
    1 / 1000,
  ],
  [
    "matrix_focus_event_loop_idle_seconds_total",
    "Time the media threads' event loops spent waiting for events",
    "loopIdleMs",
    1 / 1000,
  ],
];

export class FocusMetrics {
  readonly registry = new Registry();
  readonly callsRefused: Counter<"reason">;
  readonly toDeviceReceived: Counter<"type">;
  readonly toDeviceIgnored: Counter<"why">;
  readonly syncErrors: Counter;
  readonly syncing: Gauge;
  #source: StatsSource | undefined;
  readonly #now: () => number;
  readonly #lastBytes: Partial<Record<"bytesIn" | "bytesOut", { bytes: number; at: number }>> = {};

  /** `now` (ms) times the bitrate gauges; the system clock by default. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
    const registers = [this.registry];
    this.callsRefused = new Counter({
      name: "matrix_focus_calls_refused_total",
      help: "Calls refused with a hangup, by reason",
      labelNames: ["reason"],
      registers,
    });
    this.toDeviceReceived = new Counter({
      name: "matrix_focus_to_device_received_total",
      help: "To-device messages received, by event type",
      labelNames: ["type"],
      registers,
    });
    this.toDeviceIgnored = new Counter({
      name: "matrix_focus_to_device_ignored_total",
      help: "Call messages logged and ignored, by why",
      labelNames: ["why"],
      registers,
    });
    this.syncErrors = new Counter({
      name: "matrix_focus_sync_errors_total",
      help: "Failed /sync requests",
      registers,
    });
    this.syncing = new Gauge({
      name: "matrix_focus_syncing",
      help: "1 while the last /sync succeeded",
      registers,
    });
    for (const [name, help, key] of gauges) {
      const read = () => this.#source?.stats()[key] ?? 0;
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    }
    const bitrate = (key: "bytesIn" | "bytesOut") => () => this.#bitrate(key);
    for (const [name, help, key] of [
      ["matrix_focus_bitrate_in_bps", "Media bits/s received since the previous scrape", "bytesIn"],
      ["matrix_focus_bitrate_out_bps", "Media bits/s sent since the previous scrape", "bytesOut"],
    ] as const) {
      const read = bitrate(key);
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    }
    for (const [name, help, key, scale = 1] of counters) {
      const read = () => (this.#source?.stats()[key] ?? 0) * scale;
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    }
  }

  /** Media bitrate since the previous scrape, from the byte counters. */
  #bitrate(key: "bytesIn" | "bytesOut"): number {
    const bytes = this.#source?.stats()[key] ?? 0;
    const now = this.#now();
    const last = this.#lastBytes[key];
    this.#lastBytes[key] = { bytes, at: now };
    if (last === undefined || now <= last.at || bytes < last.bytes) return 0;
    return Math.round(((bytes - last.bytes) * 8 * 1000) / (now - last.at));
  }

  /** Where conference and media figures are read from at scrape time. */
  readFrom(source: StatsSource): void {
    this.#source = source;
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
