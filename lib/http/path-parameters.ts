import type { z } from 'zod';
import type { ApiEvent } from './api.js';
import { malformedPath, notFound } from './errors.js';

/** Percent-decodes one path segment; undefined when the encoding is malformed (a bad `%XX`, or bytes that are not UTF-8). */
export function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * The id in a path parameter, checked against its id rule before anything reads the store: 400 when its
 * percent-encoding is malformed, 404 when it breaks the rule (nothing can have such an id), so an id the
 * store cannot take as a key (2 KB and more) never reaches it. API Gateway HTTP APIs hand parameters over
 * decoded, as the local gateway does; one still holding a `%` is decoded here, so a gateway that passes
 * them raw behaves the same (no id may contain `%`, so this never changes a valid id).
 */
export function idFromPath(event: ApiEvent, parameter: string, rule: z.ZodType<string>, what: string): string {
  const raw = event.pathParameters?.[parameter] ?? '';
  const id = raw.includes('%') ? decodePathSegment(raw) : raw;
  if (id === undefined) throw malformedPath(parameter);
  const checked = rule.safeParse(id);
  if (!checked.success) {
    const shown = id.length > 80 ? `${JSON.stringify(id.slice(0, 80))}… (${id.length} characters)` : JSON.stringify(id);
    throw notFound(`No ${what} has the id ${shown}: ${checked.error.issues[0]?.message ?? 'not an id'}`);
  }
  return id;
}
