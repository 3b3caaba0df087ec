import { z } from "zod";
import type { Context } from "../context.ts";
import { errors, MatrixError } from "../http/errors.ts";
import { Prefixes, Reply, type Router } from "../http/router.ts";
import { parseBody } from "../http/validate.ts";
import {
  isValidLocalpart,
  localpartOf,
  newAccessToken,
  newDeviceId,
  randomString,
} from "../ids.ts";
import { LoginType, UserIdentifierType } from "../names.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";

const registerBody = z.looseObject({
  username: z.string().optional(),
  password: z.string().optional(),
  device_id: z.string().min(1).optional(),
  initial_device_display_name: z.string().optional(),
  inhibit_login: z.boolean().optional(),
  auth: z.looseObject({ type: z.string().optional(), session: z.string().optional() }).optional(),
});

const loginBody = z.looseObject({
  type: z.string(),
  identifier: z.looseObject({ type: z.string(), user: z.string().optional() }).optional(),
  user: z.string().optional(),
  password: z.string().optional(),
  device_id: z.string().min(1).optional(),
  initial_device_display_name: z.string().optional(),
});

const displayNameBody = z.looseObject({ displayname: z.string().nullable() });

function openSession(
  ctx: Context,
  userId: string,
  deviceId: string | undefined,
  displayName: string | undefined,
) {
  const device = deviceId ?? newDeviceId();
  const token = newAccessToken();
  ctx.db.transaction(() => {
    ctx.accounts.upsertDevice(userId, device, displayName ?? null);
    ctx.accounts.addToken(token, userId, device);
  });
  return {
    user_id: userId,
    access_token: token,
    device_id: device,
    home_server: ctx.config.serverName,
  };
}

/** `@name:server` for a bare localpart or a full user id on this server. */
function userIdFor(ctx: Context, user: string): string | undefined {
  if (user.startsWith("@")) {
    return localpartOf(user, ctx.config.serverName) !== undefined ? user : undefined;
  }
  return `@${user.toLowerCase()}:${ctx.config.serverName}`;
}

export function registerAuthRoutes(
  router: Router,
  ctx: Context,
  onProfileChanged: (userId: string) => void,
): void {
  const { client } = Prefixes;

  router.add("GET", client, "/login", "none", () => ({ flows: [{ type: LoginType.password }] }));

  router.add("POST", client, "/login", "none", async (req) => {
    const body = parseBody(loginBody, req.body);
    if (body.type !== LoginType.password) {
      throw new MatrixError(400, "M_UNKNOWN", `Login type ${body.type} is not supported`);
    }
    let user = body.user;
    if (body.identifier) {
      if (body.identifier.type !== UserIdentifierType.user || !body.identifier.user) {
        throw new MatrixError(400, "M_UNKNOWN", "Only m.id.user identifiers are supported");
      }
      user = body.identifier.user;
    }
    if (!user || body.password === undefined)
      throw errors.missingParam("user and password are required");
    const userId = userIdFor(ctx, user);
    const stored = userId ? ctx.accounts.passwordHash(userId) : undefined;
    if (!userId || !stored || !(await verifyPassword(body.password, stored))) {
      throw errors.forbidden("Invalid username or password");
    }
    ctx.logger.info({ userId }, "logged in");
    return openSession(ctx, userId, body.device_id, body.initial_device_display_name);
  });

  router.add("GET", client, "/register/available", "none", (req) => {
    const username = req.query.get("username") ?? "";
    if (!isValidLocalpart(username)) throw errors.invalidUsername(`Invalid username ${username}`);
    if (ctx.accounts.userExists(`@${username}:${ctx.config.serverName}`)) throw errors.userInUse();
    return { available: true };
  });

  router.add("POST", client, "/register", "none", async (req) => {
    if (!ctx.config.registrationOpen) throw errors.forbidden("Registration is disabled");
    if ((req.query.get("kind") ?? "user") !== "user") {
      throw errors.forbidden("Guest access is disabled");
    }
    const body = parseBody(registerBody, req.body);
    const localpart =
      body.username ??
      `user_${randomString(6)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, "x")}`;
    if (!isValidLocalpart(localpart)) {
      throw errors.invalidUsername(
        "User ID may only contain a-z, 0-9, '.', '_', '=', '-', '/' and '+'",
      );
    }
    const userId = `@${localpart}:${ctx.config.serverName}`;
    if (ctx.accounts.userExists(userId)) throw errors.userInUse();
    if (body.auth?.type !== LoginType.dummy) {
      return new Reply(401, {
        session: body.auth?.session ?? randomString(12),
        flows: [{ stages: [LoginType.dummy] }],
        params: {},
      });
    }
    if (body.password === undefined) throw errors.missingParam("password is required");
    const hash = await hashPassword(body.password);
    if (ctx.accounts.userExists(userId)) throw errors.userInUse();
    ctx.accounts.createUser(userId, hash, ctx.clock.now());
    ctx.accounts.setDisplayName(userId, localpart);
    ctx.logger.info({ userId }, "registered");
    if (body.inhibit_login) return { user_id: userId, home_server: ctx.config.serverName };
    return openSession(ctx, userId, body.device_id, body.initial_device_display_name);
  });

  router.add("GET", client, "/account/whoami", "required", (req) => ({
    user_id: req.session.userId,
    device_id: req.session.deviceId,
    is_guest: false,
  }));

  router.add("POST", client, "/logout", "required", (req) => {
    ctx.accounts.deleteDevice(req.session.userId, req.session.deviceId);
    return {};
  });

  router.add("POST", client, "/logout/all", "required", (req) => {
    for (const device of ctx.accounts.deviceIds(req.session.userId)) {
      ctx.accounts.deleteDevice(req.session.userId, device);
    }
    return {};
  });

  router.add("GET", client, "/devices", "required", (req) => ({
    devices: ctx.accounts.devices(req.session.userId).map((d) => ({
      device_id: d.device_id,
      display_name: d.display_name ?? undefined,
    })),
  }));

  const profile = (userId: string) => {
    if (!ctx.accounts.userExists(userId)) throw errors.notFound(`Unknown user ${userId}`);
    const displayname = ctx.accounts.displayName(userId);
    return displayname !== undefined ? { displayname } : {};
  };

  router.add("GET", client, "/profile/:userId", "optional", (req) => profile(req.params.userId!));
  router.add("GET", client, "/profile/:userId/displayname", "optional", (req) =>
    profile(req.params.userId!),
  );
  router.add("PUT", client, "/profile/:userId/displayname", "required", (req) => {
    if (req.params.userId !== req.session.userId) {
      throw errors.forbidden("You may only change your own display name");
    }
    const body = parseBody(displayNameBody, req.body);
    ctx.accounts.setDisplayName(req.session.userId, body.displayname);
    onProfileChanged(req.session.userId);
    return {};
  });
}
