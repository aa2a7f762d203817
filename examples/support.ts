/** What the examples' tests share: the KopfExample CRD and object of the Kopf talk. */
import { fileURLToPath } from 'node:url';

export const CRD: string = fileURLToPath(new URL('./crd.yaml', import.meta.url));
export const OBJ: string = fileURLToPath(new URL('./obj.yaml', import.meta.url));
export const EXAMPLE = { resource: 'kopfexamples', name: 'kopf-example-1' } as const;
