/**
 * The artefact's text form: two-space JSON with each tree's flat number array on one line, so a
 * retrained model diffs per tree instead of per number, and the bytes are a pure function of the
 * document (the rebuild check compares them exactly).
 */
import type { AnomalyModelDocument } from './anomaly-model.js';

export function anomalyModelJson(doc: AnomalyModelDocument): string {
  const marker = (i: number): string => `__TREES_${i}__`;
  const skeleton = {
    ...doc,
    classes: doc.classes.map((c, i) => ({ ...c, forest: { ...c.forest, trees: marker(i) } })),
  };
  let text = JSON.stringify(skeleton, null, 2);
  doc.classes.forEach((c, i) => {
    const trees = c.forest.trees.map((t) => `          ${JSON.stringify(t)}`).join(',\n');
    text = text.replace(`"${marker(i)}"`, `[\n${trees}\n        ]`);
  });
  return `${text}\n`;
}
