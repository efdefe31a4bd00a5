// Pre-script of `npm start` and `npm test`: runs `npm ci` when node_modules is missing or older
// than package-lock.json, so a fresh clone needs nothing installed beforehand but Node and npm.
import { existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  console.error('[setup] installing dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
