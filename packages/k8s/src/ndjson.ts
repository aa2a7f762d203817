/**
 * Newline-delimited JSON, as a watch stream sends it: one value per line, lines of
 * any length (Secrets can be megabytes), UTF-8 split anywhere between chunks. A
 * line that is not JSON breaks the stream loudly (the watcher restarts from the
 * last good resourceVersion) instead of being skipped as client-node does.
 */
import { StringDecoder } from 'node:string_decoder';

/** A watch stream delivered a line that is not JSON. */
export class StreamParseError extends Error {
  override name = 'StreamParseError';
}

/** Parses the chunks of a stream into JSON values, one per non-empty line. */
export async function* parseJsonLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<unknown> {
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  for await (const chunk of chunks) {
    buffer += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let newline = buffer.indexOf('\n', start);
    while (newline >= 0) {
      const line = buffer.slice(start, newline);
      start = newline + 1;
      if (line.trim()) yield parseLine(line);
      newline = buffer.indexOf('\n', start);
    }
    buffer = buffer.slice(start);
  }
  buffer += decoder.end();
  if (buffer.trim()) yield parseLine(buffer);
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new StreamParseError(
      `Reading the watch stream failed: a line of ${line.length} chars is not JSON.`,
      {
        cause: error,
      },
    );
  }
}
