import { expect } from 'chai';
import { amountsIn, mentioned, repeatsInstructions, ungroundedAmounts } from '../../src/domain/grounding.js';
import { ALL_INSTRUCTIONS, CHAT_INSTRUCTIONS } from '../../src/domain/prompts.js';

describe('amountsIn', () => {
  it('finds amounts written with a currency sign or code', () => {
    expect(amountsIn('$249.99, $1,299, 19.5 USD, 7 dollars, €3 and 42 plain')).to.deep.equal([
      249.99, 1299, 19.5, 7, 3,
    ]);
  });
});

describe('ungroundedAmounts', () => {
  const prices = [249.99, 179.99];

  it('accepts known prices, small multiples and sums of two', () => {
    expect(ungroundedAmounts('$249.99, 2 for $359.98, together $429.98', prices, [])).to.deep.equal([]);
  });

  it('accepts the numbers the shopper wrote', () => {
    expect(ungroundedAmounts('Everything under $300:', prices, [300])).to.deep.equal([]);
  });

  it('names every other amount', () => {
    expect(ungroundedAmounts('Now $99.00, was $249.99', prices, [])).to.deep.equal([99]);
  });
});

describe('repeatsInstructions', () => {
  it('is true when a reply quotes ten words of the instructions in a row, whatever the case and punctuation', () => {
    const quoted = CHAT_INSTRUCTIONS.split('\n')[1].toUpperCase();
    expect(repeatsInstructions(`Sure: ${quoted}`, ALL_INSTRUCTIONS)).to.equal(true);
  });

  it('is false for an ordinary reply', () => {
    expect(repeatsInstructions('The watch costs $179.99 and is waterproof.', ALL_INSTRUCTIONS)).to.equal(
      false,
    );
  });
});

describe('mentioned', () => {
  const cited = [
    { id: 'a1', name: 'Smart Fitness Watch' },
    { id: 'b2', name: 'Premium Smartphone' },
  ];

  it('keeps the cited products the reply names by name or id', () => {
    expect(mentioned('the smart fitness watch, or B2', cited)).to.deep.equal(cited);
  });

  it('keeps nothing the reply does not name', () => {
    expect(mentioned('Try the Mystery Gadget (c3).', cited)).to.deep.equal([]);
  });
});
