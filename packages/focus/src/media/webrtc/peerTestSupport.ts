// Test support for tests that connect two werift peer connections on this machine.
import type { RTCPeerConnection } from "werift";

/** Resolves once `pc` is connected (at once if it is); rejects after `ms`. */
export function connected(pc: RTCPeerConnection, ms = 5000): Promise<void> {
  if (pc.connectionState === "connected") return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`not connected in ${ms} ms`)), ms);
    pc.connectionStateChange.subscribe((s) => {
      if (s === "connected") {
        clearTimeout(t);
        resolve();
      }
    });
  });
}
