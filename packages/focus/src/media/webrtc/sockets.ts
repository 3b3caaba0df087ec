// Larger receive buffers for the UDP sockets werift opened for ICE. A fan-out focus reads
// bursts (a keyframe from every publisher at once) while its event loop is busy sending;
// with the default buffer (net.core.rmem_default, 208 KiB) the kernel dropped datagrams in
// the benchmark (docs/performance.md).
import type { RTCPeerConnection } from "werift";

interface SocketLike {
  setRecvBufferSize(n: number): void;
  getRecvBufferSize(): number;
}

interface IceLike {
  connection?: { protocols?: { transport?: { type?: string; socket?: SocketLike } }[] };
}

/**
 * Asks for `bytes` of receive buffer on every UDP socket of the connection's ICE transports;
 * returns the sizes the kernel granted (it caps them at net.core.rmem_max and doubles them).
 */
export function enlargeReceiveBuffers(pc: RTCPeerConnection, bytes: number): number[] {
  if (bytes <= 0) return [];
  const granted: number[] = [];
  for (const ice of pc.iceTransports as unknown as IceLike[]) {
    for (const p of ice.connection?.protocols ?? []) {
      const socket = p.transport?.type === "udp" ? p.transport.socket : undefined;
      if (!socket) continue;
      try {
        if (socket.getRecvBufferSize() < bytes) socket.setRecvBufferSize(bytes);
        granted.push(socket.getRecvBufferSize());
      } catch {
        // a socket closed meanwhile
      }
    }
  }
  return granted;
}
