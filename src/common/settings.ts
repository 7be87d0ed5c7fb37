import { ISettingRegistry } from '@jupyterlab/settingregistry';

/**
 * Apply a plugin's settings now and whenever they change, in the background.
 *
 * @param registry - The setting registry, or null (nothing to follow).
 * @param pluginId - The plugin whose settings to follow.
 * @param apply - Called with the settings on load and on every change.
 * @param after - Resolved before the settings are applied (e.g. `app.restored`).
 */
export function followSettings(
  registry: ISettingRegistry | null,
  pluginId: string,
  apply: (settings: ISettingRegistry.ISettings) => void,
  after: Promise<unknown> = Promise.resolve()
): void {
  if (!registry) {
    return;
  }
  Promise.all([registry.load(pluginId), after])
    .then(([settings]) => {
      apply(settings);
      settings.changed.connect(apply);
    })
    .catch(reason => {
      console.error(
        `jupyterlab-hub-groups: failed to load the settings of ${pluginId}.`,
        reason
      );
    });
}
