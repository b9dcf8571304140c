import type { Context } from 'koa';

/** The label for requests no route matched: raw paths would make the label set unbounded. */
export const unmatchedRoute = 'unmatched';

// Keyed by the router's own paths, so it holds one entry per declared route and never grows with traffic.
const templates = new Map<string, string>();

/**
 * The route template a request matched, written as in the API document (`/api/v1/items/{id}`): never the raw
 * path, so metric labels and span names stay few however many ids are requested. Handlers outside the router
 * name theirs in `ctx.state.routeTemplate`.
 */
export function routeTemplate(ctx: Context): string {
  const declared = (ctx.state as { routeTemplate?: unknown }).routeTemplate;
  if (typeof declared === 'string') return declared;
  const matched = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
  if (typeof matched !== 'string') return unmatchedRoute;
  let template = templates.get(matched);
  if (template === undefined) {
    template = matched.replace(/:(\w+)(\([^)]*\))?/g, '{$1}').replace(/\*(\w+)/g, '{$1}');
    templates.set(matched, template);
  }
  return template;
}
