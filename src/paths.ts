import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SRC = resolve(ROOT, 'src');
export const GOVUK_DIST = resolve(ROOT, 'node_modules/govuk-frontend/dist');
export const PUBLIC = resolve(ROOT, 'public');
