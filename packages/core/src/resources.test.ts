import { describe, expect, it } from 'vitest';
import {
  EVERYTHING,
  parseSelector,
  type Resource,
  ResourceSelectorError,
  sameSelector,
  selectorDescription,
} from './resources.js';

describe('parseSelector', () => {
  it.each([
    [['kopfexamples'], { name: 'kopfexamples' }],
    [['kex'], { name: 'kex' }],
    [['KopfExample'], { name: 'KopfExample' }],
    [['kopfexamples.kopf.dev'], { name: 'kopfexamples', group: 'kopf.dev' }],
    [['kopfexamples.v1.kopf.dev'], { name: 'kopfexamples', version: 'v1', group: 'kopf.dev' }],
    [['pods.v1'], { name: 'pods', version: 'v1' }],
    [['jobs.v1beta2.batch'], { name: 'jobs', version: 'v1beta2', group: 'batch' }],
    [['kopf.dev', 'kopfexamples'], { group: 'kopf.dev', name: 'kopfexamples' }],
    [['kopf.dev/v1', 'kopfexamples'], { group: 'kopf.dev', version: 'v1', name: 'kopfexamples' }],
    [['kopf.dev', 'v1', 'kopfexamples'], { group: 'kopf.dev', version: 'v1', name: 'kopfexamples' }],
    [['v1', 'pods'], { group: '', version: 'v1', name: 'pods' }],
    [['', 'v1', 'pods'], { group: '', version: 'v1', name: 'pods' }],
    [[EVERYTHING], { everything: true }],
    [['kopf.dev', EVERYTHING], { group: 'kopf.dev', everything: true }],
    [[{ group: 'kopf.dev', plural: 'kopfexamples' }], { group: 'kopf.dev', plural: 'kopfexamples' }],
    [[{ category: 'all' }], { category: 'all' }],
  ])('parses %j', (args, expected) => {
    expect(parseSelector(args)).toEqual(expected);
  });

  it('keeps a predicate and merges keywords given beside positional parts', () => {
    const mine = (resource: Resource): boolean => resource.group === 'kopf.dev';
    expect(parseSelector([mine])).toEqual({ predicate: mine });
    expect(parseSelector(['kopfexamples'], { group: 'kopf.dev' })).toEqual({
      name: 'kopfexamples',
      group: 'kopf.dev',
    });
  });

  it('returns a frozen selector', () => {
    expect(Object.isFrozen(parseSelector(['pods']))).toBe(true);
  });

  it.each([
    [[], /no resource given/],
    [['a', 'b', 'c', 'd'], /at most 3 positional parts/],
    [[() => true, 'pods'], /predicate cannot be combined/],
    [['kopf.dev', { plural: 'x' }], /must be the only selector part/],
    [[EVERYTHING, 'pods'], /EVERYTHING can only be the last part/],
    [[42], /must be a string or EVERYTHING, got number/],
    [[{ group: 'kopf.dev' }], /no resource name/],
    [
      [{ plural: 'pods', kind: 'Pod' }],
      /ambiguous.*plural='pods', kind='Pod'|ambiguous.*kind='Pod', plural='pods'/,
    ],
    [[{ plural: 'pods', nmae: 'x' }], /unknown field\(s\) 'nmae'/],
    [['kopf.dev', ''], /'name' must not be an empty string/],
    [['a/b/c', 'v1', 'x'], /cannot contain '\/'/],
  ])('rejects %j with a message naming the problem', (args, message) => {
    expect(() => parseSelector(args)).toThrow(ResourceSelectorError);
    expect(() => parseSelector(args)).toThrow(message);
  });

  it('rejects a name given both positionally and by keyword, and conflicting groups', () => {
    expect(() => parseSelector(['pods'], { kind: 'Pod' })).toThrow(/ambiguous/);
    expect(() => parseSelector(['kopf.dev', 'x'], { group: 'zalando.org' })).toThrow(
      /'group' is given twice/,
    );
  });
});

describe('selectorDescription', () => {
  it.each([
    [['kopf.dev', 'v1', 'kopfexamples'], 'kopfexamples.v1.kopf.dev'],
    [['kopfexamples.kopf.dev'], 'kopfexamples.kopf.dev'],
    [['v1', 'pods'], 'pods.v1'],
    [['', 'pods'], 'pods (core group)'],
    [[{ kind: 'KopfExample', group: 'kopf.dev' }], 'kind=KopfExample.kopf.dev'],
    [[EVERYTHING], 'EVERYTHING'],
  ])('describes %j as %s', (args, text) => {
    expect(selectorDescription(parseSelector(args))).toBe(text);
  });

  it('names a predicate by its function name', () => {
    function isMine(): boolean {
      return true;
    }
    expect(selectorDescription(parseSelector([isMine]))).toBe('predicate isMine');
  });
});

describe('sameSelector', () => {
  it('compares the parsed meaning, and predicates by identity', () => {
    const fn = (): boolean => true;
    expect(sameSelector(parseSelector(['kopf.dev/v1', 'x']), parseSelector(['kopf.dev', 'v1', 'x']))).toBe(
      true,
    );
    expect(sameSelector(parseSelector(['x']), parseSelector(['kopf.dev', 'x']))).toBe(false);
    expect(sameSelector(parseSelector([fn]), parseSelector([fn]))).toBe(true);
    expect(sameSelector(parseSelector([fn]), parseSelector([() => true]))).toBe(false);
  });
});
