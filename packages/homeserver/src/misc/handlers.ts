import { z } from "zod";
import type { Context } from "../context.ts";
import { advertisedVersions, availableRoomVersions } from "../defaults.ts";
import { errors } from "../http/errors.ts";
import { type AuthedRequest, Prefixes, type Router } from "../http/router.ts";
import { parseBody } from "../http/validate.ts";
import { Capability, DelayedEventsMsc, RtcTransportsMsc, WellKnownKey } from "../names.ts";
import { defaultPushRules } from "./pushRules.ts";

const objectBody = z.record(z.string(), z.unknown());

export function registerMiscRoutes(router: Router, ctx: Context): void {
  const { client } = Prefixes;

  router.add("GET", Prefixes.root, "/versions", "none", () => ({
    versions: advertisedVersions,
    unstable_features: { [DelayedEventsMsc.feature]: true, [RtcTransportsMsc.feature]: true },
  }));

  router.add("GET", Prefixes.wellKnown, "/client", "none", () => ({
    [WellKnownKey.homeserver]: { base_url: ctx.config.baseUrl },
    ...(ctx.config.rtcTransports.length > 0
      ? { [RtcTransportsMsc.wellKnownKey]: ctx.config.rtcTransports }
      : {}),
  }));

  router.add("GET", client, "/capabilities", "required", () => ({
    capabilities: {
      [Capability.changePassword]: { enabled: false },
      [Capability.setDisplayname]: { enabled: true },
      [Capability.setAvatarUrl]: { enabled: false },
      [Capability.thirdPartyIdChanges]: { enabled: false },
      [Capability.roomVersions]: {
        default: ctx.config.roomVersion,
        available: Object.fromEntries(availableRoomVersions.map((v) => [v, "stable"])),
      },
    },
  }));

  router.add("GET", client, "/pushrules/", "required", () => defaultPushRules());
  router.add("GET", client, "/pushrules", "required", () => defaultPushRules());

  const ownUser = (req: AuthedRequest) => {
    if (req.params.userId !== req.session.userId) {
      throw errors.forbidden("You may only act for your own user");
    }
    return req.session.userId;
  };

  router.add("POST", client, "/user/:userId/filter", "required", (req) => ({
    filter_id: ctx.queues.addFilter(ownUser(req), parseBody(objectBody, req.body)),
  }));

  router.add("GET", client, "/user/:userId/filter/:filterId", "required", (req) => {
    const filter = ctx.queues.filter(ownUser(req), req.params.filterId!);
    if (filter === undefined) throw errors.notFound("No such filter");
    return filter;
  });

  const putAccountData = (req: AuthedRequest, roomId: string) => {
    ctx.queues.setAccountData(
      ownUser(req),
      roomId,
      req.params.type!,
      parseBody(objectBody, req.body),
    );
    ctx.notifier.notify();
    return {};
  };
  const getAccountData = (req: AuthedRequest, roomId: string) => {
    const content = ctx.queues.accountData(ownUser(req), roomId, req.params.type!);
    if (content === undefined) throw errors.notFound("Account data not found");
    return content;
  };
  router.add("PUT", client, "/user/:userId/account_data/:type", "required", (req) =>
    putAccountData(req, ""),
  );
  router.add("GET", client, "/user/:userId/account_data/:type", "required", (req) =>
    getAccountData(req, ""),
  );
  router.add("PUT", client, "/user/:userId/rooms/:roomId/account_data/:type", "required", (req) =>
    putAccountData(req, req.params.roomId!),
  );
  router.add("GET", client, "/user/:userId/rooms/:roomId/account_data/:type", "required", (req) =>
    getAccountData(req, req.params.roomId!),
  );

  router.add("GET", client, "/voip/turnServer", "required", () => ctx.config.turnServer ?? {});

  router.add("GET", Prefixes.rtc, "/rtc/transports", "required", () => ({
    rtc_transports: ctx.config.rtcTransports,
  }));

  router.add("PUT", client, "/presence/:userId/status", "required", () => ({}));
  router.add("GET", client, "/presence/:userId/status", "required", () => ({
    presence: "online",
  }));
}
