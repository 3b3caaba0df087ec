// How werift's SCTP association (the data channel) sends. werift starts each association
// with a congestion window of 3 packets and, each time it transmits (on a send or a SACK),
// sends at most 4 packets more than are in flight. A renegotiation offer of a call of 20 is
// about 41 KB (35 packets), so it crossed in many round trips, and every round trip waits for
// a turn of the event loops at both ends, which a join burst keeps busy: in the benchmark's
// call of 20 the offers took 0.45-0.93 s (p50 per run) to reach the subscribers
// (docs/performance.md, "Data-channel round trips in large calls"). Chrome's SCTP (dcSCTP)
// starts at 10 packets (RFC 6928's argument for TCP) with bursts of 4, and so does the focus:
// a start of 64 packets filled in one transmission (such an offer in one round trip) made the
// joins of an overloaded focus collapse, as a burst into buffers that already overflow loses
// its tail and werift resends it only on its retransmission timer
// (decisions/perf-data-channel-window.md). That timer follows measured round trips (srtt +
// 4 rttvar, 1 to 60 s), so round trips of seconds in an overloaded join storm left lost
// offers, answers and pongs unsent for longer than the answer (10 s) and pong (30 s)
// timeouts; Chrome and Firefox never let it exceed 3 s, and neither does the focus.
// Congestion control otherwise stays werift's: the window grows only with what the peer
// acknowledges and shrinks on loss, and fast recovery keeps werift's own burst limit.
// Installed once per process on werift's association class: the first options given apply
// to every association of the process.

export interface SctpSendingOptions {
  /** Congestion window of a new association, packets. */
  initialWindowPackets: number;
  /** At most this many packets leave in one transmission (werift's own limit: 4). */
  maxBurstPackets: number;
  /**
   * Longest retransmission timeout, s (werift's: 60). werift sets its timeout from measured
   * round trips (srtt + 4 rttvar, 1..60 s), so round trips of seconds in a join storm leave it
   * waiting tens of seconds before it resends a lost packet; Chrome and Firefox never wait more
   * than 3 s (dcSCTP's max_timer_backoff_duration).
   */
  maxRtoSeconds?: number;
}

/** werift's SCTP association (untyped internals). */
interface Association {
  /** Retransmission timeout, s. */
  rto: number;
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
 * Chrome's (dcSCTP's defaults: cwnd_mtus_initial 10, max_burst 4; Chrome's timers back off to
 * at most 3 s), for test clients.
 */
export const browserSctpSending: SctpSendingOptions = {
  initialWindowPackets: 10,
  maxBurstPackets: 4,
  maxRtoSeconds: 3,
};

/**
 * The focus's: Chrome's start, burst limit and longest timer. The timer: 36 calls of 4 on two
 * cores shared with the load (6 + 6 runs alternating) set up every subscription in 35–54 s,
 * where werift's own timeout left 3 of 6 steps with subscriptions that never got their offer
 * (joins 99–252 s, 71–100% lost); 2 of 12 capped steps that hour still lost some.
 * The start and burst limit: 22 calls of 4 on one core shared with the load
 * (3 + 3 runs alternating): joins in 19–24 s with every offer delivered, against 27–144 s with
 * two steps collapsing for a start of 64 and bursts of 64 (a start of 64 with bursts of 4: set-up
 * never finished in 2 of 2). In the call of 20 (2 + 2 runs) join → first keyframe p50 946 and
 * 1055 ms against 1024 and 1325 ms with 64 and 64.
 */
export const focusSctpSending: SctpSendingOptions = browserSctpSending;

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
      if (o.maxRtoSeconds !== undefined) capRto(this, o.maxRtoSeconds);
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

/** Keeps the association's retransmission timeout at most `max` s, whatever werift sets. */
function capRto(a: Association, max: number): void {
  let rto = Math.min(a.rto, max);
  Object.defineProperty(a, "rto", {
    configurable: true,
    enumerable: true,
    get: () => rto,
    set: (v: number) => {
      rto = Math.min(v, max);
    },
  });
}

/**
 * Tunes werift's association class, reached through the SCTP transport of `pc` once it has
 * one (werift does not export the class). False when it has none yet or it was tuned before.
 */
export function useSctpSending(pc: unknown, o: SctpSendingOptions): boolean {
  const sctp = (pc as { sctpTransport?: { sctp?: object } }).sctpTransport?.sctp;
  return sctp ? tuneSctpSending(Object.getPrototypeOf(sctp), o) : false;
}
