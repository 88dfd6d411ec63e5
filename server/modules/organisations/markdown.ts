// The organisation's public texts are Markdown written by its admin and rendered here, on the
// server, into HTML the page can insert as is: raw HTML is escaped (html: false), images are
// off (they would load from a third party), and links survive only to http(s) and mailto, each
// with rel="noopener noreferrer". No script, event handler or javascript: URL can come through.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.disable(['image']);
// "www.example.nl" becomes a link as admins expect (markdown-it 15 has this off by default).
md.linkify.set({ fuzzyLink: true });
// Called for links, autolinks and linkified text; a rejected link renders as plain text.
md.validateLink = (url: string) => /^(?:https?:\/\/|mailto:)/i.test(url.trim());

const renderToken: NonNullable<typeof md.renderer.rules.link_open> = (tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options);
const linkOpen = md.renderer.rules.link_open ?? renderToken;
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'noopener noreferrer');
  return linkOpen(tokens, idx, options, env, self);
};

export const MAX_MARKDOWN_CHARS = 20_000;

export function renderMarkdown(source: string): string {
  return source.trim() === '' ? '' : md.render(source);
}
