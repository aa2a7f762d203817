import type { Operator } from '@kopf/reactor';

export function follow(operator: Operator, alert: (text: string) => void): void {
  operator.on('handlerFailed', (report) => {
    // report: handler, kind, resource, object, outcome ('temporary' | 'permanent'), retry, duration, error, message
    if (report.outcome === 'permanent') alert(report.message);
  });
  operator.on('objectStuck', ({ reason, object, handler, attempts }) => {
    alert(
      `${object.namespace}/${object.name} is stuck (${reason}, ${handler ?? '-'}, ${attempts ?? 0} attempts)`,
    );
  });
  operator.on('daemonStopped', ({ handler, object, reason }) => {
    console.log(`${handler} of ${object.name} stopped: ${reason ?? 'exited on its own'}`);
  });
  operator.on('paused', (reasons) => console.log(`paused in favour of ${reasons.join(', ')}`));
  operator.on('resumed', () => console.log('resumed'));
  operator.on('error', (error) => alert(`the operator failed outside of handlers: ${String(error)}`));
}
