// An HTTP server for local inspection, off unless configured: GET /conferences answers with the
// conference layer's state as JSON (participants, publications, links and what crosses them).
// It always listens on 127.0.0.1: the state names users and devices, so it is never public.
import type { Logger } from "pino";
import { type RunningServer, serveGet } from "./getServer.ts";

export const debugHost = "127.0.0.1";

export interface DebugServerOptions {
  port: number;
  /** The state to serve; called at each request. */
  state: () => unknown;
  logger: Logger;
}

export type RunningDebugServer = RunningServer;

export async function startDebugServer(o: DebugServerOptions): Promise<RunningDebugServer> {
  const server = await serveGet(debugHost, o.port, (path, res) => {
    if (path !== "/conferences") {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = JSON.stringify(o.state());
      res.writeHead(200, { "content-type": "application/json" }).end(body);
    } catch (err) {
      o.logger.error({ err: String(err) }, "debug state could not be serialised");
      res.writeHead(500).end();
    }
  });
  o.logger.info({ url: server.url }, "serving /conferences for local inspection");
  return server;
}
