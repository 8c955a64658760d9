import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawColorIcon, drawOutlineIcon } from '../../../scripts/teams/icons.js';
import { bundledSchemaPath, validateManifest } from '../../../scripts/teams/manifest-schema.js';
import { buildTeamsPackage, PLACEHOLDER_ID } from '../../../scripts/teams/package.js';
import { COMMAND_HELP, parseCommand } from '../../../src/conversation/commands.js';
import { guardNetwork, type NetworkGuard } from './network-guard.js';

const dir = new URL('../../../adapters/teams/appPackage/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as {
  $schema: string;
  manifestVersion: string;
  icons: { color: string; outline: string };
  bots: {
    botId: string;
    scopes: string[];
    supportsFiles?: boolean;
    commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[];
  }[];
};

let guard: NetworkGuard;
beforeAll(() => {
  guard = guardNetwork();
});
afterAll(() => {
  guard.restore();
  expect(guard.blocked).toEqual([]); // validation is offline
});

describe('Teams app manifest', () => {
  it('validates against the schema bundled with @microsoft/app-manifest (offline), version 1.17 or newer', async () => {
    expect(existsSync(bundledSchemaPath(manifest))).toBe(true);
    const [major, minor] = manifest.manifestVersion.split('.').map(Number);
    expect(major! * 100 + minor!).toBeGreaterThanOrEqual(117);
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/`);
    expect(await validateManifest(manifest)).toEqual([]);
  });

  it('the validator does catch mistakes', async () => {
    const broken = structuredClone(manifest) as unknown as Record<string, unknown> & typeof manifest;
    broken.bots[0]!.commandLists[0]!.commands[0]!.title = 'a title far longer than thirty-two characters';
    delete (broken as Record<string, unknown>).accentColor;
    const problems = await validateManifest(broken);
    expect(problems.join('\n')).toMatch(/title/);
    expect(problems.join('\n')).toMatch(/accentColor/);
  });

  it('declares one bot for personal chats, teams and group chats', () => {
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]!.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(manifest.bots[0]!.commandLists.flatMap((l) => l.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('lets people send the bot files in a personal chat (logs and configurations the adapter reads)', () => {
    expect(manifest.bots[0]!.supportsFiles).toBe(true);
  });

  it('lists exactly the commands the command parser knows, with their arguments', () => {
    const commands = manifest.bots[0]!.commandLists[0]!.commands;
    const parser = COMMAND_HELP.filter((c) => !c.usage.startsWith('<'));
    expect(commands.map((c) => c.title)).toEqual(parser.map((c) => c.usage.split(' ')[0]));
    for (const c of parser) {
      const title = c.usage.split(' ')[0]!;
      const required = c.usage
        .replace(/\s*\[[^\]]*\]/g, '')
        .split(' ')
        .slice(1)
        .join(' ');
      const entry = commands.find((m) => m.title === title)!;
      expect(entry.description.startsWith(required), title).toBe(true);
      // What the command menu inserts, completed with example arguments, is that command for the parser.
      const example = c.usage
        .replace(/\[[^\]]*\]/g, '')
        .replace('<host>', 'acme-dev.outsystemsenterprise.com')
        .replace(/<ip>/g, '10.0.0.2')
        .replace('<id>', 'phase1-ike-failure')
        .replace('<agent>', 'dc1-probe')
        .replace('on|off', 'on');
      expect(parseCommand(example).name, example).toBe(title);
    }
  });

  it('ships a 192x192 colour icon and a 32x32 white-on-transparent outline icon, as the generator draws them', () => {
    const color = readFileSync(new URL(manifest.icons.color, dir));
    const outline = readFileSync(new URL(manifest.icons.outline, dir));
    expect(color.equals(drawColorIcon())).toBe(true);
    expect(outline.equals(drawOutlineIcon())).toBe(true);

    const c = decodePng(color);
    expect([c.width, c.height]).toEqual([192, 192]);
    expect(c.pixels.every((p) => p[3] === 255)).toBe(true);

    const o = decodePng(outline);
    expect([o.width, o.height]).toEqual([32, 32]);
    expect(o.pixels.every(([r, g, b]) => r === 255 && g === 255 && b === 255)).toBe(true);
    expect(o.pixels.some((p) => p[3] === 0)).toBe(true);
    expect(o.pixels.some((p) => p[3] === 255)).toBe(true);
  });
});

describe('npm run teams:package', () => {
  const work = mkdtempSync(join(tmpdir(), 'teams-package-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('zips manifest.json and the icons at the top level, with the bot id from MicrosoftAppId', async () => {
    const botId = '7d3e2a91-4c5b-4f6e-8a1d-9b0c2e3f4a5b';
    const out = join(work, 'teams-app.zip');
    const result = await buildTeamsPackage({
      outFile: out,
      botId,
      version: '1.2.3',
      developer: { websiteUrl: 'https://ops.example.org/vpn' },
    });
    expect(result.placeholder).toBe(false);
    const entries = readZip(readFileSync(out));
    expect([...entries.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const packed = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Record<string, unknown> &
      typeof manifest & { developer: Record<string, string> };
    expect(packed.id).toBe(botId);
    expect(packed.bots[0]!.botId).toBe(botId);
    expect(packed.version).toBe('1.2.3');
    expect(packed.developer).toMatchObject({ websiteUrl: 'https://ops.example.org/vpn', privacyUrl: 'https://ops.example.org/vpn' });
    expect(await validateManifest(packed)).toEqual([]);
    expect(entries.get('color.png')!.equals(readFileSync(new URL('color.png', dir)))).toBe(true);

    // Reproducible: the same inputs give the same bytes.
    const again = join(work, 'again.zip');
    await buildTeamsPackage({ outFile: again, botId, version: '1.2.3', developer: { websiteUrl: 'https://ops.example.org/vpn' } });
    expect(readFileSync(again).equals(readFileSync(out))).toBe(true);
  });

  it('uses a placeholder without an app id and refuses an id that is not a GUID', async () => {
    const result = await buildTeamsPackage({ outFile: join(work, 'placeholder.zip') });
    expect(result.placeholder).toBe(true);
    expect(result.manifest.id).toBe(PLACEHOLDER_ID);
    await expect(buildTeamsPackage({ outFile: join(work, 'x.zip'), botId: 'my-bot' })).rejects.toThrow(/MicrosoftAppId must be a GUID/);
  });
});

/** Reads a zip's central directory (enough for a package of three files). */
function readZip(buf: Buffer): Map<string, Buffer> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataStart, dataStart + size);
    out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Decodes the PNGs our generator writes (8-bit RGBA, filter 0). */
function decodePng(buf: Buffer): { width: number; height: number; pixels: number[][] } {
  let p = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (p < buf.length) {
    const len = buf.readUInt32BE(p);
    const type = buf.toString('ascii', p + 4, p + 8);
    const data = buf.subarray(p + 8, p + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    p += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels: number[][] = [];
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    expect(raw[row]).toBe(0);
    for (let x = 0; x < width; x++) pixels.push([...raw.subarray(row + 1 + x * 4, row + 5 + x * 4)]);
  }
  return { width, height, pixels };
}
