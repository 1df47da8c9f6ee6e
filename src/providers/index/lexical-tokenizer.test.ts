import { describe, expect, it } from 'vitest';
import { lexicalTokens } from './lexical-tokenizer.js';

describe('lexical tokens', () => {
  it('stems English, drops stop words and keeps numbers', () => {
    expect(lexicalTokens('The providers are obliged under Article 50')).toEqual(['provid', 'oblig', 'articl', '50']);
    expect(lexicalTokens('provider')).toEqual(lexicalTokens('providers'));
    expect(lexicalTokens("the provider's duties")).toEqual(['provid', 'duti']);
  });

  it('segments Japanese into words, drops particles and adds CJK bigrams', () => {
    const tokens = lexicalTokens('人工知能の適正性を確保する');
    expect(tokens).toEqual(expect.arrayContaining(['人工', '知能', '適正', '確保', '¦知能', '¦適正']));
    expect(tokens).not.toContain('の');
    expect(tokens).not.toContain('を');
    expect(lexicalTokens('人工知能', { cjkBigrams: false })).toEqual(['人工', '知能']);
  });

  it('handles mixed and full-width text', () => {
    expect(lexicalTokens('ＡＩガバナンス')).toEqual(expect.arrayContaining(['ai', 'ガバナンス']));
    expect(lexicalTokens('')).toEqual([]);
  });
});

describe('name tokens', () => {
  it('finds capitalised words inside a sentence and acronyms, not sentence-initial words', async () => {
    const { nameTokens } = await import('./lexical-tokenizer.js');
    expect([...nameTokens("Does Singapore's framework apply? What about the VPN?")]).toEqual(['singapor', 'vpn']);
    expect([...nameTokens('How much vacation do I get?')]).toEqual([]);
  });
});

describe('reference tokens', () => {
  it('keeps legal and clause references whole', () => {
    const references = (text: string) => lexicalTokens(text).filter((token) => token.startsWith('§'));
    expect(references('What is the fine under Article 99(5)?')).toEqual(['§99(5)']);
    expect(references('Article 5(1)(h) applies')).toEqual(['§5(1)(h)']);
    expect(references('Annex A.7 and clause 6.1.2')).toEqual(['§a.7', '§6.1.2']);
    expect(references('EUR 35 million or 7%')).toEqual([]);
  });
});
