// A small HTTP server for operators: GET /metrics (Prometheus text) and GET /health
// (200 while the focus is syncing with its homeserver, 503 otherwise).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { FocusMetrics } from "./metrics.ts";

export interface HttpServerOptions {
  host: string;
  port: number;
  metrics: FocusMetrics;
  /** True while the focus is healthy (its sync loop is up to date). */
  isHealthy: () => boolean;
  logger: Logger;
}

export interface RunningHttpServer {
  /** The bound address, e.g. http://127.0.0.1:9464 */
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(o: HttpServerOptions): Promise<RunningHttpServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
      return;
    }
    if (path === "/health") {
      const ok = o.isHealthy();
      res
        .writeHead(ok ? 200 : 503, { "content-type": "application/json" })
        .end(JSON.stringify({ status: ok ? "syncing" : "not_syncing" }));
      return;
    }
    if (path === "/metrics") {
      o.metrics.text().then(
        (text) => res.writeHead(200, { "content-type": o.metrics.registry.contentType }).end(text),
        (err: unknown) => {
          o.logger.error({ err }, "metrics collection failed");
          res.writeHead(500).end();
        },
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  o.logger.info({ url }, "serving /metrics and /health");
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
