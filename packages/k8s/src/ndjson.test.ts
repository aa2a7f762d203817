import { describe, expect, it } from 'vitest';
import { parseJsonLines, StreamParseError } from './ndjson.js';

async function collect(chunks: (Buffer | string)[]): Promise<unknown[]> {
  async function* source() {
    yield* chunks;
  }
  const values: unknown[] = [];
  for await (const value of parseJsonLines(source())) values.push(value);
  return values;
}

describe('parseJsonLines', () => {
  it('splits values across chunk boundaries, including inside a multi-byte character', async () => {
    const text = Buffer.from('{"a":"ü"}\n\n{"b":2}\n{"c":3}');
    const values = await collect([text.subarray(0, 7), text.subarray(7, 12), text.subarray(12)]);
    expect(values).toEqual([{ a: 'ü' }, { b: 2 }, { c: 3 }]);
  });

  it('fails loudly on a line that is not JSON, after yielding the good ones', async () => {
    const values: unknown[] = [];
    async function* source() {
      yield '{"ok":1}\nnot json\n';
    }
    await expect(async () => {
      for await (const value of parseJsonLines(source())) values.push(value);
    }).rejects.toThrow(StreamParseError);
    expect(values).toEqual([{ ok: 1 }]);
  });
});
