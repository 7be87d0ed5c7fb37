import type { JupyterFrontEnd } from '@jupyterlab/application';

import type { IHubGroups } from '../tokens';
import type { ReadModel } from './readmodel';

/**
 * The parts of the start-up answer that are the body of an endpoint's
 * `GET` (see {@link IHubGroups.IStartup}).
 */
export type StartupPart = 'manage' | 'presence' | 'collaborations';

/**
 * The start-up answer of `me`, once JupyterLab is restored: what the
 * plugins read at start waits for both (neither is needed to draw
 * JupyterLab).
 *
 * @param app - The application (its `restored`).
 * @param groups - The groups service, or null (no answer then).
 * @returns The answer, or null when it carried nothing; never rejects.
 */
export async function afterStartup(
  app: Pick<JupyterFrontEnd, 'restored'>,
  groups: IHubGroups | null
): Promise<IHubGroups.IStartup | null> {
  const [, startup] = await Promise.all([
    app.restored,
    groups?.startup ?? null
  ]);
  return startup;
}

/**
 * Seed a model with its part of the start-up answer, when the answer
 * carried one that can be read (else the model's first read asks).
 *
 * @param model - The model, not started yet.
 * @param body - The part, or null.
 * @param read - The model's reader of its endpoint's body.
 * @param part - Which part, for the console.
 */
export function seedWith<T>(
  model: ReadModel<T>,
  body: unknown,
  read: (body: any) => T,
  part: StartupPart
): void {
  if (body === null || body === undefined) {
    return;
  }
  try {
    model.seed(read(body));
  } catch (reason) {
    console.warn(`jupyterlab-hub-groups: ${part} at start-up`, reason);
  }
}

/**
 * Start a model once JupyterLab is restored and the start-up answer is
 * in, seeded with its part of the answer when it carried one: then the
 * first request comes an interval later instead of at once.
 *
 * @param app - The application (its `restored`).
 * @param groups - The groups service, or null.
 * @param model - The model, created with `auto: false`.
 * @param part - Its part of the start-up answer.
 * @param read - The model's reader of its endpoint's body.
 */
export function startSeeded<T>(
  app: Pick<JupyterFrontEnd, 'restored'>,
  groups: IHubGroups | null,
  model: ReadModel<T>,
  part: StartupPart,
  read: (body: any) => T
): void {
  void afterStartup(app, groups).then(startup => {
    seedWith(model, startup?.[part] ?? null, read, part);
    model.start();
  });
}
