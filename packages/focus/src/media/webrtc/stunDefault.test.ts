import { describe, expect, it } from "vitest";
import { Connection } from "werift";
import { useConfiguredStunOnly } from "./stunDefault.ts";

type WithStun = { stunServer?: [string, number] };

describe("useConfiguredStunOnly", () => {
  it("leaves werift's ICE agent without a STUN server unless one is configured", async () => {
    useConfiguredStunOnly();
    const none = new Connection(true, {});
    const given = new Connection(true, { stunServer: ["192.0.2.1", 3478] });
    expect((none as unknown as WithStun).stunServer).toBeUndefined();
    expect((given as unknown as WithStun).stunServer).toEqual(["192.0.2.1", 3478]);
    await Promise.all([none.close(), given.close()]);
  });
});
