// Hooks on `window` for automated tests and debugging in the browser console:
// `matrixFocusDemo.call`, `.client`, and `.shareTestPattern()` (a canvas screen share, for
// browsers that cannot capture a real screen).
import type { Call } from "@matrix-focus/client";
import type { MatrixClient } from "matrix-js-sdk";
import { testPatternStream } from "./ui/testPattern.ts";

export interface DemoHooks {
  call: Call | undefined;
  client: MatrixClient | undefined;
  shareTestPattern(): Promise<void>;
}

declare global {
  interface Window {
    matrixFocusDemo?: DemoHooks;
  }
}

export function installTestHooks(state: { call?: Call; client?: MatrixClient }): void {
  const hooks: DemoHooks = window.matrixFocusDemo ?? {
    call: undefined,
    client: undefined,
    async shareTestPattern() {
      const call = hooks.call;
      if (call === undefined) throw new Error("not in a call");
      await call.startScreenShare(testPatternStream());
    },
  };
  if ("call" in state) hooks.call = state.call;
  if ("client" in state) hooks.client = state.client;
  window.matrixFocusDemo = hooks;
}
