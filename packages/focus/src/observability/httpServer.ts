// A small HTTP server for operators: GET /metrics (Prometheus text) and GET /health
// (200 while the focus is syncing with its homeserver, 503 otherwise).
import type { Logger } from "pino";
import { type RunningServer, serveGet } from "./getServer.ts";
import type { FocusMetrics } from "./metrics.ts";

export interface HttpServerOptions {
  host: string;
  port: number;
  metrics: FocusMetrics;
  /** True while the focus is healthy (its sync loop is up to date). */
  isHealthy: () => boolean;
  logger: Logger;
}

export type RunningHttpServer = RunningServer;

export async function startHttpServer(o: HttpServerOptions): Promise<RunningHttpServer> {
  const server = await serveGet(o.host, o.port, (path, res) => {
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
  o.logger.info({ url: server.url }, "serving /metrics and /health");
  return server;
}
