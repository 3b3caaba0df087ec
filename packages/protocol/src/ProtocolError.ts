// One error type for everything that fails to parse: it lists every problem with its path,
// and, for data-channel messages, what a focus needs to answer with an error reply.
import type { z } from "zod";
import type { DataChannelErrorCodeValue } from "./names.ts";
import { kindOfValue } from "./util.ts";

/** One problem in a message: where (`content.offer.sdp`) and what (`expected string, ...`). */
export interface ProtocolIssue {
  path: string;
  message: string;
}

export interface ProtocolErrorOptions {
  /** Error code for a data-channel error reply. */
  errcode?: DataChannelErrorCodeValue;
  /** The message type the error answers, when it could be read. */
  inReplyTo?: string | null;
  /** The transaction id of the failed request, when it could be read. */
  txnId?: string;
}

export class ProtocolError extends Error {
  readonly issues: ProtocolIssue[];
  readonly errcode?: DataChannelErrorCodeValue;
  readonly inReplyTo?: string | null;
  readonly txnId?: string;

  constructor(issues: ProtocolIssue[], options: ProtocolErrorOptions = {}) {
    super(issues.map((i) => (i.path === "" ? i.message : `${i.path}: ${i.message}`)).join("; "));
    this.name = "ProtocolError";
    this.issues = issues;
    if (options.errcode !== undefined) this.errcode = options.errcode;
    if (options.inReplyTo !== undefined) this.inReplyTo = options.inReplyTo;
    if (options.txnId !== undefined) this.txnId = options.txnId;
  }
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

export function ok<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

export function fail<T>(
  issues: ProtocolIssue[],
  options: ProtocolErrorOptions = {},
): ParseResult<T> {
  return { ok: false, error: new ProtocolError(issues, options) };
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Writes a path as `content.subscribe[0].stream_id`; keys with dots are quoted: `["m.calls"]`. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && identifier.test(segment)) {
      out += out === "" ? segment : `.${segment}`;
    } else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

function describeValue(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** A short message for one zod issue (the default messages are long and vague for unions). */
function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `expected ${issue.expected}, missing`
        : `expected ${issue.expected}, received ${kindOfValue(issue.input)}`;
    case "invalid_value":
      return `expected one of ${issue.values.map(describeValue).join(", ")}`;
    case "unrecognized_keys":
      return `unexpected keys ${issue.keys.join(", ")}`;
    default:
      return issue.message;
  }
}

/** Turns a zod error into issues with paths under `prefix` (e.g. `content`). */
export function issuesFromZod(error: z.core.$ZodError, prefix = ""): ProtocolIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath(prefix, issue.path),
    message: issueMessage(issue),
  }));
}

/** Runs a schema; the result lists every issue with its path under `prefix`. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix = "",
  options: ProtocolErrorOptions = {},
): ParseResult<z.output<S>> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return ok(result.data);
  return fail(issuesFromZod(result.error, prefix), options);
}
