/**
 * The 通报's markdown (status/bulletin.ts, the text the bot posts to the leaders' group) as HTML for the dashboard.
 * markdown-it with raw HTML off: a `<script>` in a report reaches the page as text, and links other than
 * http(s)/mailto are refused by markdown-it's own link check.
 */
import MarkdownIt from 'markdown-it';
import { Html } from './html';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

export function markdownHtml(markdown: string): Html {
  return new Html(md.render(markdown));
}
