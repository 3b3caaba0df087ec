// Fails early, with a reason, when the scripts run on a Node older than the project needs.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(
    `matrix-focus needs Node >= 24 (this is ${process.versions.node}). ` +
      "Run it through npm (npm start / npm test), which uses the Node 24 from node_modules/.bin.",
  );
  process.exit(1);
}
