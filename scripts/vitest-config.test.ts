import { describe, expect, it } from 'vitest';

/** The test config must lower standard decorators (operators may use them on class methods). */
const seen = new WeakMap<object, string[]>();

function tag(value: string) {
  return (_method: unknown, context: ClassMethodDecoratorContext) => {
    context.addInitializer(function (this: unknown) {
      seen.set(this as object, [...(seen.get(this as object) ?? []), value]);
    });
  };
}

class Tagged {
  @tag('a')
  first(): void {}

  @tag('b')
  second(): void {}
}

describe('standard decorators under vitest', () => {
  it('are lowered and run their initializers per instance', () => {
    expect(seen.get(new Tagged())).toEqual(['a', 'b']);
  });
});
