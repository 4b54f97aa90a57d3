import { decodeFeedBody, FeedFormatError, parseFeed } from './feed.parser';

const FEED_URL = 'https://kalmanka.example/news/rss';

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Новости Калманки</title>
    <link>https://kalmanka.example/</link>
    <item>
      <title>Отключение воды на ул. Ленина</title>
      <link>https://kalmanka.example/news/1</link>
      <guid isPermaLink="false">news-1</guid>
      <description><![CDATA[<p>Жители пишут: воды нет <b>третий</b>&nbsp;день.</p>]]></description>
      <pubDate>Fri, 27 Nov 2026 08:15:00 +0700</pubDate>
      <dc:creator>Иван Петров</dc:creator>
      <enclosure url="https://kalmanka.example/photo.jpg" type="image/jpeg" length="1000"/>
    </item>
    <item>
      <title>Escaped &amp;lt;html&amp;gt;</title>
      <link>https://kalmanka.example/news/2</link>
      <description>&lt;p&gt;Ямы &amp;laquo;как всегда&amp;raquo;&lt;/p&gt;</description>
      <author>editor@kalmanka.example (Редакция)</author>
    </item>
  </channel>
</rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Форум района</title>
  <author><name>Администрация форума</name></author>
  <entry>
    <title type="html">Мусор &amp;mdash; опять</title>
    <link rel="alternate" type="text/html" href="/topic/42"/>
    <link rel="enclosure" type="video/mp4" href="https://forum.example/v.mp4"/>
    <id>urn:uuid:42</id>
    <published>2026-11-27T10:00:00+07:00</published>
    <updated>2026-11-28T10:00:00+07:00</updated>
    <summary>Кратко</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Во дворе <b>не вывозят</b> мусор &amp; грязь</p></div></content>
    <author><name>Мария</name><uri>https://forum.example/u/maria</uri></author>
  </entry>
  <entry>
    <title>Вторая</title>
    <id>urn:uuid:43</id>
    <updated>2026-11-28T11:00:00Z</updated>
    <summary type="text">Текст &lt;как есть&gt;</summary>
  </entry>
</feed>`;

describe('feed parser (cl. 2, websites by RSS/Atom)', () => {
  it('RSS 2.0: guid, link, title, HTML description made text, pubDate, dc:creator, enclosures', () => {
    const feed = parseFeed(RSS, FEED_URL);
    expect(feed.format).toBe('RSS');
    expect(feed.title).toBe('Новости Калманки');
    expect(feed.entries).toHaveLength(2);
    expect(feed.entries[0]).toMatchObject({
      id: 'news-1',
      link: 'https://kalmanka.example/news/1',
      title: 'Отключение воды на ул. Ленина',
      body: 'Жители пишут: воды нет третий день.',
      published: 'Fri, 27 Nov 2026 08:15:00 +0700',
      author: { name: 'Иван Петров' },
      enclosures: [{ url: 'https://kalmanka.example/photo.jpg', mediaType: 'image/jpeg' }],
    });
    expect(feed.entries[1]).toMatchObject({
      id: undefined,
      title: 'Escaped <html>',
      body: 'Ямы «как всегда»',
      author: { name: 'Редакция' },
    });
  });

  it('content:encoded is preferred to a teaser description', () => {
    const xml = RSS.replace(
      '<dc:creator>',
      '<content:encoded><![CDATA[<p>Полный текст</p>]]></content:encoded><dc:creator>',
    );
    expect(parseFeed(xml, FEED_URL).entries[0].body).toBe('Полный текст');
  });

  it('Atom 1.0: id, the alternate link resolved against the feed, text constructs by type, published, authors', () => {
    const feed = parseFeed(ATOM, 'https://forum.example/feed.atom');
    expect(feed.format).toBe('ATOM');
    expect(feed.entries[0]).toMatchObject({
      id: 'urn:uuid:42',
      link: 'https://forum.example/topic/42',
      title: 'Мусор — опять',
      body: 'Во дворе не вывозят мусор & грязь',
      published: '2026-11-27T10:00:00+07:00',
      author: { name: 'Мария', url: 'https://forum.example/u/maria' },
      enclosures: [{ url: 'https://forum.example/v.mp4', mediaType: 'video/mp4' }],
    });
    // No content: the summary; no published: updated; no author: the feed's.
    expect(feed.entries[1]).toMatchObject({
      title: 'Вторая',
      body: 'Текст <как есть>',
      published: '2026-11-28T11:00:00Z',
      author: { name: 'Администрация форума' },
      link: undefined,
    });
  });

  it('RSS 1.0 (RDF) items are read too', () => {
    const rdf = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://x.example/"><title>X</title></channel>
      <item rdf:about="https://x.example/1"><title>One</title><link>https://x.example/1</link><dc:date>2026-11-27T01:00:00Z</dc:date></item>
    </rdf:RDF>`;
    expect(parseFeed(rdf, FEED_URL)).toMatchObject({
      format: 'RDF',
      entries: [{ id: 'https://x.example/1', title: 'One', published: '2026-11-27T01:00:00Z' }],
    });
  });

  it('a feed with no items is a feed with no entries, not an error', () => {
    expect(parseFeed('<rss version="2.0"><channel><title>Пусто</title></channel></rss>', FEED_URL).entries).toEqual([]);
  });

  it.each([
    ['not well-formed XML', '<rss><channel><item></channel></rss>', /^not well-formed XML: .*\(line 1\)$/],
    [
      'an HTML page',
      '<!DOCTYPE html><html><head><title>x</title></head><body><p>hi<br></body></html>',
      /HTML page, not a feed/,
    ],
    ['another XML document', '<?xml version="1.0"?><sitemap><url/></sitemap>', /root element is <sitemap>/],
    ['RSS without a channel', '<rss version="2.0"></rss>', /has no <channel>/],
  ])('%s is a FeedFormatError naming the reason', (_what, xml, reason) => {
    expect(() => parseFeed(xml, FEED_URL)).toThrow(FeedFormatError);
    expect(() => parseFeed(xml, FEED_URL)).toThrow(reason);
  });
});

describe('feed bytes to text: BOM, Content-Type charset, XML declaration', () => {
  const cp1251 = (text: string) =>
    Uint8Array.from(
      [...text].map((c) => (c.charCodeAt(0) >= 0x410 ? c.charCodeAt(0) - 0x410 + 0xc0 : c.charCodeAt(0))),
    );

  it('the XML declaration’s windows-1251 is honoured when HTTP says nothing', () => {
    const bytes = cp1251(
      '<?xml version="1.0" encoding="windows-1251"?><rss><channel><title>Новости</title></channel></rss>',
    );
    expect(decodeFeedBody(bytes, 'application/rss+xml')).toContain('<title>Новости</title>');
  });

  it('the Content-Type charset wins over the declaration (RFC 7303)', () => {
    const bytes = cp1251('<?xml version="1.0" encoding="utf-8"?><title>Вода</title>');
    expect(decodeFeedBody(bytes, 'text/xml; charset=windows-1251')).toContain('<title>Вода</title>');
  });

  it('UTF-8 with a byte-order mark, and UTF-8 by default', () => {
    const text = '<title>Ямы</title>';
    expect(decodeFeedBody(Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from(text)]), null)).toBe(text);
    expect(decodeFeedBody(Uint8Array.from(Buffer.from(text)), 'application/xml')).toBe(text);
  });

  it('an unknown encoding is a FeedFormatError', () => {
    expect(() => decodeFeedBody(Uint8Array.from(Buffer.from('<x/>')), 'text/xml; charset=klingon')).toThrow(
      'the feed\'s encoding "klingon" is unknown',
    );
  });
});
