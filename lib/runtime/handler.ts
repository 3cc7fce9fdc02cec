import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { Deadline, withinDeadline } from '../aws/deadline.js';
import type { Signal } from '../domain/signal.js';
import { EventParseError } from '../events/errors.js';
import type { InvocationContext, ParseOutcome } from '../events/parse.js';
import { now } from './clock.js';
import { logger, metrics } from './observability.js';
import { redactThrownErrors } from './redact-errors.js';
import { runtimeConfig } from './settings.js';

export type EventParser = (event: unknown, invocation: InvocationContext) => ParseOutcome;
export type SignalUseCase<R> = (
  signal: Signal,
  invocation: InvocationContext,
  context: Context,
  deadline: Deadline,
) => Promise<R>;

/**
 * Time kept back from the function's timeout: the run's deadline is this much before Lambda's, so
 * that middy fails the invocation (and Lambda retries it) while nothing is being written any more.
 */
export const DEADLINE_MARGIN_MS = 5_000;

/** The run's deadline: the invocation's remaining time less the margin, when middy gives up too. */
export function deadlineOf(context: Pick<Context, 'getRemainingTimeInMillis'>): Deadline {
  return Deadline.fromRemaining(context.getRemainingTimeInMillis(), DEADLINE_MARGIN_MS);
}

export type HandlerResult<R> =
  | { readonly status: 'ignored'; readonly reason: string }
  | { readonly status: 'handled'; readonly signal: Signal; readonly result: R };

/** The account and region a direct invocation runs in, read from the function ARN. */
export function invocationOf(
  context: Pick<Context, 'awsRequestId' | 'invokedFunctionArn'>,
  now: Date,
): InvocationContext {
  const [, , , region = '', account = ''] = context.invokedFunctionArn.split(':');
  return {
    requestId: context.awsRequestId,
    account,
    region: process.env.AWS_REGION ?? region,
    now: now.toISOString(),
  };
}

/**
 * Every function is this: load the config, parse the trigger into a Signal, run one use case.
 * A parse error is logged with the event id and field, then rethrown so Lambda's retry policy and
 * on-failure destination put the event and the message in the dead-letter queue. An event that is
 * not ours is ignored with a debug line.
 */
export function signalHandler<R>(parse: EventParser, useCase: SignalUseCase<R>) {
  const run = async (
    event: unknown,
    context: Context,
    options?: { signal?: AbortSignal },
  ): Promise<HandlerResult<R>> => {
    runtimeConfig();
    const invocation = invocationOf(context, now());
    let outcome: ParseOutcome;
    try {
      outcome = parse(event, invocation);
    } catch (error) {
      if (error instanceof EventParseError) {
        logger.error('event rejected', {
          eventId: error.eventId,
          fieldPath: error.fieldPath,
          error: error.message,
        });
      }
      throw error;
    }
    if (outcome.type === 'ignored') {
      logger.debug('event ignored', { reason: outcome.reason });
      return { status: 'ignored', reason: outcome.reason };
    }
    logger.info('signal received', { signal: outcome.signal });
    const { signal } = outcome;
    const deadline = deadlineOf(context);
    // middy aborts its signal when it gives up on the handler: the run stops writing at once.
    deadline.link(options?.signal);
    try {
      const result = await withinDeadline(deadline, () => useCase(signal, invocation, context, deadline));
      return { status: 'handled', signal, result };
    } finally {
      deadline.dispose();
    }
  };
  return middy(run, { timeoutEarlyInMillis: DEADLINE_MARGIN_MS })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(redactThrownErrors());
}
