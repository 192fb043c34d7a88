import { markdownToHtml } from '../../src/console/markdown';

describe('markdownToHtml', () => {
  it('renders DingTalk\'s markdown subset: headings, bold, lists, line breaks', () => {
    expect(markdownToHtml('#### 区司法局：请报送\n\n**截止时间**：9月25日\n\n- **1.2**〔牵头〕加强指导\n- 第二项\n\n第一行\n第二行')).toBe(
      '<h4>区司法局：请报送</h4>\n<p><strong>截止时间</strong>：9月25日</p>\n<ul>\n<li><strong>1.2</strong>〔牵头〕加强指导</li>\n<li>第二项</li>\n</ul>\n<p>第一行<br>\n第二行</p>\n',
    );
  });

  it('escapes raw HTML and refuses javascript: links', () => {
    const html = markdownToHtml('<img src=x onerror=alert(1)> <script>alert(1)</script> [点我](javascript:alert(1))');
    expect(html).not.toMatch(/<img|<script|href="javascript/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
