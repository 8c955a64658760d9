import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { ZipFile } from 'yazl';
import { validateManifest } from './manifest-schema.js';

/**
 * `npm run teams:package`: builds dist/teams-app.zip, the Teams app package a Teams admin uploads
 * (Teams admin center > Manage apps > Upload, or Developer Portal). It holds manifest.json, color.png and
 * outline.png at the top level. The bot id comes from MicrosoftAppId; without it a placeholder id is used
 * and the package is only good for a look at the manifest. The manifest is validated against the bundled
 * schema before anything is written.
 *
 * Optional packaging variables: TEAMS_APP_ID (the Teams app id, default: the bot id),
 * TEAMS_APP_DEVELOPER_NAME, TEAMS_APP_WEBSITE_URL, TEAMS_APP_PRIVACY_URL, TEAMS_APP_TERMS_URL.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const APP_PACKAGE = resolve(HERE, '../../adapters/teams/appPackage');
export const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Fixed timestamps make the zip reproducible: same inputs, same bytes. */
const MTIME = new Date('2025-01-01T00:00:00Z');

export interface PackageOptions {
  outFile: string;
  /** The bot's Microsoft App ID (MicrosoftAppId). */
  botId?: string | undefined;
  /** The Teams app id; defaults to the bot id. */
  teamsAppId?: string | undefined;
  version?: string;
  developer?: {
    name?: string | undefined;
    websiteUrl?: string | undefined;
    privacyUrl?: string | undefined;
    termsOfUseUrl?: string | undefined;
  };
}

export interface PackageResult {
  file: string;
  manifest: Record<string, unknown>;
  placeholder: boolean;
}

export async function buildTeamsPackage(options: PackageOptions): Promise<PackageResult> {
  for (const [name, id] of [
    ['MicrosoftAppId', options.botId],
    ['TEAMS_APP_ID', options.teamsAppId],
  ] as const) {
    if (id !== undefined && !GUID.test(id)) throw new Error(`${name} must be a GUID, got "${id}"`);
  }
  const manifest = JSON.parse(readFileSync(resolve(APP_PACKAGE, 'manifest.json'), 'utf8')) as Record<string, unknown> & {
    bots: { botId: string }[];
    developer: Record<string, string>;
  };
  const botId = options.botId ?? PLACEHOLDER_ID;
  manifest.id = options.teamsAppId ?? botId;
  for (const bot of manifest.bots) bot.botId = botId;
  if (options.version) manifest.version = options.version;
  const dev = options.developer ?? {};
  if (dev.name) manifest.developer.name = dev.name;
  if (dev.websiteUrl) {
    manifest.developer.websiteUrl = dev.websiteUrl;
    manifest.developer.privacyUrl = dev.privacyUrl ?? dev.websiteUrl;
    manifest.developer.termsOfUseUrl = dev.termsOfUseUrl ?? dev.websiteUrl;
  }
  if (dev.privacyUrl) manifest.developer.privacyUrl = dev.privacyUrl;
  if (dev.termsOfUseUrl) manifest.developer.termsOfUseUrl = dev.termsOfUseUrl;

  const problems = await validateManifest(manifest);
  if (problems.length > 0) throw new Error(`manifest.json does not match its schema:\n  ${problems.join('\n  ')}`);

  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2) + '\n'), 'manifest.json', { mtime: MTIME, mode: 0o100644 });
  for (const icon of ['color.png', 'outline.png']) {
    zip.addBuffer(readFileSync(resolve(APP_PACKAGE, icon)), icon, { mtime: MTIME, mode: 0o100644 });
  }
  zip.end();
  mkdirSync(dirname(options.outFile), { recursive: true });
  await pipeline(zip.outputStream, createWriteStream(options.outFile));
  return { file: options.outFile, manifest, placeholder: botId === PLACEHOLDER_ID };
}

function emptyToUndefined(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

async function main(): Promise<void> {
  const env = process.env;
  const pkg = JSON.parse(readFileSync(resolve(HERE, '../../package.json'), 'utf8')) as { version: string };
  const result = await buildTeamsPackage({
    outFile: resolve(HERE, '../../dist/teams-app.zip'),
    botId: emptyToUndefined(env.MicrosoftAppId),
    teamsAppId: emptyToUndefined(env.TEAMS_APP_ID),
    version: pkg.version,
    developer: {
      name: emptyToUndefined(env.TEAMS_APP_DEVELOPER_NAME),
      websiteUrl: emptyToUndefined(env.TEAMS_APP_WEBSITE_URL),
      privacyUrl: emptyToUndefined(env.TEAMS_APP_PRIVACY_URL),
      termsOfUseUrl: emptyToUndefined(env.TEAMS_APP_TERMS_URL),
    },
  });
  process.stderr.write(`wrote ${result.file} (app id ${String(result.manifest.id)}, version ${String(result.manifest.version)})\n`);
  if (result.placeholder) {
    process.stderr.write(
      'warning: MicrosoftAppId is not set: the package carries a placeholder bot id; set it and run again before uploading\n',
    );
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`teams:package failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
