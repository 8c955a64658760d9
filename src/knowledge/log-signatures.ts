import { z } from 'zod';

/**
 * The log signature catalogue (`knowledge/log-signatures.yaml`): what a line of a VPN device's log means,
 * as data. The finding codes and their topics are the stable contract of the evidence engine (GUIDE.md,
 * "Stable contracts"); a signature names one of them, or marks a normal event, or only informs.
 */

export const LOG_FAMILIES = [
  'strongswan',
  'libreswan',
  'cisco-asa',
  'cisco-ios',
  'paloalto',
  'fortigate',
  'juniper-srx',
  'racoon',
  'meraki',
  'mikrotik',
  'sonicwall',
  'checkpoint',
  'azure',
  'aws',
  'watchguard',
] as const;
export type LogFamily = (typeof LOG_FAMILIES)[number];

/** Finding code -> topic id. Never rename a code: scripts match on them. */
export const LOG_FINDING_TOPICS = {
  'ike-proposal-mismatch': 'phase1-ike-failure',
  'ike-no-response': 'phase1-behind-nat',
  'psk-mismatch': 'phase1-ike-failure',
  'ike-id-mismatch': 'phase1-behind-nat',
  'child-proposal-mismatch': 'phase2-ipsec-failure',
  'pfs-mismatch': 'phase2-ipsec-failure',
  'traffic-selector-mismatch': 'phase2-ipsec-failure',
  'esp-not-received': 'phase2-ipsec-failure',
  'dpd-peer-dead': 'dpd-idle-instability',
  'idle-teardown': 'dpd-idle-instability',
  'rekey-collision': 'ikev2-hourly-drop',
  'lifetime-mismatch': 'phase1-ike-failure',
  'asymmetric-drop': 'asymmetric-routing',
} as const;
export type LogFindingCode = keyof typeof LOG_FINDING_TOPICS;
export const LOG_FINDING_CODES = Object.keys(LOG_FINDING_TOPICS) as LogFindingCode[];

/**
 * What a line tells the timeline beyond its code; the analyser's rules use these (an SA that was up and then
 * went down, retransmissions that end in giving up, a proposal list to compare with the policy).
 */
export const LOG_EVENTS = [
  'ike-up', // phase 1 / IKE SA established
  'ike-was-up', // a later line proves phase 1 had been established (its deletion names an established state)
  'child-up', // phase 2 / CHILD SA established
  'rekey', // a rekey completed (normal)
  'rekey-start', // a rekey request sent or started (a "no proposal chosen" soon after is about the rekey)
  'dpd-ok', // a dead peer detection exchange answered
  'down', // a tunnel or SA went down (cause not in this line)
  'retransmit', // a request sent again: no answer yet
  'give-up', // the sender gave up waiting for answers (no response, or DPD when the SA was up)
  'rekey-fail', // a CHILD/IKE rekey failed (what failed is in other lines)
  'nat', // NAT detected: kernel-libipsec and many devices say so even without a NAT; never a fault alone
  'proposal', // carries proposals (received, configured, sent)
  'selectors', // carries traffic selectors
  'initiate', // starts a negotiation
  'no-proposal', // "no proposal chosen" whose phase is decided by the lines around it
  'counters', // ipsec SA counters (encaps/decaps; packets or bytes, per direction)
  'lifetime', // an SA lifetime proposed and/or accepted (named groups lifeProposed, lifeAccepted)
] as const;
export type LogEvent = (typeof LOG_EVENTS)[number];

const text = z.string().trim().min(1, 'must not be empty');
const kebab = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case');

/** A JavaScript regular expression that compiles (matched case-insensitively). */
const pattern = z
  .string()
  .min(1, 'must not be empty')
  .superRefine((src, ctx) => {
    try {
      new RegExp(src, 'i');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `does not compile as a regular expression: ${(err as Error).message}` });
    }
  });

export const LogSignatureSchema = z
  .strictObject({
    id: kebab,
    /** One family, a list, or `any` (message texts that several vendors share, e.g. IKEv2 notify names). */
    family: z.union([z.enum([...LOG_FAMILIES, 'any']), z.array(z.enum(LOG_FAMILIES)).min(1)]),
    /** JavaScript regular expression, case-insensitive; named groups are the values it extracts. */
    pattern,
    /** What the line means, in plain words, for the reply. */
    means: text,
    code: z.enum(LOG_FINDING_CODES as [LogFindingCode, ...LogFindingCode[]]).optional(),
    topic: kebab.optional(),
    severity: z.enum(['error', 'warning', 'info']),
    /** A normal event (SA up, rekey done, DPD answered): a log of only these is healthy. */
    normal: z.boolean().default(false),
    event: z.enum(LOG_EVENTS).optional(),
    /** The IKE phase a `lifetime` line speaks of (1: IKE/ISAKMP SA, 2: IPsec/CHILD SA). */
    phase: z.union([z.literal(1), z.literal(2)]).optional(),
    /** Names of the pattern's named groups to keep as evidence. */
    extract: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/)).default([]),
    /** Where the message text comes from (a vendor document, a parser fixture, the lab). */
    source: text.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.code && !s.topic)
      ctx.addIssue({ code: 'custom', path: ['topic'], message: `a signature with code ${s.code} must name its topic` });
    if (s.code && s.topic && s.topic !== LOG_FINDING_TOPICS[s.code]) {
      ctx.addIssue({
        code: 'custom',
        path: ['topic'],
        message: `code ${s.code} belongs to topic ${LOG_FINDING_TOPICS[s.code]}, not ${s.topic}`,
      });
    }
    if (s.normal && s.code) ctx.addIssue({ code: 'custom', path: ['normal'], message: 'a normal event carries no finding code' });
    if (s.normal && s.severity !== 'info')
      ctx.addIssue({ code: 'custom', path: ['severity'], message: 'a normal event has severity info' });
    if (s.code && s.severity === 'info')
      ctx.addIssue({ code: 'custom', path: ['severity'], message: 'a signature with a finding code is an error or a warning' });
    let groups: string[] = [];
    try {
      groups = [...s.pattern.matchAll(/\(\?<([A-Za-z][A-Za-z0-9]*)>/g)].map((m) => m[1]!);
    } catch {
      groups = [];
    }
    s.extract.forEach((name, i) => {
      if (!groups.includes(name))
        ctx.addIssue({ code: 'custom', path: ['extract', i], message: `the pattern has no named group "${name}"` });
    });
  });
export type LogSignature = z.infer<typeof LogSignatureSchema>;

export const LogSignatureCatalogueSchema = z
  .strictObject({
    kind: z.literal('log-signatures'),
    signatures: z.array(LogSignatureSchema).min(1),
  })
  .superRefine((c, ctx) => {
    const seen = new Map<string, number>();
    c.signatures.forEach((s, i) => {
      const first = seen.get(s.id);
      if (first !== undefined)
        ctx.addIssue({ code: 'custom', path: ['signatures', i, 'id'], message: `duplicate id "${s.id}" (also signatures.${first})` });
      else seen.set(s.id, i);
    });
  });
export type LogSignatureCatalogue = z.infer<typeof LogSignatureCatalogueSchema>;
