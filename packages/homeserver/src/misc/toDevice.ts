import { z } from "zod";
import type { Context } from "../context.ts";
import { Prefixes, type Router } from "../http/router.ts";
import { parseBody } from "../http/validate.ts";

const sendToDeviceBody = z.looseObject({
  messages: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))),
});

/** PUT /sendToDevice: queues a message per target device (`*` = all the user's devices). */
export function registerToDeviceRoutes(router: Router, ctx: Context): void {
  router.add("PUT", Prefixes.client, "/sendToDevice/:type/:txnId", "required", (req) => {
    const { userId, deviceId } = req.session;
    const kind = "sendToDevice";
    const txnId = req.params.txnId!;
    if (ctx.queues.transaction(userId, deviceId, kind, txnId) !== undefined) return {};
    const body = parseBody(sendToDeviceBody, req.body);
    let count = 0;
    ctx.db.transaction(() => {
      for (const [target, byDevice] of Object.entries(body.messages)) {
        const known = ctx.accounts.deviceIds(target);
        for (const [device, content] of Object.entries(byDevice)) {
          const devices = device === "*" ? known : known.filter((d) => d === device);
          const targets = devices.map((d) => ({ userId: target, deviceId: d }));
          ctx.queues.addToDevice(targets, userId, req.params.type!, content);
          count += targets.length;
        }
      }
      ctx.queues.rememberTransaction(userId, deviceId, kind, txnId, {});
    });
    ctx.logger.debug({ sender: userId, type: req.params.type, count }, "to-device queued");
    if (count > 0) ctx.notifier.notify();
    return {};
  });
}
