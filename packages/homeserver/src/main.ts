import { join } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { homeserverDefaults } from "./defaults.ts";
import type { RtcTransport } from "./options.ts";
import { startHomeserver } from "./server.ts";

const usage = `Usage: npm start -w @matrix-focus/homeserver -- [options]
  --port <n>          port to listen on (env HOMESERVER_PORT, default ${homeserverDefaults.cliPort})
  --host <addr>       interface (env HOMESERVER_HOST, default ${homeserverDefaults.host})
  --data-dir <dir>    where the SQLite file lives (env HOMESERVER_DATA_DIR, default ${homeserverDefaults.cliDataDir})
  --server-name <s>   server name in user ids (env HOMESERVER_SERVER_NAME, default ${homeserverDefaults.serverName})
  --rtc-transports <json>  JSON array for /rtc/transports (env HOMESERVER_RTC_TRANSPORTS)
  --no-registration   refuse new accounts`;

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    "data-dir": { type: "string" },
    "server-name": { type: "string" },
    "rtc-transports": { type: "string" },
    "no-registration": { type: "boolean" },
    help: { type: "boolean" },
  },
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}

const env = process.env;
const logger = pino({ name: "homeserver", level: env.LOG_LEVEL ?? homeserverDefaults.cliLogLevel });
const port = Number(values.port ?? env.HOMESERVER_PORT ?? homeserverDefaults.cliPort);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port: ${values.port ?? env.HOMESERVER_PORT}\n${usage}`);
  process.exit(2);
}
const dataDir = values["data-dir"] ?? env.HOMESERVER_DATA_DIR ?? homeserverDefaults.cliDataDir;
const transportsText = values["rtc-transports"] ?? env.HOMESERVER_RTC_TRANSPORTS;
let rtcTransports: RtcTransport[] = [];
if (transportsText) {
  try {
    const parsed: unknown = JSON.parse(transportsText);
    if (!Array.isArray(parsed) || !parsed.every((t) => typeof t?.type === "string")) {
      throw new Error("expected an array of objects with a string type");
    }
    rtcTransports = parsed as RtcTransport[];
  } catch (e) {
    console.error(`Invalid rtc transports: ${(e as Error).message}`);
    process.exit(2);
  }
}

const server = await startHomeserver({
  port,
  host: values.host ?? env.HOMESERVER_HOST ?? homeserverDefaults.host,
  serverName: values["server-name"] ?? env.HOMESERVER_SERVER_NAME ?? homeserverDefaults.serverName,
  databasePath: join(dataDir, homeserverDefaults.cliDatabaseFile),
  registrationOpen: !values["no-registration"],
  rtcTransports,
  logger,
}).catch((e: Error) => {
  console.error(`Could not start the homeserver: ${e.message}`);
  process.exit(1);
});
console.log(`Matrix homeserver "${server.serverName}" listening on ${server.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
