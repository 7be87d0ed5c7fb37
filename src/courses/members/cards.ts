import { ModelCards } from '../../common/modelcards';
import { CourseManagementModel } from './manage';

/**
 * The launcher's "Manage <group>" cards: one per group the user may
 * manage, in the group's own category (where the course's cards are),
 * after the course's own cards.
 *
 * @param options - The groups the user may manage, the launcher, and the
 *   command a card runs (with `{ group }`).
 * @returns The cards; they come and go with the hub's answer, without a
 *   reload, until disposed.
 */
export function manageCards(options: {
  model: CourseManagementModel;
  launcher: ModelCards.ILauncherLike;
  command: string;
}): ModelCards<CourseManagementModel> {
  const { command } = options;
  return new ModelCards({
    model: options.model,
    launcher: options.launcher,
    cards: model =>
      model.groups.map(group => ({
        key: group,
        item: { command, args: { group }, category: group, rank: 100 }
      }))
  });
}
