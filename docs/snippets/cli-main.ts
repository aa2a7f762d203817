import { main, type Output, version } from '@kopf/cli';

// The `kopf` command as a function: the same arguments, the exit code as the result.
const lines: string[] = [];
const output: Output = { out: (text) => lines.push(text), err: (text) => process.stderr.write(text) };
const code = await main(['generate', 'crd', '--group', 'example.com', '--kind', 'Shop'], output);
console.log(code, lines.join('').split('\n')[1]); // 0 'kind: CustomResourceDefinition'
console.log(`kopf-ts ${version}`);
