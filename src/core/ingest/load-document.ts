// Reads one corpus file and hands it to the loader for its format. Every failure is an
// IngestFileError with a reason a person can act on (corrupt, encrypted, empty, unsupported).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedDocument } from './document.js';
import { IngestFileError } from './ingest-file-error.js';
import { loadMarkdown, loadPlainText } from './markdown-loader.js';

// The HTML, PDF and DOCX readers pull in large libraries (cheerio, pdf.js, mammoth); they are
// imported on first use so a service that only serves a stored index starts quickly.

/** File extensions the loaders understand (lower case, with the dot). */
export const supportedExtensions = ['.md', '.markdown', '.txt', '.html', '.htm', '.pdf', '.docx'] as const;

export function isSupportedFile(file: string): boolean {
  return (supportedExtensions as readonly string[]).includes(path.extname(file).toLowerCase());
}

function decodeText(data: Buffer): string {
  if (data.includes(0)) throw new IngestFileError('corrupt', 'binary content in a text file');
  return data.toString('utf8').replace(/^\uFEFF/, '');
}

/** Loads a document from its bytes; `file` is used for the extension and messages only. */
export async function loadDocumentData(file: string, data: Buffer): Promise<LoadedDocument> {
  const extension = path.extname(file).toLowerCase();
  if (!isSupportedFile(file)) {
    throw new IngestFileError('unsupported', `unsupported file type "${extension || '(none)'}" (supported: ${supportedExtensions.join(', ')})`);
  }
  if (data.length === 0) throw new IngestFileError('empty', 'empty file');
  let document: LoadedDocument;
  switch (extension) {
    case '.md':
    case '.markdown':
      document = loadMarkdown(decodeText(data));
      break;
    case '.txt':
      document = loadPlainText(decodeText(data));
      break;
    case '.html':
    case '.htm':
      document = (await import('./html-loader.js')).loadHtml(decodeText(data));
      break;
    case '.pdf':
      if (!data.subarray(0, 1024).toString('latin1').includes('%PDF-')) throw new IngestFileError('corrupt', 'corrupt or invalid PDF (no PDF header)');
      document = await (await import('./pdf-loader.js')).loadPdf(data);
      break;
    default:
      if (data.readUInt32LE(0) !== 0x04034b50) throw new IngestFileError('corrupt', 'corrupt or invalid DOCX (not a ZIP package)');
      document = await (await import('./docx-loader.js')).loadDocx(data);
  }
  if (document.sections.every((section) => section.text.trim() === '')) {
    throw new IngestFileError('empty', extension === '.pdf' ? 'no extractable text (scanned or empty PDF?)' : 'no text content');
  }
  return document;
}

export async function loadDocumentFile(file: string): Promise<{ document: LoadedDocument; data: Buffer }> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    throw new IngestFileError('unreadable', `cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  return { document: await loadDocumentData(file, data), data };
}
