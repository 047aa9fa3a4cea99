// Compiles the stylesheet into public/. Runs after every `npm ci` (the prepare script).
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as sass from 'sass';
import { PUBLIC, SRC } from '../src/paths.js';

const result = sass.compile(resolve(SRC, 'assets/saferplan.scss'), {
  style: 'compressed',
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
});
mkdirSync(PUBLIC, { recursive: true });
writeFileSync(resolve(PUBLIC, 'saferplan.css'), result.css);
console.log(`Built public/saferplan.css (${Math.round(result.css.length / 1024)} KiB)`);
