// An HTTP server for local inspection, off unless configured: GET /conferences answers with the
// conference layer's state as JSON (participants, publications, links and what crosses them).
// It always listens on 127.0.0.1: the state names users and devices, so it is never public.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";

export const debugHost = "127.0.0.1";

export interface DebugServerOptions {
  port: number;
  /** The state to serve; called at each request. */
  state: () => unknown;
  logger: Logger;
}

export interface RunningDebugServer {
  /** The bound address, e.g. http://127.0.0.1:9465 */
  url: string;
  close(): Promise<void>;
}

export async function startDebugServer(o: DebugServerOptions): Promise<RunningDebugServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
      return;
    }
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
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, debugHost, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const url = `http://${debugHost}:${(server.address() as AddressInfo).port}`;
  o.logger.info({ url }, "serving /conferences for local inspection");
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
