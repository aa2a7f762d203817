import type { Body } from '@kopf/core';
import {
  AnnotationsDiffBaseStorage,
  buildEssence,
  compareWithLastHandled,
  SmartProgressStorage,
} from '@kopf/reactor';

// What the operator will see for an object, e.g. one read with kubectl -o json.
export function explain(body: Body): void {
  const progress = new SmartProgressStorage();
  const diffbase = new AnnotationsDiffBaseStorage();
  console.log('essence now:', buildEssence(body));
  console.log('progress of create_fn:', progress.fetch('create_fn', body)); // a ProgressRecord or undefined
  const { old, diff } = compareWithLastHandled(body, { diffbase, progress });
  console.log(
    old === undefined ? 'never handled: a creation' : `changed since handled: ${JSON.stringify(diff)}`,
  );
}
