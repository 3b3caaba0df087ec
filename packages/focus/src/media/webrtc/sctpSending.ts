// How werift's SCTP association (the data channel) sends. werift starts each association
// with a congestion window of 3 packets and, each time it transmits (on a send or a SACK),
// sends at most 4 packets more than are in flight. A renegotiation offer of a call of 20 is
// about 41 KB (35 packets), so it crossed in many round trips, and every round trip waits for
// a turn of the event loops at both ends, which a join burst keeps busy: in the benchmark's
// call of 20 the offers took 0.45-0.93 s (p50 per run) to reach the subscribers
// (docs/performance.md, "Data-channel round trips in large calls"). Chrome's SCTP (dcSCTP)
// starts at 10 packets (RFC 6928's argument for TCP). A focus's data channel carries a few
// large messages beside megabits of media on the same path, so the focus starts at 64 (such
// an offer in one round trip) and lets one transmission fill the window instead of stopping
// after 4 packets (decisions/perf-data-channel-window.md). Congestion control otherwise stays
// werift's: the window grows only with what the peer acknowledges and shrinks on loss, and
// fast recovery keeps werift's own burst limit.
// Installed once per process on werift's association class: the first options given apply
// to every association of the process.

export interface SctpSendingOptions {
  /** Congestion window of a new association, packets. */
  initialWindowPackets: number;
  /** At most this many packets leave in one transmission (werift's own limit: 4). */
  maxBurstPackets: number;
}

/** werift's SCTP association (untyped internals). */
interface Association {
  cwnd: number;
  maxPayloadSize: number;
  flightSize: number;
  peerRwnd: number;
  outboundQueue: unknown[];
  fastRecoveryExit?: number;
  transmitOnce(): Promise<void>;
  [started]?: true;
}

/**
 * The focus's: a renegotiation offer of up to ~75 KB (a call of about 35) leaves in one round
 * trip. Measured in the benchmark's call of 20 (interleaved `--quick` runs): offer to
 * subscriber p50 338 ms with 32 packets against 644 ms with werift's 3 and 4 (9 runs each),
 * and 95–114 ms with 64 against 310–476 ms with 32 (3 runs each; the offer is 35 packets);
 * join → first keyframe p50 1094–1247 against 1345–1407 ms.
 */
export const focusSctpSending: SctpSendingOptions = {
  initialWindowPackets: 64,
  maxBurstPackets: 64,
};

/** Chrome's (dcSCTP's defaults: cwnd_mtus_initial 10, max_burst 4), for test clients. */
export const browserSctpSending: SctpSendingOptions = {
  initialWindowPackets: 10,
  maxBurstPackets: 4,
};

const started = Symbol("sctpSendingStarted");
const patched = new WeakSet<object>();

/** Whether another of werift's transmissions may send now (window, receiver, queue). */
function mayContinue(a: Association): boolean {
  return (
    a.fastRecoveryExit === undefined &&
    a.outboundQueue.length > 0 &&
    a.flightSize < a.cwnd &&
    a.peerRwnd > 0
  );
}

/**
 * Makes every association of `proto` (werift's SCTP class) start at the initial window and
 * repeat werift's transmission while it sent something and may send more, up to
 * `maxBurstPackets`. Returns false when `proto` was already patched.
 */
export function tuneSctpSending(proto: object, o: SctpSendingOptions): boolean {
  if (patched.has(proto)) return false;
  patched.add(proto);
  const target = proto as Association;
  const transmitOnce = target.transmitOnce;
  target.transmitOnce = async function (this: Association) {
    if (!this[started]) {
      this[started] = true;
      this.cwnd = Math.max(this.cwnd, o.initialWindowPackets * this.maxPayloadSize);
    }
    const limit = this.flightSize + o.maxBurstPackets * this.maxPayloadSize;
    let before: number;
    do {
      before = this.flightSize;
      await transmitOnce.call(this);
    } while (this.flightSize > before && this.flightSize < limit && mayContinue(this));
  };
  return true;
}

/**
 * Tunes werift's association class, reached through the SCTP transport of `pc` once it has
 * one (werift does not export the class). False when it has none yet or it was tuned before.
 */
export function useSctpSending(pc: unknown, o: SctpSendingOptions): boolean {
  const sctp = (pc as { sctpTransport?: { sctp?: object } }).sctpTransport?.sctp;
  return sctp ? tuneSctpSending(Object.getPrototypeOf(sctp), o) : false;
}
