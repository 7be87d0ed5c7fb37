/**
 * The hub's REST API with the tests' service token (HUB_GROUPS_SERVICE_TOKEN,
 * see demo/jupyterhub_config.py): groups and their members.
 */

export const hubUrl = (): string => {
  const url = process.env.HUB_GROUPS_URL;
  if (!url) {
    throw new Error('The hub of ui-tests/hub-setup.ts is not running.');
  }
  return url;
};

export async function hubApi(
  method: string,
  path: string,
  body?: unknown,
  okStatus: number[] = []
): Promise<any> {
  const response = await fetch(`${hubUrl()}/hub/api/${path}`, {
    method,
    headers: {
      Authorization: `token ${process.env.HUB_GROUPS_SERVICE_TOKEN}`,
      'Content-Type': 'application/json'
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const text = await response.text();
  if (!response.ok && !okStatus.includes(response.status)) {
    throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

const g = (group: string) => `groups/${encodeURIComponent(group)}`;

/** Run `job` on each of `xs`, at most `width` at a time. */
export async function eachLimited<T>(
  xs: readonly T[],
  job: (x: T) => Promise<unknown>,
  width = 16
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < xs.length) {
      await job(xs[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, xs.length) }, worker));
}

/** Create groups (those that exist are fine). */
export const createGroups = (groups: readonly string[]) =>
  eachLimited(groups, group => hubApi('POST', g(group), undefined, [409]));

export const deleteGroups = (groups: readonly string[]) =>
  eachLimited(groups, group => hubApi('DELETE', g(group), undefined, [404]));

export const addToGroups = (groups: readonly string[], user: string) =>
  eachLimited(groups, group =>
    hubApi('POST', `${g(group)}/users`, { users: [user] })
  );

export const removeFromGroups = (groups: readonly string[], user: string) =>
  eachLimited(groups, group =>
    hubApi('DELETE', `${g(group)}/users`, { users: [user] })
  );

export async function groupsOf(user: string): Promise<string[]> {
  return (await hubApi('GET', `users/${encodeURIComponent(user)}`)).groups;
}
