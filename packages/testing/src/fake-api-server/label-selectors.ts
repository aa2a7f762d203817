/**
 * Label selectors with the full grammar of apimachinery `labels.Parse`: `k=v`,
 * `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>N`, `k<N`; comma is AND.
 * A bad selector throws a 400 BadRequest, as the real server answers.
 */
import { badRequest } from './statuses.js';

/** One requirement of a selector. */
export type LabelRequirement =
  | { readonly key: string; readonly op: 'exists' | '!' }
  | { readonly key: string; readonly op: '=' | '!=' | 'in' | 'notin'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: '>' | '<'; readonly bound: number };

/** A parsed selector: all requirements must hold. */
export type LabelSelector = readonly LabelRequirement[];

type Token = { readonly kind: 'id' | 'op'; readonly text: string };

const OPERATORS = ['==', '!=', '=', '!', '(', ')', ',', '>', '<'] as const;
const SPECIAL = /[\s,=!()<>]/;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < input.length) {
    const char = input[index] as string;
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    const op = OPERATORS.find((candidate) => input.startsWith(candidate, index));
    if (op) {
      tokens.push({ kind: 'op', text: op });
      index += op.length;
      continue;
    }
    let end = index;
    while (end < input.length && !SPECIAL.test(input[end] as string)) end += 1;
    tokens.push({ kind: 'id', text: input.slice(index, end) });
    index = end;
  }
  return tokens;
}

const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkKey(key: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefixOk = slash < 0 || (prefix.length > 0 && prefix.length <= 253 && PREFIX.test(prefix));
  if (!prefixOk || name.length > 63 || !NAME.test(name)) {
    throw badRequest(
      `unable to parse requirement: key: Invalid value: ${JSON.stringify(key)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

function checkValue(value: string): void {
  if (value !== '' && (value.length > 63 || !NAME.test(value))) {
    throw badRequest(
      `unable to parse requirement: values[0]: Invalid value: ${JSON.stringify(value)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    while (this.peek()) {
      requirements.push(this.requirement());
      const next = this.next();
      if (next && next.text !== ',') this.fail(next, "',' or 'end of string'");
      if (next && !this.peek()) this.fail(undefined, 'identifier');
    }
    return requirements;
  }

  private requirement(): LabelRequirement {
    const first = this.next();
    if (first?.text === '!' && first.kind === 'op') {
      return { key: this.key(), op: '!' };
    }
    if (first?.kind !== 'id') return this.fail(first, "!, identifier, or 'end of string'");
    checkKey(first.text);
    const key = first.text;
    const op = this.peek();
    if (!op || op.text === ',') return { key, op: 'exists' };
    this.next();
    if (op.text === '=' || op.text === '==' || op.text === '!=') {
      const value = this.peek()?.kind === 'id' ? (this.next() as Token).text : '';
      checkValue(value);
      return { key, op: op.text === '!=' ? '!=' : '=', values: [value] };
    }
    if (op.kind === 'id' && (op.text === 'in' || op.text === 'notin'))
      return { key, op: op.text, values: this.set() };
    if (op.text === '>' || op.text === '<') return { key, op: op.text, bound: this.integer() };
    return this.fail(op, "'=', '!=', '==', 'in', notin', '>' or '<'");
  }

  private key(): string {
    const token = this.next();
    if (token?.kind !== 'id') return this.fail(token, 'identifier after "!"');
    checkKey(token.text);
    return token.text;
  }

  private set(): string[] {
    if (this.next()?.text !== '(') return this.fail(undefined, "'(' after 'in' or 'notin'");
    const values: string[] = [];
    for (;;) {
      const token = this.peek();
      const value = token?.kind === 'id' ? (this.next() as Token).text : '';
      checkValue(value);
      values.push(value);
      const separator = this.next();
      if (separator?.text === ')') return values;
      if (separator?.text !== ',') return this.fail(separator, "',' or ')'");
    }
  }

  private integer(): number {
    const token = this.next();
    const bound = Number(token?.text);
    if (token?.kind !== 'id' || !Number.isInteger(bound)) {
      throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
    }
    return bound;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token | undefined {
    const token = this.tokens[this.position];
    this.position += 1;
    return token;
  }

  private fail(found: Token | undefined, expected: string): never {
    const what = found ? `'${found.text}'` : "'end of string'";
    throw badRequest(
      `unable to parse requirement: found ${what}, expected: ${expected} (in ${JSON.stringify(this.source)})`,
    );
  }
}

/** Parses a `labelSelector` query value; empty means "everything". */
export function parseLabelSelector(source: string): LabelSelector {
  return new Parser(tokenize(source), source).parse();
}

function holds(requirement: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key];
  switch (requirement.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
    case 'in':
      return has && requirement.values.includes(value as string);
    case '!=':
    case 'notin':
      return !has || !requirement.values.includes(value as string);
    case '>':
    case '<': {
      const number = Number(value);
      if (!has || value === '' || !Number.isInteger(number)) return false;
      return requirement.op === '>' ? number > requirement.bound : number < requirement.bound;
    }
  }
}

/** Whether labels satisfy every requirement. */
export function matchesLabels(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return selector.every((requirement) => holds(requirement, labels ?? {}));
}
