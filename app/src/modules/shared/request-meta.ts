/** What services need to know about the caller's request, without knowing HTTP. */
export interface RequestMeta {
  readonly ip: string;
  readonly requestId: string;
  readonly userAgent: string | undefined;
}

/** The authenticated caller, as the access token says. */
export interface Principal {
  readonly userId: string;
  readonly role: 'USER' | 'ADMIN';
  readonly sessionId: string;
}
