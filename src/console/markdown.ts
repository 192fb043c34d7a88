/**
 * DingTalk's markdown as HTML for the local chat page: markdown-it with raw HTML escaped (a contact's name or a
 * reply's text cannot inject markup), single newlines kept as line breaks the way DingTalk shows them.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, breaks: true });

export function markdownToHtml(markdown: string): string {
  return md.render(markdown);
}
