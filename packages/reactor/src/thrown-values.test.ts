import { describe, expect, it } from 'vitest';
import { messageOf, recordableThrown } from './thrown-values.js';

function trap(): never {
  throw new Error('trap');
}

describe('messageOf', () => {
  it('names Errors by their message, strings as they are, other values as JSON', () => {
    expect(messageOf(new TypeError('bad type'))).toBe('bad type');
    expect(messageOf(new RangeError(''))).toBe('RangeError');
    expect(messageOf('plain')).toBe('plain');
    expect(messageOf({ code: 7 })).toBe('{"code":7}');
    expect(messageOf(undefined)).toBe('undefined');
    expect(messageOf(null)).toBe('null');
  });

  it('never throws, whatever the value', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.count = 1n;
    expect(messageOf(bare)).toBe('[object Object]');
    const getter = new Error('unseen');
    Object.defineProperty(getter, 'message', { get: trap });
    expect(messageOf(getter)).toBe('Error');
    const proxy = new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap });
    expect(messageOf(proxy)).toBe('<a value that cannot be described>');
  });
});

describe('recordableThrown', () => {
  it('keeps inspectable values, and replaces the rest by their description', () => {
    const error = new Error('x');
    expect(recordableThrown(error)).toBe(error);
    expect(recordableThrown(42)).toBe(42);
    expect(recordableThrown(undefined)).toBe('undefined');
    const proxy = new Proxy({}, { getPrototypeOf: trap, get: trap, ownKeys: trap });
    expect(recordableThrown(proxy)).toBe('<a value that cannot be described>');
  });
});
