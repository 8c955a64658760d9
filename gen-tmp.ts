import { readFileSync, writeFileSync } from 'node:fs';
const src = readFileSync('bench/analyze-logs.ts', 'utf8');
const start = src.indexOf('function generateLog');
const end = src.indexOf('\n}\n', start) + 3;
const fn = new Function(
  'openSync',
  'writeSync',
  'closeSync',
  `${src.slice(start, end).replace(/: string|: number|: void|: string\[\]/g, '')}; return generateLog;`,
);
const { openSync, writeSync, closeSync } = await import('node:fs');
fn(openSync, writeSync, closeSync)('/tmp/prof/big.log', 100 * 1024 * 1024);
writeFileSync('/dev/null', '');
