import type { ParameterName } from '../../knowledge/schema.js';

/** The vendors a configuration can come from (the corpus label's `vendor`). */
export const CONFIG_VENDORS = [
  'strongswan',
  'libreswan',
  'cisco-asa',
  'cisco-ios',
  'cisco-ftd',
  'fortigate',
  'paloalto',
  'juniper-srx',
  'sonicwall',
  'checkpoint',
  'meraki',
  'mikrotik',
  'vyos',
  'pfsense',
  'opnsense',
  'azure',
  'aws',
  'outsystems',
] as const;
export type ConfigVendor = (typeof CONFIG_VENDORS)[number];

export const VERDICTS = ['ok', 'violation', 'unsupported', 'missing', 'risk'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** One line of the pasted text, 1-based, secrets blanked: the same quote as the log reader's. */
export type { QuotedLine } from '../types.js';
import type { QuotedLine } from '../types.js';

/** Lines to change on the device, in its own syntax. Same shape as a reply snippet. */
export interface FixSnippet {
  platform: string;
  kind: 'cli' | 'config';
  lines: string[];
}

/**
 * A parameter as a parser read it: the normalised value (lists joined by ", ") and the 1-based line it
 * came from; `defaultFrom` names the vendor document when the value is the documented default.
 */
export interface ReadValue {
  value: string;
  line: number | null;
  defaultFrom?: string;
}

/** The names of the objects a tunnel is built from, used to write fixes in the vendor's syntax. */
export type ObjectNames = Record<string, string>;

export interface ParsedTunnel {
  name: string;
  peer?: string;
  params: Partial<Record<ParameterName, ReadValue>>;
  objects: ObjectNames;
}

export interface ParsedConfig {
  vendor: ConfigVendor;
  format: string;
  tunnels: ParsedTunnel[];
}

/** A documented default: the value a platform uses when the configuration is silent, and where that is written. */
export interface DocumentedDefault {
  value: string;
  source: string;
}
export type DefaultsTable = Partial<Record<ParameterName, DocumentedDefault>>;

/** What a fix should set a parameter to (chosen by the judge from the policy). */
export interface FixTarget {
  name: ParameterName;
  /** Normalised target value: "aes256", "sha256", "14", "3600", "on", "main"... */
  value: string;
  /** The tunnel's current normalised value, when it has one. */
  current: string | null;
}

/** One configuration format: how to recognise it, read it, and write a fix in its syntax. */
export interface ConfigParser {
  id: string;
  vendor: ConfigVendor;
  format: string;
  /** 0..1: how sure it is that `head` is this format (compared across parsers; >= 0.5 claims it). */
  detect(head: string): number;
  parse(text: string): ParsedConfig;
  defaults: DefaultsTable;
  /** Lines that set one parameter of one tunnel on this platform; null when the platform has no such knob. */
  fix(tunnel: ParsedTunnel, target: FixTarget): FixSnippet | null;
}

/** One parameter of one tunnel, judged (the document's `parameters[]`). */
export interface ConfigParameter {
  tunnel: string;
  name: ParameterName;
  value: string | null;
  default: boolean;
  /** What the requirements say (the policy's `says`). */
  required: string;
  verdict: Verdict;
  line: QuotedLine | null;
  /** The vendor document the default comes from, when `default` is true. */
  defaultSource?: string;
  /** Why the verdict (which member failed, which rule). */
  reason: string;
  fix: FixSnippet | null;
}

export interface ConfigFindingStep {
  text: string;
  snippets?: FixSnippet[];
}

export interface ConfigFinding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  topic: string;
  section: string;
  summary: string;
  lines: QuotedLine[];
  evidence: string[];
  steps: ConfigFindingStep[];
}

export interface ConfigDifference {
  tunnel: string;
  name: ParameterName;
  device: string | null;
  outsystems: string | null;
  line: QuotedLine | null;
  outsystemsLine: QuotedLine | null;
}

/** The analysis document (`kind: "config"`), the contract other tools script against. */
export interface ConfigAnalysis {
  kind: 'config';
  vendor: ConfigVendor;
  format: string;
  tunnels: { name: string; peer?: string }[];
  parameters: ConfigParameter[];
  findings: ConfigFinding[];
  /** Present only when compared against the configuration file OutSystems sent. */
  differences?: ConfigDifference[];
  /** Present only when compared: what that file was read as. */
  against?: { vendor: ConfigVendor; format: string };
}
