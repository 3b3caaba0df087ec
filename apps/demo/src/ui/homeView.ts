// Create a call room, or join one by alias, id or link.
import type { MatrixClient } from "matrix-js-sdk";
import { createCallRoom } from "../rooms.ts";
import { roomFromInput } from "../router.ts";
import { errorText, h } from "./dom.ts";

export interface HomeViewActions {
  openRoom(roomIdOrAlias: string): void;
  signOut(): void;
}

export function homeView(client: MatrixClient, actions: HomeViewActions): HTMLElement {
  const status = h("p", { class: "status", "data-testid": "home-status", role: "status" });

  const name = h("input", { required: true, "data-testid": "create-room-name", value: "Call" });
  const alias = h("input", {
    "data-testid": "create-room-alias",
    placeholder: "optional, e.g. standup",
    pattern: "[a-z0-9._=\\-]*",
  });
  const createButton = h("button", { type: "submit", "data-testid": "create-room" }, "Create room");
  const createForm = h(
    "form",
    { class: "card" },
    h("h2", {}, "Start a call in a new room"),
    h("label", {}, "Room name", name),
    h("label", {}, "Alias (optional)", alias),
    createButton,
  );
  createForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    createButton.disabled = true;
    status.textContent = "Creating the room ...";
    createCallRoom(client, name.value.trim() || "Call", alias.value.trim())
      .then((room) => actions.openRoom(room))
      .catch((e) => {
        status.textContent = `Could not create the room: ${errorText(e)}`;
        createButton.disabled = false;
      });
  });

  const target = h("input", {
    required: true,
    "data-testid": "join-room-input",
    placeholder: "#room:server, !id:server or a link",
  });
  const joinForm = h(
    "form",
    { class: "card" },
    h("h2", {}, "Join a call"),
    h("label", {}, "Room alias, id or link", target),
    h("button", { type: "submit", "data-testid": "join-room" }, "Join"),
  );
  joinForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const room = roomFromInput(target.value);
    if (room) actions.openRoom(room);
  });

  return h(
    "div",
    { class: "home", "data-testid": "home-view" },
    h(
      "header",
      { class: "bar" },
      h("span", { "data-testid": "signed-in-user" }, `Signed in as ${client.getUserId()}`),
      h(
        "button",
        { class: "secondary", "data-testid": "sign-out", onclick: () => actions.signOut() },
        "Sign out",
      ),
    ),
    createForm,
    joinForm,
    status,
  );
}
