// Writes a complete Janus configuration (core, HTTP transport, VideoRoom) into a folder:
// only the VideoRoom plugin and the HTTP transport are loaded, the HTTP API listens on the
// namespace's own address, ICE uses only the namespace's veth interface.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { janusDefaults } from "../config/defaults.ts";

export interface JanusConfigInput {
  dir: string;
  /** Address the HTTP API binds to (the namespace side of the veth pair). */
  apiAddress: string;
  /** Interface ICE may use (the namespace side of the veth pair). */
  iceInterface: string;
  httpPort?: number;
  rtpPortRange?: [number, number];
  pluginsDir?: string;
  transportsDir?: string;
  loggersDir?: string;
}

/** Every .so in `dir` except `keep`, as Janus's comma-separated `disable` list. */
export function disableAllBut(dir: string, keep: string): string {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".so") && n !== keep);
  } catch {
    // the folder may not exist (then there is nothing to disable)
  }
  return names.sort().join(",");
}

export interface JanusConfigFiles {
  "janus.jcfg": string;
  "janus.transport.http.jcfg": string;
  "janus.plugin.videoroom.jcfg": string;
}

export function janusConfigFiles(c: JanusConfigInput): JanusConfigFiles {
  const pluginsDir = c.pluginsDir ?? janusDefaults.pluginsDir;
  const transportsDir = c.transportsDir ?? janusDefaults.transportsDir;
  const [lo, hi] = c.rtpPortRange ?? janusDefaults.rtpPortRange;
  const core = `general: {
  configs_folder = "${c.dir}"
  plugins_folder = "${pluginsDir}"
  transports_folder = "${transportsDir}"
  debug_level = 3
  debug_colors = false
  server_name = "matrix-focus-bench"
  session_timeout = 0
  reclaim_session_timeout = 0
  hide_dependencies = true
}
media: {
  rtp_port_range = "${lo}-${hi}"
  dtls_mtu = 1200
  no_media_timer = 5
}
nat: {
  ice_lite = false
  ice_tcp = false
  full_trickle = false
  ignore_mdns = true
  ice_enforce_list = "${c.iceInterface}"
}
plugins: {
  disable = "${disableAllBut(pluginsDir, "libjanus_videoroom.so")}"
}
transports: {
  disable = "${disableAllBut(transportsDir, "libjanus_http.so")}"
}
events: {
  broadcast = false
}
loggers: {
  disable = "${disableAllBut(c.loggersDir ?? janusDefaults.loggersDir, "")}"
}
`;
  const http = `general: {
  json = "compact"
  base_path = "/janus"
  http = true
  port = ${c.httpPort ?? janusDefaults.httpPort}
  ip = "${c.apiAddress}"
  https = false
}
admin: {
  admin_http = false
  admin_https = false
}
`;
  const videoroom = `general: {
  string_ids = false
}
`;
  return {
    "janus.jcfg": core,
    "janus.transport.http.jcfg": http,
    "janus.plugin.videoroom.jcfg": videoroom,
  };
}

export function writeJanusConfig(c: JanusConfigInput): string {
  const files = janusConfigFiles(c);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(c.dir, name), text);
  return join(c.dir, "janus.jcfg");
}
