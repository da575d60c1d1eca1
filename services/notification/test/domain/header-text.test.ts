import { expect } from 'chai';
import { headerText, MAX_SUBJECT_LENGTH } from '../../src/domain/header-text.js';

describe('headerText', function () {
  it('replaces CR and LF with a space, so a value cannot start a new header', function () {
    expect(headerText('Hello\r\nBcc: victim@example.com')).to.equal('Hello Bcc: victim@example.com');
    expect(headerText('a\rb\nc')).to.equal('a b c');
  });

  it('removes other control characters and the Unicode line separators, and collapses spaces', function () {
    expect(headerText('a\u0000b\tc\u2028d\u0085e   f')).to.equal('a b c d e f');
  });

  it('trims and cuts a long value with an ellipsis', function () {
    const long = headerText(` ${'x'.repeat(500)} `);
    expect(long).to.have.length(MAX_SUBJECT_LENGTH);
    expect(long.endsWith('…')).to.equal(true);
  });
});
