import { expect } from 'chai';
import {
  fold,
  MAX_TOKEN_LENGTH,
  queryWords,
  searchKeywords,
  tokens,
} from '../../src/domain/search-keywords.js';

describe('tokens', function () {
  it('splits on anything but letters and digits, lower-cases and strips accents', function () {
    expect(tokens('Wireless Noise-Cancelling Headphones')).to.deep.equal([
      'wireless',
      'noise',
      'cancelling',
      'headphones',
    ]);
    expect(tokens('Crème Brûlée, 2× ÉCLAIR')).to.deep.equal(['creme', 'brulee', '2', 'eclair']);
    expect(fold('Ångström')).to.equal('angstrom');
  });

  it('cuts tokens to the maximum length', function () {
    expect(tokens('a'.repeat(40))).to.deep.equal(['a'.repeat(MAX_TOKEN_LENGTH)]);
  });
});

describe('searchKeywords', function () {
  it('holds every token and every prefix of two characters or more, once', function () {
    const keywords = searchKeywords({
      name: 'Noise-Cancelling',
      description: 'noise',
      category: 'A',
      tags: ['Go'],
    });
    expect(keywords).to.include.members([
      'noise',
      'no',
      'noi',
      'nois',
      'cancel',
      'cancelling',
      'ca',
      'a',
      'go',
    ]);
    expect(keywords).to.not.include.members(['n', 'c', 'ancel']);
    expect(new Set(keywords).size).to.equal(keywords.length);
  });

  it('stays bounded by the characters of the text: at most one keyword per character', function () {
    const description = Array.from({ length: 500 }, (_, i) => `word${i}x`).join(' ');
    const keywords = searchKeywords({ name: 'n', description, category: 'c', tags: [] });
    expect(keywords.length).to.be.at.most(description.length + 2);
  });
});

describe('queryWords', function () {
  it('normalises like the keywords, so any case or accent of a word matches', function () {
    expect(queryWords('NOISE  cancel')).to.deep.equal(['noise', 'cancel']);
    expect(queryWords('café')).to.deep.equal(['cafe']);
  });

  it('turns pattern and operator characters into nothing, never into a pattern', function () {
    for (const text of ['(', '*', '.*', '$gt', '{"$ne":1}', '^', '\\']) {
      expect(
        queryWords(text).every((word) => /^[\p{L}\p{N}]+$/u.test(word)),
        text,
      ).to.equal(true);
    }
    expect(queryWords('.*')).to.deep.equal([]);
    expect(queryWords('$where')).to.deep.equal(['where']);
  });
});
