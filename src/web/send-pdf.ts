import type { FastifyReply } from 'fastify';

/** A receipt's PDF as a download: never cached, its file name kept to safe characters. */
export function sendPdf(reply: FastifyReply, file: { filename: string; pdf: Buffer }) {
  return reply
    .type('application/pdf')
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`)
    .send(file.pdf);
}
