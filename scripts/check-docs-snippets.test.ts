import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDocsSnippets, extractBlocks } from './check-docs-snippets.ts';

let scratch: string | undefined;

function tree(files: Record<string, string>): string {
  scratch = mkdtempSync(join(tmpdir(), 'kopf-docs-snippets-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }
  return scratch;
}

afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

const CODE = "import { on } from '@kopf/core';\n\non.create('kopfexamples', () => {});\n";
const page = (marker: string, code = CODE, language = 'ts') =>
  `# Page\n\nText.\n\n${marker}\n\`\`\`${language}\n${code}\`\`\`\n\nMore.\n`;

describe('extractBlocks', () => {
  it('finds blocks with their language, content, line and marker', () => {
    const { blocks, strayMarkers } = extractBlocks(
      '# T\n<!-- snippet: a.ts -->\n```ts\nconst a = 1;\n```\n\n```sh\nls\n```\n',
    );
    expect(blocks).toEqual([
      { language: 'ts', content: 'const a = 1;', line: 3, snippet: 'a.ts' },
      { language: 'sh', content: 'ls', line: 7, snippet: undefined },
    ]);
    expect(strayMarkers).toEqual([]);
  });

  it('removes the indentation of fences inside list items', () => {
    const { blocks } = extractBlocks('- item\n\n  <!-- snippet: b.ts -->\n  ```ts\n  const b = 2;\n  ```\n');
    expect(blocks).toEqual([{ language: 'ts', content: 'const b = 2;', line: 4, snippet: 'b.ts' }]);
  });

  it('does not end a block on a shorter fence inside a longer one', () => {
    const { blocks } = extractBlocks('````md\n```ts\nx\n```\n````\n');
    expect(blocks).toEqual([{ language: 'md', content: '```ts\nx\n```', line: 1, snippet: undefined }]);
  });

  it('reports a marker that is not right before a fence', () => {
    const { strayMarkers } = extractBlocks('<!-- snippet: c.ts -->\n\n```ts\nx\n```\n');
    expect(strayMarkers).toEqual([{ snippet: 'c.ts', line: 1 }]);
  });
});

describe('checkDocsSnippets', () => {
  it('passes when every ts block is marked and identical to its file', () => {
    const root = tree({
      'docs/handlers.md': page('<!-- snippet: handlers-create.ts -->'),
      'docs/snippets/handlers-create.ts': CODE,
      'docs/other.md': '```sh\nnpx kopf dev\n```\n',
    });
    expect(checkDocsSnippets(root)).toEqual([]);
  });

  it('accepts a difference in trailing newlines only', () => {
    const root = tree({
      'docs/handlers.md': page('<!-- snippet: handlers-create.ts -->'),
      'docs/snippets/handlers-create.ts': `${CODE}\n\n`,
    });
    expect(checkDocsSnippets(root)).toEqual([]);
  });

  it('fails on a ts block without a marker', () => {
    const root = tree({ 'docs/handlers.md': page('') });
    expect(checkDocsSnippets(root)).toEqual([
      { file: 'docs/handlers.md', line: 6, problem: expect.stringContaining('has no snippet marker') },
    ]);
  });

  it('fails on a typescript-labelled block without a marker too', () => {
    const root = tree({ 'docs/handlers.md': page('', CODE, 'typescript') });
    expect(checkDocsSnippets(root)).toEqual([
      expect.objectContaining({ problem: expect.stringContaining('has no snippet marker') }),
    ]);
  });

  it('fails on a marker naming a missing file', () => {
    const root = tree({ 'docs/handlers.md': page('<!-- snippet: handlers-gone.ts -->') });
    expect(checkDocsSnippets(root)).toEqual([
      {
        file: 'docs/handlers.md',
        line: 6,
        problem: expect.stringContaining('docs/snippets/handlers-gone.ts, which does not exist'),
      },
    ]);
  });

  it('fails on a block that differs from its file, naming the first different line', () => {
    const root = tree({
      'docs/handlers.md': page('<!-- snippet: handlers-create.ts -->'),
      'docs/snippets/handlers-create.ts': CODE.replace('kopfexamples', 'pods'),
    });
    const problems = checkDocsSnippets(root);
    expect(problems).toEqual([
      { file: 'docs/handlers.md', line: 6, problem: expect.stringContaining('block differs') },
    ]);
    expect(problems[0]?.problem).toContain('line 3 of the block');
  });

  it('fails on a snippet file that no page uses', () => {
    const root = tree({
      'docs/handlers.md': page('<!-- snippet: handlers-create.ts -->'),
      'docs/snippets/handlers-create.ts': CODE,
      'docs/snippets/handlers-unused.ts': CODE,
    });
    expect(checkDocsSnippets(root)).toEqual([
      {
        file: 'docs/snippets/handlers-unused.ts',
        line: 1,
        problem: expect.stringContaining('no page shows'),
      },
    ]);
  });

  it('fails on a marker with no block after it, and on a marker before a non-ts block', () => {
    const root = tree({
      'docs/a.md': '<!-- snippet: a-x.ts -->\n\nText.\n',
      'docs/b.md': page('<!-- snippet: a-x.ts -->', 'ls\n', 'sh'),
      'docs/snippets/a-x.ts': CODE,
    });
    expect(checkDocsSnippets(root)).toEqual([
      { file: 'docs/a.md', line: 1, problem: expect.stringContaining('no code fence follows') },
      { file: 'docs/b.md', line: 6, problem: expect.stringContaining('the block is ```sh') },
      { file: 'docs/snippets/a-x.ts', line: 1, problem: expect.stringContaining('no page shows') },
    ]);
  });

  it('refuses markers that leave docs/snippets', () => {
    const root = tree({
      'docs/a.md': page('<!-- snippet: ../../package.ts -->'),
      'package.ts': CODE,
    });
    expect(checkDocsSnippets(root)).toEqual([
      expect.objectContaining({
        problem: expect.stringContaining('must name a .ts file under docs/snippets/'),
      }),
    ]);
  });

  it('fails on a snippet not named after its page, even when it matches', () => {
    const root = tree({
      'docs/handlers.md': page('<!-- snippet: filters-create.ts -->'),
      'docs/snippets/filters-create.ts': CODE,
    });
    expect(checkDocsSnippets(root)).toEqual([
      {
        file: 'docs/handlers.md',
        line: 6,
        problem: expect.stringContaining('rename it to handlers-<what>.ts'),
      },
      { file: 'docs/snippets/filters-create.ts', line: 1, problem: expect.stringContaining('no page shows') },
    ]);
  });

  it('ignores Markdown outside docs/*.md, such as installed tools', () => {
    const root = tree({ 'docs/tools/node_modules/x/README.md': page(''), 'docs/tools/README.md': page('') });
    expect(checkDocsSnippets(root)).toEqual([]);
  });
});
