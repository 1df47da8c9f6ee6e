// Word documents (.docx): mammoth converts the document to semantic HTML (Heading 1–6 styles become
// h1–h6), which the HTML loader turns into sections.
import mammoth from 'mammoth';
import type { LoadedDocument } from './document.js';
import { loadHtml } from './html-loader.js';
import { IngestFileError } from './ingest-file-error.js';

export async function loadDocx(data: Buffer): Promise<LoadedDocument> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: data })).value;
  } catch (error) {
    throw new IngestFileError('corrupt', 'corrupt or invalid DOCX (not a readable Word document)', error);
  }
  return loadHtml(`<html><body>${html}</body></html>`);
}
