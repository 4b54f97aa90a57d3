import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { htmlToText, xmlInnerToText } from './html-text';

/** A feed that cannot be read: the reason is recorded on the feed's state and logged. */
export class FeedFormatError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'FeedFormatError';
  }
}

/** One item (RSS) or entry (Atom) as the feed gives it, its text already made plain. */
export interface FeedEntry {
  /** guid (RSS), id (Atom), rdf:about (RSS 1.0) */
  id?: string;
  link?: string;
  title: string;
  body: string;
  /** As written: pubDate (RFC 822) or published/updated (RFC 3339) */
  published?: string;
  author?: { name?: string; url?: string };
  enclosures: Array<{ url: string; mediaType?: string }>;
  /** The item as parsed, kept with the message. */
  raw: unknown;
}

export interface ParsedFeed {
  format: 'RSS' | 'ATOM' | 'RDF';
  title: string;
  entries: FeedEntry[];
}

/** Atom's text constructs are taken raw: their `type` says whether they hold text, HTML or XHTML. */
const ATOM_TEXT = ['feed.entry.title', 'feed.entry.summary', 'feed.entry.content'];
const ALWAYS_LISTS = new Set([
  'rss.channel.item',
  'rss.channel.item.enclosure',
  'feed.entry',
  'feed.entry.link',
  'feed.entry.author',
  'rdf:RDF.item',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Ids and titles stay strings: "007" is not 7.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  stopNodes: ATOM_TEXT,
  isArray: (_name, path) => ALWAYS_LISTS.has(String(path)),
});

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

/** An element's text: the string itself, or `#text` of an element that has attributes. */
function textOf(value: unknown): string | undefined {
  const node = first(value);
  const text = typeof node === 'string' ? node : isNode(node) ? node['#text'] : undefined;
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

const attr = (node: unknown, name: string): string | undefined => {
  const value = isNode(node) ? node[`@_${name}`] : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/**
 * Reads RSS (0.9x, 2.0 and 1.0/RDF) and Atom 1.0. Throws FeedFormatError naming what is wrong:
 * XML that is not well-formed, an HTML page, or a document of another kind.
 */
export function parseFeed(xml: string, feedUrl: string): ParsedFeed {
  const start = xml.slice(0, 2000).toLowerCase();
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    if (/<html[\s>]|<!doctype html/.test(start)) throw pageNotFeed();
    throw new FeedFormatError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const doc = parser.parse(xml) as Node;
  if (isNode(doc.rss)) return readRss(doc.rss);
  if (isNode(doc.feed)) return readAtom(doc.feed, feedUrl);
  if (isNode(doc['rdf:RDF'])) return readRdf(doc['rdf:RDF']);
  const root = Object.keys(doc).find((key) => !key.startsWith('?') && !key.startsWith('#'));
  if (root?.toLowerCase() === 'html') throw pageNotFeed();
  throw new FeedFormatError(`not an RSS or Atom feed: the root element is <${root ?? 'none'}>`);
}

const pageNotFeed = () =>
  new FeedFormatError('the address answers with an HTML page, not a feed (pages without a feed are not monitored)');

const entriesOf = (value: unknown): Node[] => (Array.isArray(value) ? value.filter(isNode) : []);

function readRss(rss: Node): ParsedFeed {
  const channel = first(rss.channel);
  if (!isNode(channel)) throw new FeedFormatError('not an RSS feed: <rss> has no <channel>');
  return {
    format: 'RSS',
    title: htmlToText(textOf(channel.title) ?? ''),
    entries: entriesOf(channel.item).map((item) => ({
      id: textOf(item.guid),
      link: textOf(item.link),
      title: htmlToText(textOf(item.title) ?? ''),
      // content:encoded is the whole text where a site gives both; description is often a teaser.
      body: htmlToText(textOf(item['content:encoded']) ?? textOf(item.description) ?? ''),
      published: textOf(item.pubDate) ?? textOf(item['dc:date']),
      author: rssAuthor(textOf(item['dc:creator']) ?? textOf(item.author)),
      enclosures: entriesOf(item.enclosure).flatMap((e) => {
        const url = attr(e, 'url');
        return url ? [{ url, mediaType: attr(e, 'type') }] : [];
      }),
      raw: item,
    })),
  };
}

/** RSS's author is "e-mail (Name)"; dc:creator is a name. */
function rssAuthor(written: string | undefined): FeedEntry['author'] {
  if (!written) return undefined;
  const named = /^\S+@\S+\s+\((.+)\)$/.exec(written);
  return { name: htmlToText(named ? named[1] : written) || undefined };
}

function readAtom(feed: Node, feedUrl: string): ParsedFeed {
  const feedAuthor = atomAuthor(feed.author, feedUrl);
  return {
    format: 'ATOM',
    title: htmlToText(textOf(feed.title) ?? ''),
    entries: entriesOf(feed.entry).map((entry) => {
      const links = entriesOf(entry.link);
      const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate');
      const content = isNode(entry.content) && attr(entry.content, 'src') ? undefined : entry.content;
      return {
        id: textOf(entry.id),
        link: resolve(attr(alternate, 'href'), feedUrl),
        title: atomText(entry.title),
        body: atomText(content) || atomText(entry.summary),
        published: textOf(entry.published) ?? textOf(entry.updated),
        author: atomAuthor(entry.author, feedUrl) ?? feedAuthor,
        enclosures: links.flatMap((l) => {
          const url = attr(l, 'rel') === 'enclosure' ? resolve(attr(l, 'href'), feedUrl) : undefined;
          return url ? [{ url, mediaType: attr(l, 'type') }] : [];
        }),
        raw: entry,
      };
    }),
  };
}

/** An Atom text construct, raw (a stop node), by its type: text (the default), html or xhtml. */
function atomText(value: unknown): string {
  const node = first(value);
  const raw = typeof node === 'string' ? node : isNode(node) && typeof node['#text'] === 'string' ? node['#text'] : '';
  const type = attr(node, 'type') ?? 'text';
  return xmlInnerToText(raw, type === 'html' || type === 'xhtml' ? type : type.endsWith('html') ? 'html' : 'text');
}

function atomAuthor(value: unknown, feedUrl: string): FeedEntry['author'] {
  const author = first(value);
  if (!isNode(author)) return undefined;
  const name = textOf(author.name);
  const url = resolve(textOf(author.uri), feedUrl);
  return name || url ? { name, url } : undefined;
}

/** Links in Atom may be relative to the feed (xml:base is rare and not followed). */
function resolve(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href, base).toString();
  } catch {
    return href;
  }
}

function readRdf(rdf: Node): ParsedFeed {
  const channel = first(rdf.channel);
  return {
    format: 'RDF',
    title: htmlToText(isNode(channel) ? (textOf(channel.title) ?? '') : ''),
    entries: entriesOf(rdf.item).map((item) => ({
      id: attr(item, 'rdf:about'),
      link: textOf(item.link),
      title: htmlToText(textOf(item.title) ?? ''),
      body: htmlToText(textOf(item['content:encoded']) ?? textOf(item.description) ?? ''),
      published: textOf(item['dc:date']),
      author: rssAuthor(textOf(item['dc:creator'])),
      enclosures: [],
      raw: item,
    })),
  };
}

/**
 * The body's characters: a byte-order mark first, then the charset of Content-Type (HTTP wins,
 * RFC 7303), then the XML declaration's encoding, else UTF-8. Russian sites still serve
 * windows-1251 and KOI8-R feeds.
 */
export function decodeFeedBody(body: Uint8Array, contentType: string | null): string {
  let encoding = 'utf-8';
  let offset = 0;
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) offset = 3;
  else if (body[0] === 0xff && body[1] === 0xfe) [encoding, offset] = ['utf-16le', 2];
  else if (body[0] === 0xfe && body[1] === 0xff) [encoding, offset] = ['utf-16be', 2];
  else {
    const declared =
      /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ??
      /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/.exec(
        Buffer.from(body.subarray(0, 300)).toString('latin1'),
      )?.[1];
    if (declared) encoding = declared.toLowerCase();
  }
  try {
    return new TextDecoder(encoding).decode(body.subarray(offset));
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_ENCODING_NOT_SUPPORTED') throw error;
    throw new FeedFormatError(`the feed's encoding "${encoding.slice(0, 40)}" is unknown`);
  }
}
