import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { disableAllBut, janusConfigFiles } from "./janusConfig.ts";

const dir = mkdtempSync(join(tmpdir(), "janus-config-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeLibDir(name: string, files: string[]): string {
  const d = join(dir, name);
  mkdirSync(d);
  for (const f of files) writeFileSync(join(d, f), "");
  return d;
}

describe("janusConfigFiles", () => {
  const plugins = fakeLibDir("plugins", [
    "libjanus_videoroom.so",
    "libjanus_echotest.so",
    "libjanus_sip.so",
    "libjanus_sip.so.1",
  ]);
  const transports = fakeLibDir("transports", ["libjanus_http.so", "libjanus_websockets.so"]);
  const files = janusConfigFiles({
    dir: "/tmp/x",
    apiAddress: "10.213.1.2",
    iceInterface: "mfb1n",
    pluginsDir: plugins,
    transportsDir: transports,
    loggersDir: join(dir, "none"),
    httpPort: 9000,
    rtpPortRange: [30_000, 31_000],
  });

  it("loads only the VideoRoom plugin and the HTTP transport", () => {
    expect(files["janus.jcfg"]).toContain('disable = "libjanus_echotest.so,libjanus_sip.so"');
    expect(files["janus.jcfg"]).toContain('disable = "libjanus_websockets.so"');
  });

  it("binds the API to the namespace address and ICE to its interface", () => {
    expect(files["janus.transport.http.jcfg"]).toContain('ip = "10.213.1.2"');
    expect(files["janus.transport.http.jcfg"]).toContain("port = 9000");
    expect(files["janus.jcfg"]).toContain('ice_enforce_list = "mfb1n"');
    expect(files["janus.jcfg"]).toContain('rtp_port_range = "30000-31000"');
  });

  it("reads configuration only from the generated folder", () => {
    expect(files["janus.jcfg"]).toContain('configs_folder = "/tmp/x"');
  });
});

describe("disableAllBut", () => {
  it("lists nothing for a folder that does not exist", () => {
    expect(disableAllBut(join(dir, "missing"), "x.so")).toBe("");
  });
});
