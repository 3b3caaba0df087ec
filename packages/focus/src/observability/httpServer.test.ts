import { afterEach, describe, expect, it } from "vitest";
import { type RunningHttpServer, startHttpServer } from "./httpServer.ts";
import { createLogger } from "./logger.ts";
import { FocusMetrics } from "./metrics.ts";

const stats = {
  conferences: 2,
  participants: 5,
  publishedTracks: 7,
  conferenceParts: 2,
  subscriptions: 11,
  packetsIn: 1000,
  packetsOut: 2000,
  loopActiveMs: 1500,
  loopIdleMs: 8500,
  bytesIn: 1,
  bytesOut: 2,
  nacksReceived: 3,
  nacksSent: 4,
  plisSent: 6,
  layerSwitches: 8,
  keyframesRequested: 9,
  keyframesReplayed: 4,
  forwardingErrors: 3,
  dtlsEarlyDatagrams: 2,
  srtpRejected: 6,
  srtcpReplayed: 1,
};

describe("observability HTTP server", () => {
  let server: RunningHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it("answers /health with 200 while syncing and 503 otherwise", async () => {
    let healthy = false;
    server = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      metrics: new FocusMetrics(),
      isHealthy: () => healthy,
      logger: createLogger({ level: "silent" }),
    });
    expect((await fetch(`${server.url}/health`)).status).toBe(503);
    healthy = true;
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it("serves conference figures read at scrape time and refusals by reason", async () => {
    let now = 0;
    const metrics = new FocusMetrics(() => now);
    metrics.readFrom({ stats: () => stats });
    metrics.callsRefused.inc({ reason: "not_a_member" });
    server = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      metrics,
      isHealthy: () => true,
      logger: createLogger({ level: "silent" }),
    });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^matrix_focus_participants 5$/m);
    expect(text).toMatch(/^matrix_focus_rtp_packets_out_total 2000$/m);
    expect(text).toMatch(/^matrix_focus_forwarding_errors_total 3$/m);
    expect(text).toMatch(/^matrix_focus_dtls_early_datagrams_total 2$/m);
    expect(text).toMatch(/^matrix_focus_srtp_rejected_total 6$/m);
    expect(text).toMatch(/^matrix_focus_srtcp_replayed_total 1$/m);
    expect(text).toMatch(/^matrix_focus_event_loop_busy_seconds_total 1.5$/m);
    expect(text).toMatch(/^matrix_focus_event_loop_idle_seconds_total 8.5$/m);
    expect(text).toMatch(/^matrix_focus_calls_refused_total\{reason="not_a_member"\} 1$/m);
    stats.participants = 6;
    stats.bytesOut += 250_000;
    now += 2000;
    const again = await (await fetch(`${server.url}/metrics`)).text();
    expect(again).toMatch(/^matrix_focus_participants 6$/m);
    expect(again).toMatch(/^matrix_focus_bitrate_out_bps 1000000$/m);
  });
});
