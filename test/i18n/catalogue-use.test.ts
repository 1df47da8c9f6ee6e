// How the code uses the message catalogues, checked on the source itself (TypeScript's parser): no
// sentence is built by gluing a translated message to literal words or to another translated message
// (give the sentence its own key with parameters instead); every key is used; and no door renders a
// sentence from an English literal where a message belongs. In the console's `html` templates markup
// separates texts: a message may sit in an element of its own, and literal words between tags are
// refused (only proper names such as "Shishin" pass).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { catalogues } from '../../src/core/i18n/translate.js';

/** Source folders whose words people read: the doors (the web console and API included), presentation, core wording, commands. */
const roots = ['src/channels/slack', 'src/channels/teams', 'src/channels/web', 'src/core', 'src/commands'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.test.ts') ? [full] : [];
  });
}

const files = roots.flatMap((root) => sourceFiles(path.resolve(root)));

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

/** A call of the catalogue: t(locale, key, …), tOr(locale, key, fallback) or tHtml(locale, key, …) (the console's markup form). */
function isMessageCall(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['t', 'tOr', 'tHtml'].includes(node.expression.text);
}

/** Whether a template is the console's `html` tagged template. */
function isMarkupTemplate(node: ts.TemplateExpression | ts.NoSubstitutionTemplateLiteral): boolean {
  return ts.isTaggedTemplateExpression(node.parent) && ts.isIdentifier(node.parent.tag) && node.parent.tag.text === 'html';
}

// Private-use characters mark interpolations (no source text contains them).
const messageMark = '\u{E010}';
const valueMark = '\u{E011}';
const attributeFragment = /^(?:\s+[a-z][a-z-]*(?:="[^"]*")?|\u{E011})+\s*$/u;

/**
 * The texts between tags of a markup template, interpolations marked (a message, or another value).
 * Tags (their attributes and any interpolation inside them) separate texts; entities are not words.
 */
function markupTexts(node: ts.TemplateExpression | ts.NoSubstitutionTemplateLiteral): string[] {
  const source = ts.isNoSubstitutionTemplateLiteral(node)
    ? node.text
    : node.head.text + node.templateSpans.map((span) => (isMessageCall(span.expression) ? messageMark : valueMark) + span.literal.text).join('');
  // A fragment of attributes for a tag around it (` checked`, ` aria-invalid="true"`) holds no text.
  if (attributeFragment.test(source)) return [];
  return source
    .replace(/<[^<>]*>/gu, '\n')
    .replace(/&[#A-Za-z0-9]+;/gu, ' ')
    .split('\n');
}

/** Names that are never translated and may stand as literal text in console markup. */
const literalNames = ['Shishin', '指針', 'CSV', 'JSON'];

function withoutNames(text: string): string {
  return literalNames.reduce((rest, name) => rest.split(name).join(' '), text);
}

/** Literal text that carries words (letters of any script), not just markup, spacing or punctuation. */
const words = /[\p{L}]{2,}/u;

function where(file: string, source: ts.SourceFile, node: ts.Node): string {
  const { line } = source.getLineAndCharacterOfPosition(node.getStart());
  return `${path.relative(process.cwd(), file)}:${line + 1}: ${node.getText().slice(0, 140)}`;
}

/** Template literals and `+` chains that glue a message to words or to another message. */
function concatenations(file: string): string[] {
  const source = parse(file);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isTemplateExpression(node) && isMarkupTemplate(node)) {
      for (const text of markupTexts(node)) {
        const messages = text.split(messageMark).length - 1;
        if (messages > 0 && (words.test(withoutNames(text.split(messageMark).join(' ').split(valueMark).join(' '))) || messages > 1)) found.push(where(file, source, node));
      }
    } else if (ts.isTemplateExpression(node)) {
      const messages = node.templateSpans.filter((span) => isMessageCall(span.expression)).length;
      if (messages > 0) {
        const literal = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
        if (words.test(literal) || messages > 1) found.push(where(file, source, node));
      }
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const sides = [node.left, node.right];
      if (sides.some(isMessageCall) && sides.some((side) => isMessageCall(side) || ((ts.isStringLiteral(side) || ts.isNoSubstitutionTemplateLiteral(side)) && words.test(side.text)))) {
        found.push(where(file, source, node));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Literal words between the tags of the console's markup templates: sentences that belong in the catalogue. */
function literalMarkupWords(file: string): string[] {
  const source = parse(file);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) && isMarkupTemplate(node)) {
      for (const text of markupTexts(node)) {
        if (words.test(withoutNames(text.split(messageMark).join(' ').split(valueMark).join(' ')))) found.push(`${where(file, source, node)} → ${JSON.stringify(text.trim())}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Keys the code names as literals, and key prefixes it builds from data (`intake.value.${value}`). */
function usedKeys(): { literal: Set<string>; prefixes: Set<string> } {
  const literal = new Set<string>();
  const prefixes = new Set<string>();
  for (const file of files) {
    const source = parse(file);
    const visit = (node: ts.Node) => {
      if (isMessageCall(node)) {
        for (const argument of node.arguments) {
          if (ts.isStringLiteral(argument)) literal.add(argument.text);
          if (ts.isTemplateExpression(argument)) prefixes.add(argument.head.text);
        }
      }
      if (ts.isConditionalExpression(node)) {
        // Keys chosen by a condition inside a message call: t(locale, a ? 'x.y' : 'x.z').
        let parent: ts.Node = node.parent;
        while (ts.isConditionalExpression(parent) || ts.isParenthesizedExpression(parent)) parent = parent.parent;
        if (isMessageCall(parent)) for (const branch of [node.whenTrue, node.whenFalse]) if (ts.isStringLiteral(branch)) literal.add(branch.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { literal, prefixes };
}

function flatten(value: unknown, prefix = ''): string[] {
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => (typeof child === 'string' ? [`${prefix}${key}`] : flatten(child, `${prefix}${key}.`)));
}

describe('catalogue use in the source', () => {
  it('finds the sources it checks', () => {
    expect(files.length).toBeGreaterThan(60);
    expect(files.some((file) => file.endsWith('intake-blocks.ts'))).toBe(true);
    expect(files.some((file) => file.endsWith(path.join('web', 'pages', 'intake-pages.ts')))).toBe(true);
    expect(files.some((file) => file.endsWith(path.join('web', 'api-router.ts')))).toBe(true);
  });

  it('never glues a translated message to literal words or to another message', () => {
    expect(files.flatMap(concatenations)).toEqual([]);
  });

  it('writes no literal words between the tags of console markup', () => {
    expect(files.filter((file) => file.includes(`${path.sep}web${path.sep}`)).flatMap(literalMarkupWords)).toEqual([]);
  });

  it('would catch glued fragments and literal words in console markup', () => {
    const probe = (code: string) => {
      const source = ts.createSourceFile('probe.ts', code, ts.ScriptTarget.ES2022, true);
      const glued: string[] = [];
      const literal: string[] = [];
      const visit = (node: ts.Node) => {
        if ((ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) && isMarkupTemplate(node)) {
          for (const text of markupTexts(node)) {
            const plain = withoutNames(text.split(messageMark).join(' ').split(valueMark).join(' '));
            if (words.test(plain)) literal.push(text);
            if (text.includes(messageMark) && (words.test(plain) || text.split(messageMark).length > 2)) glued.push(text);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
      return { glued, literal };
    };
    expect(probe("html`<p>Decision: ${t(locale, 'console.detail.decision')}</p>`").glued).toHaveLength(1);
    expect(probe("html`<p>${t(locale, 'a.b')} ${t(locale, 'a.c')}</p>`").glued).toHaveLength(1);
    expect(probe("html`<p>Back to the console</p>`").literal).toHaveLength(1);
    const separate = probe("html`<dt>${t(locale, 'a.b')}</dt><dd class=\"value\">${value}</dd><a href=\"/x?y=${id}\" aria-label=\"${t(locale, 'a.c')}\">${t(locale, 'a.d')}</a> · <span>Shishin</span>`");
    expect(separate).toEqual({ glued: [], literal: [] });
    expect(probe('html` aria-invalid="true" aria-describedby="${id}-error"${more}`')).toEqual({ glued: [], literal: [] });
    expect(probe('html` Not signed in`').literal).toHaveLength(1);
  });

  it('would catch glued fragments', () => {
    const probe = (code: string) => {
      const source = ts.createSourceFile('probe.ts', code, ts.ScriptTarget.ES2022, true);
      const found: string[] = [];
      const visit = (node: ts.Node) => {
        if (ts.isTemplateExpression(node) && node.templateSpans.some((span) => isMessageCall(span.expression))) {
          const literal = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
          if (words.test(literal) || node.templateSpans.filter((span) => isMessageCall(span.expression)).length > 1) found.push(node.getText());
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
      return found;
    };
    expect(probe("const a = `Status: ${t(locale, 'status.approved')}`;")).toHaveLength(1);
    expect(probe("const a = `${t(locale, 'tier.high')} ${t(locale, 'classification.why')}`;")).toHaveLength(1);
    expect(probe("const a = `*${t(locale, 'classification.why')}*`;")).toHaveLength(0);
  });

  it('uses every message of the catalogue', () => {
    const { literal, prefixes } = usedKeys();
    const stem = (key: string) => key.replace(/_(?:one|other)$/u, '');
    const unused = flatten(catalogues.en)
      .map(stem)
      .filter((key) => !literal.has(key) && ![...prefixes].some((prefix) => prefix !== '' && key.startsWith(prefix)));
    expect([...new Set(unused)]).toEqual([]);
  });
});
