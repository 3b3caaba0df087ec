import { z } from "zod";
import { errors } from "../http/errors.ts";
import { Prefixes, type Router } from "../http/router.ts";
import { parseBody } from "../http/validate.ts";
import { DelayedAction, type DelayedEvents } from "./DelayedEvents.ts";

const actions = Object.values(DelayedAction);
const actionBody = z.looseObject({ action: z.enum(actions) });

export function registerDelayedEventRoutes(router: Router, delayed: DelayedEvents): void {
  const prefixes = Prefixes.delayedEvents;

  router.add("POST", prefixes, "/delayed_events/:delayId", "required", (req) => {
    const body = parseBody(actionBody, req.body);
    delayed.update(req.params.delayId!, body.action, req.session.userId);
    return {};
  });

  router.add("POST", prefixes, "/delayed_events/:delayId/:action", "optional", (req) => {
    const action = req.params.action as DelayedAction;
    if (!actions.includes(action)) throw errors.unrecognized(`Unknown action ${action}`);
    // The per-action paths need no token (the delay id is the secret); with one, it must match.
    delayed.update(req.params.delayId!, action, req.session?.userId);
    return {};
  });

  router.add("GET", prefixes, "/delayed_events", "required", (req) => {
    const status = req.query.get("status") ?? undefined;
    if (status !== undefined && status !== "scheduled" && status !== "finalised") {
      throw errors.invalidParam("status must be scheduled or finalised");
    }
    return delayed.list(req.session.userId, status, req.query.getAll("delay_id"));
  });

  router.add("GET", prefixes, "/delayed_events/:delayId", "required", (req) => {
    const found = delayed.list(req.session.userId, undefined, [req.params.delayId!]);
    const scheduled = (found.scheduled as unknown[])[0];
    if (scheduled) return scheduled;
    const finalised = (found.finalised as { delayed_event: Record<string, unknown> }[])[0];
    if (finalised) return { ...finalised.delayed_event, finalised };
    throw errors.notFound(`No delayed event ${req.params.delayId}`);
  });
}
