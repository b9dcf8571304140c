import type { Context, Middleware } from 'koa';
import { reportRequestError } from '../../observability/error-reporting/error-reporting.js';
import type { Logger } from '../../observability/logger.js';
import { routeTemplate, unmatchedRoute } from '../../observability/route-template.js';
import { requestIdHeader, requestIdOf } from '../middleware/request-id.js';
import { problemTypeForStatus, problemTypeUri, titleFor } from './problem-types.js';
import { type Problem, toProblem } from './to-problem.js';
import { withoutSubmittedValues } from './without-submitted-values.js';

export const problemContentType = 'application/problem+json';

/**
 * The one place errors become HTTP. Every error, and every 4xx/5xx a layer set without a body (404 from the
 * router, 405 from allowedMethods), leaves as application/problem+json with the request id.
 * Unexpected errors are logged once, with their stack, and never shown to clients outside local.
 */
export function errorBoundary(
  log: Logger,
  exposeDetails: boolean,
  /** HIPAA mode: false; problems then never quote what the client submitted, its path included. */
  quoteInput = true,
): Middleware {
  const render = quoteInput ? renderProblem : renderWithoutInput;
  return async function errorBoundary(ctx, next) {
    try {
      await next();
      if (ctx.status >= 400 && ctx.body == null) {
        render(ctx, {
          status: ctx.status,
          slug: problemTypeForStatus(ctx.status),
          detail: ctx.status === 404 ? `No route matches ${ctx.method} ${ctx.path}.` : titleFor(ctx.status),
          unexpected: false,
        });
      }
    } catch (error) {
      const problem = toProblem(error);
      if (problem.unexpected) log.error({ err: error, requestId: requestIdOf(ctx) }, 'unexpected error');
      // Errors that become a 5xx reach error reporting (when a DSN is set); a 4xx is the client's and never does.
      if (problem.status >= 500) {
        reportRequestError(error, {
          requestId: requestIdOf(ctx),
          method: ctx.method,
          route: routeTemplate(ctx),
          status: problem.status,
          handled: !problem.unexpected,
        });
      }
      render(ctx, problem, exposeDetails && problem.unexpected ? error : undefined);
    }
  };
}

function renderWithoutInput(ctx: Context, problem: Problem, exposed?: unknown) {
  const route = routeTemplate(ctx);
  const withoutInput = withoutSubmittedValues(
    problem.status === 404 && route === unmatchedRoute
      ? { ...problem, detail: 'No route matches this method and path.' }
      : problem,
    ctx,
  );
  // The route template, not the path: a client may have put an email in it. No route, no instance.
  renderProblem(ctx, withoutInput, exposed, route === unmatchedRoute ? null : route);
}

function renderProblem(
  ctx: Context,
  problem: Problem,
  exposed?: unknown,
  instance: string | null = ctx.path,
) {
  for (const [name, value] of Object.entries(problem.headers ?? {})) ctx.set(name, value);
  const requestId = requestIdOf(ctx);
  ctx.set(requestIdHeader, requestId);
  ctx.status = problem.status;
  ctx.type = problemContentType;
  ctx.body = {
    ...problem.extensions,
    type: problemTypeUri(problem.slug),
    title: titleFor(problem.status),
    status: problem.status,
    detail: exposed instanceof Error ? exposed.message : problem.detail,
    ...(instance === null ? {} : { instance }),
    requestId,
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...(exposed instanceof Error ? { stack: exposed.stack?.split('\n') } : {}),
  };
}
