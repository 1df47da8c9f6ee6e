// The shape every loader produces: a document's metadata plus its text cut into heading sections,
// before size-based chunking turns sections into passages.
import { z } from 'zod';

/** One heading section (or one PDF page) of a loaded document. */
export interface DocumentSection {
  /** Heading path from the `##` level down (the title / H1 is not part of it); empty before the first `##`. */
  headings: string[];
  /** Plain text of the section body. */
  text: string;
  /** 1-based page for paginated formats. */
  page?: number;
}

/** Metadata from front matter (Markdown / text) or the file itself (title of HTML, PDF, DOCX). */
export interface DocumentMetadata {
  title?: string;
  url?: string;
  publisher?: string;
  published?: string;
  jurisdiction?: string;
  kind?: string;
  framework?: string;
  language?: string;
}

export interface LoadedDocument {
  metadata: DocumentMetadata;
  sections: DocumentSection[];
}

const optionalString = z
  .union([z.string(), z.number(), z.date()])
  .optional()
  .nullable()
  .transform((value) => {
    if (value === undefined || value === null) return undefined;
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value).trim();
    return text === '' ? undefined : text;
  });

/** Front matter as written in corpus files; unknown keys are ignored, values coerced to text. */
export const frontMatterSchema = z.object({
  title: optionalString,
  source_url: optionalString,
  publisher: optionalString,
  published: optionalString,
  jurisdiction: optionalString,
  kind: optionalString,
  framework: optionalString,
  language: optionalString,
});

export function metadataFromFrontMatter(data: unknown): DocumentMetadata {
  const parsed = frontMatterSchema.safeParse(data ?? {});
  if (!parsed.success) return {};
  const value = parsed.data;
  const metadata: DocumentMetadata = {};
  if (value.title) metadata.title = value.title;
  if (value.source_url) metadata.url = value.source_url;
  if (value.publisher) metadata.publisher = value.publisher;
  if (value.published) metadata.published = value.published;
  if (value.jurisdiction) metadata.jurisdiction = value.jurisdiction;
  if (value.kind) metadata.kind = value.kind;
  if (value.framework) metadata.framework = value.framework;
  if (value.language) metadata.language = value.language;
  return metadata;
}
