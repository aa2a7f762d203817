import { createServer } from 'node:http';
import type { AdmissionServer } from '@kopf/core';
import { errorAnswer, readReviewRequest } from '@kopf/reactor';

/** Plain HTTP behind a proxy that terminates TLS at `publicUrl` (with `caPem` as its CA). */
export function behindProxy(publicUrl: string, caPem: string): AdmissionServer {
  return {
    async *serve(handle, { signal }) {
      const server = createServer(async (request, response) => {
        const read = await readReviewRequest(request, { root: '', maxBodySize: 3 * 1024 * 1024 });
        let answer = 'status' in read ? read : undefined; // 400, 404, 405, 413 … as a Status
        if (!answer && !('status' in read)) {
          try {
            answer = { status: 200, body: await handle(read.review, read.context) };
          } catch (error) {
            answer = errorAnswer(error); // malformed reviews → 400, unknown resources → 404
          }
        }
        response.writeHead(answer?.status ?? 500, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(answer?.body));
      });
      await new Promise<void>((resolve) => server.listen(8080, '127.0.0.1', resolve));
      signal.addEventListener('abort', () => server.close(), { once: true });
      yield { url: publicUrl, caBundle: Buffer.from(caPem).toString('base64') };
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    },
  };
}
