import { expect } from 'chai';
import { messageIdFor } from '../../src/domain/message-id.js';

describe('messageIdFor', function () {
  it('derives the Message-ID from the event id, the same every time', function () {
    expect(messageIdFor('0d9a5b1e-1111-4c3b-8f00-aaaaaaaaaaaa')).to.equal(
      '<0d9a5b1e-1111-4c3b-8f00-aaaaaaaaaaaa@cartwheel.local>',
    );
    expect(messageIdFor('ai-notification-42')).to.equal('<ai-notification-42@cartwheel.local>');
  });

  it('hashes an id a Message-ID cannot hold, keeping different ids apart', function () {
    const odd = messageIdFor('a b>\r\nBcc: x@y');
    expect(odd).to.match(/^<[0-9a-f]{64}@cartwheel\.local>$/);
    expect(messageIdFor('a b>\r\nBcc: x@z')).to.not.equal(odd);
  });
});
