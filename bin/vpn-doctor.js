#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Node.js 22.13 is the first release with node:sqlite (the store) available without a flag; older ones
// would fail later with a cryptic "No such built-in module". Kept in step with `engines` in package.json.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(`vpn-doctor needs Node.js 22.13 or newer (22, 24 or 26); this is ${process.version}.\n`);
  process.exit(2);
}

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('vpn-doctor is not built yet: run `npm ci` (or `npm run build`) in the project folder.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
