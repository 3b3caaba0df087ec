// Boot and navigation: sign in, then home (create/join a room) or a room's call by link.
import type { MatrixClient } from "matrix-js-sdk";
import "./style.css";
import { type DemoConfig, loadConfig } from "./config.ts";
import { joinRoom, roomName } from "./rooms.ts";
import { parseRoute, roomHash, roomLink } from "./router.ts";
import { clearSession, loadSession, type Session, saveSession, startClient } from "./session.ts";
import { installTestHooks } from "./testHooks.ts";
import { callView } from "./ui/callView.ts";
import { errorText, h, show } from "./ui/dom.ts";
import { homeView } from "./ui/homeView.ts";
import { lobbyView } from "./ui/lobbyView.ts";
import { loginView } from "./ui/loginView.ts";

const root = document.getElementById("app")!;
let config: DemoConfig;
let client: MatrixClient | undefined;
/** Closes whatever the current view holds open (preview, call). */
let closeView: () => Promise<void> | void = () => {};

function message(testId: string, text: string, ...actions: HTMLElement[]): HTMLElement {
  return h(
    "div",
    { class: "card", "data-testid": testId },
    h("p", { class: "status" }, text),
    h("div", { class: "row" }, ...actions),
  );
}

function button(testId: string, label: string, onClick: () => void): HTMLButtonElement {
  return h("button", { "data-testid": testId, onclick: onClick }, label);
}

async function ensureClient(session: Session): Promise<MatrixClient | undefined> {
  if (client !== undefined) return client;
  show(root, message("connecting-view", `Connecting to ${session.homeserverUrl} ...`));
  try {
    client = await startClient(session);
    installTestHooks({ client });
    return client;
  } catch (e) {
    clearSession();
    show(
      root,
      message(
        "connect-failed",
        `Could not connect: ${errorText(e)}`,
        button("back-to-login", "Sign in again", () => void route()),
      ),
    );
    return undefined;
  }
}

function signOut() {
  client?.stopClient();
  void client?.logout(true).catch(() => {});
  client = undefined;
  clearSession();
  window.location.hash = "#/";
  void route();
}

async function openRoom(c: MatrixClient, roomIdOrAlias: string) {
  show(root, message("room-joining", `Joining ${roomIdOrAlias} ...`));
  let roomId: string;
  try {
    roomId = await joinRoom(c, roomIdOrAlias);
  } catch (e) {
    show(
      root,
      message(
        "room-failed",
        `Could not join ${roomIdOrAlias}: ${errorText(e)}`,
        button("go-home", "Back", () => (window.location.hash = "#/")),
      ),
    );
    return;
  }
  const label = roomName(c, roomId, roomIdOrAlias);
  const showLobby = () => {
    const lobby = lobbyView(
      label,
      config.foci,
      (choice) => {
        lobby.close();
        const view = callView({
          client: c,
          roomId,
          roomLabel: label,
          link: roomLink(roomIdOrAlias),
          choice,
          onLeft: (reason) =>
            show(
              root,
              message(
                "left-view",
                reason === undefined ? "You left the call." : `The call ended (${reason}).`,
                button("rejoin", "Rejoin", showLobby),
                button("go-home", "Home", () => (window.location.hash = "#/")),
              ),
            ),
        });
        closeView = () => view.close();
        show(root, view.element);
      },
      () => (window.location.hash = "#/"),
    );
    closeView = () => lobby.close();
    show(root, lobby.element);
  };
  showLobby();
}

async function route() {
  await closeView();
  closeView = () => {};
  const session = loadSession();
  if (session === undefined) {
    show(
      root,
      loginView(config.homeserverUrl, (s) => {
        saveSession(s);
        void route();
      }),
    );
    return;
  }
  const c = await ensureClient(session);
  if (c === undefined) return;
  const r = parseRoute(window.location.hash);
  if (r.kind === "room") {
    await openRoom(c, r.roomIdOrAlias);
  } else {
    show(
      root,
      homeView(c, {
        openRoom: (room) => {
          window.location.hash = roomHash(room);
        },
        signOut,
      }),
    );
  }
}

window.addEventListener("hashchange", () => void route());
config = await loadConfig();
await route();
