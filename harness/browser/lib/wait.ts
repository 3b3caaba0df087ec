import { browserTestDefaults } from "./defaults.ts";

/**
 * Polls `check` until it returns a value other than undefined; on timeout throws with the last
 * reason `check` gave through `describe` (what was seen instead), so failures say why.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs?: number; describe?: () => Promise<string> | string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? browserTestDefaults.waitTimeoutMs);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, browserTestDefaults.pollMs));
  }
  const seen = options.describe ? await options.describe() : "";
  const err = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
  throw new Error(`timed out waiting for ${what}${seen ? `; saw: ${seen}` : ""}${err}`);
}
