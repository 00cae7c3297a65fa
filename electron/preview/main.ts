import { startPreview } from "./preview-server.js";

// npm run preview: the popup in your browser against the demo tenant.
const p = await startPreview();
process.stdout.write(`PIM Tray preview: ${p.url}\n(the demo tenant signs in as Adele Vance; Ctrl+C to stop)\n`);
const stop = () => void p.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
