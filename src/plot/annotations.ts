import { CascadeModel } from '../model/cascade';
import { AnnotationMarker } from '../model/deploys';

/** An annotation that is not a deploy (a manual note, an alert's state change), as the panel draws it. */
export type PanelAnnotation = Pick<AnnotationMarker, 'time' | 'timeEnd' | 'kind' | 'label' | 'color'>;

/**
 * The annotations to draw as annotations, not deploys: the model tells them apart (by default only
 * deploy-tagged annotations are deploys) and never lets them change the status.
 */
export function panelAnnotations(model: CascadeModel): readonly PanelAnnotation[] {
  return model.annotations ?? [];
}

/** The annotations at a hovered time, within `toleranceMs` of a point or inside a region. */
export function annotationsAt(
  annotations: readonly PanelAnnotation[],
  time: number,
  toleranceMs: number
): PanelAnnotation[] {
  return annotations.filter((a) => time >= a.time - toleranceMs && time <= a.timeEnd + toleranceMs);
}
