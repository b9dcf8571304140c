import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  readonly requestId: string;
  /** The route template once the router has matched (a getter: the context is set before routing). */
  readonly route?: () => string;
}

/** Carries the request id to every log line written while a request is being handled. */
export const requestContext = new AsyncLocalStorage<RequestContext>();
