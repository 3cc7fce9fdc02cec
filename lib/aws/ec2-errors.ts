/**
 * EC2 error codes, read from SDK v3 errors. The EC2 query protocol puts the AWS code in `name`
 * (also for codes the SDK has no class for); `Code` is the raw field some paths keep.
 */

/** What an error from `client.send` looks like once the SDK gave up: a name and call metadata. */
export interface AwsServiceError extends Error {
  readonly $metadata: object;
}

export function isAwsServiceError(error: unknown): error is AwsServiceError {
  return (
    error instanceof Error &&
    typeof error.name === 'string' &&
    '$metadata' in error &&
    typeof error.$metadata === 'object' &&
    error.$metadata !== null
  );
}

// Names that say "some error" rather than which one; `Code` is better then.
const GENERIC_NAMES = new Set(['Error', 'EC2ServiceException', 'ServiceException', 'UnknownError']);

export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name =
    'name' in error && typeof error.name === 'string' && error.name !== '' ? error.name : undefined;
  const code =
    'Code' in error && typeof error.Code === 'string' && error.Code !== '' ? error.Code : undefined;
  if (name !== undefined && !GENERIC_NAMES.has(name)) return name;
  return code ?? name;
}

export function hasErrorCode(error: unknown, ...codes: readonly string[]): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && codes.includes(code);
}

/** The route does not exist: `InvalidRoute.NotFound`, or (moto, some AWS paths) `InvalidParameterValue`. */
export const ROUTE_MISSING_CODES = ['InvalidRoute.NotFound', 'InvalidParameterValue'] as const;
export const ROUTE_EXISTS_CODE = 'RouteAlreadyExists';
export const ROUTE_NOT_FOUND_CODE = 'InvalidRoute.NotFound';
export const UNAUTHORIZED_CODE = 'UnauthorizedOperation';
