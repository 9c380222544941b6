/**
 * A deliberately tiny template language, so people who are not developers can edit the email texts:
 * - `{{name}}` inserts a value (HTML-escaped in HTML templates);
 * - `{{#name}}…{{/name}}` repeats its content for each item of a list (the item is `{{.}}`), or shows it
 *   once when the value is `true`; an empty list or `false` hides it;
 * - `{{^name}}…{{/name}}` shows its content only when the value is `false` or an empty list.
 * A section tag alone on its line takes the line with it, so plain-text templates stay tidy.
 * Unknown names fail the rendering: a typo in a template is an error, never a silently blank sentence.
 */

/** Markup the program rendered from a template itself (an email's body inside its layout): inserted as it is. */
export class RenderedHtml {
  constructor(readonly html: string) {}
}

export type TemplateValue = string | boolean | readonly string[] | RenderedHtml;
export type TemplateValues = Readonly<Record<string, TemplateValue>>;
export type TemplateFormat = 'html' | 'text';

/** Raised for a name the template is not given, a value used as a section (or back), or a malformed tag. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

const STANDALONE_SECTION_TAG = /^[ \t]*(\{\{\s*[#^/]\s*\w+\s*\}\})[ \t]*\r?\n/gm;
/** One pass over the template: a section, a value, or any other `{{…}}` (an error). Output is never rescanned. */
const TAG = /\{\{\s*([#^])\s*(\w+)\s*\}\}([\s\S]*?)\{\{\s*\/\s*\2\s*\}\}|\{\{\s*(\.|\w+)\s*\}\}|\{\{[^}]*\}\}/g;
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);
}

function lookup(values: TemplateValues, name: string): TemplateValue {
  if (!Object.hasOwn(values, name)) throw new TemplateError(`The template uses {{${name}}}, which is not one of: ${Object.keys(values).join(', ')}`);
  return values[name]!;
}

function renderSection(kind: string, name: string, content: string, values: TemplateValues, format: TemplateFormat): string {
  const value = lookup(values, name);
  if (typeof value === 'string' || value instanceof RenderedHtml) throw new TemplateError(`{{${kind}${name}}} needs a yes/no value or a list, but ${name} is text`);
  const items = typeof value === 'boolean' ? (value ? [undefined] : []) : value;
  if (kind === '^') return items.length === 0 ? render(content, values, format) : '';
  return items.map((item) => render(content, item === undefined ? values : { ...values, '.': item }, format)).join('');
}

function render(template: string, values: TemplateValues, format: TemplateFormat): string {
  return template.replace(TAG, (tag: string, kind?: string, section?: string, content?: string, name?: string) => {
    if (kind && section) return renderSection(kind, section, content ?? '', values, format);
    if (!name) throw new TemplateError(`${tag} is not a value {{name}} or a closed section {{#name}}…{{/name}}`);
    const value = lookup(values, name);
    if (value instanceof RenderedHtml) {
      if (format !== 'html') throw new TemplateError(`{{${name}}} is HTML and cannot go into a plain-text template`);
      return value.html;
    }
    if (typeof value !== 'string') throw new TemplateError(`{{${name}}} is a yes/no value or a list: use it as a section {{#${name}}}…{{/${name}}}`);
    return format === 'html' ? escapeHtml(value) : value;
  });
}

/** Renders a template with the given values; in `html` format every inserted value is escaped but RenderedHtml. */
export function renderTemplate(template: string, values: TemplateValues, format: TemplateFormat): string {
  return render(template.replace(STANDALONE_SECTION_TAG, '$1'), values, format);
}
