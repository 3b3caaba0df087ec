// The HTTP plumbing the focus's small local servers share: GET only (405 otherwise), bound
// before the promise resolves, and a close that also ends kept-alive connections.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RunningServer {
  /** The bound address, e.g. http://127.0.0.1:9464 */
  url: string;
  close(): Promise<void>;
}

/** Answers one GET request for `path` (the URL without its query). */
export type GetHandler = (path: string, res: ServerResponse) => void;

export async function serveGet(
  host: string,
  port: number,
  handle: GetHandler,
): Promise<RunningServer> {
  const server = createServer((req, res) => {
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
      return;
    }
    handle((req.url ?? "/").split("?")[0] ?? "/", res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
