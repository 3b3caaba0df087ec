// The network namespace of one benchmark script's run (bench/sut/netns.ts), with what an
// interrupted run must undo: on SIGINT or SIGTERM every child ends, the namespace goes, then
// `onStop` (e.g. the scheduler group's nice value back) and the process exits.
import { createNetns, type Netns, removeStaleNamespaces } from "../sut/netns.ts";
import { killAllChildren } from "../sut/Sut.ts";

export function namespaceForRun(onStop: () => void = () => {}): Netns {
  removeStaleNamespaces();
  const ns = createNetns();
  const stop = () => {
    killAllChildren();
    ns.close();
    onStop();
    process.exit(130);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return ns;
}
