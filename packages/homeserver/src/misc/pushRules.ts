/**
 * A small, static push rule set in the shape matrix-js-sdk expects; the server never pushes, so
 * the rules only have to parse.
 */
export function defaultPushRules() {
  return {
    global: {
      override: [
        {
          rule_id: ".m.rule.master",
          default: true,
          enabled: false,
          conditions: [],
          actions: [],
        },
      ],
      content: [],
      room: [],
      sender: [],
      underride: [],
    },
  };
}
