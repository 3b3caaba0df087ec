import { describe, expect, it } from "vitest";
import { parseSocketDrops, parseUdpCounters } from "./udpStats.ts";

describe("parseUdpCounters", () => {
  it("reads the received and receive-buffer-dropped datagrams by column name", () => {
    const snmp = [
      "Tcp: RtoAlgorithm RtoMin",
      "Tcp: 1 200",
      "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors",
      "Udp: 1500 3 7 1400 7 0",
      "UdpLite: InDatagrams",
      "UdpLite: 0",
    ].join("\n");
    expect(parseUdpCounters(snmp)).toEqual({ inDatagrams: 1500, rcvbufErrors: 7 });
  });

  it("gives nothing for text without UDP counters", () => {
    expect(parseUdpCounters("Ip: Forwarding\nIp: 1")).toBeUndefined();
  });
});

describe("parseSocketDrops", () => {
  it("adds the drops of the sockets whose inodes the process holds", () => {
    const udp = [
      "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
      "  101: 0100007F:A1B2 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5551 2 0000000000000000 12",
      "  102: 0100007F:A1B3 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5552 2 0000000000000000 30",
      "  103: 0100007F:A1B4 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5553 2 0000000000000000 4",
    ].join("\n");
    expect(parseSocketDrops(udp, new Set(["5551", "5553"]))).toBe(16);
  });
});
