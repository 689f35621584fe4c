/**
 * Reading what users type or map into fields. Zapier passes mapped values as they come from the
 * previous step, so a "string" may arrive as a number, a list field as one string, and anything
 * as blank: these helpers read them forgivingly and the same way everywhere.
 */

/** The trimmed text of a string (or a finite number), undefined when blank or absent. */
export const text = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
};

/**
 * A list field's values: several mapped values, one comma-separated string, or a mix of both.
 * Values are trimmed; blanks and repeats are dropped; order is kept. Unset gives `[]`.
 */
export const listOf = (value: unknown): string[] => {
  const items: unknown[] = Array.isArray(value) ? value.flat(Infinity) : [value];
  const values = items.flatMap((item) => {
    const single = text(item);
    return single === undefined ? [] : single.split(',').map((part) => part.trim());
  });
  return [...new Set(values.filter((v) => v !== ''))];
};
