// Expands ingest arguments (files and folders) into corpus files with their source names. Hidden
// files and folders (dot-names) and editor leftovers are skipped; anything else is returned, so an
// unsupported type is reported rather than silently ignored.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface CorpusFile {
  /** Absolute path. */
  file: string;
  /** Name inside the index: path relative to the corpus root (or to the folder given), `/`-separated. */
  source: string;
}

const ignoredNames = /^(\..*|.*~|#.*#|Thumbs\.db|desktop\.ini)$/i;

function sourceName(file: string, base: string): string {
  return path.relative(base, file).split(path.sep).join('/');
}

async function walk(directory: string, base: string, into: CorpusFile[]): Promise<void> {
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((left, right) => left.name.localeCompare(right.name));
  for (const entry of entries) {
    if (ignoredNames.test(entry.name)) continue;
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) await walk(full, base, into);
    else if (entry.isFile()) into.push({ file: full, source: sourceName(full, base) });
  }
}

function inside(file: string, directory: string): boolean {
  const relative = path.relative(directory, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Lists the files named by `paths` (default: the whole corpus root). Sources are relative to the
 * corpus root when the file lies inside it, else relative to the folder argument (or the bare
 * file name for a file argument). Missing paths are returned in `missing`.
 */
export async function collectFiles(corpusRoot: string, paths?: string[]): Promise<{ files: CorpusFile[]; missing: string[] }> {
  const root = path.resolve(corpusRoot);
  const files: CorpusFile[] = [];
  const missing: string[] = [];
  for (const given of paths && paths.length > 0 ? paths : [root]) {
    const absolute = path.resolve(given);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) {
      missing.push(given);
      continue;
    }
    const base = absolute === root || inside(absolute, root) ? root : info.isDirectory() ? absolute : path.dirname(absolute);
    if (info.isDirectory()) await walk(absolute, base, files);
    else files.push({ file: absolute, source: sourceName(absolute, base) });
  }
  const seen = new Set<string>();
  return { files: files.filter((entry) => (seen.has(entry.source) ? false : (seen.add(entry.source), true))), missing };
}
