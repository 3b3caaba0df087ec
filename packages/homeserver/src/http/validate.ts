import type { z } from "zod";
import { errors } from "./errors.ts";

/** Validates a parsed JSON body, turning every issue into one M_BAD_JSON reason. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const reasons = result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
    throw errors.badJson(`Invalid request body: ${reasons.join("; ")}`);
  }
  return result.data;
}
