import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EVENTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'events');

/** A fresh copy of a fixture, so no test can leak a mutation into another. */
export function loadEvent(name: string): Record<string, unknown> {
  return structuredClone(JSON.parse(readFileSync(join(EVENTS_DIR, name), 'utf8')) as Record<string, unknown>);
}

/** Fixture names (`<source>/<file>.json`) under one folder of test/events. */
export function listEvents(folder: string): string[] {
  return readdirSync(join(EVENTS_DIR, folder))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => relative(EVENTS_DIR, join(EVENTS_DIR, folder, file)));
}
