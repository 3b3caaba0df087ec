// A thin client for the Matrix client-server API over fetch: JSON in and out, errors carry
// the HTTP status and the Matrix errcode. Spec: https://spec.matrix.org/v1.16/client-server-api/
import { configDefaults } from "../config/defaults.ts";

export class MatrixRequestError extends Error {
  readonly status: number;
  readonly errcode: string | undefined;
  /** From `retry_after_ms` of an M_LIMIT_EXCEEDED error. */
  readonly retryAfterMs: number | undefined;

  constructor(method: string, path: string, status: number, body: unknown) {
    const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const errcode = typeof b.errcode === "string" ? b.errcode : undefined;
    const error = typeof b.error === "string" ? b.error : "";
    super(`${method} ${path.split("?")[0]} failed: ${status} ${errcode ?? ""} ${error}`.trim());
    this.name = "MatrixRequestError";
    this.status = status;
    this.errcode = errcode;
    this.retryAfterMs = typeof b.retry_after_ms === "number" ? b.retry_after_ms : undefined;
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Send without the access token (login, register). */
  anonymous?: boolean;
  /** Abandon the request after this long, ms (default configDefaults.requestTimeoutMs). */
  timeoutMs?: number;
}

export class MatrixHttp {
  readonly baseUrl: string;
  accessToken: string | undefined;

  constructor(baseUrl: string, accessToken?: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.accessToken = accessToken;
  }

  async request<T = Record<string, unknown>>(
    method: "GET" | "POST" | "PUT",
    path: string,
    o: RequestOptions = {},
  ): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(o.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = {};
    if (o.body !== undefined) headers["content-type"] = "application/json";
    if (!o.anonymous && this.accessToken !== undefined) {
      headers.authorization = `Bearer ${this.accessToken}`;
    }
    const init: RequestInit = { method, headers };
    if (o.body !== undefined) init.body = JSON.stringify(o.body);
    const timeout = AbortSignal.timeout(o.timeoutMs ?? configDefaults.requestTimeoutMs);
    init.signal = o.signal === undefined ? timeout : AbortSignal.any([o.signal, timeout]);
    const res = await fetch(url, init);
    const text = await res.text();
    let body: unknown;
    try {
      body = text === "" ? {} : JSON.parse(text);
    } catch {
      body = { error: text.slice(0, 200) };
    }
    if (!res.ok) throw new MatrixRequestError(method, path, res.status, body);
    return body as T;
  }
}

/** Encodes one path segment (room ids, event types, transaction ids). */
export const seg = (s: string): string => encodeURIComponent(s);
