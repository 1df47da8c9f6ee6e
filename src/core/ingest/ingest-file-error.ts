// Why one file could not be ingested. Other files are still ingested; the report lists these.
export type IngestFailureKind = 'corrupt' | 'encrypted' | 'empty' | 'unsupported' | 'unreadable';

export class IngestFileError extends Error {
  readonly kind: IngestFailureKind;

  constructor(kind: IngestFailureKind, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'IngestFileError';
    this.kind = kind;
  }
}
