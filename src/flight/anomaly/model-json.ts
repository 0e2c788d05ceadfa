/**
 * The artefact's text form: two-space JSON with each tree's flat number array on one line, so a
 * retrained model diffs per tree instead of per number, and the text is a pure function of the
 * document.
 */
import type { AnomalyModelDocument } from './anomaly-model.js';

export function anomalyModelJson(doc: AnomalyModelDocument): string {
  const trees: string[] = [];
  const skeleton = {
    ...doc,
    classes: doc.classes.map((c) => ({
      ...c,
      groups: c.groups.map((g) => {
        trees.push(
          `[\n${g.forest.trees.map((t) => `              ${JSON.stringify(t)}`).join(',\n')}\n            ]`,
        );
        return { ...g, forest: { ...g.forest, trees: `__TREES_${trees.length - 1}__` } };
      }),
    })),
  };
  let text = JSON.stringify(skeleton, null, 2);
  trees.forEach((t, i) => (text = text.replace(`"__TREES_${i}__"`, t)));
  return `${text}\n`;
}
