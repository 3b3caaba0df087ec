/** Cumulative media counters, shared by every media object of one focus. */
export interface MediaCounters {
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
  /** NACKs received from subscribers. */
  nacksReceived: number;
  /** NACKs the focus sent upstream to publishers. */
  nacksSent: number;
  /** PLIs the focus sent upstream to publishers. */
  plisSent: number;
  layerSwitches: number;
  /** Keyframe needs (subscriber PLI/FIR, layer switches, new subscriptions), before throttling. */
  keyframesRequested: number;
  /** New video subscriptions started from the publisher's last keyframe, kept (no request). */
  keyframesReplayed: number;
  /** Packets not forwarded to a subscriber because sending them failed (an exception). */
  forwardingErrors: number;
  /**
   * DTLS datagrams (a client's ClientHello) that arrived before their connection's DTLS
   * socket existed and were handed to it when it started (media/webrtc/earlyDtls.ts).
   */
  dtlsEarlyDatagrams: number;
  /** SRTP/SRTCP datagrams the focus read and dropped because they did not authenticate. */
  srtpRejected: number;
  /** Authentic SRTCP packets dropped as replays (an index seen before, or too old). */
  srtcpReplayed: number;
}

export function newMediaCounters(): MediaCounters {
  return {
    packetsIn: 0,
    packetsOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    nacksReceived: 0,
    nacksSent: 0,
    plisSent: 0,
    layerSwitches: 0,
    keyframesRequested: 0,
    keyframesReplayed: 0,
    forwardingErrors: 0,
    dtlsEarlyDatagrams: 0,
    srtpRejected: 0,
    srtcpReplayed: 0,
  };
}
