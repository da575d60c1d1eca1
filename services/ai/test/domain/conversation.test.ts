import { expect } from 'chai';
import { conversation, describeFilters } from '../../src/domain/chat.use-case.js';
import { catalogBlock, MAX_PROMPT_PRODUCTS, systemPrompt } from '../../src/domain/prompts.js';
import { recentSet } from '../../src/domain/send-follow-up.use-case.js';

describe('conversation', () => {
  it('puts the message last, in a user turn', () => {
    expect(conversation({ message: 'hi', history: [] })).to.deep.equal([{ role: 'user', content: 'hi' }]);
  });

  it('joins turns of one role in a row and drops an opening assistant turn', () => {
    const history = [
      { role: 'assistant' as const, content: 'Welcome!' },
      { role: 'user' as const, content: 'one' },
      { role: 'user' as const, content: 'two' },
      { role: 'assistant' as const, content: 'ok' },
      { role: 'assistant' as const, content: 'more' },
    ];

    expect(conversation({ message: 'three', history })).to.deep.equal([
      { role: 'user', content: 'one\n\ntwo' },
      { role: 'assistant', content: 'ok\n\nmore' },
      { role: 'user', content: 'three' },
    ]);
  });
});

describe('systemPrompt', () => {
  it('marks only the last block for caching', () => {
    const blocks = systemPrompt('rules', { categories: ['A'], products: [] });

    expect(blocks.map((b) => b.cache_control)).to.deep.equal([undefined, { type: 'ephemeral' }]);
  });
});

describe('catalogBlock', () => {
  it('stays bounded however large the catalog is', () => {
    const products = Array.from({ length: 500 }, (_, i) => ({
      id: String(i).padStart(24, '0'),
      name: 'n'.repeat(500),
      category: `Category ${i}`,
    }));
    const block = catalogBlock({ categories: products.map((p) => p.category), products });

    expect(block.split('\n').filter((line) => line.includes(' | '))).to.have.length(MAX_PROMPT_PRODUCTS + 1);
    expect(block.length).to.be.at.most(6_000);
  });
});

describe('recentSet', () => {
  it('forgets the least recently used key beyond its capacity', () => {
    const set = recentSet(2);
    set.add('a');
    set.add('b');
    set.has('a');
    set.add('c');

    expect([set.has('a'), set.has('b'), set.has('c')]).to.deep.equal([true, false, true]);
  });
});

describe('describeFilters', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [
      { q: 'wireless headphones', category: 'Audio', max_price: 300 },
      '"wireless headphones" in Audio up to 300',
    ],
    [{ category: 'Kitchen', min_price: 20 }, 'Kitchen products from 20'],
    [{ min_price: 100, max_price: 200 }, 'anything between 100 and 200'],
  ];
  for (const [filters, words] of cases) {
    it(`says ${words}`, () => {
      expect(describeFilters(filters)).to.equal(words);
    });
  }
});
