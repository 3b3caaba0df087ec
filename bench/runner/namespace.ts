// The network namespace of one benchmark script's run (bench/sut/netns.ts), with what an
// interrupted run must undo: on SIGINT or SIGTERM every child ends, the namespace goes, then
// `onStop` (e.g. the scheduler group's nice value back) and the process exits. Namespaces a
// crashed run left behind are removed first; without the rights to create one, it says so and
// exits.
import { createNetns, type Netns, removeStaleNamespaces } from "../sut/netns.ts";
import { killAllChildren } from "../sut/Sut.ts";

export function namespaceForRun(log: (line: string) => void, onStop?: () => void): Netns {
  const stale = removeStaleNamespaces();
  if (stale.length) log(`removed stale namespaces: ${stale.join(", ")}`);
  let ns: Netns;
  try {
    ns = createNetns();
  } catch (e) {
    log(`${(e as Error).message}\nThe benchmark needs root (or CAP_NET_ADMIN) and the ip command.`);
    onStop?.();
    process.exit(1);
  }
  const stop = () => {
    log("interrupted: stopping the SUT and the load generator, removing the namespace");
    killAllChildren();
    ns.close();
    onStop?.();
    process.exit(130);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return ns;
}
