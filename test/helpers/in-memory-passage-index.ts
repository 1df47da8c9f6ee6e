// An in-memory PassageIndex for pipeline tests: the port's whole contract (one writer at a time,
// staged changes, all-or-nothing commit, discard) over a map, plus read access to what was committed.
// It passes the same contract suite as CorpusIndex (passage-index-contract.ts).
import { ShishinError } from '../../src/errors.js';
import type { Passage } from '../../src/ports/passage.js';
import type {
  IndexBuildSettings,
  PassageIndex,
  PassageIndexManifest,
  PassageIndexWriter,
  SourcePassages,
  UpdateOptions,
} from '../../src/ports/passage-index.js';

interface Committed {
  sources: Map<string, SourcePassages>;
  settings: IndexBuildSettings | undefined;
}

function manifestOf(state: Committed): PassageIndexManifest {
  const names = [...state.sources.keys()].sort();
  const sources = Object.fromEntries(
    names.map((name) => {
      const entry = state.sources.get(name) as SourcePassages;
      return [name, { path: entry.path, sha256: entry.sha256, passages: entry.passages.length }];
    }),
  );
  const passages = names.reduce((total, name) => total + (state.sources.get(name)?.passages.length ?? 0), 0);
  return { embedderId: state.settings?.embedderId, chunking: state.settings?.chunking, sources, passages };
}

export class InMemoryPassageIndex implements PassageIndex {
  /** Number of commits so far: tells an ingest that wrote from one that had nothing to do. */
  commits = 0;
  private state: Committed = { sources: new Map(), settings: undefined };
  private queue: Promise<unknown> = Promise.resolve();

  async update<T>(work: (writer: PassageIndexWriter) => Promise<T>, options: UpdateOptions = {}): Promise<T> {
    const run = this.queue.catch(() => undefined).then(() => work(this.writer(options.discard === true)));
    this.queue = run;
    return run;
  }

  /** What is committed, as a writer would see it. */
  manifest(): PassageIndexManifest {
    return manifestOf(this.state);
  }

  /** Committed passages, sources in name order. */
  passages(): Passage[] {
    return [...this.state.sources.keys()].sort().flatMap((name) => this.state.sources.get(name)?.passages ?? []);
  }

  /** The committed vector of a passage. */
  vectorOf(chunkId: string): number[] | undefined {
    for (const entry of this.state.sources.values()) {
      const position = entry.passages.findIndex((passage) => passage.chunkId === chunkId);
      if (position >= 0) return entry.vectors[position];
    }
    return undefined;
  }

  private writer(discard: boolean): PassageIndexWriter {
    let base: Committed = discard ? { sources: new Map(), settings: undefined } : this.state;
    const puts = new Map<string, SourcePassages>();
    const removals = new Set<string>();
    const commit = async (settings: IndexBuildSettings) => {
      const sources = new Map(base.sources);
      for (const source of removals) sources.delete(source);
      for (const [source, entry] of puts) sources.set(source, entry);
      const lengths = new Set([...sources.values()].flatMap((entry) => entry.vectors.map((vector) => vector.length)));
      if (lengths.size > 1) throw new ShishinError('provider_failed', `Vectors of ${[...lengths].join(' and ')} dimensions in one index`);
      base = { sources, settings: { embedderId: settings.embedderId, chunking: { ...settings.chunking } } };
      this.state = base;
      this.commits += 1;
      puts.clear();
      removals.clear();
      return manifestOf(base);
    };
    return {
      get manifest() {
        return manifestOf(base);
      },
      putSource(entry) {
        if (entry.vectors.length !== entry.passages.length) {
          throw new ShishinError('input_invalid', `${entry.vectors.length} vectors for ${entry.passages.length} passages of ${entry.source}`);
        }
        removals.delete(entry.source);
        puts.set(entry.source, { ...entry, passages: [...entry.passages], vectors: entry.vectors.map((vector) => [...vector]) });
      },
      removeSource(source) {
        puts.delete(source);
        removals.add(source);
      },
      commit,
    };
  }
}
