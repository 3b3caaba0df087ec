// Starts the whole stack (homeserver in memory, foci as child processes, the demo bundle) on
// free ports for one test file, with the focus logs written to test-results/.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Stack, startStack } from "../../stack/Stack.ts";
import { browserTestDefaults } from "./defaults.ts";

export interface TestStack extends Stack {
  /** Removes the temporary data too. */
  close(): Promise<void>;
}

export async function startTestStack(name: string, options: { foci?: number } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "matrix-focus-browser-"));
  mkdirSync(browserTestDefaults.resultsDir, { recursive: true });
  const logFile = join(browserTestDefaults.resultsDir, `${name}.stack.log`);
  rmSync(logFile, { force: true });
  const write = (line: string) => appendFileSync(logFile, `${line}\n`);
  const stack = await startStack({
    databasePath: ":memory:",
    fociDataDir: dataDir,
    foci: options.foci ?? 1,
    focusLogLevel: process.env.FOCUS_LOG_LEVEL || undefined,
    log: (line) => write(`[stack] ${line}`),
    onFocusOutput: (i, line) => write(`[focus${i + 1}] ${line}`),
  });
  for (const m of stack.missing) write(`[stack] NOT RUNNING: ${m}`);
  const close = async () => {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { ...stack, close } satisfies TestStack;
}
