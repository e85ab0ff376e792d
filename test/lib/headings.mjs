// Headings in order: inside a part of the page, no heading goes more than
// one level deeper than the one before it (h2 then h4 skips a level).
import assert from 'node:assert/strict';

/** The levels and texts of the headings in `scope`, in document order. */
export async function headingsOf(scope) {
  return scope.evaluate(root =>
    [...root.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')].map(
      h => ({
        level: Number(h.getAttribute('aria-level') ?? h.tagName.slice(1)),
        text: h.textContent.trim(),
      }),
    ),
  );
}

/**
 * Asserts the headings of `scope` start at `first` and never skip a level
 * going deeper.
 */
export async function assertHeadingsInOrder(scope, first) {
  const headings = await headingsOf(scope);
  assert.ok(headings.length > 0, 'the part has headings');
  assert.equal(
    headings[0].level,
    first,
    `first heading "${headings[0].text}" is h${first}`,
  );
  headings.reduce((previous, h) => {
    assert.ok(
      h.level <= previous.level + 1,
      `"${h.text}" (h${h.level}) follows "${previous.text}" (h${
        previous.level
      }): ${JSON.stringify(headings)}`,
    );
    return h;
  });
  return headings;
}
