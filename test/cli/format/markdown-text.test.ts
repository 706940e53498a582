// Markdown to plain text for `rules show --format text`.
import { describe, expect, it } from 'vitest';
import { markdownToText } from '../../../src/cli/format/markdown-text.js';

describe('markdownToText', () => {
  it('underlines headings and drops #, emphasis, code spans and link syntax', () => {
    const md = [
      '# Title `x`',
      '',
      '## What it means',
      '',
      'A **bold** and *em* word, `code`, a [link](https://docs.aws.amazon.com/a.html) and <https://e.com/b>.',
      '- `id`: item with [same](same)',
      '```',
      '# not a heading',
      '```',
    ].join('\n');
    expect(markdownToText(md)).toBe(
      [
        'Title x',
        '=======',
        '',
        'What it means',
        '-------------',
        '',
        'A bold and em word, code, a link (https://docs.aws.amazon.com/a.html) and https://e.com/b.',
        '- id: item with same',
        '    # not a heading',
      ].join('\n'),
    );
  });
  it('leaves snake_case and arithmetic stars alone', () => {
    expect(markdownToText('a_b_c and 2 * 3 * 4')).toBe('a_b_c and 2 * 3 * 4');
  });
});
