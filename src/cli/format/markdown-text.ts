// Markdown to plain terminal text (for `rules show --format text`): headings underlined, no emphasis,
// code or link syntax; links become "text (url)". Line by line, linear time.

/** Inline Markdown to plain text: `code`, **strong**, *em*, _em_, [text](url) and <url>. */
export function inlineToText(line: string): string {
  return line
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, (_m, text: string, url: string) =>
      text === url || !url ? text : `${text} (${url})`,
    )
    .replace(/<(https?:\/\/[^>\s]*)>/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/__([^_]+)__/g, '$1')
    .replace(/(^|[^\w*])\*([^*\s][^*]*)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w])_([^_\s][^_]*)_(?!\w)/g, '$1$2');
}

/** A Markdown document as plain text: `#` headings become the title underlined with `=`, `##` and deeper with `-`;
 * fenced code is kept verbatim (indented, fences dropped); list bullets become "- " lines with plain text. */
export function markdownToText(md: string): string {
  const out: string[] = [];
  let fenced = false;
  for (const line of md.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      out.push(`    ${line}`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const title = inlineToText(heading[2] ?? '');
      out.push(title, (heading[1] === '#' ? '=' : '-').repeat(title.length));
      continue;
    }
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (bullet) {
      out.push(`${bullet[1] ?? ''}- ${inlineToText(bullet[2] ?? '')}`);
      continue;
    }
    out.push(inlineToText(line));
  }
  return out.join('\n');
}
