/**
 * Keeps the TypeScript in the documentation honest: every ```ts block in
 * `docs/*.md` must be a copy of a file under `docs/snippets/`, named by a marker
 * on the line just before the fence (`<!-- snippet: handlers-create.ts -->`).
 * The files are type-checked by `docs/tsconfig.json`, so a page that drifts from
 * the API fails the build. Also fails on markers naming missing files, markers
 * with no block, snippet files that no page shows, and snippet names that do not
 * start with their page's name (`handlers.md` shows `handlers-*.ts`), so that
 * pages written in parallel never collide.
 *
 * Run: `npx tsx scripts/check-docs-snippets.ts [root]`; exits 1 and lists problems.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from './file-listing.js';

/** One thing wrong with the docs' snippets, located in a page or a snippet file. */
export interface SnippetProblem {
  readonly file: string;
  readonly line: number;
  readonly problem: string;
}

/** A fenced code block of a Markdown page. */
export interface CodeBlock {
  /** The first word of the fence's info string (`ts`, `sh`, …), or `''`. */
  readonly language: string;
  /** The block's text, without its fences, with the fence's indentation removed. */
  readonly content: string;
  /** 1-based line number of the opening fence. */
  readonly line: number;
  /** The snippet file named by a marker on the line just before the fence, if any. */
  readonly snippet: string | undefined;
}

/** A marker that names a snippet file but is not followed by a code block. */
export interface StrayMarker {
  readonly snippet: string;
  readonly line: number;
}

const TYPESCRIPT_LANGUAGES: ReadonlySet<string> = new Set(['ts', 'typescript', 'mts', 'cts', 'tsx']);
const MARKER = /^\s*<!--\s*snippet:\s*(\S+?)\s*-->\s*$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/;

/** Is this fence language TypeScript (and so must be a checked snippet)? */
export function isTypeScript(language: string): boolean {
  return TYPESCRIPT_LANGUAGES.has(language.toLowerCase());
}

function stripIndent(line: string, indent: number): string {
  let cut = 0;
  while (cut < indent && (line[cut] === ' ' || line[cut] === '\t')) cut++;
  return line.slice(cut);
}

/** Splits a Markdown page into its fenced code blocks and its markers without a block. */
export function extractBlocks(markdown: string): { blocks: CodeBlock[]; strayMarkers: StrayMarker[] } {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  const strayMarkers: StrayMarker[] = [];
  let pending: StrayMarker | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const fence = FENCE.exec(text);
    if (!fence) {
      if (pending) strayMarkers.push(pending);
      const marker = MARKER.exec(text);
      pending = marker ? { snippet: marker[1] ?? '', line: i + 1 } : undefined;
      continue;
    }
    const indent = fence[1]?.length ?? 0;
    const opener = fence[2] ?? '```';
    const body: string[] = [];
    let end = i + 1;
    for (; end < lines.length; end++) {
      const closing = lines[end] ?? '';
      const trimmed = closing.trim();
      if (trimmed.startsWith(opener[0]!.repeat(opener.length)) && /^([`~])\1*$/.test(trimmed)) break;
      body.push(stripIndent(closing, indent));
    }
    blocks.push({
      language: fence[3] ?? '',
      content: body.join('\n'),
      line: i + 1,
      snippet: pending?.snippet,
    });
    pending = undefined;
    i = end;
  }
  if (pending) strayMarkers.push(pending);
  return { blocks, strayMarkers };
}

/** The pages whose ts blocks are checked: `docs/*.md` (flat, like the pages themselves). */
function listPages(docsDir: string): string[] {
  if (!existsSync(docsDir)) return [];
  return readdirSync(docsDir)
    .filter((entry) => entry.endsWith('.md') && statSync(join(docsDir, entry)).isFile())
    .sort()
    .map((entry) => join(docsDir, entry));
}

const withoutTrailingNewlines = (text: string): string => text.replace(/\s*$/, '');

function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `line ${i + 1} of the block: file has ${JSON.stringify(a[i] ?? '<end>')}, page has ${JSON.stringify(b[i] ?? '<end>')}`;
    }
  }
  return 'they differ';
}

function isSafeSnippetName(name: string): boolean {
  return name.endsWith('.ts') && !name.startsWith('/') && !name.split('/').includes('..');
}

function checkBlock(
  page: string,
  block: CodeBlock,
  snippetsDir: string,
  used: Set<string>,
): SnippetProblem | undefined {
  const fix = `copy the block into docs/snippets/<page>-<what>.ts and put "<!-- snippet: <page>-<what>.ts -->" on the line before the fence`;
  if (!block.snippet) {
    if (!isTypeScript(block.language)) return undefined;
    return {
      file: page,
      line: block.line,
      problem: `\`\`\`${block.language} block has no snippet marker; ${fix}`,
    };
  }
  if (!isTypeScript(block.language)) {
    return {
      file: page,
      line: block.line,
      problem: `marker names ${block.snippet} but the block is \`\`\`${block.language || '(no language)'}; mark it \`\`\`ts or drop the marker`,
    };
  }
  if (!isSafeSnippetName(block.snippet)) {
    return {
      file: page,
      line: block.line,
      problem: `marker "${block.snippet}" must name a .ts file under docs/snippets/ (relative, no "..")`,
    };
  }
  const pageName = page.split('/').pop()?.replace(/\.md$/, '') ?? '';
  if (!block.snippet.startsWith(`${pageName}-`)) {
    return {
      file: page,
      line: block.line,
      problem: `snippet "${block.snippet}" must be named after its page: rename it to ${pageName}-<what>.ts`,
    };
  }
  const path = join(snippetsDir, ...block.snippet.split('/'));
  if (!existsSync(path)) {
    return {
      file: page,
      line: block.line,
      problem: `marker names docs/snippets/${block.snippet}, which does not exist; create it with the block's text`,
    };
  }
  used.add(resolve(path));
  const expected = withoutTrailingNewlines(readFileSync(path, 'utf8'));
  const actual = withoutTrailingNewlines(block.content);
  if (expected === actual) return undefined;
  return {
    file: page,
    line: block.line,
    problem: `block differs from docs/snippets/${block.snippet} (${firstDifference(expected, actual)}); make them identical`,
  };
}

/** Checks every page under `<root>/docs` against the files under `<root>/docs/snippets`. */
export function checkDocsSnippets(root: string): SnippetProblem[] {
  const docsDir = join(root, 'docs');
  const snippetsDir = join(docsDir, 'snippets');
  const used = new Set<string>();
  const problems: SnippetProblem[] = [];
  for (const page of listPages(docsDir)) {
    const where = relative(root, page).split(sep).join('/');
    const { blocks, strayMarkers } = extractBlocks(readFileSync(page, 'utf8'));
    for (const block of blocks) {
      const problem = checkBlock(where, block, snippetsDir, used);
      if (problem) problems.push(problem);
    }
    for (const marker of strayMarkers) {
      problems.push({
        file: where,
        line: marker.line,
        problem: `marker names ${marker.snippet} but no code fence follows on the next line; put the marker right before the \`\`\`ts fence`,
      });
    }
  }
  for (const file of listFiles(snippetsDir, (name) => name.endsWith('.ts'))) {
    if (used.has(resolve(file))) continue;
    problems.push({
      file: relative(root, file).split(sep).join('/'),
      line: 1,
      problem: 'no page shows this snippet; show it in a page (with its marker) or delete it',
    });
  }
  return problems;
}

function main(): void {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const problems = checkDocsSnippets(root);
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.problem}`);
  if (problems.length > 0) {
    console.error(
      `\n${problems.length} docs snippet problem(s). Every \`\`\`ts block in docs/*.md is a copy of docs/snippets/<file>.ts, marked by "<!-- snippet: <file>.ts -->" on the line before it.`,
    );
    process.exit(1);
  }
  console.log('Docs snippets: OK');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
