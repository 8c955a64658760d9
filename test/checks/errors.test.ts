import { describe, expect, it } from 'vitest';
import { CheckErrorCodeSchema, checkErrorStatuses, httpStatusOf } from '../../src/checks/index.js';

describe('check error codes and their HTTP statuses', () => {
  it('keeps the statuses API clients already rely on', () => {
    expect(Object.fromEntries(CheckErrorCodeSchema.options.map((c) => [c, httpStatusOf(c)]))).toEqual({
      'invalid-request': 400,
      'agents-unavailable': 503,
      'no-agent-online': 503,
      'agent-required': 409,
      'agent-unknown': 404,
      'agent-revoked': 404,
      'agent-offline': 503,
      'agent-draining': 503,
      'agent-unsupported-probe': 503,
      'agent-busy': 429,
      'agent-refused': 422,
      'agent-failed': 502,
      timeout: 504,
    });
  });

  it('lists each status once with every code behind it, for the OpenAPI responses', () => {
    const statuses = checkErrorStatuses();
    expect(statuses.map((s) => s.status)).toEqual([400, 404, 409, 422, 429, 502, 503, 504]);
    expect(statuses.flatMap((s) => s.codes).sort()).toEqual([...CheckErrorCodeSchema.options].sort());
    expect(statuses.find((s) => s.status === 404)?.codes).toEqual(['agent-unknown', 'agent-revoked']);
  });
});
