/** The frame of every dashboard page: head, header with the time the data is from, and the page's own content. */
import { html, trusted, type Html } from './html';
import { STYLE } from './style';

export interface Frame {
  /** The page's title (also the browser tab's). */
  title: string;
  /** The CSP nonce that lets this response's inline style and script run. */
  nonce: string;
  /** `2025年9月15日 10:00` — when the data was read. */
  asOf?: string;
  /** Links back (breadcrumbs), nearest last. */
  crumbs?: { href: string; text: string }[];
  /** A small script for this page (trusted: written in this program). */
  script?: string;
}

export function page(frame: Frame, body: Html): string {
  const crumbs = frame.crumbs?.length
    ? html`<nav class="crumbs">${frame.crumbs.map((c, i) => html`${i ? ' › ' : ''}<a href="${c.href}">${c.text}</a>`)}</nav>`
    : '';
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${frame.title}</title>
<style nonce="${frame.nonce}">${trusted(STYLE)}</style>
</head>
<body>
<header class="top"><h1>${frame.title}</h1>${crumbs}${frame.asOf ? html`<p class="asof">数据截至 ${frame.asOf}</p>` : ''}</header>
<main>
${body}
</main>
${frame.script ? html`<script nonce="${frame.nonce}">${trusted(frame.script)}</script>` : ''}
</body>
</html>
`.value;
}

/** A page that only says something: access refused, a page not found, a server error. */
export function messagePage(opts: { title: string; nonce: string; lines: string[]; link?: { href: string; text: string } }): string {
  return page(
    { title: opts.title, nonce: opts.nonce },
    html`<section class="panel">${opts.lines.map((l) => html`<p>${l}</p>`)}${opts.link ? html`<p><a href="${opts.link.href}">${opts.link.text}</a></p>` : ''}</section>`,
  );
}
