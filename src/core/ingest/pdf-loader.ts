// PDF: text per page (pdf-parse 2, built on pdf.js); each page is one section named `page N`.
// The document title comes from the PDF's Info dictionary when present.
import { PDFParse, PasswordException, InvalidPDFException, FormatError } from 'pdf-parse';
import type { DocumentSection, LoadedDocument } from './document.js';
import { IngestFileError } from './ingest-file-error.js';

export async function loadPdf(data: Buffer): Promise<LoadedDocument> {
  const parser = new PDFParse({ data: new Uint8Array(data), verbosity: 0 });
  try {
    const text = await parser.getText({ pageJoiner: '' });
    let title: string | undefined;
    try {
      const info = await parser.getInfo();
      const infoTitle = (info.info as Record<string, unknown> | undefined)?.['Title'];
      if (typeof infoTitle === 'string' && infoTitle.trim() !== '') title = infoTitle.trim();
    } catch {
      // The title is optional; a broken Info dictionary must not reject readable pages.
    }
    const sections: DocumentSection[] = [];
    for (const page of text.pages) {
      const body = page.text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
      if (body !== '') sections.push({ headings: [`page ${page.num}`], text: body, page: page.num });
    }
    return { metadata: title ? { title } : {}, sections };
  } catch (error) {
    if (error instanceof IngestFileError) throw error;
    if (error instanceof PasswordException || (error as { name?: string }).name === 'PasswordException') {
      throw new IngestFileError('encrypted', 'encrypted PDF (password protected)', error);
    }
    if (error instanceof InvalidPDFException || error instanceof FormatError || (error as { name?: string }).name === 'InvalidPDFException') {
      throw new IngestFileError('corrupt', 'corrupt or invalid PDF', error);
    }
    throw new IngestFileError('corrupt', `unreadable PDF (${(error as Error).message ?? 'unknown error'})`, error);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}
