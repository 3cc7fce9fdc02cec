import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsErrorCode, hasErrorCode, isAwsServiceError } from '../../lib/aws/ec2-errors.js';
import { awsError } from './apply-fixtures.js';

describe('awsErrorCode', () => {
  it('reads the code from name', () => {
    expect(awsErrorCode(awsError('InvalidRoute.NotFound'))).toBe('InvalidRoute.NotFound');
  });

  it('falls back to Code when name is missing or generic', () => {
    expect(awsErrorCode({ Code: 'RouteAlreadyExists' })).toBe('RouteAlreadyExists');
    expect(awsErrorCode(Object.assign(new Error('x'), { Code: 'RouteAlreadyExists' }))).toBe(
      'RouteAlreadyExists',
    );
    const generic = new EC2ServiceException({ name: 'EC2ServiceException', $fault: 'client', $metadata: {} });
    expect(awsErrorCode(Object.assign(generic, { Code: 'IncorrectState' }))).toBe('IncorrectState');
  });

  it('is undefined for values that are not errors', () => {
    expect(awsErrorCode(undefined)).toBeUndefined();
    expect(awsErrorCode('RouteAlreadyExists')).toBeUndefined();
    expect(awsErrorCode({})).toBeUndefined();
  });

  it('hasErrorCode matches any of the codes', () => {
    expect(
      hasErrorCode(awsError('InvalidParameterValue'), 'InvalidRoute.NotFound', 'InvalidParameterValue'),
    ).toBe(true);
    expect(hasErrorCode(awsError('InvalidParameterValue'), 'RouteAlreadyExists')).toBe(false);
  });
});

describe('isAwsServiceError', () => {
  it('needs an Error with $metadata', () => {
    expect(isAwsServiceError(awsError('InternalError'))).toBe(true);
    expect(isAwsServiceError(new TypeError('bug'))).toBe(false);
    expect(isAwsServiceError({ name: 'InternalError', $metadata: {} })).toBe(false);
  });
});
