import { escapeHtml, renderPublicSources } from './public-sources.html';

describe('the official site’s block of accounts (cl. 3)', () => {
  it('a list of links with the platform named in Russian', () => {
    expect(
      renderPublicSources([
        { name: 'Администрация в ВК', platform: 'VK', url: 'https://vk.com/club1' },
        { name: 'Бот района', platform: 'TELEGRAM', url: 'https://t.me/otklik_demo_bot' },
      ]),
    ).toBe(
      [
        '<ul class="otklik-sources">',
        '  <li class="otklik-source otklik-source--vk"><a href="https://vk.com/club1" rel="noopener noreferrer" target="_blank">Администрация в ВК</a> <span class="otklik-source__platform">ВКонтакте</span></li>',
        '  <li class="otklik-source otklik-source--telegram"><a href="https://t.me/otklik_demo_bot" rel="noopener noreferrer" target="_blank">Бот района</a> <span class="otklik-source__platform">Telegram</span></li>',
        '</ul>',
        '',
      ].join('\n'),
    );
  });

  it('names and addresses are escaped: no markup, no script, no attribute break-out', () => {
    const html = renderPublicSources([
      { name: '<script>alert("x")</script> & Co', platform: 'OK', url: 'https://ok.ru/group?a=1&b="2"' },
    ]);
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(html).toContain('href="https://ok.ru/group?a=1&amp;b=&quot;2&quot;"');
    expect(escapeHtml(`'"<>&`)).toBe('&#39;&quot;&lt;&gt;&amp;');
  });

  it('no accounts: an empty list', () => {
    expect(renderPublicSources([])).toBe('<ul class="otklik-sources">\n</ul>\n');
  });
});
