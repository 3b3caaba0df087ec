// Reads the JSON examples in packages/protocol/fixtures (tests only; not exported).
import { readdirSync, readFileSync } from "node:fs";

const dir = new URL("../../fixtures/", import.meta.url);

export function loadFixture(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, dir), "utf8")) as Record<string, unknown>;
}

/** The raw text of a fixture, as it would arrive on a data channel. */
export function loadFixtureText(file: string): string {
  return JSON.stringify(loadFixture(file));
}

export function fixtureFiles(prefix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith(".json"))
    .sort();
}

/** A to-device or state event fixture: `{type, content, ...}`. */
export function loadEventFixture(file: string): {
  type: string;
  content: Record<string, unknown>;
  state_key?: string;
  sender: string;
  origin_server_ts?: number;
} {
  return loadFixture(file) as ReturnType<typeof loadEventFixture>;
}
