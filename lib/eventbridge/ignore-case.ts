/** Where a case-insensitive pattern must sit in the value. */
export type Anchor = 'whole' | 'start' | 'end';

/**
 * Case-insensitive comparison as event-ruler does it (EqualsIgnoreCaseParser): the pattern is taken one
 * character at a time, and at each position the value may hold that character's lower-case OR upper-case
 * form (root locale), which may differ in length: "ß" also matches "SS", "ΰ" also matches "Ϋ́". The value
 * itself is not case-mapped, so the Kelvin sign "K" (lower "k") matches "k" and "K" but not the letter "K".
 * Unlike event-ruler, a character outside the Basic Multilingual Plane is mapped whole rather than as two
 * UTF-16 halves (which Java cannot encode, so event-ruler would only match "??").
 */
export function caseInsensitive(pattern: string, anchor: Anchor): (value: string) => boolean {
  const forms = Array.from(pattern, (char) => [...new Set([char.toLowerCase(), char.toUpperCase()])]);
  if (anchor === 'end') {
    forms.reverse();
    return (value) =>
      reachable(forms, value.length, (position, form) =>
        value.endsWith(form, position) ? position - form.length : -1,
      ).size > 0;
  }
  return (value) => {
    const ends = reachable(forms, 0, (position, form) =>
      value.startsWith(form, position) ? position + form.length : -1,
    );
    return anchor === 'start' ? ends.size > 0 : ends.has(value.length);
  };
}

/**
 * Positions in the value reachable after consuming every character of the pattern, starting from `start`;
 * `step` returns where a form leads from a position, or -1 when the form is not there.
 */
function reachable(
  forms: readonly string[][],
  start: number,
  step: (position: number, form: string) => number,
): Set<number> {
  let positions = new Set([start]);
  for (const alternatives of forms) {
    const next = new Set<number>();
    for (const position of positions) {
      for (const form of alternatives) {
        const reached = step(position, form);
        if (reached >= 0) next.add(reached);
      }
    }
    if (next.size === 0) return next;
    positions = next;
  }
  return positions;
}
