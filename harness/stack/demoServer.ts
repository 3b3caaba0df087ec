// A small static server for the built demo. Besides the bundle it serves /config.json, which
// tells the page which homeserver to offer by default.
import { createReadStream, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".map": "application/json; charset=utf-8",
};

/** What the page reads from /config.json. */
export interface DemoConfig {
  homeserverUrl: string;
  serverName: string;
  /** Foci the lobby offers as the preferred one. */
  foci: { type: string; user_id: string; device_id: string }[];
}

export interface DemoServerOptions {
  root: string;
  host: string;
  port: number;
  config: DemoConfig;
}

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

function resolveFile(root: string, urlPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split("?")[0] ?? "/");
  } catch {
    return undefined;
  }
  const file = normalize(join(root, path === "/" ? "index.html" : path));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  const st = statSync(file, { throwIfNoEntry: false });
  if (st?.isFile()) return file;
  // Paths without an extension are app routes: serve the page itself.
  return extname(path) === "" ? join(root, "index.html") : undefined;
}

export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const root = normalize(options.root);
  const configBody = JSON.stringify(options.config);
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const urlPath = req.url ?? "/";
    if (urlPath.split("?")[0] === "/config.json") {
      res.writeHead(200, { "content-type": contentTypes[".json"], "cache-control": "no-store" });
      res.end(configBody);
      return;
    }
    const file = resolveFile(root, urlPath);
    if (file === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": contentTypes[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
