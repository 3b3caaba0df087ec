import { demoDefaults } from "./defaults.ts";

/** Camera constraints: the chosen device (if any) at the demo's preferred size. */
export function cameraConstraints(deviceId: string | undefined): MediaTrackConstraints {
  const { width, height } = demoDefaults.camera;
  return {
    width: { ideal: width },
    height: { ideal: height },
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
  };
}
