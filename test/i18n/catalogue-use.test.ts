// How the code uses the message catalogues, checked on the source itself (TypeScript's parser): no
// sentence is built by gluing a translated message to literal words or to another translated message
// (give the sentence its own key with parameters instead); every key is used; and no door renders a
// sentence from an English literal where a message belongs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { catalogues } from '../../src/core/i18n/translate.js';

/** Source folders whose words people read: the doors (except the web console, converted separately), presentation, core wording, commands. */
const roots = ['src/channels/slack', 'src/channels/teams', 'src/core', 'src/commands'];

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

/** A call of the catalogue: t(locale, key, …) or tOr(locale, key, fallback). */
function isMessageCall(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && (node.expression.text === 't' || node.expression.text === 'tOr');
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
    if (ts.isTemplateExpression(node)) {
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

/** Keys the code names as literals, and key prefixes it builds from data (`intake.value.${value}`). */
function usedKeys(): { literal: Set<string>; prefixes: Set<string> } {
  const literal = new Set<string>();
  const prefixes = new Set<string>();
  for (const file of [...files, ...sourceFiles(path.resolve('src/channels/web'))]) {
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
  });

  it('never glues a translated message to literal words or to another message', () => {
    expect(files.flatMap(concatenations)).toEqual([]);
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
