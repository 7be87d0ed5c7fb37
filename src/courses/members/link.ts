/**
 * The link in the instructors' e-mails:
 * `{hub}/hub/user-redirect/lab?hub-groups-manage=<course>` lands on
 * `/user/<instructor>/lab?hub-groups-manage=<course>`, which opens that
 * course's members panel once JupyterLab is restored.
 */

/**
 * The query parameter naming the course whose panel to open.
 *
 * #### Notes
 * The courses plugin (`../plugin.ts`) looks for it at start with the same
 * literal, so that this module is loaded only when the address has it.
 */
export const MANAGE_PARAM = 'hub-groups-manage';

/**
 * The course a page address asks to open, or null.
 *
 * @param href - The page's address.
 * @returns The course (a non-empty name of at most 255 characters), or null.
 */
export function linkedCourse(href: string): string | null {
  let course: string | null;
  try {
    course = new URL(href).searchParams.get(MANAGE_PARAM);
  } catch {
    return null;
  }
  course = course?.trim() ?? null;
  return course && course.length <= 255 ? course : null;
}

/**
 * The page address without the parameter (the rest kept as it was), so
 * that a reload or a bookmark does not open the panel again.
 *
 * @param href - The page's address.
 * @returns The address without `hub-groups-manage`, or `href` if it had none.
 */
export function withoutManageParam(href: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  if (!url.searchParams.has(MANAGE_PARAM)) {
    return href;
  }
  // The other parameters exactly as they were (`?reset` stays `?reset`).
  const rest = url.search
    .slice(1)
    .split('&')
    .filter(part => {
      const key = part.split('=')[0].replace(/\+/g, ' ');
      try {
        return decodeURIComponent(key) !== MANAGE_PARAM;
      } catch {
        return true;
      }
    });
  url.search = rest.length ? `?${rest.join('&')}` : '';
  return url.toString();
}
