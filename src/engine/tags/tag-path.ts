/**
 * The JSON path of a flat dotted tag key: the whole key is one member name
 * (`$."cairn.session_id"`), never a nested path. The key pattern
 * (src/api/tags.ts) admits no quote or backslash, so quoting it is enough.
 */
export function tagPath(key: string): string {
  return `$."${key}"`;
}
