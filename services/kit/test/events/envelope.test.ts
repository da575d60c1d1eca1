import { expect } from 'chai';
import { createEvent, parseEvent } from '../../src/events/index.js';

describe('createEvent', () => {
  it('builds a CloudEvents 1.0 JSON envelope with a fresh UUID id and the current time', () => {
    const before = Date.now();
    const event = createEvent({
      source: '/services/order',
      type: 'order.placed',
      subject: 'o-1',
      data: { total: 5 },
    });

    expect(event).to.include({
      specversion: '1.0',
      source: '/services/order',
      type: 'order.placed',
      subject: 'o-1',
      datacontenttype: 'application/json',
    });
    expect(event.data).to.deep.equal({ total: 5 });
    expect(event.id).to.match(/^[0-9a-f-]{36}$/);
    expect(Date.parse(event.time)).to.be.within(before, Date.now());
    expect(createEvent({ source: 's', type: 't', subject: 'x', data: null }).id).not.to.equal(event.id);
  });

  it('keeps a given id and time', () => {
    const event = createEvent({
      source: 's',
      type: 't',
      subject: 'x',
      data: 1,
      id: 'fixed',
      time: new Date(0),
    });
    expect(event).to.include({ id: 'fixed', time: '1970-01-01T00:00:00.000Z' });
  });
});

describe('parseEvent', () => {
  const valid = createEvent({ source: 's', type: 't', subject: 'x', data: { a: [1] } });

  it('round-trips an envelope from a Buffer and from a string', () => {
    expect(parseEvent(Buffer.from(JSON.stringify(valid)))).to.deep.equal(valid);
    expect(parseEvent(JSON.stringify(valid))).to.deep.equal(valid);
  });

  it('accepts a time with an offset and null data', () => {
    const event = { ...valid, time: '2024-05-01T10:00:00+02:00', data: null };
    expect(parseEvent(JSON.stringify(event))).to.deep.equal(event);
  });

  it('throws on input that is not JSON', () => {
    expect(() => parseEvent('{nope')).to.throw(/^Malformed event: not JSON/);
  });

  it('throws naming every bad field', () => {
    const { subject: _subject, data: _data, ...rest } = valid;
    const bad = { ...rest, specversion: '0.3', time: 'yesterday' };
    expect(() => parseEvent(JSON.stringify(bad)))
      .to.throw(/^Malformed event: /)
      .with.property('message')
      .that.matches(/specversion/)
      .and.matches(/subject/)
      .and.matches(/time/)
      .and.matches(/data/);
  });

  it('throws on JSON that is not an object', () => {
    expect(() => parseEvent('[1,2]')).to.throw(/^Malformed event: \(root\)/);
  });
});
