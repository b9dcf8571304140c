import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  readonly requestId: string;
}

/** Carries the request id to every log line written while a request is being handled. */
export const requestContext = new AsyncLocalStorage<RequestContext>();
