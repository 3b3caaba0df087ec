import type { IncomingMessage } from "node:http";
import { DelayedEventsMsc, RtcTransportsMsc } from "../names.ts";
import type { Session } from "../storage/accounts.ts";
import { errors, type MatrixError } from "./errors.ts";

export const Prefixes = {
  client: ["/_matrix/client/v3", "/_matrix/client/r0"],
  root: ["/_matrix/client"],
  wellKnown: ["/.well-known/matrix"],
  delayedEvents: [`/_matrix/client/unstable/${DelayedEventsMsc.feature}`],
  rtc: ["/_matrix/client/v1", `/_matrix/client/unstable/${RtcTransportsMsc.feature}`],
} as const;

export type AuthMode = "required" | "optional" | "none";

export type Request = {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body; `{}` when the request had none. */
  body: unknown;
  /** Set when the route needs (or optionally got) an access token. */
  session: Session | undefined;
  /** Aborted when the client goes away before the answer. */
  signal: AbortSignal;
  raw: IncomingMessage;
};

export type AuthedRequest = Request & { session: Session };

/** An answer with a status other than 200. */
export class Reply {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    this.status = status;
    this.body = body;
  }
}

export type Handler<R extends Request = Request> = (req: R) => unknown | Promise<unknown>;

type Segment = { literal: string } | { param: string; optional: boolean };

type Route = {
  method: string;
  prefixes: readonly string[];
  segments: Segment[];
  auth: AuthMode;
  handler: Handler<Request>;
};

export type Match =
  | { kind: "found"; route: Route; params: Record<string, string> }
  | { kind: "wrong-method" }
  | { kind: "none" };

function parsePattern(path: string): Segment[] {
  return path
    .split("/")
    .slice(1)
    .map((s) =>
      s.startsWith(":")
        ? { param: s.slice(1).replace(/\?$/, ""), optional: s.endsWith("?") }
        : { literal: s },
    );
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const part = parts[i];
    if ("literal" in seg) {
      if (part !== seg.literal) return undefined;
      continue;
    }
    if (part === undefined) {
      if (!seg.optional) return undefined;
      params[seg.param] = "";
      continue;
    }
    if (part === "" && !seg.optional) return undefined;
    try {
      params[seg.param] = decodeURIComponent(part);
    } catch {
      return undefined;
    }
  }
  return parts.length <= segments.length ? params : undefined;
}

/** Route table for the Client-Server API paths this server answers. */
export class Router {
  private readonly routes: Route[] = [];

  add(
    method: string,
    prefixes: readonly string[],
    path: string,
    auth: "required",
    handler: Handler<AuthedRequest>,
  ): void;
  add(
    method: string,
    prefixes: readonly string[],
    path: string,
    auth: "optional" | "none",
    handler: Handler<Request>,
  ): void;
  add(
    method: string,
    prefixes: readonly string[],
    path: string,
    auth: AuthMode,
    handler: Handler<AuthedRequest> | Handler<Request>,
  ): void {
    this.routes.push({
      method,
      prefixes,
      segments: parsePattern(path),
      auth,
      handler: handler as Handler<Request>,
    });
  }

  match(method: string, pathname: string): Match {
    let wrongMethod = false;
    for (const route of this.routes) {
      for (const prefix of route.prefixes) {
        if (!pathname.startsWith(`${prefix}/`)) continue;
        const parts = pathname.slice(prefix.length).split("/").slice(1);
        const params = matchSegments(route.segments, parts);
        if (!params) continue;
        if (route.method !== method) {
          wrongMethod = true;
          continue;
        }
        return { kind: "found", route, params };
      }
    }
    return wrongMethod ? { kind: "wrong-method" } : { kind: "none" };
  }
}

/** Reads a JSON body up to `maxBytes`; an empty body reads as `{}`. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) throw errors.tooLarge(`Body larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw errors.tooLarge(`Body larger than ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw errors.notJson(`Content not JSON: ${(e as Error).message}`);
  }
}

export function accessToken(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice("Bearer ".length).trim();
  return query.get("access_token") ?? undefined;
}

export type { MatrixError };
