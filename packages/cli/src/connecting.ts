/**
 * The check `kopf run` makes before starting the operator: load the kubeconfig (or
 * the pod's service account) and ask the API server for its version, with a short
 * retry. The engine itself would retry an unreachable cluster forever, logging
 * warnings; a person starting an operator wants to hear at once, in one line, that
 * the kubeconfig is broken or which URL does not answer.
 */
import { type ClientOptions, createApiClient, type HttpClient } from '@kopf/k8s';
import { type OptionSpecs, type OptionValues, stringValue } from './arguments.js';
import { CommandError, oneLine } from './errors.js';

/** Where to connect, as the command line says (both optional). */
export interface ConnectionChoice {
  readonly kubeconfig?: string | undefined;
  readonly context?: string | undefined;
}

/** The options that choose the cluster, shared by every command that connects. */
export const CONNECTION_OPTIONS: OptionSpecs = {
  kubeconfig: {
    type: 'string',
    valueName: 'PATH',
    description: 'The kubeconfig file (default: $KUBECONFIG).',
  },
  context: {
    type: 'string',
    valueName: 'NAME',
    description: 'A kubeconfig context other than the current one.',
  },
};

/** Reads {@link CONNECTION_OPTIONS}. */
export function connectionChoiceFrom(values: OptionValues): ConnectionChoice {
  return { kubeconfig: stringValue(values, 'kubeconfig'), context: stringValue(values, 'context') };
}

/** The client options of a choice, without undefined keys. */
export function clientOptionsOf(choice: ConnectionChoice): ClientOptions {
  return {
    ...(choice.kubeconfig !== undefined ? { kubeconfig: choice.kubeconfig } : {}),
    ...(choice.context !== undefined ? { context: choice.context } : {}),
  };
}

/**
 * Resolves with the server URL once the API server has answered `GET /version`.
 *
 * @throws CommandError naming the kubeconfig problem, or the URL that cannot be reached.
 */
export async function checkCluster(choice: ConnectionChoice): Promise<string> {
  let client: HttpClient;
  try {
    client = await createApiClient({
      ...clientOptionsOf(choice),
      errorBackoffs: [1, 2],
      requestTimeout: 15,
      connectTimeout: 10,
    });
  } catch (error) {
    throw new CommandError(oneLine(error), { cause: error });
  }
  try {
    await client.request({ method: 'GET', path: '/version' });
    return client.server;
  } catch (error) {
    const message = oneLine(error);
    const text = message.includes(client.server) ? message : `The cluster at ${client.server}: ${message}`;
    throw new CommandError(text, { cause: error });
  } finally {
    client.close();
  }
}
