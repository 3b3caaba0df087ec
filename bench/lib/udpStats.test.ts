import { describe, expect, it } from "vitest";
import { parseUdpCounters } from "./udpStats.ts";

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
