// Before joining: camera and microphone preview, device pickers, start muted or not.
import { cameraConstraints } from "../media.ts";
import { errorText, h } from "./dom.ts";

/** A focus the page may offer as the preferred one (from /config.json). */
export interface FocusChoice {
  type: string;
  user_id: string;
  device_id: string;
}

export interface LobbyChoice {
  /** The focus to prefer; undefined = the homeserver's advertised foci. */
  focus: FocusChoice | undefined;
  cameraId: string | undefined;
  microphoneId: string | undefined;
  microphoneMuted: boolean;
  cameraMuted: boolean;
}

export interface Lobby {
  element: HTMLElement;
  /** Stops the preview (the call opens the devices itself). */
  close(): void;
}

function deviceSelect(testId: string, label: string): HTMLSelectElement {
  return h("select", { "data-testid": testId, "aria-label": label });
}

function fillSelect(select: HTMLSelectElement, devices: MediaDeviceInfo[], current?: string) {
  select.replaceChildren(
    ...devices.map((d, i) => h("option", { value: d.deviceId }, d.label || `${d.kind} ${i + 1}`)),
  );
  if (current !== undefined) select.value = current;
}

export function lobbyView(
  roomLabel: string,
  foci: FocusChoice[],
  onJoin: (choice: LobbyChoice) => void,
  onBack: () => void,
): Lobby {
  const preview = h("video", {
    autoplay: true,
    playsinline: true,
    muted: true,
    "data-testid": "lobby-preview",
  });
  preview.muted = true;
  const cameras = deviceSelect("camera-select", "Camera");
  const microphones = deviceSelect("microphone-select", "Microphone");
  const focusSelect = h(
    "select",
    { "data-testid": "focus-select", "aria-label": "Focus" },
    h("option", { value: "" }, "Homeserver's choice"),
    ...foci.map((f, i) => h("option", { value: String(i) }, `${f.user_id} (${f.device_id})`)),
  );
  const micMuted = h("input", { type: "checkbox", "data-testid": "lobby-mic-muted" });
  const camMuted = h("input", { type: "checkbox", "data-testid": "lobby-camera-muted" });
  const status = h("p", { class: "status", "data-testid": "lobby-status", role: "status" });
  let stream: MediaStream | undefined;
  let closed = false;

  const stopPreview = () => {
    for (const t of stream?.getTracks() ?? []) t.stop();
    stream = undefined;
    preview.srcObject = null;
  };

  const openPreview = async () => {
    stopPreview();
    status.textContent = "Opening camera and microphone ...";
    try {
      const s = await navigator.mediaDevices.getUserMedia({
        video: cameraConstraints(cameras.value || undefined),
        audio: microphones.value ? { deviceId: { exact: microphones.value } } : true,
      });
      if (closed) {
        for (const t of s.getTracks()) t.stop();
        return;
      }
      stream = s;
      preview.srcObject = s;
      const devices = await navigator.mediaDevices.enumerateDevices();
      const videoId = s.getVideoTracks()[0]?.getSettings().deviceId;
      const audioId = s.getAudioTracks()[0]?.getSettings().deviceId;
      fillSelect(
        cameras,
        devices.filter((d) => d.kind === "videoinput"),
        videoId,
      );
      fillSelect(
        microphones,
        devices.filter((d) => d.kind === "audioinput"),
        audioId,
      );
      status.textContent = "Ready to join.";
      status.dataset.ready = "true";
    } catch (e) {
      status.textContent = `Camera or microphone unavailable: ${errorText(e)}`;
    }
  };
  cameras.addEventListener("change", () => void openPreview());
  microphones.addEventListener("change", () => void openPreview());
  void openPreview();

  const joinButton = h("button", { "data-testid": "join-call" }, "Join call");
  joinButton.addEventListener("click", () => {
    const choice: LobbyChoice = {
      focus: focusSelect.value === "" ? undefined : foci[Number(focusSelect.value)],
      cameraId: cameras.value || undefined,
      microphoneId: microphones.value || undefined,
      microphoneMuted: micMuted.checked,
      cameraMuted: camMuted.checked,
    };
    onJoin(choice);
  });

  const element = h(
    "div",
    { class: "card lobby", "data-testid": "lobby-view" },
    h("h2", {}, `Join the call in ${roomLabel}`),
    preview,
    h("label", {}, "Camera", cameras),
    h("label", {}, "Microphone", microphones),
    foci.length > 1 && h("label", {}, "Preferred focus", focusSelect),
    h("label", { class: "inline" }, micMuted, "Join with microphone off"),
    h("label", { class: "inline" }, camMuted, "Join with camera off"),
    h(
      "div",
      { class: "row" },
      joinButton,
      h("button", { class: "secondary", "data-testid": "lobby-back", onclick: onBack }, "Back"),
    ),
    status,
  );
  return {
    element,
    close: () => {
      closed = true;
      stopPreview();
    },
  };
}
