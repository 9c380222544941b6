import { describe, expect, it } from 'vitest';
import { escapeHtml, renderTemplate, TemplateError } from '../../../lib/notifications/template.js';

describe('renderTemplate', () => {
  it('substitutes {{name}} values, escaping them in HTML and leaving plain text as is', () => {
    const values = { group: 'Acme & "Sons" <Ltd> \'A\'' };

    expect(renderTemplate('<p>Hello, {{ group }}!</p>', values, 'html')).toBe('<p>Hello, Acme &amp; &quot;Sons&quot; &lt;Ltd&gt; &#39;A&#39;!</p>');
    expect(renderTemplate('Hello, {{group}}!', values, 'text')).toBe('Hello, Acme & "Sons" <Ltd> \'A\'!');
  });

  it('never re-reads inserted values as template: a value holding {{name}} prints literally', () => {
    expect(renderTemplate('{{a}} / {{b}}', { a: '{{b}}', b: 'x' }, 'text')).toBe('{{b}} / x');
  });

  it('repeats a list section per item with {{.}} as the item, and hides it for an empty list', () => {
    const template = '<ul>{{#benefits}}<li>{{.}}</li>{{/benefits}}</ul>';

    expect(renderTemplate(template, { benefits: ['Free delivery', 'A & B'] }, 'html')).toBe('<ul><li>Free delivery</li><li>A &amp; B</li></ul>');
    expect(renderTemplate(template, { benefits: [] }, 'html')).toBe('<ul></ul>');
  });

  it('shows a yes/no section when true and its inverted {{^name}} section when false', () => {
    const template = '{{#hasNext}}{{next}} is next{{/hasNext}}{{^hasNext}}top tier{{/hasNext}}';

    expect(renderTemplate(template, { hasNext: true, next: 'Gold' }, 'text')).toBe('Gold is next');
    expect(renderTemplate(template, { hasNext: false, next: '' }, 'text')).toBe('top tier');
  });

  it('drops the lines that hold only a section tag, so plain-text lists have no blank lines', () => {
    const template = 'Benefits:\n{{#benefits}}\n  - {{.}}\n{{/benefits}}\nBye\n';

    expect(renderTemplate(template, { benefits: ['One', 'Two'] }, 'text')).toBe('Benefits:\n  - One\n  - Two\nBye\n');
    expect(renderTemplate(template, { benefits: [] }, 'text')).toBe('Benefits:\nBye\n');
  });

  it.each([
    ['an unknown name', 'Hi {{nmae}}', /{{nmae}}/],
    ['a list used as a value', '{{benefits}}', /use it as a section/],
    ['text used as a section', '{{#name}}x{{/name}}', /needs a yes\/no value or a list/],
    ['an unclosed section', '{{#benefits}}x', /not a value/],
    ['{{.}} outside a list', '{{.}}', /{{\.}}/],
  ])('fails loudly on %s, so a template typo never sends a half-written email', (_, template, message) => {
    expect(() => renderTemplate(template, { name: 'n', benefits: ['b'] }, 'text')).toThrow(TemplateError);
    expect(() => renderTemplate(template, { name: 'n', benefits: ['b'] }, 'text')).toThrow(message);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in element content and attribute values', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
