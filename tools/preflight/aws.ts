/** Small helpers for AWS SDK errors and ARNs, shared by the checks. */

/** The error's code as the SDK reports it (`NoSuchEntityException`, `NotFound`, ...). */
export function errorName(error: unknown): string {
  if (error && typeof error === 'object') {
    const { name, Code, code } = error as { name?: unknown; Code?: unknown; code?: unknown };
    for (const candidate of [name, Code, code]) if (typeof candidate === 'string' && candidate && candidate !== 'Error') return candidate;
  }
  return 'Error';
}

/** The HTTP status of a failed call, when the SDK recorded one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** `AccessDeniedException: User ... is not authorized ...`: for messages; carries no credentials. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const name = errorName(error);
  const message = error.message && error.message !== name ? error.message : '';
  return name !== 'Error' ? `${name}${message ? `: ${message}` : ''}` : message || 'unknown error';
}

/** The partition a region belongs to, for ARNs the app derives. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/** Errors that mean "the caller may not make this call", as opposed to "the thing is missing". */
export function isAccessDenied(error: unknown): boolean {
  return /AccessDenied|UnauthorizedOperation|NotAuthorized|Forbidden/i.test(errorName(error)) || httpStatus(error) === 403;
}

/**
 * The finding for a read the check could not make: it is a problem, because preflight cannot say the
 * account is ready, and the action names the IAM action the credentials need.
 */
export function couldNotCheck(check: string, what: string, error: unknown, permission: string): { check: string; status: 'problem'; message: string; action: string } {
  return {
    check,
    status: 'problem',
    message: `Could not check ${what}: ${describeError(error)}`,
    action: isAccessDenied(error)
      ? `Run preflight with credentials allowed ${permission} (docs/first-deploy.md lists every action preflight calls).`
      : `Run preflight again; if it fails the same way, check ${what} in the AWS console.`,
  };
}
