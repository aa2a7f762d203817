import { type ChangingKwargs, on, type TimerKwargs } from '@kopf/core';

// esbuild (and so tsx and `kopf run`) cannot parse `@on.delete(…)`: `delete` is a keyword there.
const onDelete = on.delete;

interface ExampleSpec {
  field?: string;
}

class Inventory {
  readonly #items = new Map<string, string | undefined>();

  constructor(readonly owner: string) {}

  @on.create<ExampleSpec>('kopfexamples')
  add({ name, spec }: ChangingKwargs<ExampleSpec>) {
    this.#items.set(name ?? '', spec.field); // `this` is the instance
    return { owner: this.owner };
  }

  @onDelete('kopfexamples', { optional: true })
  drop({ name }: ChangingKwargs) {
    this.#items.delete(name ?? '');
  }

  @on.timer('kopfexamples', { interval: 60, id: 'inventoryCount' })
  count(_kwargs: TimerKwargs) {
    return { known: this.#items.size };
  }

  @on.startup()
  static boot() {
    console.log('static methods are registered when the class is defined');
  }
}

// Instance methods are registered, bound to the instance, when it is constructed.
new Inventory('team-a');
