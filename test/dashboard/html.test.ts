import { escapeHtml, html, trusted } from '../../src/dashboard/html';

describe('html templates', () => {
  it('escapes every character that could open a tag, an entity or leave a quoted attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });

  it('escapes interpolated text but keeps markup built by other templates, lists joined and empty values dropped', () => {
    const name = '"><img src=x onerror=alert(1)>';
    const inner = html`<b>${name}</b>`;
    const out = html`<td title="${name}">${inner}${['a<', html`<i>b</i>`]}${null}${undefined}${false}${0}</td>`.value;
    expect(out).toBe(
      '<td title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"><b>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</b>a&lt;<i>b</i>0</td>',
    );
    expect(html`${trusted('<style>a{}</style>')}`.value).toBe('<style>a{}</style>');
  });
});
