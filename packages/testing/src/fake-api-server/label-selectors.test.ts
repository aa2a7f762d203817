import { describe, expect, it } from 'vitest';
import { matchesLabels, parseLabelSelector } from './label-selectors.js';
import { StatusError } from './statuses.js';

const match = (selector: string, labels: Record<string, string>): boolean =>
  matchesLabels(parseLabelSelector(selector), labels);

describe('parseLabelSelector', () => {
  it('matches everything when empty', () => {
    expect(match('', {})).toBe(true);
  });

  it('supports = and == and !=, where != also matches objects without the key', () => {
    expect(match('app=web', { app: 'web' })).toBe(true);
    expect(match('app==web', { app: 'db' })).toBe(false);
    expect(match('app!=web', { app: 'db' })).toBe(true);
    expect(match('app!=web', {})).toBe(true);
    expect(match('app!=web', { app: 'web' })).toBe(false);
  });

  it('supports in and notin sets, notin also matching objects without the key', () => {
    expect(match('env in (prod, dev)', { env: 'dev' })).toBe(true);
    expect(match('env in (prod,dev)', { env: 'qa' })).toBe(false);
    expect(match('env notin (prod)', {})).toBe(true);
    expect(match('env notin (prod)', { env: 'prod' })).toBe(false);
  });

  it('supports existence, non-existence, and integer comparisons', () => {
    expect(match('app', { app: '' })).toBe(true);
    expect(match('!app', { app: 'x' })).toBe(false);
    expect(match('!app', {})).toBe(true);
    expect(match('tier>3', { tier: '5' })).toBe(true);
    expect(match('tier<3', { tier: '5' })).toBe(false);
    expect(match('tier>3', { tier: 'x' })).toBe(false);
  });

  it('ANDs comma-separated requirements and accepts prefixed keys', () => {
    expect(match('example.com/app=web,env in (prod)', { 'example.com/app': 'web', env: 'prod' })).toBe(true);
    expect(match('example.com/app=web,env in (prod)', { 'example.com/app': 'web', env: 'dev' })).toBe(false);
  });

  it('accepts an empty value after =', () => {
    expect(match('app=', { app: '' })).toBe(true);
  });

  it.each(['app=(x', 'app in prod', 'a,', '=x', 'bad key=1', 'tier>x'])(
    'rejects %j with a 400 BadRequest',
    (selector) => {
      let caught: unknown;
      try {
        parseLabelSelector(selector);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(StatusError);
      expect((caught as StatusError).code).toBe(400);
    },
  );
});
