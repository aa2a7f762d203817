import { type ChangingKwargs, type CreateOptions, type HandlerFn, on, type UpdateOptions } from '@kopf/core';

interface AppSpec {
  image: string;
  replicas?: number;
}

// Helpers of your own take the option types: the same handler for several resources.
export function onCreateOrUpdate(
  plurals: readonly string[],
  options: CreateOptions<AppSpec> & UpdateOptions<AppSpec>,
  fn: HandlerFn<ChangingKwargs<AppSpec>>,
): void {
  for (const plural of plurals) {
    on.create<AppSpec>(plural, { ...options, id: `${options.id ?? fn.name}-${plural}-create` }, fn);
    on.update<AppSpec>(plural, { ...options, id: `${options.id ?? fn.name}-${plural}-update` }, fn);
  }
}

onCreateOrUpdate(['webapps', 'workers'], { labels: { team: 'a' }, retries: 5 }, function deploy({ spec }) {
  return { image: spec.image, replicas: spec.replicas ?? 1 };
});
