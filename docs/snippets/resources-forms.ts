import { on } from '@kopf/core';

// By any one name: plural, singular, kind (any case) or a short name.
on.create('kopfexamples', ({ name }) => ({ seenAs: `plural, ${name}` }));
on.create('KopfExample', { id: 'byKind' }, () => undefined);
on.create('kex', { id: 'byShortName' }, () => undefined);

// With the group, with or without a version.
on.update('kopfexamples.kopf.dev', ({ diff }) => ({ changes: diff.length }));
on.update('kopf.dev', 'kopfexamples', { id: 'groupThenName' }, () => undefined);
on.update('kopf.dev/v1', 'kopfexamples', { id: 'groupVersionName' }, () => undefined);
on.update('kopf.dev', 'v1', 'kopfexamples', { id: 'threeParts' }, () => undefined);
on.delete('kopfexamples.v1.kopf.dev', () => undefined);

// Core resources: 'v1' is the core group.
on.event('v1', 'pods', ({ type, name }) => console.log(`${type ?? 'LISTED'} pod ${name}`));

// Keywords, as one object instead of the positional parts ...
on.resume({ group: 'kopf.dev', version: 'v1', plural: 'kopfexamples' }, () => undefined);
// ... or among the options, merged with the positional parts.
on.resume('kopfexamples', { group: 'kopf.dev', id: 'resumeWithKeywords' }, () => undefined);
