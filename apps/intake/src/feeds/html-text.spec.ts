import { decodeEntities, htmlToText, xmlInnerToText } from './html-text';

describe('feed HTML made text (cl. 2, websites): what a reader sees', () => {
  it('drops tags, keeps paragraphs and line breaks as lines, decodes entities', () => {
    expect(htmlToText('<p>Во дворе&nbsp;дома <b>5</b> нет воды.</p><p>Третий&nbsp;день!<br/>Когда дадут?</p>')).toBe(
      'Во дворе дома 5 нет воды.\nТретий день!\nКогда дадут?',
    );
  });

  it('named, decimal and hexadecimal entities; an unknown name stays as written', () => {
    expect(decodeEntities('&laquo;Вода&raquo; &mdash; &#1055;&#x440;&#1080; &amp; &unknown; &amp;lt;')).toBe(
      '«Вода» — При & &unknown; &lt;',
    );
  });

  it('NUL and surrogate code points in entities do not reach PostgreSQL', () => {
    expect(decodeEntities('a&#0;b&#xD800;c')).toBe('ab\ufffdc');
  });

  it('scripts, styles and comments are not text; list items are bullets', () => {
    expect(htmlToText('<style>p{}</style><script>alert(1)</script><!-- x --><ul><li>один</li><li>два</li></ul>')).toBe(
      '• один\n• два',
    );
  });

  it('a "<" that opens no tag survives', () => {
    expect(htmlToText('давление 5 < 7 &amp; 3 > 2')).toBe('давление 5 < 7 & 3 > 2');
  });

  it('raw XML text: entities outside CDATA decoded once, CDATA kept as it is', () => {
    expect(xmlInnerToText('A &amp;lt; <![CDATA[<b>B</b> &amp;]]>', 'text')).toBe('A &lt; <b>B</b> &amp;');
    expect(xmlInnerToText('&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;', 'html')).toBe('Hi & bye');
    expect(
      xmlInnerToText('<div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <b>there</b> &amp; you</p></div>', 'xhtml'),
    ).toBe('Hi there & you');
  });
});
