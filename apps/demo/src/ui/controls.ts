// The call's control bar: microphone, camera, screen share, stats, leave.
import type { Call } from "@matrix-focus/client";
import { errorText, h } from "./dom.ts";

export interface Controls {
  element: HTMLElement;
  /** Re-reads the call's state into the buttons. */
  refresh(call: Call | undefined): void;
}

export interface ControlActions {
  call(): Call | undefined;
  /** Shows or hides the stats overlay; returns whether it is now shown. */
  toggleStats(): boolean;
  leave(): void;
  reportError(text: string): void;
}

function toggle(testId: string, onClick: () => void): HTMLButtonElement {
  return h("button", { "data-testid": testId, "aria-pressed": "false", onclick: onClick });
}

export function controls(actions: ControlActions): Controls {
  const run = (what: string, f: (c: Call) => Promise<void>) => {
    const c = actions.call();
    if (c === undefined) return;
    f(c)
      .catch((e) => actions.reportError(`${what}: ${errorText(e)}`))
      .finally(() => result.refresh(actions.call()));
  };
  const mic = toggle("toggle-mic", () =>
    run("microphone", (c) => c.setMicrophoneMuted(!c.microphoneMuted)),
  );
  const camera = toggle("toggle-camera", () =>
    run("camera", (c) => c.setCameraMuted(!c.cameraMuted)),
  );
  const screen = toggle("toggle-screenshare", () =>
    run("screen share", (c) => (c.screenSharing ? c.stopScreenShare() : c.startScreenShare())),
  );
  const stats = toggle("toggle-stats", () =>
    stats.setAttribute("aria-pressed", String(actions.toggleStats())),
  );
  stats.textContent = "Stats";
  stats.classList.add("secondary");
  stats.setAttribute("aria-pressed", "true");
  const leave = h(
    "button",
    { class: "danger", "data-testid": "leave-call", onclick: () => actions.leave() },
    "Leave",
  );
  const element = h("nav", { class: "controls" }, mic, camera, screen, stats, leave);

  const result: Controls = {
    element,
    refresh(call) {
      const on = call !== undefined;
      for (const b of [mic, camera, screen]) b.disabled = !on;
      const micMuted = call?.microphoneMuted ?? false;
      const camMuted = call?.cameraMuted ?? false;
      const sharing = call?.screenSharing ?? false;
      mic.textContent = micMuted ? "Unmute microphone" : "Mute microphone";
      mic.setAttribute("aria-pressed", String(micMuted));
      camera.textContent = camMuted ? "Turn camera on" : "Turn camera off";
      camera.setAttribute("aria-pressed", String(camMuted));
      screen.textContent = sharing ? "Stop sharing" : "Share screen";
      screen.setAttribute("aria-pressed", String(sharing));
    },
  };
  result.refresh(undefined);
  return result;
}
