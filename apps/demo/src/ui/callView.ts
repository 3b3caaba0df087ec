// The call: a grid of tiles (one large: pinned, screen share or speaker), the control bar, the
// connection state and per-tile stats. All call logic is in @matrix-focus/client.

import { type Call, type CallOptions, joinCall, type RemoteStream } from "@matrix-focus/client";
import { Values } from "@matrix-focus/protocol";
import type { MatrixClient } from "matrix-js-sdk";
import { demoDefaults } from "../defaults.ts";
import { cameraConstraints } from "../media.ts";
import { roomName } from "../rooms.ts";
import { installTestHooks } from "../testHooks.ts";
import { AudioLevels } from "./audioLevels.ts";
import { controls } from "./controls.ts";
import { errorText, h } from "./dom.ts";
import { chooseLargeTile } from "./layout.ts";
import type { LobbyChoice } from "./lobbyView.ts";
import { Tile } from "./tile.ts";

const localTileId = "local";

export interface CallViewOptions {
  client: MatrixClient;
  roomId: string;
  roomLabel: string;
  link: string;
  choice: LobbyChoice;
  /** Called after the call ended: left by the user (no reason) or ended otherwise. */
  onLeft(reason?: string): void;
}

export interface CallView {
  element: HTMLElement;
  close(): Promise<void>;
}

function callOptions(choice: LobbyChoice): CallOptions {
  const options: CallOptions = {
    audio: choice.microphoneId ? { deviceId: { exact: choice.microphoneId } } : true,
    video: cameraConstraints(choice.cameraId),
  };
  if (choice.focus) options.foci = [{ ...choice.focus }];
  return options;
}

export function callView(o: CallViewOptions): CallView {
  const tiles = new Map<string, Tile>();
  let call: Call | undefined;
  let pinned: string | undefined;
  let statsVisible = true;
  let closed = false;
  const unsubscribes: (() => void)[] = [];

  const state = h("span", { class: "state", "data-testid": "call-state", "data-state": "joining" });
  state.textContent = "joining";
  const roomTitle = h("strong", { "data-testid": "call-room" }, o.roomLabel);
  const focusText = h("span", { class: "focus", "data-testid": "call-focus" });
  const errors = h("ul", { class: "errors", "data-testid": "call-errors" });
  const grid = h("section", { class: "grid", "data-testid": "call-grid" });
  const levels = new AudioLevels(() => layout());

  const reportError = (text: string) => {
    errors.prepend(h("li", {}, `${new Date().toLocaleTimeString()} ${text}`));
    while (errors.children.length > 5) errors.lastElementChild?.remove();
  };
  const bar = controls({
    call: () => call,
    toggleStats: () => {
      statsVisible = !statsVisible;
      void refreshStats();
      return statsVisible;
    },
    leave: () => void leave(),
    reportError,
  });

  const displayName = (userId: string): string =>
    o.client.getRoom(o.roomId)?.getMember(userId)?.name ?? userId;

  const togglePin = (id: string) => {
    pinned = pinned === id ? undefined : id;
    layout();
  };

  const ensureTile = (id: string, make: () => Tile): Tile => {
    let tile = tiles.get(id);
    if (tile === undefined) {
      tile = make();
      tiles.set(id, tile);
      grid.append(tile.element);
    }
    return tile;
  };

  const removeTile = (id: string) => {
    const tile = tiles.get(id);
    if (tile === undefined) return;
    if (!tile.info.local) call?.detach(tile.video);
    levels.unwatch(id);
    tile.element.remove();
    tiles.delete(id);
    if (pinned === id) pinned = undefined;
  };

  const chooseLarge = (): string | undefined =>
    chooseLargeTile(
      [...tiles.values()].map((t) => ({
        id: t.info.streamId,
        local: t.info.local,
        screenShare: t.info.purpose === Values.purposeScreenshare,
      })),
      pinned,
      levels.speaker,
    );

  function layout() {
    const large = chooseLarge();
    for (const [id, tile] of tiles) {
      tile.setSize(id === large ? "large" : "small", id === pinned);
      const level = levels.level(id);
      tile.setSpeaking(levels.speaker === id, level);
    }
    grid.dataset.tiles = String(tiles.size);
  }

  const syncRemote = (streams: RemoteStream[]) => {
    const seen = new Set<string>();
    for (const s of streams) {
      seen.add(s.id);
      const tile = ensureTile(s.id, () => {
        const t = new Tile(
          {
            streamId: s.id,
            userId: s.userId,
            deviceId: s.deviceId,
            purpose: s.purpose,
            local: false,
          },
          s.purpose === Values.purposeScreenshare
            ? `${displayName(s.userId)} (screen)`
            : displayName(s.userId),
          () => togglePin(s.id),
        );
        call?.attach(s.id, t.video);
        return t;
      });
      tile.update(s);
      levels.watch(s.id, s.mediaStream);
    }
    for (const id of [...tiles.keys()]) {
      if (id !== localTileId && !seen.has(id)) removeTile(id);
    }
    layout();
  };

  const syncLocal = (c: Call) => {
    const tile = ensureTile(
      localTileId,
      () =>
        new Tile(
          {
            streamId: localTileId,
            userId: o.client.getUserId() ?? "",
            deviceId: o.client.getDeviceId() ?? "",
            purpose: Values.purposeUsermedia,
            local: true,
          },
          `${displayName(o.client.getUserId() ?? "")} (you)`,
          () => togglePin(localTileId),
        ),
    );
    if (tile.video.srcObject !== c.localStream) tile.video.srcObject = c.localStream;
    tile.setMuted(c.microphoneMuted, c.cameraMuted);
    layout();
  };

  const showState = (s: string, reason?: string) => {
    state.dataset.state = s;
    state.textContent = reason ? `${s} (${reason})` : s;
  };

  async function refreshStats() {
    const c = call;
    if (c === undefined) return;
    // Screen sharing can also start or stop outside the buttons (test hook, browser UI).
    bar.refresh(c);
    // A room joined by link learns its name with a later sync.
    roomTitle.textContent = roomName(o.client, o.roomId, o.roomLabel);
    for (const [id, tile] of tiles) {
      if (tile.info.local) {
        tile.showLocalStats(statsVisible);
        continue;
      }
      const remote = c.remoteStreams.find((r) => r.id === id);
      if (remote) levels.watch(id, remote.mediaStream);
      try {
        tile.showStats(await c.getStats(id), statsVisible);
      } catch (e) {
        tile.showStats(undefined, statsVisible);
        reportError(`stats: ${errorText(e)}`);
      }
    }
  }
  const statsTimer = setInterval(() => void refreshStats(), demoDefaults.statsIntervalMs);

  async function leave(endedBecause?: string) {
    const c = call;
    call = undefined;
    bar.refresh(undefined);
    showState("leaving");
    try {
      await c?.leave();
    } catch (e) {
      reportError(`leave: ${errorText(e)}`);
    }
    await close();
    o.onLeft(endedBecause);
  }

  async function close() {
    if (closed) return;
    closed = true;
    clearInterval(statsTimer);
    for (const u of unsubscribes) u();
    for (const id of [...tiles.keys()]) removeTile(id);
    levels.close();
    if (call !== undefined) {
      const c = call;
      call = undefined;
      await c.leave().catch(() => {});
    }
  }

  const start = async () => {
    try {
      const c = await joinCall(o.client, o.roomId, callOptions(o.choice));
      if (closed) {
        await c.leave();
        return;
      }
      call = c;
      installTestHooks({ call: c, client: o.client });
      unsubscribes.push(
        c.on("stateChanged", (s, reason) => {
          showState(s, reason);
          if (s === "ended" && call !== undefined) void leave(reason ?? "ended");
        }),
        c.on("streamsChanged", (streams) => syncRemote(streams)),
        c.on("localStreamChanged", () => syncLocal(c)),
        c.on("focusChanged", (f) => {
          focusText.textContent = `focus ${f.user_id} (${f.device_id})`;
        }),
        c.on("error", (e) => reportError(errorText(e))),
      );
      showState(c.state);
      if (c.focus) focusText.textContent = `focus ${c.focus.user_id} (${c.focus.device_id})`;
      if (o.choice.microphoneMuted) await c.setMicrophoneMuted(true);
      if (o.choice.cameraMuted) await c.setCameraMuted(true);
      syncLocal(c);
      syncRemote(c.remoteStreams);
      bar.refresh(c);
    } catch (e) {
      showState("failed", errorText(e));
      reportError(`join: ${errorText(e)}`);
    }
  };
  void start();

  const element = h(
    "div",
    { class: "call", "data-testid": "call-view" },
    h(
      "header",
      { class: "bar" },
      roomTitle,
      state,
      focusText,
      h("a", { href: o.link, "data-testid": "share-link", title: "Share this link" }, "Call link"),
    ),
    grid,
    bar.element,
    errors,
  );
  return { element, close };
}
