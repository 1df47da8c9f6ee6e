// A compact BM25 inverted index over typed arrays: postings are (document, weighted term frequency)
// pairs per term, scored into a dense score array and cut to the top candidates with a small heap.
// It replaces a general-purpose search library here because scoring must stay within a few
// milliseconds at 100k passages, where common terms match most documents (see docs/retrieval.md).
// Fields: the body counts 1×, section headings and the document title by `Bm25FieldWeights`.

const FORMAT_VERSION = 1;
const K1 = 1.2;
const B = 0.75;

export interface Bm25Document {
  title: string;
  section: string;
  text: string;
}

export interface Bm25Hit {
  id: number;
  /** Raw BM25 score (unbounded). */
  score: number;
  /** idf-weighted share of the query's terms that this document contains, in [0, 1]. */
  coverage: number;
}

/** How much a term in a passage's heading path or document title counts, relative to one in its body. */
export interface Bm25FieldWeights {
  section: number;
  title: number;
}

/** Measured on the gold set (docs/retrieval.md, "Field weights"). */
export const defaultFieldWeights: Bm25FieldWeights = { section: 1.5, title: 0.5 };

/** Alternatives for some query terms (see QueryExpansion in query-lexicon.ts). */
export interface Bm25Expansion {
  replaces: readonly string[];
  alternatives: readonly (readonly string[])[];
  weight: number;
}

/** Two sums per document over typed arrays, with the list of documents set so it can be cleared cheaply. */
class Accumulator {
  readonly first: Float64Array;
  readonly second: Float64Array;
  readonly documents: Uint32Array;
  private readonly marks: Uint8Array;
  count = 0;

  constructor(size: number) {
    this.first = new Float64Array(size);
    this.second = new Float64Array(size);
    this.documents = new Uint32Array(size);
    this.marks = new Uint8Array(size);
  }

  has(document: number): boolean {
    return this.marks[document] === 1;
  }

  private mark(document: number): void {
    if (this.marks[document] === 1) return;
    this.marks[document] = 1;
    this.documents[this.count++] = document;
  }

  add(document: number, first: number, second: number): void {
    this.mark(document);
    this.first[document] = (this.first[document] as number) + first;
    this.second[document] = (this.second[document] as number) + second;
  }

  set(document: number, first: number, second: number): void {
    this.mark(document);
    this.first[document] = first;
    this.second[document] = second;
  }

  clear(): void {
    for (let position = 0; position < this.count; position += 1) {
      const document = this.documents[position] as number;
      this.first[document] = 0;
      this.second[document] = 0;
      this.marks[document] = 0;
    }
    this.count = 0;
  }
}

export class Bm25Index {
  private readonly termIds: Map<string, number>;
  private scores: Float32Array | undefined;
  private matched: Float32Array | undefined;
  private touched: Uint32Array | undefined;
  private expansionScratch: { own: Accumulator; found: Accumulator; best: Accumulator } | undefined;

  private constructor(
    private readonly terms: string[],
    /** Per term, the start of its postings in `postingDocuments`; length terms + 1. */
    private readonly offsets: Uint32Array,
    private readonly postingDocuments: Uint32Array,
    /** Precomputed BM25 term-frequency part per posting (without idf). */
    private readonly postingWeights: Float32Array,
    private readonly documentCount: number,
  ) {
    this.termIds = new Map(terms.map((term, position) => [term, position]));
  }

  static build(documents: Bm25Document[], tokenize: (text: string) => string[], fields: Bm25FieldWeights = defaultFieldWeights): Bm25Index {
    const postings = new Map<string, { documents: number[]; frequencies: number[] }>();
    const lengths = new Float32Array(documents.length);
    documents.forEach((document, id) => {
      const frequencies = new Map<string, number>();
      const add = (text: string, weight: number) => {
        const tokens = tokenize(text);
        for (const token of tokens) frequencies.set(token, (frequencies.get(token) ?? 0) + weight);
        return tokens.length;
      };
      const bodyLength = add(document.text, 1);
      const sectionLength = add(document.section, fields.section);
      add(document.title, fields.title); // the title is shared by every passage of a document: no length penalty
      lengths[id] = bodyLength + sectionLength;
      for (const [term, frequency] of frequencies) {
        let list = postings.get(term);
        if (!list) {
          list = { documents: [], frequencies: [] };
          postings.set(term, list);
        }
        list.documents.push(id);
        list.frequencies.push(frequency);
      }
    });
    let totalLength = 0;
    for (const length of lengths) totalLength += length;
    const averageLength = documents.length === 0 ? 1 : Math.max(1, totalLength / documents.length);
    const terms = [...postings.keys()].sort();
    const offsets = new Uint32Array(terms.length + 1);
    let total = 0;
    terms.forEach((term, position) => {
      offsets[position] = total;
      total += (postings.get(term) as { documents: number[] }).documents.length;
    });
    offsets[terms.length] = total;
    const postingDocuments = new Uint32Array(total);
    const postingWeights = new Float32Array(total);
    terms.forEach((term, position) => {
      const list = postings.get(term) as { documents: number[]; frequencies: number[] };
      let cursor = offsets[position] as number;
      list.documents.forEach((id, entry) => {
        const frequency = list.frequencies[entry] as number;
        const norm = K1 * (1 - B + (B * (lengths[id] as number)) / averageLength);
        postingDocuments[cursor] = id;
        postingWeights[cursor] = (frequency * (K1 + 1)) / (frequency + norm);
        cursor += 1;
      });
    });
    return new Bm25Index(terms, offsets, postingDocuments, postingWeights, documents.length);
  }

  /** Number of documents (passages) in the index. */
  get size(): number {
    return this.documentCount;
  }

  /** Number of documents containing `term`. */
  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : (this.offsets[id + 1] as number) - (this.offsets[id] as number);
  }

  idf(term: string): number {
    const frequency = this.documentFrequency(term);
    return Math.log(1 + (this.documentCount - frequency + 0.5) / (frequency + 0.5));
  }

  /**
   * Best `count` documents for the (already tokenized) query, best first. `expansions` (from the
   * governance lexicon) add alternatives for some query terms: per expansion, a document gets the
   * better of its match on the replaced terms and `weight` × its match on its best alternative.
   */
  search(queryTerms: string[], count: number, allowed?: (id: number) => boolean, expansions: readonly Bm25Expansion[] = []): Bm25Hit[] {
    const unique = [...new Set(queryTerms)];
    if (unique.length === 0 || this.documentCount === 0 || count <= 0) return [];
    // Score buffers are reused across queries (search is synchronous); only touched entries are reset.
    this.scores ??= new Float32Array(this.documentCount);
    this.matched ??= new Float32Array(this.documentCount);
    this.touched ??= new Uint32Array(this.documentCount);
    const { scores, matched, touched } = this;
    let touchedCount = 0;
    let queryWeight = 0;
    for (const term of unique) {
      const idf = this.idf(term);
      queryWeight += idf;
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const end = this.offsets[id + 1] as number;
      for (let cursor = this.offsets[id] as number; cursor < end; cursor += 1) {
        const document = this.postingDocuments[cursor] as number;
        if (matched[document] === 0) touched[touchedCount++] = document;
        scores[document] = (scores[document] as number) + idf * (this.postingWeights[cursor] as number);
        matched[document] = (matched[document] as number) + idf;
      }
    }
    for (const expansion of expansions) touchedCount = this.applyExpansion(expansion, new Set(unique), touchedCount);
    // Top `count` by score (ties: lower id first) with a binary min-heap whose root is the worst kept.
    const heap = new Uint32Array(Math.min(count, touchedCount));
    let size = 0;
    const worse = (left: number, right: number) => {
      const difference = (scores[left] as number) - (scores[right] as number);
      return difference < 0 || (difference === 0 && left > right);
    };
    for (let position = 0; position < touchedCount; position += 1) {
      const document = touched[position] as number;
      if (allowed && !allowed(document)) continue;
      if (size < heap.length) {
        let child = size++;
        heap[child] = document;
        while (child > 0) {
          const parent = (child - 1) >> 1;
          if (!worse(heap[child] as number, heap[parent] as number)) break;
          const swap = heap[parent] as number;
          heap[parent] = heap[child] as number;
          heap[child] = swap;
          child = parent;
        }
      } else if (size > 0 && worse(heap[0] as number, document)) {
        heap[0] = document;
        let parent = 0;
        for (;;) {
          const left = parent * 2 + 1;
          const right = left + 1;
          let smallest = parent;
          if (left < size && worse(heap[left] as number, heap[smallest] as number)) smallest = left;
          if (right < size && worse(heap[right] as number, heap[smallest] as number)) smallest = right;
          if (smallest === parent) break;
          const swap = heap[parent] as number;
          heap[parent] = heap[smallest] as number;
          heap[smallest] = swap;
          parent = smallest;
        }
      }
    }
    const hits = Array.from(heap.subarray(0, size), (id) => ({
      id,
      score: scores[id] as number,
      coverage: Math.min(1, (matched[id] as number) / queryWeight),
    })).sort((left, right) => right.score - left.score || left.id - right.id);
    for (let position = 0; position < touchedCount; position += 1) {
      const document = touched[position] as number;
      scores[document] = 0;
      matched[document] = 0;
    }
    return hits;
  }

  /** Adds idf (first) and idf × term weight (second) to every document holding `term`. */
  private accumulate(term: string, idf: number, into: Accumulator): void {
    const id = this.termIds.get(term);
    if (id === undefined) return;
    const end = this.offsets[id + 1] as number;
    for (let cursor = this.offsets[id] as number; cursor < end; cursor += 1) into.add(this.postingDocuments[cursor] as number, idf, idf * (this.postingWeights[cursor] as number));
  }

  /**
   * Per-document accumulators for expansions, reused across searches: a common alternative term can
   * touch most of the corpus, where a Map entry per document cost ~100 ms per query at 100k passages.
   */
  private expansionBuffers(): { own: Accumulator; found: Accumulator; best: Accumulator } {
    this.expansionScratch ??= { own: new Accumulator(this.documentCount), found: new Accumulator(this.documentCount), best: new Accumulator(this.documentCount) };
    return this.expansionScratch;
  }

  /** Adds one expansion's credit to the score buffers; returns the new touched count. */
  private applyExpansion(expansion: Bm25Expansion, queryTerms: Set<string>, touchedCount: number): number {
    const scores = this.scores as Float32Array;
    const matched = this.matched as Float32Array;
    const touched = this.touched as Uint32Array;
    // own: what the replaced query terms already give each document; best: the best alternative's
    // share of its terms (first) and score (second) per document; found: one alternative at a time.
    const { own, found, best } = this.expansionBuffers();
    const replaced = expansion.replaces.filter((term) => queryTerms.has(term));
    let replacedWeight = 0;
    for (const term of replaced) {
      const idf = this.idf(term);
      replacedWeight += idf;
      this.accumulate(term, idf, own);
    }
    for (const alternative of expansion.alternatives) {
      const terms = [...new Set(alternative)];
      let total = 0;
      for (const term of terms) {
        const idf = this.idf(term);
        total += idf;
        this.accumulate(term, idf, found);
      }
      if (total > 0) {
        for (let position = 0; position < found.count; position += 1) {
          const document = found.documents[position] as number;
          const share = (found.first[document] as number) / total;
          const score = found.second[document] as number;
          if (!best.has(document) || share > (best.first[document] as number) || (share === best.first[document] && score > (best.second[document] as number))) best.set(document, share, score);
        }
      }
      found.clear();
    }
    for (let position = 0; position < best.count; position += 1) {
      const document = best.documents[position] as number;
      const matchGain = Math.max(0, expansion.weight * (best.first[document] as number) * replacedWeight - (own.first[document] as number));
      const scoreGain = Math.max(0, expansion.weight * (best.second[document] as number) - (own.second[document] as number));
      if (matchGain === 0 && scoreGain === 0) continue;
      if (matched[document] === 0 && scores[document] === 0) touched[touchedCount++] = document;
      scores[document] = (scores[document] as number) + scoreGain;
      // A document reached only through an expansion still needs a non-zero mark to be reset later.
      matched[document] = (matched[document] as number) + Math.max(matchGain, 1e-6);
    }
    best.clear();
    own.clear();
    return touchedCount;
  }

  serialize(): Buffer {
    const header = Buffer.from(JSON.stringify({ version: FORMAT_VERSION, documentCount: this.documentCount, terms: this.terms }), 'utf8');
    const prefix = Buffer.alloc(8);
    prefix.writeUInt32LE(header.length, 0);
    prefix.writeUInt32LE(this.postingDocuments.length, 4);
    const padding = Buffer.alloc((4 - ((8 + header.length) % 4)) % 4);
    const bytes = (array: Uint32Array | Float32Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    return Buffer.concat([prefix, header, padding, bytes(this.offsets), bytes(this.postingDocuments), bytes(this.postingWeights)]);
  }

  static deserialize(data: Buffer): Bm25Index {
    const headerLength = data.readUInt32LE(0);
    const postings = data.readUInt32LE(4);
    const header = JSON.parse(data.toString('utf8', 8, 8 + headerLength)) as { version: number; documentCount: number; terms: string[] };
    if (header.version !== FORMAT_VERSION) throw new Error(`lexical index format ${header.version} is not supported`);
    let cursor = 8 + headerLength + ((4 - ((8 + headerLength) % 4)) % 4);
    const take = <T extends Uint32Array | Float32Array>(Type: new (length: number) => T, length: number): T => {
      const array = new Type(length);
      const byteLength = length * 4;
      if (cursor + byteLength > data.length) throw new Error('lexical index is truncated');
      new Uint8Array(array.buffer).set(data.subarray(cursor, cursor + byteLength));
      cursor += byteLength;
      return array;
    };
    const offsets = take(Uint32Array, header.terms.length + 1);
    const documents = take(Uint32Array, postings);
    const weights = take(Float32Array, postings);
    if (cursor !== data.length) throw new Error('lexical index has trailing bytes');
    return new Bm25Index(header.terms, offsets, documents, weights, header.documentCount);
  }
}
