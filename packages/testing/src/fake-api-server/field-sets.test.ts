import { describe, expect, it } from 'vitest';
import { FieldSet, pathText } from './field-sets.js';

describe('FieldSet', () => {
  it('reads and writes FieldsV1: `.` marks a node that also has children, leaves are `{}`', () => {
    const fields = { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } }, 'f:spec': { 'f:x': {} } };
    const set = FieldSet.fromFieldsV1(fields);
    expect(set.has(['f:metadata', 'f:labels'])).toBe(true);
    expect(set.has(['f:metadata'])).toBe(false);
    expect(set.has(['f:spec', 'f:x'])).toBe(true);
    expect(set.toFieldsV1()).toEqual(fields);
  });

  it('unions, subtracts and intersects as sets of paths, dropping what becomes empty', () => {
    const a = FieldSet.of([
      ['f:spec', 'f:x'],
      ['f:spec', 'f:y'],
    ]);
    const b = FieldSet.of([
      ['f:spec', 'f:y'],
      ['f:data', 'f:z'],
    ]);
    expect(a.union(b).paths()).toEqual([
      ['f:data', 'f:z'],
      ['f:spec', 'f:x'],
      ['f:spec', 'f:y'],
    ]);
    expect(a.difference(b).toFieldsV1()).toEqual({ 'f:spec': { 'f:x': {} } });
    expect(a.intersection(b).toFieldsV1()).toEqual({ 'f:spec': { 'f:y': {} } });
    expect(a.difference(a).isEmpty()).toBe(true);
    expect(
      a
        .union(b)
        .withoutPrefixes([['f:spec']])
        .paths(),
    ).toEqual([['f:data', 'f:z']]);
    expect(a.withParentFieldsAsMembers().has(['f:spec'])).toBe(true);
  });
});

describe('pathText', () => {
  it('prints paths as kube conflict messages do', () => {
    expect(pathText(['f:spec', 'f:x'])).toBe('.spec.x');
    expect(pathText(['f:spec', 'f:ports', 'k:{"protocol":"TCP","port":80}', 'f:name'])).toBe(
      '.spec.ports[port=80,protocol="TCP"].name',
    );
    expect(pathText(['f:metadata', 'f:finalizers', 'v:"a.io/b"'])).toBe('.metadata.finalizers[="a.io/b"]');
    expect(pathText(['f:items', 'i:2'])).toBe('.items[2]');
  });
});
