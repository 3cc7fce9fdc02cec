import { describe, expect, it } from 'vitest';
import { actionsReachableFrom } from './code-actions.js';

const root = process.cwd();

describe('deriving the actions a module can call', () => {
  it('walks into npm packages that use the SDK: Powertools idempotency needs Get/Put/Update/DeleteItem', () => {
    expect(actionsReachableFrom(root, 'test/serverless/fixtures/idempotency-only.ts')).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
  });

  it('ignores type-only imports', () => {
    expect(actionsReachableFrom(root, 'test/serverless/fixtures/type-only.ts')).toEqual([]);
  });

  it('finds the kill switch read through the store module', () => {
    expect(actionsReachableFrom(root, 'lib/store/mode.ts')).toEqual(['ssm:GetParameter']);
  });
});
