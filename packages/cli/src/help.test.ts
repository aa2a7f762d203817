import { describe, expect, it } from 'vitest';
import { DEV_OPTIONS } from './developing.js';
import { GENERATE_CRD_OPTIONS, GENERATE_DEPLOYMENT_OPTIONS, GENERATE_RBAC_OPTIONS } from './generating.js';
import { helpText, isHelpRequest } from './help.js';
import { FREEZE_OPTIONS, RESUME_OPTIONS } from './peering-commands.js';
import { RUN_OPTIONS } from './running.js';

describe('helpText', () => {
  it('lists every command in the overview', () => {
    const text = helpText([]);
    for (const command of [
      'run FILES',
      'dev FILES',
      'generate crd',
      'generate rbac',
      'generate deployment',
      'version',
    ]) {
      expect(text).toContain(`  ${command}`);
    }
  });

  it.each([
    ['run', [], RUN_OPTIONS],
    ['dev', [], DEV_OPTIONS],
    ['freeze', [], FREEZE_OPTIONS],
    ['resume', [], RESUME_OPTIONS],
    ['generate', ['crd'], GENERATE_CRD_OPTIONS],
    ['generate', ['rbac'], GENERATE_RBAC_OPTIONS],
    ['generate', ['deployment'], GENERATE_DEPLOYMENT_OPTIONS],
  ] as const)('documents every option of %s %s, with usage and examples', (command, rest, options) => {
    const text = helpText([command, ...rest]);
    expect(text).toMatch(new RegExp(`^Usage: kopf ${[command, ...rest].join(' ')} `));
    for (const name of Object.keys(options)) expect(text).toContain(`--${name}`);
    expect(text).toContain('Examples:\n  kopf ');
  });

  it('lists the things to generate for a bare generate, and says so for an unknown command', () => {
    expect(helpText(['generate'])).toContain('Sub-commands of generate');
    expect(helpText(['frob'])).toMatch(/^Unknown command 'frob'\./);
  });
});

describe('isHelpRequest', () => {
  it('finds -h or --help before a --', () => {
    expect(isHelpRequest(['op.ts', '--help'])).toBe(true);
    expect(isHelpRequest(['-h'])).toBe(true);
    expect(isHelpRequest(['op.ts', '--', '--help'])).toBe(false);
  });
});
