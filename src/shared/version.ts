import { readFileSync } from 'node:fs';

/** This build's version (package.json), for telemetry resources; src/ and dist/ sit at the same depth. */
export const SKYGUARD_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
