// Puts several people into one call through the demo UI, the way people would: the first
// registers and creates a room, the others register and open its link.
import { Values } from "@matrix-focus/protocol";
import type { Page } from "playwright-core";
import type { BrowserSession } from "./browserSession.ts";
import {
  createRoom,
  describeTiles,
  joinCallFromLobby,
  openRoomLink,
  register,
  remoteTiles,
  type TileView,
  uniqueUsername,
} from "./demoPage.ts";
import { waitFor } from "./wait.ts";

const usermedia = Values.purposeUsermedia;

export interface Participant {
  name: string;
  page: Page;
  /** Full Matrix user id, known after registration. */
  userId: string;
}

async function userIdOf(page: Page): Promise<string> {
  const text = (await page.getByTestId("signed-in-user").textContent()) ?? "";
  return text.replace(/^Signed in as /, "").trim();
}

/**
 * Registers everyone, creates one room and joins all of them into its call. `foci` optionally
 * names, per participant, the focus to prefer in the lobby.
 */
export async function joinParticipants(
  browser: BrowserSession,
  demoUrl: string,
  names: string[],
  foci: (string | undefined)[] = [],
): Promise<{ participants: Participant[]; link: string }> {
  const participants: Participant[] = [];
  let link = "";
  for (const [i, name] of names.entries()) {
    const page = await browser.newPage(name);
    await register(page, demoUrl, uniqueUsername(name));
    const userId = await userIdOf(page);
    if (i === 0) link = await createRoom(page, "Browser test call");
    else await openRoomLink(page, link);
    await joinCallFromLobby(page, foci[i]);
    participants.push({ name, page, userId });
  }
  return { participants, link };
}

/** Waits until `page` shows exactly the given users' camera tiles as remote tiles. */
export async function waitForRemoteUsers(
  page: Page,
  userIds: string[],
  timeoutMs?: number,
): Promise<TileView[]> {
  const want = [...userIds].sort().join(",");
  return waitFor(
    `remote camera tiles of ${want}`,
    async () => {
      const remote = (await remoteTiles(page)).filter((t) => t.purpose === usermedia);
      const have = remote
        .map((t) => t.userId)
        .sort()
        .join(",");
      return have === want ? remote : undefined;
    },
    { timeoutMs, describe: () => describeTiles(page) },
  );
}

/** Remote streams as the call object reports them, with their track ids. */
export async function remoteStreamTracks(
  page: Page,
): Promise<{ id: string; userId: string; purpose: string; audio: string[]; video: string[] }[]> {
  return page.evaluate(() => {
    type Stream = { id: string; userId: string; purpose: string; mediaStream: MediaStream };
    const hooks = (
      window as unknown as { matrixFocusDemo?: { call?: { remoteStreams: Stream[] } } }
    ).matrixFocusDemo;
    return (hooks?.call?.remoteStreams ?? []).map((s) => ({
      id: s.id,
      userId: s.userId,
      purpose: s.purpose,
      audio: s.mediaStream.getAudioTracks().map((t) => t.id),
      video: s.mediaStream.getVideoTracks().map((t) => t.id),
    }));
  });
}
