// Chrome sends simulcast retransmissions as RTX (RFC 4588) on their own SSRC, tagged only with
// the repaired-rtp-stream-id header extension (RFC 8852 §3.2). werift routes by rtp-stream-id
// or known SSRC, so it drops them. This unwraps such packets and hands them to the layer they
// repair, as if the original packet had arrived late.
import {
  type RTCPeerConnection,
  type RTCRtpTransceiver,
  RTP_EXTENSION_URI,
  type RtpPacket,
  rtpHeaderExtensionsParser,
  unwrapRtx,
} from "werift";
import type { IncomingLayer } from "./IncomingLayer.ts";

export class RtxRepair {
  readonly #pc: RTCPeerConnection;
  readonly #layers: Map<RTCRtpTransceiver, Map<string, IncomingLayer>> = new Map();
  #attached = false;
  /** Retransmissions recovered so far. */
  repaired = 0;

  constructor(pc: RTCPeerConnection) {
    this.#pc = pc;
  }

  addLayer(transceiver: RTCRtpTransceiver, layer: IncomingLayer): void {
    const m = this.#layers.get(transceiver) ?? new Map<string, IncomingLayer>();
    m.set(layer.rid, layer);
    this.#layers.set(transceiver, m);
    this.#attach();
  }

  /** Starts listening once the transport exists (called again when the connection is up). */
  attach(): void {
    this.#attach();
  }

  #attach(): void {
    if (this.#attached) return;
    const dtls = this.#pc.dtlsTransports[0];
    if (!dtls) return;
    this.#attached = true;
    dtls.onRtp.subscribe((p) => this.#onRtp(p));
  }

  #isLayerSsrc(ssrc: number): boolean {
    for (const layers of this.#layers.values()) {
      for (const l of layers.values()) if (l.ssrc === ssrc) return true;
    }
    return false;
  }

  #onRtp(p: RtpPacket): void {
    if (p.header.extensions.length === 0 || p.payload.length < 2) return;
    // media of a known layer (nearly every packet): no need to parse its extensions again
    if (this.#isLayerSsrc(p.header.ssrc)) return;
    const ext = rtpHeaderExtensionsParser(p.header.extensions, this.#pc.extIdUriMap);
    const rrid = ext[RTP_EXTENSION_URI.repairedRtpStreamId];
    if (typeof rrid !== "string" || typeof ext[RTP_EXTENSION_URI.sdesRTPStreamID] === "string")
      return;
    const mid = ext[RTP_EXTENSION_URI.sdesMid];
    for (const [t, layers] of this.#layers) {
      if (typeof mid === "string" && t.mid !== mid) continue;
      const layer = layers.get(rrid);
      const ssrc = layer?.ssrc;
      if (!layer || ssrc === undefined || p.header.ssrc === ssrc) continue;
      const rtx = t.codecs.find((c) => c.payloadType === p.header.payloadType);
      const apt = /apt=(\d+)/.exec(rtx?.parameters ?? "")?.[1];
      if (rtx?.name.toLowerCase() !== "rtx" || apt === undefined) return;
      this.repaired++;
      layer.injectRtp(unwrapRtx(p, Number(apt), ssrc));
      return;
    }
  }
}
