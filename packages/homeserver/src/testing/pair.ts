import type { MatrixClient } from "matrix-js-sdk";
import { afterEach, beforeEach } from "vitest";
import type { RunningHomeserver } from "../options.ts";
import { startHomeserver } from "../server.ts";
import { registerClient } from "./sdk.ts";

/** A fresh homeserver with two registered users, alice and bob, for each test. */
export interface HomeserverPair {
  hs: RunningHomeserver;
  alice: MatrixClient;
  bob: MatrixClient;
}

/** Starts the pair before each test of the calling file and stops it after each. */
export function useHomeserverPair(): HomeserverPair {
  const pair = {} as HomeserverPair;
  beforeEach(async () => {
    pair.hs = await startHomeserver();
    pair.alice = await registerClient(pair.hs.url, "alice");
    pair.bob = await registerClient(pair.hs.url, "bob");
  });
  afterEach(async () => {
    pair.alice.stopClient();
    pair.bob.stopClient();
    await pair.hs.close();
  });
  return pair;
}
