import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "../context.ts";
import { errors, MatrixError } from "./errors.ts";
import type { RateLimiter } from "./rateLimit.ts";
import { accessToken, Reply, type Request, type Router, readJsonBody } from "./router.ts";

const corsHeaders = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
  "access-control-allow-headers": "X-Requested-With, Content-Type, Authorization, Date",
  "access-control-max-age": "86400",
};

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, {
    ...corsHeaders,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-cache, no-store, must-revalidate",
  });
  res.end(text);
}

/** Answers one HTTP request: CORS, routing, auth, rate limit, body, handler, JSON reply. */
export async function handleRequest(
  ctx: Context,
  router: Router,
  limiter: RateLimiter | undefined,
  shutdown: AbortSignal,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = Date.now();
  const method = req.method ?? "GET";
  let pathname = "/";
  let status = 200;
  try {
    const url = new URL(req.url ?? "/", "http://localhost");
    pathname = url.pathname;
    if (method === "OPTIONS") {
      send(res, 200, {});
      return;
    }
    const match = router.match(method, pathname);
    if (match.kind === "none")
      throw errors.unrecognized(`Unrecognized request: ${method} ${pathname}`);
    if (match.kind === "wrong-method") {
      throw new MatrixError(405, "M_UNRECOGNIZED", `Method ${method} not allowed on ${pathname}`);
    }
    const { route, params } = match;
    let session: Request["session"];
    if (route.auth !== "none") {
      const token = accessToken(req, url.searchParams);
      if (token === undefined) {
        if (route.auth === "required") throw errors.missingToken();
      } else {
        session = ctx.accounts.session(token);
        if (!session) throw errors.unknownToken();
        const wait = limiter?.take(token);
        if (wait !== undefined) throw errors.limitExceeded(wait);
      }
    }
    const body =
      method === "POST" || method === "PUT" ? await readJsonBody(req, ctx.config.maxBodyBytes) : {};
    const closed = new AbortController();
    res.on("close", () => closed.abort());
    const request: Request = {
      method,
      params,
      query: url.searchParams,
      body,
      session,
      signal: AbortSignal.any([closed.signal, shutdown]),
      raw: req,
    };
    const result = await route.handler(request);
    if (result instanceof Reply) {
      status = result.status;
      send(res, result.status, result.body);
    } else {
      send(res, 200, result);
    }
  } catch (e) {
    if (e instanceof MatrixError) {
      status = e.status;
      send(res, e.status, e.toJSON());
    } else {
      status = 500;
      ctx.logger.error({ err: e, method, path: pathname }, "request handler failed");
      send(res, 500, errors.unknown().toJSON());
    }
  } finally {
    ctx.logger.debug({ method, path: pathname, status, ms: Date.now() - started }, "request");
  }
}
