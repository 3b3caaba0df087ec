// werift's ICE agent (`Connection`) falls back to stun.l.google.com:19302 when no STUN server is
// configured: every new connection looks that name up and sends it a binding request to
// learn a server-reflexive candidate. For a focus that means a third party sees its address
// and the rhythm of its calls, a focus without Internet access resolves a name per connection
// (and with DNS but no UDP out, keeps a STUN transaction retransmitting for seconds). Browsers
// and other SFUs (libwebrtc, mediasoup) ask only the STUN servers they are given, and so does
// the focus: `iceServers` in its media options (`media.stunServers` in its configuration),
// empty by default; a focus behind NAT names its public address with `hostAddresses` or a
// STUN server of its own
// (decisions/media-werift.md). Installed once per process on werift's `Connection` class.
import { Connection } from "werift";

interface ConnectionLike {
  options: { stunServer?: unknown };
  stunServer?: unknown;
  applyStunTurnServersFromOptions(): void;
}

let installed = false;

/** Makes werift's ICE agents use a STUN server only when one is configured. Idempotent. */
export function useConfiguredStunOnly(): void {
  if (installed) return;
  installed = true;
  const proto = Connection.prototype as unknown as ConnectionLike;
  const original = proto.applyStunTurnServersFromOptions;
  // a werift without this method sets its servers some other way: left as it is
  if (typeof original !== "function") return;
  proto.applyStunTurnServersFromOptions = function (this: ConnectionLike) {
    original.call(this);
    if (!this.options.stunServer) this.stunServer = undefined;
  };
}
