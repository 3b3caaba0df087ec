// The matrix-focus command: `matrix-focus [--config focus.yaml]`, plus MATRIX_FOCUS_*
// environment variables. Exits 2 on a bad configuration (naming each field and why), 1 when
// the focus cannot start or stops by itself, 0 after a clean stop on SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { configDefaults } from "./config/defaults.ts";
import { ConfigError, loadConfig } from "./config/loadConfig.ts";
import { Focus } from "./Focus.ts";
import { createLogger } from "./observability/logger.ts";
import { lowerHelperThreads } from "./util/helperThreads.ts";
import { logTrim, startMallocTrim } from "./util/mallocTrim.ts";

const usage = `usage: matrix-focus [--config <file.yaml>]

Options come from the YAML file and MATRIX_FOCUS_* environment variables (which win).
See docs/configuration.md for every option, its default and its variable.`;

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let configFile: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: "string", short: "c" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    configFile = values.config ?? env.MATRIX_FOCUS_CONFIG;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}\n`);
    return 2;
  }
  let config: Awaited<ReturnType<typeof loadConfig>>;
  try {
    config = await loadConfig(configFile, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`matrix-focus: ${err.message}\n`);
    return 2;
  }
  const log = createLogger({ level: config.logLevel });
  // V8's compiler threads yield the core to the event loops (docs/decisions/perf-helper-threads.md)
  const helpers = lowerHelperThreads(config.helperThreadNice);
  log.info({ nice: config.helperThreadNice, ...helpers }, "V8 helper threads");
  // malloc's free pages back to the system after join bursts (docs/decisions/perf-memory.md)
  const trim = startMallocTrim(config.mallocTrimIntervalMs, logTrim(log));
  log.info({ everyMs: config.mallocTrimIntervalMs, skipped: trim.skipped }, "malloc trim");
  let stopped: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    stopped = resolve;
  });
  let focus: Focus;
  try {
    focus = await Focus.start({
      config,
      logger: log,
      onFatal: (err) => {
        log.fatal({ err: String(err) }, "the focus cannot continue");
        void focus.close().then(() => stopped(1));
      },
    });
  } catch (err) {
    log.fatal({ err: String(err) }, "the focus could not start");
    return 1;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, "second signal; exiting without waiting");
      stopped(1);
      return;
    }
    stopping = true;
    log.info({ signal }, "stopping");
    const deadline = setTimeout(() => {
      log.error({ afterMs: configDefaults.shutdownTimeoutMs }, "stopping took too long; exiting");
      stopped(1);
    }, configDefaults.shutdownTimeoutMs);
    deadline.unref();
    void focus.close().then(() => {
      clearTimeout(deadline);
      stopped(0);
    });
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  return done;
}

if (import.meta.main) {
  // Exit explicitly: media sockets and timers of a stopped focus must not keep the process up.
  process.exit(await main(process.argv.slice(2), process.env));
}
