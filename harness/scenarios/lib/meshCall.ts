// One conference spread over three foci, each the matrix-focus command in its own process, with
// six werift bots (two per focus) calling their own focus through Matrix (per-device
// memberships, multi_sfu: each publishes to its foci_preferred[0]). The cascading scenario test
// drives it; the helpers read what each bot receives and what crosses each link.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningHomeserver } from "@matrix-focus/homeserver";
import { DataChannelNames, type FocusRef } from "@matrix-focus/protocol";
import type { MatrixClient } from "matrix-js-sdk";
import { Bot } from "../../bots/Bot.ts";
import { createCallRoom, until, writeMembership } from "./callRoom.ts";
import {
  type FocusProcess,
  isSyncing,
  killFocus,
  startFocusProcess,
  stateOf,
} from "./focusProcess.ts";
import { startTestHomeserver } from "./focusStack.ts";
import { matrixBot, routeCallEvents } from "./matrixBot.ts";
import { MatrixUsers } from "./matrixUsers.ts";

export interface Member {
  name: string;
  client: MatrixClient;
  bot: Bot;
  focus: FocusRef;
}

interface Track {
  streamId: string;
  trackId: string;
}

export const tracksOf = (b: Bot): Track[] => [
  { streamId: b.streamId, trackId: b.audioTrackId },
  { streamId: b.streamId, trackId: b.videoTrackId },
];
export const packetsFrom = (to: Bot, from: Bot, trackId: string) =>
  to.track(from.streamId, trackId)?.packets ?? 0;
/** A track as the focus's link state names it. */
export const key = (t: Track) => `${t.streamId}/${t.trackId}`;

export class MeshCall {
  hs!: RunningHomeserver;
  focusA!: FocusProcess;
  focusB!: FocusProcess;
  focusC!: FocusProcess;
  refA!: FocusRef;
  refB!: FocusRef;
  refC!: FocusRef;
  roomId = "";
  readonly users = new MatrixUsers(() => this.hs.url);
  /** a1, a2 on focus A, b1, b2 on B, c1, c2 on C (until a test moves or removes them). */
  readonly members: Member[] = [];
  readonly #bots: Bot[] = [];
  #dir = "";
  /** The longest time this process's event loop was busy, ms (a loaded machine shows here). */
  #longestLag = 0;
  #lagTimer: ReturnType<typeof setInterval> | undefined;

  /** Starts the homeserver and the three foci, makes the room and lets every member join. */
  async start(): Promise<void> {
    this.#watchEventLoop();
    this.hs = await startTestHomeserver();
    this.#dir = await mkdtemp(join(tmpdir(), "cascade-mesh-"));
    const names = ["a1", "a2", "b1", "b2", "c1", "c2"];
    const cs = await Promise.all(names.map((n) => this.users.register(n)));
    const owner = cs[0] as MatrixClient;
    const serverName = (owner.getUserId() as string).split(":")[1] as string;
    const start = (username: string, deviceId: string) =>
      startFocusProcess({
        homeserverUrl: this.hs.url,
        serverName,
        username,
        deviceId,
        dataDir: join(this.#dir, username),
      });
    this.focusA = await start("focus-a", "FOCUSA");
    this.focusB = await start("focus-b", "FOCUSB");
    this.focusC = await start("focus-c", "FOCUSC");
    [this.refA, this.refB, this.refC] = [this.focusA.ref, this.focusB.ref, this.focusC.ref];
    await until(
      async () => (await Promise.all(this.#foci().map(isSyncing))).every(Boolean),
      "the three focus processes are syncing",
      60_000,
    );
    this.roomId = await createCallRoom(owner, {
      foci: [this.refA.userId, this.refB.userId, this.refC.userId],
      joiners: cs.slice(1),
      timeoutMs: 30_000,
    });
    const focusFor = [this.refA, this.refA, this.refB, this.refB, this.refC, this.refC];
    cs.forEach((client, i) => {
      const focus = focusFor[i] as FocusRef;
      const m: Member = {
        name: names[i] as string,
        client,
        focus,
        bot: this.botFor(client, focus),
      };
      // the member's call events go to whichever bot it has at the time
      routeCallEvents(m.client, () => m.bot);
      this.members.push(m);
    });
    for (const m of this.members) await this.writeMembership(m.client, m.focus);
    for (const m of this.members) await m.bot.join();
  }

  async stop(): Promise<void> {
    clearInterval(this.#lagTimer);
    await Promise.all(this.#bots.map((b) => b.close()));
    this.users.stopAll();
    await Promise.all(this.#foci().filter(Boolean).map(killFocus));
    await this.hs?.close();
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
  }

  /** A bot whose call events travel as to-device messages of `client`. */
  botFor(client: MatrixClient, focus: FocusRef): Bot {
    const bot = matrixBot(client, focus, {
      roomId: this.roomId,
      confId: "",
      ignoreSendErrors: true,
      receive: false,
    });
    this.#bots.push(bot);
    return bot;
  }

  /** Writes the member's per-device membership naming `focus` as its foci_preferred[0]. */
  writeMembership(client: MatrixClient, focus: FocusRef): Promise<void> {
    return writeMembership(client, this.roomId, focus);
  }

  others(m: Member): Member[] {
    return this.members.filter((x) => x !== m);
  }

  /** Every member sees every other member's stream, then subscribes to all of them. */
  async subscribeEveryone(): Promise<void> {
    await Bot.waitFor(
      // metadata may come with the answer, before the data channel that carries subscriptions
      () =>
        this.members.every(
          (m) =>
            m.bot.dataChannelOpen && this.others(m).every((o) => m.bot.metadata[o.bot.streamId]),
        ),
      "every bot is told about every other bot's stream",
      30_000,
    ).catch((e: unknown) => this.diagnosed(e));
    for (const m of this.members) m.bot.subscribeAll({ width: 320, height: 180 });
  }

  everyoneReceivesEveryone(minPackets: number): boolean {
    return this.members.every((m) =>
      this.others(m).every((o) =>
        tracksOf(o.bot).every(
          (t) => (m.bot.track(t.streamId, t.trackId)?.packets ?? 0) >= minPackets,
        ),
      ),
    );
  }

  /** Logs what each bot receives and what each link carries, then rethrows. */
  async diagnosed(err: unknown): Promise<never> {
    console.warn(`longest event-loop lag so far: ${this.#longestLag} ms`);
    for (const m of this.members) {
      const got = this.others(m).map(
        (o) => `${o.name}:${tracksOf(o.bot).map((t) => packetsFrom(m.bot, o.bot, t.trackId))}`,
      );
      console.warn(
        m.name,
        m.bot.connectionState,
        Object.keys(m.bot.metadata).length,
        got.join(" "),
      );
      const errors = m.bot.messages.filter((x) => x.type === DataChannelNames.error.stable);
      if (errors.length) console.warn(m.name, "errors:", JSON.stringify(errors));
    }
    for (const f of this.#foci()) {
      console.warn(JSON.stringify(await stateOf(f).catch((e: unknown) => String(e))));
    }
    throw err;
  }

  /** The focus's link to `to` in the room's conference, as its debug server shows it now. */
  async linkOf(focus: FocusProcess, to: FocusRef) {
    const conf = (await stateOf(focus)).links.find((c) => c.conference.roomId === this.roomId);
    return conf?.links.find(
      (l) => l.focus.userId === to.userId && l.focus.deviceId === to.deviceId,
    );
  }

  /** Packets of one track sent over the focus's link to `to` (undefined: it does not cross). */
  async sentOver(focus: FocusProcess, to: FocusRef, k: string) {
    return (await this.linkOf(focus, to))?.sent[k];
  }

  #foci(): FocusProcess[] {
    return [this.focusA, this.focusB, this.focusC];
  }

  #watchEventLoop(): void {
    let expected = Date.now() + 100;
    this.#lagTimer = setInterval(() => {
      this.#longestLag = Math.max(this.#longestLag, Date.now() - expected);
      expected = Date.now() + 100;
    }, 100);
  }
}
