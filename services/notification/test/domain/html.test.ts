import { expect } from 'chai';
import { escapeHtml, html, trustedHtml } from '../../src/domain/html.js';

describe('escapeHtml', function () {
  it('turns every character with a meaning in HTML into an entity', function () {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).to.equal(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

// `// prettier-ignore` keeps Prettier from reformatting the markup inside html`…` literals.
describe('html', function () {
  it('escapes interpolated text and keeps the literal markup', function () {
    expect(html`<p>${'<script>alert(1)</script>'}</p>`.value).to.equal(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  it('escapes values inside attributes, so a quote cannot end the attribute', function () {
    // prettier-ignore
    expect(html`<td title="${'" onmouseover="x()'}">`.value).to.equal('<td title="&quot; onmouseover=&quot;x()">');
  });

  it('inserts nested SafeHtml and lists of it as they are, without escaping twice', function () {
    const items = ['a&b', 'c'].map((name) => html`<li>${name}</li>`);
    // prettier-ignore
    expect(html`<ul>${items}</ul>`.value).to.equal('<ul><li>a&amp;b</li><li>c</li></ul>');
    expect(html`<div>${trustedHtml('<b>x</b>')}</div>`.value).to.equal('<div><b>x</b></div>');
  });

  it('renders numbers, and nothing for null, undefined and false', function () {
    expect(html`${3}|${null}|${undefined}|${false}`.value).to.equal('3|||');
  });
});
