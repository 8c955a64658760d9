import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';

/**
 * Offline validation of the Teams app manifest against the JSON schema bundled with
 * @microsoft/app-manifest (a devDependency: packaging and tests only). The schema is read from the
 * package's own folder and handed to its ajv-based validator explicitly, so nothing is ever fetched.
 */

const SCHEMA_URL = /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/(v\d+\.\d+)\/MicrosoftTeams\.schema\.json$/;

export function bundledSchemaPath(manifest: { $schema?: unknown }): string {
  const m = typeof manifest.$schema === 'string' ? SCHEMA_URL.exec(manifest.$schema) : null;
  if (!m) throw new Error(`manifest $schema is not a Teams manifest schema URL: ${String(manifest.$schema)}`);
  const root = dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json'));
  return join(root, 'build', 'json-schemas', 'teams', m[1]!, 'MicrosoftTeams.schema.json');
}

/** Returns the schema violations (empty when valid). */
export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  // The published schemas contain "\a" escapes that are not JSON; the package's own loader does the same fix.
  const text = readFileSync(bundledSchemaPath(manifest), 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  const schema = JSON.parse(text) as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
  return AppManifestUtils.validateAgainstSchema(
    manifest as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0],
    schema,
  );
}
