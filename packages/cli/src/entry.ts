/**
 * The process entry of the `kopf` command (`bin/kopf.js` imports the built copy):
 * runs `main` and exits with its code. If something the operator left behind (a
 * user's interval, an open socket) would keep Node alive, the process still exits
 * shortly after the command is done.
 */
import { main } from './main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
setTimeout(() => process.exit(code), 2000).unref();
